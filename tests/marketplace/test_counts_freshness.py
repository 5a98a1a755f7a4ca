"""No visitor waits for a recount: one recount at a time, stale counts served meanwhile."""

import threading
import uuid

import pytest

from marketplace import counts_cache
from marketplace.filters import ProjectFilter
from tests.factories import EmployeeFactory, ProjectFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(monkeypatch, settings):
    """Recounts are collected instead of run: the test decides when they finish."""
    settings.COUNTS_RECOUNT_INLINE = False
    jobs = []
    monkeypatch.setattr(counts_cache, "run_recount", jobs.append)
    return jobs


def unique_name() -> str:
    return f"test-{uuid.uuid4().hex}"  # the shared cache outlives a test


def test_two_concurrent_first_counts_compute_once():
    name, calls, started, release = unique_name(), [], threading.Event(), threading.Event()

    def compute():
        calls.append(1)
        started.set()
        release.wait(5)
        return 42

    results = []
    first = threading.Thread(target=lambda: results.append(counts_cache.cached(name, (), compute)))
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=lambda: results.append(counts_cache.cached(name, (), compute)))
    second.start()
    release.set()
    first.join(10)
    second.join(10)
    assert results == [42, 42]
    assert len(calls) == 1


def test_stale_counts_are_served_while_one_recount_is_pending(pending):
    name, value = unique_name(), {"n": 1}
    assert counts_cache.cached(name, (), lambda: value["n"]) == 1
    counts_cache.invalidate()
    value["n"] = 2

    served = counts_cache.counted(name, (), lambda: value["n"])
    again = counts_cache.counted(name, (), lambda: value["n"])

    assert (served.value, served.stale, again.value) == (1, True, 1)
    assert len(pending) == 1  # the second visitor found the recount under way
    pending.pop()()
    assert counts_cache.cached(name, (), lambda: value["n"]) == 2


def test_a_failed_recount_keeps_the_previous_counts(pending):
    name = unique_name()
    counts_cache.cached(name, (), lambda: 1)
    counts_cache.invalidate()

    def broken():
        raise RuntimeError("database gone")

    assert counts_cache.cached(name, (), broken) == 1
    assert pending.pop()() is None  # logged, lock released
    assert counts_cache.cached(name, (), broken) == 1
    assert len(pending) == 1  # the next visitor may try again


def test_invalidating_never_raises_when_the_cache_fails(monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(counts_cache.cache, "set", unreachable)
    before = counts_cache._own_versions.get(counts_cache.PROJECTS)
    counts_cache.invalidate()  # no exception
    assert counts_cache._own_versions[counts_cache.PROJECTS] != before


def test_the_list_is_current_while_its_counts_are_being_recounted(client, pending, monkeypatch):
    ProjectFactory(title="Erstes Vorhaben", status="open")
    assert client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en").context["paginator"].count == 1
    monkeypatch.setattr(counts_cache, "AGE_SHOWN_AFTER", -1)  # any stale count shows its age

    ProjectFactory(title="Neues Vorhaben", status="open")

    response = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Neues Vorhaben" in html  # the list itself is always current
    assert response.context["paginator"].count == 1  # the counts are the previous ones …
    assert "Numbers as of" in html  # … and say so
    assert pending
    pending.pop()()
    response = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["paginator"].count == 2
    assert "Numbers as of" not in response.content.decode()


def test_a_taken_seat_is_listed_at_once_without_recounting_the_facets(client, monkeypatch):
    from participation.services import claim_role

    role = RoleFactory(project=ProjectFactory(status="open"), seats=2, auto_accept=True)
    employee = EmployeeFactory()
    assert "2 seats" in client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    counts = []
    original = ProjectFilter.count_all
    monkeypatch.setattr(ProjectFilter, "count_all", lambda self: counts.append(1) or original(self))

    claim_role(employee, role, confirmed=True)

    assert "1 seat" in client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert counts == []  # topics, skills, departments … were not counted again


# --- Shared by what visitors may see --------------------------------------------


def test_employees_share_the_counted_and_rendered_page(client, monkeypatch):
    ProjectFactory(
        title="Gemeinsam",
        status="open",
        is_internal=True,
        internal_reason="Sicherheit",
        summary="Geheimer Abriss",
    )
    first, second = EmployeeFactory(weekly_hours=40), EmployeeFactory(weekly_hours=8)
    client.force_login(first)
    client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en")
    counts = []
    original = ProjectFilter.count_all
    monkeypatch.setattr(ProjectFilter, "count_all", lambda self: counts.append(1) or original(self))

    client.force_login(second)
    html = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert counts == []  # the first employee's counts serve the second
    assert "Geheimer Abriss" in html  # what employees see of internal projects …
    assert "(8 hours a week)" in html  # … and the personal part is their own
    client.logout()
    assert "Geheimer Abriss" not in client.get("/projects/").content.decode()  # not the public


def test_a_leads_drafts_are_added_to_the_shared_counts(client):
    from tests.marketplace.test_counts_cache import facet_counts

    ProjectFactory(status="open")
    lead, colleague = EmployeeFactory(), EmployeeFactory()
    ProjectFactory(title="Mein Entwurf", status="draft", published_at=None).leads.add(lead)
    client.force_login(colleague)
    response = client.get("/projects/")
    assert "draft" not in facet_counts(response, "status")
    assert response.context["paginator"].count == 1

    client.force_login(lead)
    response = client.get("/projects/")
    assert facet_counts(response, "status") == {"draft": 1, "open": 1, **_zero_others(response)}
    assert response.context["paginator"].count == 2
    assert "Mein Entwurf" in response.content.decode()

    client.force_login(colleague)
    assert "Mein Entwurf" not in client.get("/projects/").content.decode()


def _zero_others(response) -> dict:
    from tests.marketplace.test_counts_cache import facet_counts

    counts = facet_counts(response, "status")
    return {value: 0 for value in counts if value not in ("draft", "open")}


def test_after_a_seat_change_the_page_refetches_its_rows_not_the_search(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participation.services import claim_role

    role = RoleFactory(project=ProjectFactory(status="open"), seats=2, auto_accept=True)
    ProjectFactory.create_batch(3, status="open")
    employee = EmployeeFactory()
    params = {"status": "open", "sort": "newest"}
    assert "2 seats" in client.get("/projects/", params, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    claim_role(employee, role, confirmed=True)

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/projects/", params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 seat" in html
    # The page's ids were kept: its rows come by id, not from the filtered, sorted list.
    assert not any("LIMIT 20" in query["sql"] for query in queries)


def test_a_posted_update_neither_recounts_nor_refetches_the_browse_page(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marketplace.services import post_update

    lead = EmployeeFactory()
    project = ProjectFactory(title="Mit Neuigkeiten", status="open")
    project.leads.add(lead)
    ProjectFactory.create_batch(2, status="open")
    assert "Mit Neuigkeiten" in client.get("/projects/").content.decode()
    counts = []
    original = ProjectFilter.count_all
    monkeypatch.setattr(ProjectFilter, "count_all", lambda self: counts.append(1) or original(self))

    post_update(lead, project, title="Stand", text="Ein Zwischenstand.")

    with CaptureQueriesContext(connection) as queries:
        html = client.get("/projects/").content.decode()
    assert "Mit Neuigkeiten" in html
    assert counts == []  # nothing the facets count has changed …
    assert len(queries) == 0  # … nor anything the list shows: it is served as rendered


def test_a_posted_update_is_in_open_data_at_once(client):
    from marketplace.services import post_update

    lead = EmployeeFactory()
    project = ProjectFactory(status="open")
    project.leads.add(lead)
    first = client.get("/open-data/projects.json").json()
    assert [row["last_update"] for row in first["results"]] == [None]

    post_update(lead, project, title="Stand", text="Ein Zwischenstand.")

    again = client.get("/open-data/projects.json").json()
    assert again["results"][0]["last_update"] is not None


def test_a_leads_drafts_are_counted_once_until_a_project_changes(client, monkeypatch):
    from tests.marketplace.test_counts_cache import facet_counts

    lead = EmployeeFactory()
    ProjectFactory(status="open")
    ProjectFactory(title="Mein Entwurf", status="draft", published_at=None).leads.add(lead)
    client.force_login(lead)
    assert facet_counts(client.get("/projects/"), "status")["draft"] == 1
    counts = []
    original = ProjectFilter.count_all
    monkeypatch.setattr(ProjectFilter, "count_all", lambda self: counts.append(1) or original(self))

    assert facet_counts(client.get("/projects/"), "status")["draft"] == 1
    assert counts == []  # the second visit counted nothing, the drafts neither

    ProjectFactory(title="Zweiter Entwurf", status="draft", published_at=None).leads.add(lead)
    assert facet_counts(client.get("/projects/"), "status")["draft"] == 2


def test_a_seat_taken_elsewhere_leaves_a_page_as_rendered(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participation.services import claim_role

    elsewhere = ProjectFactory(title="Auf Seite zwei", status="open")
    role = RoleFactory(project=elsewhere, seats=2, auto_accept=True)
    ProjectFactory.create_batch(20, status="open")  # newer: the first page lists these
    employee = EmployeeFactory()
    assert "Auf Seite zwei" not in client.get("/projects/").content.decode()

    claim_role(employee, role, confirmed=True)

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/projects/").status_code == 200
    assert len(queries) == 0  # the first page shows nothing of that project
    page_two = client.get("/projects/", {"page": 2}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Auf Seite zwei" in page_two and "1 seat" in page_two


def test_sorted_by_open_seats_a_seat_taken_anywhere_reorders_at_once(client):
    from participation.services import claim_role

    older = ProjectFactory(title="Zwei Plätze", status="open")
    role = RoleFactory(project=older, seats=2, auto_accept=True)
    RoleFactory(project=ProjectFactory(title="Ein Platz", status="open"), seats=1)
    employee = EmployeeFactory()
    params = {"sort": "seats"}
    html = client.get("/projects/", params).content.decode()
    assert html.index("Zwei Plätze") < html.index("Ein Platz")

    claim_role(employee, role, confirmed=True)

    html = client.get("/projects/", params).content.decode()
    assert html.index("Ein Platz") < html.index("Zwei Plätze")  # one seat each: newest first
