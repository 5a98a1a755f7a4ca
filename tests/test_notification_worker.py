"""Notification emails through the real broker, a real Celery worker and a real SMTP server.

The worker is a separate process reading the test database; the SMTP server
(aiosmtpd) runs in this process and can be started late to play an outage.
"""

import socket
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from kombu import pools

import accounts
from accounts import tasks
from accounts.models import EmailState, Notification
from config.celery import app
from tests.celery_worker import running_worker
from tests.factories import CitizenFactory
from tests.factories_participation import ProposalFactory, ReviewerFactory

DEAD_BROKER = "redis://127.0.0.1:1/0"
WAIT_SECONDS = 60

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker needs PostgreSQL"),
]


class Inbox:
    """aiosmtpd handler: keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def recipients(self) -> list[str]:
        return [address for message in self.inbox.messages for address in message.rcpt_tos]


@pytest.fixture
def smtp():
    server = SmtpServer(free_port())
    yield server
    server.stop()


@pytest.fixture
def worker(smtp):
    """A `celery worker` on this test run's queue, sending through ``smtp``."""
    database = settings.DATABASES["default"]
    environment = {
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "CELERY_QUEUE": app.conf.task_default_queue,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "5",
        "NOTIFICATION_RETRY_FIRST_PAUSE": "1",
    }
    with running_worker(app.conf.task_default_queue, **environment) as process:
        yield process


def wait_until(condition, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def point_broker_at(url: str) -> None:
    """Make this process publish to ``url`` from now on (the worker is not touched)."""
    app.conf.broker_url = url
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def restore_broker():
    original = app.conf.broker_url
    yield
    point_broker_at(original)


def notify_in_a_transaction(person, key="worker-event"):
    with transaction.atomic():
        accounts.notify(
            [person], "application_received", key, url="/", applicant="A", role="R", project="P"
        )
    return Notification.objects.get(recipient=person, event_key=key)


def sent(notification) -> bool:
    notification.refresh_from_db()
    return notification.email_state == EmailState.SENT


def test_an_event_is_delivered_exactly_once(smtp, worker):
    smtp.start()
    person = CitizenFactory()
    notification = notify_in_a_transaction(person)
    wait_until(lambda: sent(notification), "the email to be sent")
    # Everything that could send it again: the sweep, the task itself, here and in the worker.
    tasks.sweep_undelivered_notifications.apply()
    tasks.deliver_event.apply(args=[notification.event_key])
    tasks.deliver_event.apply_async(args=[notification.event_key], ignore_result=False).get(
        timeout=WAIT_SECONDS
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=notification.created_at - timedelta(hours=1)
    )
    tasks.sweep_undelivered_notifications.apply_async(ignore_result=False).get(timeout=WAIT_SECONDS)
    assert smtp.recipients == [person.email]


def test_a_task_run_twice_sends_once(smtp, worker):
    smtp.start()
    person = CitizenFactory()
    with transaction.atomic():
        # Written with the broker unused: both runs below are the only senders.
        Notification.objects.create(
            recipient=person, kind="application_received", event_key="twice", data={}
        )
    # The test reads the results; the portal itself never does (ignore_result).
    first = tasks.deliver_event.apply_async(args=["twice"], ignore_result=False)
    second = tasks.deliver_event.apply_async(args=["twice"], ignore_result=False)
    assert sorted([first.get(timeout=WAIT_SECONDS), second.get(timeout=WAIT_SECONDS)]) == [0, 1]
    assert smtp.recipients == [person.email]


def test_a_broker_outage_during_the_request_is_made_good_by_the_sweep(
    client, smtp, worker, restore_broker
):
    smtp.start()
    proposal = ProposalFactory()
    client.force_login(ReviewerFactory())
    point_broker_at(DEAD_BROKER)
    started = time.monotonic()
    response = client.post(
        reverse("proposal-review", kwargs={"pk": proposal.pk}), {"status": "in_review"}
    )
    assert response.status_code == 302  # the request succeeds without the broker
    assert time.monotonic() - started < 5
    notification = Notification.objects.get(recipient=proposal.proposer)
    assert notification.email_state == EmailState.PENDING
    point_broker_at(settings.CELERY_BROKER_URL)  # Redis is back
    # A minute later the beat's sweep runs (here sent by hand, through the worker).
    Notification.objects.filter(pk=notification.pk).update(
        created_at=notification.created_at - timedelta(minutes=1)
    )
    tasks.sweep_undelivered_notifications.apply_async(ignore_result=False).get(timeout=WAIT_SECONDS)
    assert sent(notification)
    tasks.sweep_undelivered_notifications.apply_async(ignore_result=False).get(timeout=WAIT_SECONDS)
    assert smtp.recipients == [proposal.proposer.email]


def test_an_smtp_failure_is_retried_after_its_pause_and_then_delivered(smtp, worker):
    person = CitizenFactory()  # the SMTP server is not started yet: connections are refused
    notification = notify_in_a_transaction(person)

    def attempted():
        notification.refresh_from_db()
        return notification.email_attempts >= 1

    wait_until(attempted, "a failed attempt")
    assert notification.email_state == EmailState.PENDING
    assert notification.email_error
    smtp.start()
    # Beat's sweep (sent here by hand) retries once the pause (a second here) is over.
    deadline = time.monotonic() + WAIT_SECONDS
    while not sent(notification) and time.monotonic() < deadline:
        tasks.sweep_undelivered_notifications.apply_async(ignore_result=False).get(
            timeout=WAIT_SECONDS
        )
        time.sleep(0.5)
    assert sent(notification)
    assert smtp.recipients == [person.email]
