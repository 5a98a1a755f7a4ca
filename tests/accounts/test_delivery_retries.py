"""Failed notification emails: retried by age with growing pauses, given up at once on a 5xx,
seen and retried by administrators, counted on /healthz."""

from datetime import timedelta
from smtplib import SMTPDataError, SMTPRecipientsRefused
from unittest import mock

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.utils import timezone

import accounts
from accounts import delivery, delivery_retries, tasks
from accounts.models import EmailState, Notification
from tests.factories import AdminFactory, CitizenFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

KIND = Notification.Kind.APPLICATION_RECEIVED


@pytest.fixture(autouse=True)
def short_pauses(settings):
    settings.NOTIFICATION_RETRY_FIRST_PAUSE = 60
    settings.NOTIFICATION_RETRY_MAX_PAUSE = 600
    settings.NOTIFICATION_RETRY_MAX_AGE = 3 * 24 * 3600


def tell(people, key="event-1", kind=KIND):
    accounts.notify(people, kind, key, url="/", applicant="A", role="R", project="P")


def refused(code: int, *people):
    """What smtplib raises when the server answers ``code`` to every recipient."""
    return SMTPRecipientsRefused({person.email: (code, b"answer") for person in people})


def failing_with(error):
    return mock.patch("django.core.mail.EmailMessage.send", side_effect=error)


def end_the_pause():
    Notification.objects.update(email_next_attempt_at=timezone.now())


def attempt(ids=None):
    try:
        return delivery.deliver(ids if ids is not None else delivery.due_ids())
    except delivery.DeliveryFailed:
        return None


def test_a_temporary_failure_waits_a_pause_that_doubles_up_to_the_longest():
    reader = CitizenFactory()
    tell([reader])
    pauses = []
    with failing_with(refused(451, reader)):
        for _ in range(6):
            before = timezone.now()
            attempt()
            row = Notification.objects.get()
            pauses.append(round((row.email_next_attempt_at - before).total_seconds() / 60))
            assert row.email_state == EmailState.PENDING
            assert delivery.due_ids() == []  # not before its pause is over
            end_the_pause()
    assert pauses == [1, 2, 4, 8, 10, 10]
    assert Notification.objects.get().email_attempts == 6
    assert attempt() == 1  # the server takes it again
    assert len(mail.outbox) == 1


def test_temporary_failures_are_retried_until_the_configured_age_then_given_up(settings):
    reader = CitizenFactory()
    tell([reader])
    row = Notification.objects.get()
    with failing_with(ConnectionRefusedError("SMTP server down")):
        Notification.objects.update(created_at=row.created_at - timedelta(days=2, hours=23))
        attempt()
        assert Notification.objects.get().email_state == EmailState.PENDING
        end_the_pause()
        Notification.objects.update(created_at=row.created_at - timedelta(days=3))
        attempt()
    row.refresh_from_db()
    assert row.email_state == EmailState.FAILED
    assert "SMTP server down" in row.email_error
    assert delivery.due_ids() == []


def test_a_refusal_of_the_recipient_fails_at_once_and_the_others_go_out():
    gone, reader = CitizenFactory(email="gone@example.org"), CitizenFactory()
    tell([gone, reader])
    real_send = delivery.EmailMultiAlternatives.send

    def refuse_gone(message, *args, **kwargs):
        if message.to == [gone.email]:
            raise refused(550, gone)
        return real_send(message, *args, **kwargs)

    with mock.patch.object(delivery.EmailMultiAlternatives, "send", refuse_gone):
        attempt()
    states = dict(Notification.objects.values_list("recipient__email", "email_state"))
    assert states == {gone.email: EmailState.FAILED, reader.email: EmailState.SENT}
    assert [message.to for message in mail.outbox] == [[reader.email]]


def test_a_rejected_message_is_permanent_a_deferred_one_is_not():
    assert delivery_retries.is_permanent(SMTPDataError(554, b"rejected"))
    assert not delivery_retries.is_permanent(SMTPDataError(451, b"later"))
    assert not delivery_retries.is_permanent(TimeoutError("timed out"))


def test_an_unreachable_server_stops_the_batch_and_leaves_the_rest_due():
    people = CitizenFactory.create_batch(3)
    for number, person in enumerate(people):
        tell([person], key=f"event-{number}")
    with failing_with(ConnectionRefusedError("down")) as send:
        attempt()
    assert send.call_count == 1  # not once per row: each would wait for the same timeout
    attempts = sorted(Notification.objects.values_list("email_attempts", flat=True))
    assert attempts == [0, 0, 1]
    assert len(delivery.due_ids()) == 2


def test_the_sweep_retries_a_failed_digest_after_its_pause():
    reader = EmployeeFactory()
    accounts.notify([reader], Notification.Kind.ROLE_MATCH, "match", role="R", project="P")
    with failing_with(refused(421, reader)):
        assert tasks.send_notification_digests.apply().get() == 0
    row = Notification.objects.get()
    assert (row.email_state, row.email_attempts) == (EmailState.DIGEST, 1)
    assert tasks.sweep_undelivered_notifications.apply().get() == 0  # still in its pause
    end_the_pause()
    assert tasks.sweep_undelivered_notifications.apply().get() == 1
    assert [message.to for message in mail.outbox] == [[reader.email]]


# --- What operators see and do --------------------------------------------------------


@pytest.fixture
def admin_client(client):
    administrator = AdminFactory()
    TOTP.activate(administrator, generate_totp_secret())
    client.force_login(administrator)
    return client


@pytest.fixture
def failed_and_overdue():
    gone, late, fine = CitizenFactory(), CitizenFactory(), CitizenFactory()
    tell([gone], key="gone")
    tell([late], key="late")
    tell([fine], key="fine")
    Notification.objects.filter(event_key="gone").update(
        email_state=EmailState.FAILED, email_attempts=80, email_error="451 later"
    )
    Notification.objects.filter(event_key="late").update(
        created_at=timezone.now() - timedelta(hours=1), email_attempts=5
    )
    Notification.objects.filter(event_key="fine").update(email_state=EmailState.SENT)
    return gone, late


def test_healthz_counts_failed_and_overdue_emails(client, failed_and_overdue):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["email"] == {"failed": 1, "overdue": 1}


@pytest.mark.parametrize(("problem", "key"), [("failed", "gone"), ("overdue", "late")])
def test_the_admin_lists_emails_by_problem(admin_client, failed_and_overdue, problem, key):
    gone, late = failed_and_overdue
    person = {"gone": gone, "late": late}[key]
    other = late if person is gone else gone
    response = admin_client.get(f"/admin/accounts/notification/?email_problem={problem}")
    page = response.content.decode()
    assert response.status_code == 200
    assert person.email in page
    assert other.email not in page


def test_an_administrator_retries_a_failed_email_and_the_inbox_keeps_it(
    admin_client, client, failed_and_overdue
):
    gone, _late = failed_and_overdue
    row = Notification.objects.get(recipient=gone)
    response = admin_client.post(
        "/admin/accounts/notification/",
        {"action": "retry_email", "_selected_action": [row.pk]},
        follow=True,
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.email_state == EmailState.PENDING
    assert row.email_retry_since is not None  # the age starts again
    tasks.sweep_undelivered_notifications.apply()
    row.refresh_from_db()
    assert row.email_state == EmailState.SENT
    assert gone.email in [message.to[0] for message in mail.outbox]
    client.force_login(gone)
    inbox = client.get("/me/notifications/")
    assert inbox.status_code == 200
    assert Notification.objects.filter(recipient=gone).count() == 1


def test_only_administrators_see_the_email_list(client, failed_and_overdue):
    client.force_login(EmployeeFactory())
    response = client.get("/admin/accounts/notification/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
