"""The report's parts are rendered from a snapshot, which never changes: kept once rendered."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.privacy import delete_account
from tests.factories import AdminFactory
from tests.workload.test_workload_views import DAY, World, client_for
from workload import report_cache, snapshots

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


def test_the_report_costs_the_same_queries_kept_and_afresh(django_assert_num_queries):
    World()
    client = client_for(AdminFactory())
    client.get("/")
    report_cache.invalidate()  # as after a new snapshot or a changed department
    # Afresh: the session, the user, the unread count, the snapshots, the departments,
    # the reader's row, the figures, the trends, the distribution, the people and
    # their count. Kept: the session, the user and the unread count only.
    with django_assert_num_queries(10):
        client.get("/workload/")
    with django_assert_num_queries(3):
        client.get("/workload/")


def test_a_new_snapshot_shows_at_once():
    World()
    client = client_for(AdminFactory())
    before, _queries = get(client)
    snapshots.take_snapshot(DAY + timedelta(days=31))
    after, _queries = get(client)
    assert after.count("<option") == before.count("<option") + 1


def test_a_new_head_sees_their_department_at_once():
    world = World()
    reader = world.other_people[0]
    assert "Other Person 3" not in get(client_for(reader))[0]
    world.other.head = reader
    world.other.save()
    assert "Other Person 3" in get(client_for(reader))[0]


def test_an_erased_person_leaves_the_kept_report_at_once():
    world = World()
    client = client_for(AdminFactory())
    assert "Other Person 5" in get(client)[0]
    delete_account(world.other_people[5])
    assert "Other Person 5" not in get(client)[0]


def test_each_reader_sees_only_their_own_week():
    world = World()
    first, second = world.unit_people[0], world.other_people[0]
    seen = {}
    for person in (first, second, first):
        html = get(client_for(person))[0]
        seen.setdefault(person.pk, set()).add(re.search(r"(\d+) of (\d+) hours", html).group(0))
    assert seen[first.pk] == {"30 of 40 hours"}
    assert seen[second.pk] == {"0 of 40 hours"}
