"""What every page carries in its head: an icon, a description; and valid ``<time datetime>``."""

import re

import pytest
from django.test import Client

from tests.factories import ProjectFactory
from tests.factories_participation import CommentFactory
from tests.test_page_sweep import VISITORS, build_world, sweep_urls

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
DATETIME = re.compile(r'\bdatetime="([^"]*)"')
# HTML's valid date string, or a global date and time without fractions of a second.
VALID_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2}))?")


def description_of(response) -> str:
    match = DESCRIPTION.search(response.content.decode())
    assert match, "the page has no meta description"
    return match[1]


def test_favicon_ico_leads_to_the_icon_every_page_names(client, db):
    page = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == icon[1]
    served = client.get(icon[1])
    assert served.status_code == 200
    assert served["Content-Type"].startswith("image/svg+xml")


def test_a_project_page_is_described_by_its_summary_other_pages_by_their_own(client, db):
    ProjectFactory(slug="radweg", summary="Ein sicherer Radweg für Pankow & Weißensee.")
    assert description_of(client.get("/projects/radweg/")) == (
        "Ein sicherer Radweg für Pankow &amp; Weißensee."
    )
    descriptions = {
        url: description_of(client.get(url, headers={"accept-language": "de"}))
        for url in ["/", "/projects/", "/proposals/", "/participate/", "/open-data/"]
    }
    assert all(descriptions.values())
    assert len(set(descriptions.values())) == len(descriptions), descriptions


def test_an_internal_project_keeps_its_summary_out_of_the_description(client, db):
    ProjectFactory(
        slug="intern",
        summary="Nur für den Dienstgebrauch.",
        is_internal=True,
        internal_reason="Sicherheit",
    )
    assert "Dienstgebrauch" not in description_of(client.get("/projects/intern/"))


@pytest.mark.django_db
def test_every_datetime_attribute_of_every_page_is_valid_html():
    """Django's ``date:'c'`` writes microseconds; HTML allows at most three digits."""
    world = build_world()
    CommentFactory(project=world.objects["project"])  # a timestamp with microseconds
    urls = sweep_urls(world)
    invalid, seen = [], 0
    for make_user in VISITORS.values():
        client = Client()
        if make_user:
            client.force_login(make_user(world))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for value in DATETIME.findall(response.content.decode()):
                seen += 1
                if not VALID_DATETIME.fullmatch(value):
                    invalid.append(f"{url}: {value}")
    assert seen, "the sweep found no datetime attribute at all"
    assert not invalid, invalid
