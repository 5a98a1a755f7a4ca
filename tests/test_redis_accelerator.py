"""Redis is an accelerator, not a dependency: with it stopped, pages, claims and saves work.

The test runs a redis-server of its own on a free port as this process's cache,
fills the caches, stops it and asks again.
"""

import logging

import pytest
from django.conf import settings

from config import cache as tolerant_cache
from tests.factories import EmployeeFactory, ProjectFactory, RoleFactory
from tests.fault_parts import RedisServer

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no Redis cache"),
]

PAGES = [
    "/",
    "/projects/",
    "/projects/?q=Verkehr&status=open&roles=employees",
    "/projects/?sort=seats&page=1",
    "/proposals/",
    "/open-data/projects.json",
    "/sitemap.xml",
]


@pytest.fixture
def own_redis(settings, monkeypatch):
    server = RedisServer()
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": server.url},
    }
    # Long enough that the whole test falls into one pause: "logged once" is checkable.
    monkeypatch.setattr(tolerant_cache, "PAUSE", 600.0)
    yield server
    server.stop()


def answers(client, path) -> int:
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en").status_code


def test_with_redis_stopped_every_page_answers_and_claims_and_saves_succeed(
    client, own_redis, caplog
):
    project = ProjectFactory(title="Vor dem Ausfall", status="open")
    role = RoleFactory(project=project, seats=2, auto_accept=True, hours_per_week=4)
    employee = EmployeeFactory(weekly_hours=40)
    pages = [*PAGES, project.get_absolute_url()]
    assert [answers(client, path) for path in pages] == [200] * len(pages)  # caches filled

    own_redis.stop()
    caplog.set_level(logging.WARNING)

    assert [answers(client, path) for path in pages] == [200] * len(pages)
    project.title = "Nach dem Ausfall"
    project.save()  # a save invalidates the counts: it must not fail
    RoleFactory(project=project, title="Neue Rolle", seats=3, hours_per_week=2)
    client.force_login(employee)
    assert answers(client, "/projects/") == 200  # an employee, uncached
    response = client.post(f"/projects/{project.slug}/roles/{role.pk}/join/", {})
    assert response.status_code == 302  # the auto-accepted claim took its seat
    role.refresh_from_db()
    assert role.filled_seats == 1

    html = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # This process follows its own changes: the new title, 1 + 3 seats open.
    assert "Nach dem Ausfall" in html and "4 seats" in html
    warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warnings) == 1  # logged once, not once per call


def test_the_cache_keeps_one_client_and_answers_again_once_redis_is_back(own_redis, monkeypatch):
    """One ``redis.Redis`` serves every call (Django builds one per call); it reconnects."""
    from django.core.cache import cache

    monkeypatch.setattr(tolerant_cache, "PAUSE", 0.0)
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("kept-across-calls", "before")
    assert cache.get("kept-across-calls") == "before"

    own_redis.stop()
    assert cache.get("kept-across-calls") is None  # a miss while Redis is away
    own_redis.start()  # the same port, empty: it keeps nothing on disk

    cache.set("kept-across-calls", "after")
    assert cache.get("kept-across-calls") == "after"
    assert cache._cache.get_client() is client
