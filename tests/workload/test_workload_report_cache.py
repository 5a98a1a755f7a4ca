"""The report's parts are rendered from a snapshot, which never changes: kept once rendered."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AdminFactory
from tests.workload.test_workload_views import World, client_for

pytestmark = pytest.mark.django_db


def get(client, url="/workload/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # Without the CSRF tokens: each response masks its own.
    html = re.sub(r'(value="|token": ")[A-Za-z0-9]{64}"', "", response.content.decode())
    return html, len(queries)


def test_a_second_reading_is_the_same_page_without_computing_its_parts():
    World()
    client = client_for(AdminFactory())
    client.get("/")  # sessions, content types: what a running server has warm
    first, first_queries = get(client)
    second, second_queries = get(client)
    assert second == first
    assert "Unit Person 0" in second and "Distribution in the organisation" in second
    # Not the figures, the trends, the people nor their count.
    assert second_queries <= first_queries - 4


def test_what_a_reader_may_see_is_kept_apart():
    world = World()
    admin_page, _queries = get(client_for(AdminFactory()))
    assert "Other Person 3" in admin_page
    head_page, _queries = get(client_for(world.head))
    assert "Unit Person 0" in head_page and "Other Person 3" not in head_page
    public_page, _queries = get(client_for())
    assert "Unit Person 0" not in public_page
    second_page, _queries = get(client_for(AdminFactory()), "/workload/?page=1")
    assert "Other Person 3" in second_page
