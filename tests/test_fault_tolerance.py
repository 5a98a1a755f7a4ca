"""Faults with real parts: Redis stopped and restarted, an SMTP server deferring and refusing,
a worker killed with SIGKILL, PostgreSQL dropping the worker's connection, two runs at once.

Each test has a redis-server of its own on a free port (broker and cache of this
process and of the workers it starts), an SMTP server (aiosmtpd) and real `celery
worker` processes reading the test database. Pauses and timeouts come from
settings the tests make short (``fault_parts.worker_environment``).
"""

import time
from contextlib import ExitStack, suppress
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction

import accounts
from accounts import tasks
from accounts.models import EmailState, Notification
from config.celery import app
from participation.models import Application
from tests.celery_worker import running_worker
from tests.factories import CitizenFactory, EmployeeFactory, ProjectFactory, RoleFactory
from tests.fault_parts import (
    RedisServer,
    SmtpServer,
    point_broker_at,
    settled,
    wait_until,
    worker_environment,
)
from workload import tasks as workload_tasks
from workload.models import WorkloadSnapshot

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: tasks run eagerly"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker needs PostgreSQL"),
]

QUEUE = app.conf.task_default_queue


@pytest.fixture
def redis_server(settings):
    """A redis-server of this test's own, used as broker and cache by this process."""
    server = RedisServer()
    server.start()
    original = app.conf.broker_url
    point_broker_at(app, server.url)
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"]}}
    settings.CACHES["default"]["LOCATION"] = server.url
    settings.REDIS_URL = server.url  # what /healthz pings
    yield server
    point_broker_at(app, original)
    server.stop()


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers(redis_server, smtp):
    """Start workers on this test's Redis and SMTP server: ``workers.start(**environment)``."""

    class Workers(ExitStack):
        def start(self, **extra):
            environment = worker_environment(smtp.port, QUEUE, REDIS_URL=redis_server.url, **extra)
            return self.enter_context(running_worker(QUEUE, **environment))

    with Workers() as started:
        yield started


def sweep():
    """What beat does every minute; a publish that fails while Redis is away is just missed."""
    with suppress(Exception):  # the broker is not back yet; beat would try again
        tasks.sweep_undelivered_notifications.apply_async(retry=False)


def notify(people, key):
    with transaction.atomic():
        accounts.notify(people, "application_received", key, url="/", applicant="A", role="R")


def states(key) -> dict[str, str]:
    return dict(
        Notification.objects.filter(event_key=key).values_list("recipient__email", "email_state")
    )


def all_sent(key) -> bool:
    return set(states(key).values()) == {EmailState.SENT}


# --- Redis away ---------------------------------------------------------------------


def claim(client, employee):
    lead = EmployeeFactory()
    role = RoleFactory(project=ProjectFactory(leads=[lead]), auto_accept=True)
    client.force_login(employee)
    started = time.perf_counter()
    response = client.post(f"/projects/{role.project.slug}/roles/{role.pk}/join/", {})
    return response, role, lead, time.perf_counter() - started


def test_with_redis_stopped_a_claim_and_healthz_answer_and_the_email_follows(
    client, redis_server, smtp, workers
):
    workers.start()
    employee = EmployeeFactory(weekly_hours=40)
    claim(client, employee)  # warms up connections and templates
    up, _role, _lead, seconds_up = claim(client, employee)
    assert up.status_code == 302
    redis_server.stop()

    down, role, lead, seconds_down = claim(client, employee)
    started = time.perf_counter()
    health = client.get("/healthz")
    seconds_health = time.perf_counter() - started
    # Timings for the record (reported in the issue note), not a pass condition.
    print(f"\nclaim with Redis up {seconds_up:.3f} s, down {seconds_down:.3f} s;")
    print(f"/healthz with Redis down {seconds_health:.3f} s")

    assert down.status_code == 302
    assert Application.objects.filter(role=role, applicant=employee).exists()
    assert (health.status_code, health.json()["checks"]["broker"]) == (200, "down")
    row = Notification.objects.get(recipient=lead)
    assert row.email_state == EmailState.PENDING  # the row is the truth, nothing queued

    redis_server.start()  # Redis is back; the worker reconnects, beat's sweep finds the row
    Notification.objects.filter(pk=row.pk).update(created_at=row.created_at - timedelta(minutes=1))
    wait_until(lambda: all_sent(row.event_key), "the email after Redis returned", every=sweep)
    assert smtp.inbox.recipients.count(lead.email) == 1


# --- SMTP deferring and refusing ----------------------------------------------------


def test_an_smtp_server_deferring_then_accepting_gets_every_email_once_and_a_refusal_fails(
    smtp, workers
):
    workers.start()
    people = CitizenFactory.create_batch(5)
    gone = CitizenFactory(email="gone@example.org")
    smtp.inbox.refused.add(gone.email)
    smtp.inbox.deferring = True  # 451 for everyone: a temporary outage

    notify([*people, gone], "outage")

    def tried_everyone():
        return Notification.objects.filter(event_key="outage", email_attempts__gt=0).count() == 6

    wait_until(tried_everyone, "a first, failed attempt for everyone")
    assert states("outage")[gone.email] == EmailState.FAILED  # 550: no retry
    assert {states("outage")[person.email] for person in people} == {EmailState.PENDING}
    wait_until(
        lambda: Notification.objects.filter(email_attempts__gte=3).count() == 5,
        "retries during the outage",
        every=sweep,
    )
    smtp.inbox.deferring = False  # the server takes mail again
    wait_until(
        lambda: set(states("outage").values()) == {EmailState.SENT, EmailState.FAILED},
        "the retries to deliver",
        every=sweep,
    )
    assert smtp.inbox.recipients == sorted(person.email for person in people)
    assert states("outage")[gone.email] == EmailState.FAILED


# --- Workers dying, PostgreSQL going away ------------------------------------------


def test_a_worker_killed_with_sigkill_has_its_task_delivered_by_the_next_worker(smtp, workers):
    # Two seconds of visibility: the unacknowledged task goes back to the queue soon.
    environment = {"CELERY_VISIBILITY_TIMEOUT": "2"}
    first = workers.start(**environment)
    smtp.inbox.stall_next = True
    person = CitizenFactory()
    notify([person], "killed")
    assert smtp.inbox.stalled.wait(timeout=60), "the worker never reached the SMTP server"
    first.kill()  # SIGKILL, in the middle of sending
    first.wait(timeout=10)
    smtp.inbox.release.set()  # the dead client's message is deferred, not kept
    workers.start(**environment)
    # No sweep here: the task itself comes back from Redis.
    wait_until(lambda: all_sent("killed"), "the redelivered task to send")
    assert smtp.inbox.recipients == [person.email]


def terminate_other_connections() -> int:
    """What a restart of PostgreSQL does to the worker: its connections are cut."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_postgresql_going_away_during_a_batch_loses_nothing(smtp, workers):
    workers.start()
    people = CitizenFactory.create_batch(6)
    smtp.inbox.stall_next = True  # the first email of the batch waits in DATA
    notify(people, "batch")
    assert smtp.inbox.stalled.wait(timeout=60), "the worker never reached the SMTP server"
    assert terminate_other_connections() >= 1
    smtp.inbox.release.set()
    wait_until(lambda: all_sent("batch"), "the batch after reconnecting", every=sweep)
    assert smtp.inbox.recipients == sorted(person.email for person in people)


# --- Two beats at once ---------------------------------------------------------------


def test_two_runs_of_the_digest_and_the_snapshot_at_once_send_once_and_take_one(
    redis_server, smtp, workers
):
    """Two beats send each scheduled task twice; two workers run both copies at once."""
    workers.start()
    workers.start()
    smtp.inbox.delay = 0.3  # each digest takes a while, so the two runs overlap
    people = EmployeeFactory.create_batch(4)
    for person in people:
        for number in range(2):
            accounts.notify(
                [person], "role_match", f"match-{person.pk}-{number}", role="R", project="P"
            )
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"digest"}
    for _ in range(2):
        tasks.send_notification_digests.apply_async()
        workload_tasks.take_monthly_workload_snapshot.apply_async(args=["2026-12-01"])
    wait_until(lambda: settled(redis_server.url, QUEUE), "both runs to finish")
    assert smtp.inbox.recipients == sorted(person.email for person in people)
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}
    scheduled = WorkloadSnapshot.objects.filter(reference_date=date(2026, 12, 1))
    assert scheduled.count() == 1
