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
