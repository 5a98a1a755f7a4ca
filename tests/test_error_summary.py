"""Errors the GOV.UK way: an invalid form opens with a summary that links to each field.

The summary sits at the top of the form, takes focus on load (``autofocus`` on an element
with ``tabindex="-1"``, so it works without the portal's JavaScript) and the page title
starts with "Fehler: " / "Error: ".
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.accounts.test_signup import signup_data
from tests.factories import CitizenFactory, EmployeeFactory, ProjectFactory
from tests.factories_participation import ProposalFactory

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


class ErrorSummary(HTMLParser):
    """The page's title, the summary's attributes and links, and every element id."""

    def __init__(self, html: str):
        super().__init__()
        self.title, self.in_title = "", False
        self.summary: dict | None = None
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.depth = 0  # > 0 while inside the summary
        self.ids_before_summary: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "title":
            self.in_title = True
        if self.summary is None and "id" in attributes:
            self.ids_before_summary.add(attributes["id"])
        if self.depth:
            if tag == "div":
                self.depth += 1
            if tag == "a":
                self.links.append(attributes.get("href", ""))
        elif self.summary is None and "error-summary" in attributes.get("class", "").split():
            self.summary, self.depth = attributes, 1

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def assert_summary_links_each_field(response, fields: list[str], prefix: str) -> None:
    page = ErrorSummary(response.content.decode())
    assert page.summary is not None, "no error summary on the page"
    assert page.summary.get("tabindex") == "-1" and "autofocus" in page.summary
    assert page.summary.get("role") == "alert"
    for field in fields:
        assert f"#id_{field}" in page.links, (field, page.links)
        assert f"id_{field}" not in page.ids_before_summary, "the summary comes first"
    for link in page.links:
        assert link.startswith("#") and link[1:] in page.ids, f"{link} points nowhere"
    assert page.title.strip().startswith(prefix), page.title


@pytest.mark.django_db
@pytest.mark.parametrize("language, prefix", [(GERMAN, "Fehler: "), (ENGLISH, "Error: ")])
def test_an_invalid_sign_up_opens_with_a_summary_and_the_title_says_error(client, language, prefix):
    response = client.post(
        "/accounts/signup/", signup_data(email="not-an-address", display_name=""), **language
    )
    assert response.status_code == 422
    assert_summary_links_each_field(response, ["email", "display_name"], prefix)


@pytest.mark.django_db
@pytest.mark.parametrize("language, prefix", [(GERMAN, "Fehler: "), (ENGLISH, "Error: ")])
def test_an_invalid_proposal_opens_with_a_summary(client, language, prefix):
    client.force_login(CitizenFactory())
    response = client.post("/proposals/new/", {"title": ""}, **language)
    assert response.status_code == 422
    assert_summary_links_each_field(response, ["title", "problem"], prefix)


@pytest.mark.django_db
@pytest.mark.parametrize("language, prefix", [(GERMAN, "Fehler: "), (ENGLISH, "Error: ")])
def test_an_empty_comment_opens_its_form_with_a_summary(client, language, prefix):
    proposal = ProposalFactory()
    client.force_login(CitizenFactory())
    response = client.post(
        reverse("proposal-comment", kwargs={"pk": proposal.pk}), {"body": ""}, **language
    )
    assert response.status_code == 422
    page = ErrorSummary(response.content.decode())
    assert "#id_body" in page.links
    assert page.title.strip().startswith(prefix)


@pytest.mark.django_db
@pytest.mark.parametrize("language, prefix", [(GERMAN, "Fehler: "), (ENGLISH, "Error: ")])
def test_an_invalid_project_edit_opens_with_a_summary(client, language, prefix):
    lead = EmployeeFactory()
    project = ProjectFactory(leads=[lead])
    client.force_login(lead)
    response = client.post(f"/projects/{project.slug}/edit/", {"title": ""}, **language)
    assert response.status_code == 422
    assert_summary_links_each_field(response, ["title"], prefix)


@pytest.mark.django_db
def test_a_valid_page_has_neither_summary_nor_error_title(client):
    response = client.get("/proposals/", **GERMAN)
    page = ErrorSummary(response.content.decode())
    assert page.summary is None
    assert not page.title.strip().startswith("Fehler")
