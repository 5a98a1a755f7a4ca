"""The read API: public data under the open-data rules, keyset pages, ETags, problems."""

import json

import pytest
from django.conf import settings
from django.core.cache import cache

from marketplace.models import ProjectUpdate
from marketplace.open_data import DATASETS
from participation.models import Membership
from tests.factories import (
    DepartmentFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
    SkillFactory,
    TopicFactory,
)
from tests.factories_participation import ProposalFactory
from tests.workload.workload_factories import PersonFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def _get(client, path, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code != 500
    return response


def _json(response) -> dict:
    assert response["Content-Type"].split(";")[0] == "application/json"
    return json.loads(response.content)


def test_projects_are_the_open_data_rows_without_drafts(client):
    public = ProjectFactory(title="Öffentlich")
    ProjectFactory(status="draft", published_at=None, title="Entwurf")
    internal = ProjectFactory(is_internal=True, internal_reason="Geheim.", summary="Geheim")
    body = _json(_get(client, "/api/v1/projects/"))
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {public.pk, internal.pk}
    assert set(rows[public.pk]) == set(DATASETS["projects"].field_names)
    assert rows[public.pk]["title"] == "Öffentlich"
    assert rows[internal.pk]["summary"] is None and rows[internal.pk]["phase"] is None
    assert body["licence"]["name"] == "CC BY 4.0"
    assert "Geheim" not in json.dumps(body)


def test_keyset_pages_follow_each_other_without_gaps(client):
    projects = [ProjectFactory() for _ in range(5)]
    seen, path = [], "/api/v1/projects/?limit=2"
    while path:
        body = _json(_get(client, path))
        seen += [row["id"] for row in body["results"]]
        path = body["next"] and body["next"].removeprefix(settings.SITE_URL)
    assert seen == sorted(project.pk for project in projects)


def test_the_browse_filters_apply_as_for_the_public(client):
    topic, skill = TopicFactory(), SkillFactory()
    tagged = ProjectFactory(phase="test")
    tagged.topics.set([topic])
    RoleFactory(project=tagged).skills.set([skill])
    hidden = ProjectFactory(is_internal=True, internal_reason="Intern.", phase="test")
    hidden.topics.set([topic])
    ProjectFactory(status="completed")
    for query in [f"topic={topic.pk}", f"skill={skill.pk}", "phase=test", "roles=employees"]:
        body = _json(_get(client, f"/api/v1/projects/?{query}"))
        assert [row["id"] for row in body["results"]] == [tagged.pk], query
    body = _json(_get(client, "/api/v1/projects/?status=completed&status=open"))
    assert len(body["results"]) == 3


def test_a_department_filter_takes_its_sub_departments(client):
    parent = DepartmentFactory()
    inside = ProjectFactory(department=DepartmentFactory(parent=parent))
    ProjectFactory()
    body = _json(_get(client, f"/api/v1/projects/?department={parent.pk}"))
    assert [row["id"] for row in body["results"]] == [inside.pk]


@pytest.mark.parametrize(
    "query",
    [
        "after=١٢",
        "after=+3",
        "after=1_000",
        "limit=0",
        "limit=101",
        "limit=9999999999999999999999",
        "status=draft",
        "phase=dreaming",
        "hours_min=1000",
        "hours_max=0",
        "q=" + "x" * 201,
        "q=a%00b",
    ],
)
def test_a_bad_parameter_gets_a_problem_document(client, query):
    response = _get(client, f"/api/v1/projects/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = json.loads(response.content)
    assert problem["status"] == 400
    assert problem["title"] == "Bad Request"
    assert problem["detail"]
    assert problem["errors"][0]["parameter"] in query


@pytest.mark.parametrize("query", ["topic=999999", "skill=999999", "hours_min=20&hours_max=10"])
def test_a_well_formed_filter_that_matches_nothing_gives_an_empty_list(client, query):
    ProjectFactory()
    body = _json(_get(client, f"/api/v1/projects/?{query}"))
    assert body["results"] == []


def test_an_unchanged_answer_is_304_with_if_none_match(client):
    ProjectFactory()
    first = _get(client, "/api/v1/projects/")
    etag = first["ETag"]
    again = _get(client, "/api/v1/projects/", **{"If-None-Match": etag})
    assert again.status_code == 304
    ProjectFactory()
    changed = _get(client, "/api/v1/projects/", **{"If-None-Match": etag})
    assert changed.status_code == 200


def test_one_project_with_phase_roles_and_updates(client):
    project = ProjectFactory(phase="prototype")
    role = RoleFactory(project=project, title="Entwicklung")
    role.skills.set([SkillFactory(slug="python")])
    PublicRoleFactory(project=project, title="Testen")
    author = PersonFactory(display_name="Erika Muster", email="erika@example.org")
    ProjectUpdate.objects.create(project=project, title="Los", text="**Start**", author=author)
    Membership.objects.create(project=project, role=role, person=PersonFactory())
    body = _json(_get(client, f"/api/v1/projects/{project.slug}/"))
    assert body["phase"] == "prototype"
    roles = {item["title"]: item for item in body["roles"]}
    assert roles["Entwicklung"]["skills"] == ["python"]
    assert roles["Entwicklung"]["hours_per_week"] == 8
    assert roles["Testen"]["public_kind"] == "feedback"
    assert roles["Testen"]["hours_per_week"] is None
    (update,) = body["updates"]
    assert update["text"] == "Start"
    assert update["author"] == "Erika Muster"
    assert "erika@example.org" not in json.dumps(body)


def test_drafts_and_unknown_projects_are_404_problems(client):
    draft = ProjectFactory(status="draft", published_at=None)
    paths = [f"/api/v1/projects/{slug}/" for slug in [draft.slug, "gibt-es-nicht"]]
    for path in [*paths, "/api/v1/nothing/", "/api/v1/projects/a/b/"]:
        response = _get(client, path)
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM


def test_an_internal_project_shows_its_row_only(client):
    internal = ProjectFactory(is_internal=True, internal_reason="Intern.", phase="test")
    RoleFactory(project=internal, title="Geheime Rolle")
    body = _json(_get(client, f"/api/v1/projects/{internal.slug}/"))
    assert body["roles"] is None and body["updates"] is None and body["phase"] is None
    assert "Geheime Rolle" not in json.dumps(body)


def test_proposals_without_people_and_workload_figures(client):
    proposal = ProposalFactory()
    body = _json(_get(client, "/api/v1/proposals/"))
    (row,) = body["results"]
    assert row["id"] == proposal.pk
    assert set(row) == set(DATASETS["proposals"].field_names)
    assert proposal.proposer.email not in json.dumps(body)
    assert _json(_get(client, "/api/v1/workload/"))["results"] == []


def test_the_list_costs_the_same_queries_for_many_projects(client, django_assert_max_num_queries):
    for _ in range(30):
        project = ProjectFactory()
        project.topics.set([TopicFactory()])
    with django_assert_max_num_queries(4):
        body = _json(_get(client, "/api/v1/projects/?limit=100"))
    assert len(body["results"]) == 30


def test_it_is_read_only_and_open_to_other_sites(client):
    assert client.post("/api/v1/projects/").status_code == 405
    response = _get(client, "/api/v1/projects/")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/projects/", headers={"Origin": "https://example.net"})
    assert preflight.status_code == 204
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    head = client.head("/api/v1/projects/")
    assert head.status_code == 200 and head.content == b"" and head["ETag"]


def test_too_many_requests_from_one_address_get_429(client, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    statuses = [_get(client, "/api/v1/workload/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = _get(client, "/api/v1/workload/")
    assert refused["Content-Type"] == PROBLEM
    assert refused["Retry-After"] == "60"
    other = client.get("/api/v1/workload/", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_the_description_is_openapi_3_1_and_the_docs_are_the_portals_own(client):
    spec = _json(_get(client, "/api/v1/openapi.json"))
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/projects/", "/api/v1/projects/{slug}/"} <= set(spec["paths"])
    page = _get(client, "/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/api/v1/projects/{slug}/" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main and "//cdn" not in html  # no Swagger UI, no CDN


def test_the_index_names_the_collections(client):
    body = _json(_get(client, "/api/v1/"))
    assert body["projects"] == f"{settings.SITE_URL}/api/v1/projects/"


def test_a_kept_page_costs_no_query_and_changes_show_at_once(client, django_assert_num_queries):
    project = ProjectFactory()
    first = _json(_get(client, "/api/v1/projects/"))
    assert first["results"][0]["last_update"] is None
    with django_assert_num_queries(0):
        _get(client, "/api/v1/projects/")
    ProjectUpdate.objects.create(project=project, title="Neu", text="Neuigkeiten.")
    assert _json(_get(client, "/api/v1/projects/"))["results"][0]["last_update"] is not None
    Membership.objects.create(
        project=project, role=RoleFactory(project=project), person=PersonFactory()
    )
    assert _json(_get(client, "/api/v1/projects/"))["results"][0]["team_size"] == 2


def test_the_next_link_keeps_the_filters(client):
    for _ in range(3):
        ProjectFactory(phase="test")
    body = _json(_get(client, "/api/v1/projects/?phase=test&limit=2&unknown=1"))
    assert body["next"].startswith(f"{settings.SITE_URL}/api/v1/projects/?")
    assert "phase=test" in body["next"] and "limit=2" in body["next"]
    assert "unknown" not in body["next"]
