"""/open-data/: the page, JSON and CSV of projects and proposals, sitemap.xml and robots.txt."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace import open_data
from marketplace.models import Project, ProjectUpdate
from participation.models import Membership
from tests.factories import (
    CitizenFactory,
    EmployeeFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
    TopicFactory,
)
from tests.factories_participation import ProposalFactory, ProposalSupportFactory

PROJECT_FIELDS = [
    "id",
    "slug",
    "url",
    "title",
    "title_en",
    "language",
    "internal",
    "summary",
    "summary_en",
    "status",
    "phase",
    "department",
    "topics",
    "start",
    "end",
    "open_roles",
    "team_size",
    "last_update",
    "last_change",
]
HIDDEN_FOR_INTERNAL = [
    "summary",
    "phase",
    "topics",
    "start",
    "end",
    "open_roles",
    "team_size",
    "last_update",
    "last_change",
]


pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of two, so that a handful of rows spans several pages."""
    for name in ["projects", "proposals"]:
        dataset = open_data.DATASETS[name]
        monkeypatch.setitem(
            open_data.DATASETS, name, open_data.Dataset(**{**dataset.__dict__, "page_size": 2})
        )


def get_json(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def all_rows(client, dataset: str) -> list[dict]:
    """Follow ``next`` through every page."""
    rows, url = [], f"/open-data/{dataset}.json"
    while url:
        body = get_json(client, url)
        rows += body["results"]
        url = body["next"]
    return rows


def csv_rows(client, dataset: str) -> list[dict]:
    response = client.get(f"/open-data/{dataset}.csv")
    assert response.status_code == 200
    content = response.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


# --- The page ------------------------------------------------------------------------------


@pytest.mark.parametrize("visitor", ["anonymous", "citizen", "employee"])
def test_the_page_offers_downloads_dictionary_and_licence_to_everyone(client, db, visitor):
    if visitor != "anonymous":
        client.force_login({"citizen": CitizenFactory, "employee": EmployeeFactory}[visitor]())
    page = client.get("/open-data/").content.decode()
    assert "CC BY 4.0" in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page
    for dataset in ["projects", "proposals"]:
        assert f'href="/open-data/{dataset}.json"' in page
        assert f'href="/open-data/{dataset}.csv"' in page
    for name in PROJECT_FIELDS + ["problem", "supporters", "submitted_at"]:
        assert f"<code>{name}</code>" in page
    assert 'href="/feeds/projects/"' in page


# --- Projects as JSON ---------------------------------------------------------------------


def test_projects_are_exactly_the_published_ones_in_a_stable_order(client, db, small_pages):
    published = [ProjectFactory(), ProjectFactory(status="completed"), ProjectFactory()]
    internal = ProjectFactory(is_internal=True, internal_reason="Intern.")
    ProjectFactory(status="draft", published_at=None)

    rows = all_rows(client, "projects")

    expected = sorted(project.pk for project in [*published, internal])
    assert [row["id"] for row in rows] == expected
    assert all(list(row) == PROJECT_FIELDS for row in rows)
    first = get_json(client, "/open-data/projects.json")
    assert "count" not in first and first["after"] is None  # no full count per request
    assert first["next"] == f"http://testserver/open-data/projects.json?after={expected[1]}"
    assert first["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert get_json(client, f"/open-data/projects.json?after={expected[1]}")["next"] is None
    # Old links by page number still answer, with the count.
    numbered = get_json(client, "/open-data/projects.json?page=1")
    assert numbered["count"] == 4 and numbered["pages"] == 2 and numbered["previous"] is None
    assert numbered["next"] == "http://testserver/open-data/projects.json?page=2"
    second = get_json(client, "/open-data/projects.json?page=2")
    assert [row["id"] for row in second["results"]] == expected[2:] and second["next"] is None


def test_a_project_row_holds_what_its_public_page_shows(client, db):
    lead, member = EmployeeFactory(), EmployeeFactory()
    project = ProjectFactory(
        title="Straßenbäume gießen", leads=[lead], phase="test", starts_on="2026-03-01"
    )
    project.topics.add(TopicFactory(slug="klima"), TopicFactory(slug="beteiligung"))
    role = RoleFactory(project=project, seats=2)
    PublicRoleFactory(project=project)
    RoleFactory(project=project, is_open=False)
    Membership.objects.create(project=project, role=role, person=member)
    Membership.objects.create(
        project=project,
        role=role,
        person=EmployeeFactory(),
        ended_on="2026-01-01",
        started_on="2025-01-01",
    )
    update = ProjectUpdate.objects.create(project=project, title="Neu", text="Text")

    (row,) = get_json(client, "/open-data/projects.json")["results"]

    assert row["title"] == "Straßenbäume gießen"
    assert row["url"] == f"/projects/{project.slug}/"
    assert (row["status"], row["phase"], row["internal"]) == ("open", "test", False)
    assert row["department"] == project.department.name
    assert row["topics"] == ["beteiligung", "klima"]
    assert (row["start"], row["end"]) == ("2026-03-01", None)
    assert row["open_roles"] == 2
    assert row["team_size"] == 2  # the lead and the running membership
    assert row["last_update"].startswith(update.created_at.date().isoformat())
    assert row["last_change"] is not None


def test_an_internal_project_shows_only_title_department_and_status(client, db):
    project = ProjectFactory(
        title="Wissensplattform",
        summary="Geheime Zusammenfassung",
        is_internal=True,
        internal_reason="Interne Abläufe.",
        phase="test",
    )
    RoleFactory(project=project)
    ProjectUpdate.objects.create(project=project, title="Intern", text="Geheim")

    (row,) = get_json(client, "/open-data/projects.json")["results"]
    body = client.get("/open-data/projects.json").content.decode()
    csv_text = client.get("/open-data/projects.csv").getvalue().decode("utf-8-sig")

    assert (row["title"], row["status"], row["internal"]) == ("Wissensplattform", "open", True)
    assert row["department"] == project.department.name
    assert all(row[name] is None for name in HIDDEN_FOR_INTERNAL)
    for text in [body, csv_text]:
        assert "Geheime Zusammenfassung" not in text and "Geheim" not in text


@pytest.mark.parametrize("page", ["abc", "1.5", "-1", "", "%C3%A4"])
def test_a_page_that_is_not_a_number_is_a_bad_request(client, db, page):
    response = client.get(f"/open-data/projects.json?page={page}")
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize("page", ["0", "2", "99999999999999999999"])
def test_a_page_beyond_the_data_is_not_found(client, db, page):
    ProjectFactory()
    assert client.get(f"/open-data/projects.json?page={page}").status_code == 404


def test_an_unknown_dataset_is_not_found(client, db):
    assert client.get("/open-data/people.json").status_code == 404
    assert client.get("/open-data/people.csv").status_code == 404


def test_json_sends_validators_and_answers_304_while_nothing_changed(client, db):
    project = ProjectFactory()
    response = client.get("/open-data/projects.json")
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")

    again = client.get("/open-data/projects.json", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert (
        client.get("/open-data/projects.json", headers={"if-modified-since": modified}).status_code
        == 304
    )

    project.title = "Neuer Titel"
    project.save()
    changed = client.get("/open-data/projects.json", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["results"][0]["title"] == "Neuer Titel"


def _project_with_team(index: int) -> Project:
    project = ProjectFactory(leads=[EmployeeFactory(), EmployeeFactory()])
    project.topics.add(TopicFactory(), TopicFactory())
    role = RoleFactory(project=project, seats=3)
    Membership.objects.create(project=project, role=role, person=EmployeeFactory())
    ProjectUpdate.objects.create(project=project, title=f"U{index}", text="Text")
    return project


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        response.getvalue()  # a streamed download queries while it is read
    return len(queries)


def test_json_and_csv_cost_the_same_queries_for_3_and_30_projects(client, db):
    for index in range(3):
        _project_with_team(index)
    few = _queries(client, "/open-data/projects.json"), _queries(client, "/open-data/projects.csv")
    for index in range(27):
        _project_with_team(index)
    many = _queries(client, "/open-data/projects.json"), _queries(client, "/open-data/projects.csv")
    # The page of projects with its figures, their topics; no count.
    assert few == many == (2, 2)


# --- CSV ------------------------------------------------------------------------------------


def test_csv_is_utf8_with_a_bom_and_keeps_umlauts(client, db):
    project = ProjectFactory(title="Grünflächen für Köpenick", summary="Straßenbäume, Größe")
    project.topics.add(TopicFactory(slug="klima"), TopicFactory(slug="umwelt"))

    response = client.get("/open-data/projects.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="projects.csv"'
    content = response.getvalue()
    assert content.startswith("\ufeffid,slug,".encode())
    assert "Grünflächen für Köpenick".encode() in content
    (row,) = csv_rows(client, "projects")
    assert list(row) == PROJECT_FIELDS
    assert row["title"] == "Grünflächen für Köpenick"
    assert row["summary"] == "Straßenbäume, Größe"
    assert row["topics"] == "klima; umwelt"
    assert row["internal"] == "false"


def test_csv_defuses_texts_that_spreadsheets_would_run_as_formulas(client, db):
    ProjectFactory(title='=HYPERLINK("http://example.com")')
    (row,) = csv_rows(client, "projects")
    assert row["title"] == '\'=HYPERLINK("http://example.com")'
    # JSON keeps the text as it is.
    assert get_json(client, "/open-data/projects.json")["results"][0]["title"].startswith("=")


def test_csv_and_json_hold_the_same_records(client, db, small_pages):
    for _ in range(5):
        ProjectFactory()
    assert [int(row["id"]) for row in csv_rows(client, "projects")] == [
        row["id"] for row in all_rows(client, "projects")
    ]


# --- Proposals --------------------------------------------------------------------------------


def test_proposals_hold_public_fields_and_no_people(client, db):
    proposer = CitizenFactory(display_name="Paula Proposer", email="paula@example.org")
    proposal = ProposalFactory(proposer=proposer, title="Bänke im Schatten")
    ProposalSupportFactory(proposal=proposal)
    ProposalSupportFactory(proposal=proposal)
    draft = ProjectFactory(status="draft", published_at=None, slug="geheimer-entwurf")
    accepted = ProposalFactory(status="accepted", project=draft)

    rows = {row["id"]: row for row in all_rows(client, "proposals")}
    body = client.get("/open-data/proposals.json").content.decode()
    csv_text = client.get("/open-data/proposals.csv").getvalue().decode("utf-8-sig")

    assert set(rows) == {proposal.pk, accepted.pk}
    row = rows[proposal.pk]
    assert row["title"] == "Bänke im Schatten"
    assert (row["supporters"], row["status"], row["project"]) == (2, "submitted", None)
    assert row["topic"] == proposal.topic.slug
    assert rows[accepted.pk]["project"] is None  # a draft stays secret
    for text in [body, csv_text]:
        for secret in ["Paula", "paula@example.org", "geheimer-entwurf", "proposer", "email"]:
            assert secret not in text
    draft.status = "open"
    draft.save()
    assert get_json(client, "/open-data/proposals.json")["results"][1]["project"] == draft.slug


# --- Discoverability ------------------------------------------------------------------------


def test_sitemap_lists_the_public_pages_and_no_draft(client, db):
    public = ProjectFactory()
    internal = ProjectFactory(is_internal=True, internal_reason="Intern.")
    draft = ProjectFactory(status="draft", published_at=None)
    proposal = ProposalFactory()

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    body = "".join(
        client.get(url.removeprefix("http://testserver")).content.decode()
        for url in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    )
    for path in [
        "/",
        "/projects/",
        "/proposals/",
        "/participate/",
        "/open-data/",
        public.get_absolute_url(),
        internal.get_absolute_url(),
        proposal.get_absolute_url(),
    ]:
        assert f"<loc>http://testserver{path}</loc>" in body
    assert draft.slug not in body
    assert "/me/" not in body and "/admin/" not in body


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_from_private_pages(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /admin/", "Disallow: /me/", "Disallow: /accounts/"} <= set(lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines


# --- Keyset pages and streamed downloads ------------------------------------------------------


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", "", "99999999999999999999"])
def test_an_after_that_is_no_id_is_a_bad_request(client, db, after):
    response = client.get(f"/open-data/projects.json?after={after}")
    assert response.status_code == 400
    assert "after" in response.json()["error"]


def test_a_keyset_page_costs_the_same_queries_wherever_it_starts(client, db, small_pages):
    projects = [ProjectFactory() for _ in range(7)]
    for after in [None, projects[2].pk, projects[5].pk]:
        url = "/open-data/projects.json" + (f"?after={after}" if after else "")
        assert _queries(client, url) == 2  # the page with its figures, its topics


def test_the_downloads_stream_in_chunks_with_the_header_first(client, db, monkeypatch):
    from marketplace.views import open_data as views

    monkeypatch.setattr(views, "DOWNLOAD_CHUNK", 2)
    projects = [ProjectFactory(title=f"Vorhaben {index}") for index in range(5)]

    response = client.get("/open-data/projects.csv")
    parts = list(response.streaming_content)
    assert parts[0].decode("utf-8-sig").startswith("id,slug,")  # before any record is read
    assert len(parts) == 1 + 3  # a header, then three chunks of at most two
    rows = list(csv.DictReader(io.StringIO(b"".join(parts).decode("utf-8-sig"))))
    assert [int(row["id"]) for row in rows] == [project.pk for project in projects]

    download = client.get("/open-data/projects.all.json")
    assert download["Content-Type"] == "application/json"
    body = json.loads(download.getvalue())
    assert body["dataset"] == "projects"
    assert [row["id"] for row in body["results"]] == [project.pk for project in projects]
    assert body["results"] == all_rows(client, "projects")


def test_an_empty_dataset_downloads_as_valid_json(client, db):
    assert json.loads(client.get("/open-data/projects.all.json").getvalue())["results"] == []


def test_the_sitemap_index_names_every_page_of_every_section(client, db, monkeypatch):
    from marketplace.sitemaps import ProjectSitemap
    from participation.sitemaps import ProposalSitemap

    monkeypatch.setattr(ProjectSitemap, "limit", 2)
    monkeypatch.setattr(ProposalSitemap, "limit", 2)
    projects = [ProjectFactory() for _ in range(5)]
    proposals = [ProposalFactory() for _ in range(3)]

    index = client.get("/sitemap.xml").content.decode()
    pages = re.findall(r"<loc>([^<]+)</loc>", index)
    assert "http://testserver/sitemap-projects.xml?p=3" in pages
    assert "http://testserver/sitemap-proposals.xml?p=2" in pages
    listed = "".join(
        client.get(page.removeprefix("http://testserver")).content.decode() for page in pages
    )
    for target in [*projects, *proposals]:
        assert f"<loc>http://testserver{target.get_absolute_url()}</loc>" in listed
    assert client.get("/sitemap-projects.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_json_page_is_kept_until_a_project_changes(client, db, django_assert_num_queries):
    project = ProjectFactory(title="Erster Titel")
    get_json(client, "/open-data/projects.json")
    with django_assert_num_queries(0):
        assert get_json(client, "/open-data/projects.json")["results"][0]["title"] == "Erster Titel"
    project.title = "Neuer Titel"
    project.save()
    assert get_json(client, "/open-data/projects.json")["results"][0]["title"] == "Neuer Titel"
