"""Cached counts (browse facets, home figures) follow every change to projects and roles."""

import pytest

from marketplace import counts_cache
from marketplace.services import change_status
from tests.factories import EmployeeFactory, ProjectFactory, RoleFactory

pytestmark = pytest.mark.django_db


def facet_counts(response, param) -> dict[str, int]:
    facet = next(facet for facet in response.context["facets"] if facet.param == param)
    return {option.value: option.count for option in facet.options}


def browse(client, params=None):
    return client.get("/projects/", params or {}, HTTP_ACCEPT_LANGUAGE="en")


def test_a_second_visit_reuses_the_counts(client, django_assert_max_num_queries):
    ProjectFactory(status="open")
    browse(client)
    with django_assert_max_num_queries(2):  # the page's rows and their topics only
        response = browse(client)
    assert response.context["paginator"].count == 1


def test_a_new_project_is_counted_at_once(client):
    ProjectFactory(status="open")
    assert facet_counts(browse(client), "status")["open"] == 1
    assert client.get("/").context["figures"]["open_projects"] == 1

    ProjectFactory(status="open")

    response = browse(client)
    assert facet_counts(response, "status")["open"] == 2
    assert response.context["paginator"].count == 2
    assert facet_counts(browse(client, {"phase": "understand"}), "status")["open"] == 2
    assert client.get("/").context["figures"]["open_projects"] == 2


def test_a_status_change_by_the_service_is_counted_at_once(client):
    lead = EmployeeFactory()
    project = ProjectFactory(status="open")
    project.leads.add(lead)
    assert facet_counts(browse(client), "status")["open"] == 1

    change_status(lead, project, "in_progress")

    counts = facet_counts(browse(client), "status")
    assert counts["open"] == 0
    assert counts["in_progress"] == 1


def test_closing_a_role_is_counted_at_once(client):
    role = RoleFactory(project=ProjectFactory(status="open"))
    assert facet_counts(browse(client), "roles")["employees"] == 1
    assert client.get("/").context["figures"]["open_roles"] == 1

    role.is_open = False
    role.save()

    assert facet_counts(browse(client), "roles")["employees"] == 0
    assert client.get("/").context["figures"]["open_roles"] == 0


def test_counts_are_kept_apart_per_visitor(client):
    ProjectFactory(title="Entwurf", status="draft", published_at=None).leads.add(
        lead := EmployeeFactory()
    )
    assert "draft" not in facet_counts(browse(client), "status")
    client.force_login(lead)
    assert facet_counts(browse(client), "status")["draft"] == 1
    client.logout()
    assert "draft" not in facet_counts(browse(client), "status")


def test_invalidate_draws_a_new_version():
    before = counts_cache.current_version()
    counts_cache.invalidate()
    assert counts_cache.current_version() != before


# --- The rendered lists (browse results and facets, the newest on the home page) ---


def test_a_second_visit_renders_the_list_from_the_cache_without_a_query(
    client, django_assert_num_queries
):
    ProjectFactory(title="Einmal gezählt", status="open")
    first = browse(client, {"status": "open"}).content.decode()
    with django_assert_num_queries(0):
        second = browse(client, {"status": "open"}).content.decode()
    assert "Einmal gezählt" in second
    assert _list_part(second) == _list_part(first)


def test_a_changed_title_is_listed_at_once(client):
    project = ProjectFactory(title="Alter Titel", status="open")
    assert "Alter Titel" in browse(client).content.decode()
    assert "Alter Titel" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    project.title = "Neuer Titel"
    project.save()

    assert "Neuer Titel" in browse(client).content.decode()
    assert "Neuer Titel" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_taken_seat_is_shown_at_once(client):
    from participation.services import claim_role

    role = RoleFactory(project=ProjectFactory(status="open"), seats=2, auto_accept=True)
    employee = EmployeeFactory()  # before the first visit: a new department draws a version
    assert "2 seats" in browse(client).content.decode()

    claim_role(employee, role, confirmed=True)  # the seat is taken by update(): no signal

    assert "1 seat" in browse(client).content.decode()


def test_each_page_sort_and_language_is_kept_apart(client):
    ProjectFactory.create_batch(21, status="open")
    first_page = browse(client).content.decode()
    second_page = browse(client, {"page": 2}).content.decode()
    assert _list_part(first_page) != _list_part(second_page)
    german = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Projekte gefunden" in german and "projects found" in first_page


def test_what_employees_see_of_internal_projects_never_reaches_the_public(client):
    ProjectFactory(
        title="Internes Vorhaben",
        summary="Geheime Zusammenfassung",
        is_internal=True,
        internal_reason="Sicherheitsrelevant",
        status="open",
    )
    client.force_login(EmployeeFactory())
    assert "Geheime Zusammenfassung" in browse(client).content.decode()
    assert "Geheime Zusammenfassung" in client.get("/").content.decode()
    client.logout()
    assert "Geheime Zusammenfassung" not in browse(client).content.decode()
    assert "Geheime Zusammenfassung" not in client.get("/").content.decode()


def test_lists_filtered_by_the_persons_own_skills_are_never_kept(client):
    from tests.factories import SkillFactory

    skill = SkillFactory()
    role = RoleFactory(project=ProjectFactory(title="Passt", status="open"))
    role.skills.add(skill)
    employee = EmployeeFactory()
    client.force_login(employee)
    assert "Passt" not in _list_part(browse(client, {"matches": "on"}).content.decode())

    employee.skills.add(skill)  # no project changes: the list must still follow

    assert "Passt" in _list_part(browse(client, {"matches": "on"}).content.decode())


def test_the_version_is_read_once_per_request_and_follows_a_change_within_it(
    client, django_assert_num_queries
):
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    try:
        before = counts_cache.current_version()
        counts_cache.cache.set(counts_cache.VERSION_KEY, "from another process")
        assert counts_cache.current_version() == before  # read once per request
        counts_cache.invalidate()  # a change within the request is seen at once
        assert counts_cache.current_version() not in (before, "from another process")
    finally:
        request_finished.send(sender=None)
    counts_cache.cache.set(counts_cache.VERSION_KEY, "from another process")
    assert counts_cache.current_version() == "from another process"  # no request: no memo


def _list_part(html: str) -> str:
    """The results list of a browse page, without the per-request parts of the layout."""
    start = html.index('id="browse-results"')
    return html[start : html.index("</ol>", start) if "</ol>" in html[start:] else None]
