"""Writing notifications and emailing them: modes, idempotency, failures, digests, languages."""

from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import override_settings
from django.utils import timezone, translation

import accounts
from accounts import delivery, notifications, tasks
from accounts.models import EmailMode, EmailState, Notification, NotificationPreference
from tests.factories import CitizenFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

KIND = Notification.Kind.APPLICATION_RECEIVED
DATA = {"applicant": "Ada", "role": "Testerin", "project": "Bürgeramt online"}


def tell(people, key="event-1", kind=KIND, **data):
    return accounts.notify(people, kind, key, url="/projects/buergeramt/", **(data or DATA))


def test_notify_writes_rows_in_the_callers_transaction_and_sends_after_commit(
    django_capture_on_commit_callbacks,
):
    reader = CitizenFactory()
    with mock.patch.object(tasks.deliver_event, "apply_async") as enqueue:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            tell([reader])
        assert Notification.objects.get(recipient=reader).email_state == EmailState.PENDING
        enqueue.assert_not_called()  # nothing leaves before the commit
        for callback in callbacks:
            callback()
    enqueue.assert_called_once_with(args=["event-1"], retry=False)


def test_repeating_an_event_writes_one_row_per_recipient_and_one_email():
    reader = CitizenFactory()
    tell([reader, reader])
    tell([reader])
    assert Notification.objects.filter(recipient=reader).count() == 1
    tasks.deliver_event.apply(args=["event-1"])
    tasks.deliver_event.apply(args=["event-1"])
    assert len(mail.outbox) == 1


def test_the_preference_decides_the_email_state():
    immediate, digest, off = CitizenFactory(), CitizenFactory(), CitizenFactory()
    notifications.set_email_mode(digest, KIND, EmailMode.DIGEST)
    notifications.set_email_mode(off, KIND, EmailMode.OFF)
    tell([immediate, digest, off])
    states = dict(Notification.objects.values_list("recipient_id", "email_state"))
    assert states == {
        immediate.pk: EmailState.PENDING,
        digest.pk: EmailState.DIGEST,
        off.pk: EmailState.SKIPPED,
    }


def test_role_matches_wait_for_the_digest_by_default():
    employee = EmployeeFactory()
    accounts.notify([employee], Notification.Kind.ROLE_MATCH, "match-1", role="R", project="P")
    assert Notification.objects.get().email_state == EmailState.DIGEST


def test_inactive_recipients_get_nothing():
    gone = CitizenFactory(is_active=False)
    assert tell([gone, None]) == 0
    assert not Notification.objects.exists()


def test_a_broker_outage_does_not_fail_the_caller(django_capture_on_commit_callbacks):
    reader = CitizenFactory()
    refused = ConnectionRefusedError("broker down")
    with (
        mock.patch.object(tasks.deliver_event, "apply_async", side_effect=refused),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tell([reader])
    notification = Notification.objects.get(recipient=reader)
    assert notification.email_state == EmailState.PENDING  # the sweep sends it later
    tasks.sweep_undelivered_notifications.apply()  # too fresh: left to the task
    assert len(mail.outbox) == 0
    Notification.objects.update(created_at=notification.created_at.replace(year=2025))
    tasks.sweep_undelivered_notifications.apply()
    assert len(mail.outbox) == 1


def test_running_the_delivery_twice_sends_once():
    reader = CitizenFactory()
    tell([reader])
    assert tasks.deliver_event.apply(args=["event-1"]).get() == 1
    assert tasks.deliver_event.apply(args=["event-1"]).get() == 0
    assert len(mail.outbox) == 1
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.SENT
    assert notification.emailed_at is not None


def test_an_smtp_failure_keeps_the_row_due_and_counts_the_attempt():
    reader = CitizenFactory()
    tell([reader])
    failing = mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=SMTPServerDisconnected("gone")
    )
    with failing, pytest.raises(delivery.DeliveryFailed):
        delivery.deliver(delivery.due_ids(event_key="event-1"))
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.PENDING
    assert notification.email_attempts == 1
    assert "gone" in notification.email_error
    assert delivery.due_ids(event_key="event-1") == []  # it waits for its pause first
    Notification.objects.update(email_next_attempt_at=timezone.now())  # the pause is over
    assert delivery.deliver(delivery.due_ids(event_key="event-1")) == 1
    assert len(mail.outbox) == 1


def test_the_tasks_ack_late_and_keep_no_result():
    """Redelivered when a worker dies; publishing them never waits on a result backend."""
    for task in (
        tasks.deliver_event,
        tasks.sweep_undelivered_notifications,
        tasks.send_notification_digests,
    ):
        assert task.acks_late is True
        assert task.ignore_result is True


def test_switching_a_kind_off_stops_an_email_still_due():
    reader = CitizenFactory()
    tell([reader])
    notifications.set_email_mode(reader, KIND, EmailMode.OFF)
    assert delivery.deliver(delivery.due_ids()) == 0
    assert mail.outbox == []
    assert Notification.objects.get().email_state == EmailState.SKIPPED


# --- The email itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "greeting", "subject"),
    [("de", "Guten Tag Ada", "Bewerbung eingegangen"), ("en", "Hello Ada", "Application received")],
)
def test_the_email_is_in_the_recipients_language_as_text_and_html(language, greeting, subject):
    reader = CitizenFactory(display_name="Ada", preferred_language=language)
    tell([reader])
    with translation.override("en" if language == "de" else "de"):  # the sender's language
        delivery.deliver(delivery.due_ids())
    (message,) = mail.outbox
    assert subject in message.subject
    assert greeting in message.body
    assert "Bürgeramt online" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert greeting in html
    assert f'lang="{language}"' in html


@override_settings(SITE_URL="https://marktplatz.berlin.de")
def test_the_email_links_to_the_item_the_preferences_and_a_one_click_opt_out():
    reader = CitizenFactory()
    tell([reader])
    delivery.deliver(delivery.due_ids())
    (message,) = mail.outbox
    assert "https://marktplatz.berlin.de/projects/buergeramt/" in message.body
    assert "https://marktplatz.berlin.de/me/notifications/settings/" in message.body
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://marktplatz.berlin.de/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header.rstrip("/>").rsplit("/", 1)[1]
    assert delivery.read_unsubscribe_token(token) == (reader.pk, KIND)


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps({"user": 1, "kind": KIND}, salt="another purpose"),
        signing.dumps({"user": "1", "kind": KIND}, salt=delivery.UNSUBSCRIBE_SALT),
        signing.dumps({"user": 1, "kind": "no_such_kind"}, salt=delivery.UNSUBSCRIBE_SALT),
        signing.dumps([1, KIND], salt=delivery.UNSUBSCRIBE_SALT),
    ],
    # Fixed names: signed tokens carry the time they were made, and every xdist worker
    # must collect the same test ids.
    ids=["nonsense", "other-salt", "user-as-text", "unknown-kind", "list-not-mapping"],
)
def test_forged_unsubscribe_tokens_are_refused(token):
    with pytest.raises(signing.BadSignature):
        delivery.read_unsubscribe_token(token)


# --- The daily digest -----------------------------------------------------------------


def collect(person, key, kind=Notification.Kind.ROLE_MATCH):
    accounts.notify([person], kind, key, url="/projects/x/", role=f"Rolle {key}", project="X")


def test_the_digest_sends_one_email_per_person_with_their_items_only():
    ada, bob = EmployeeFactory(display_name="Ada"), EmployeeFactory(display_name="Bob")
    for key in ("a1", "a2", "a3"):
        collect(ada, key)
    collect(bob, "b1")
    assert tasks.send_notification_digests.apply().get() == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {ada.email, bob.email}
    assert all(f"Rolle {key}" in by_recipient[ada.email].body for key in ("a1", "a2", "a3"))
    assert "Rolle b1" not in by_recipient[ada.email].body
    assert "Rolle b1" in by_recipient[bob.email].body
    assert "3" in by_recipient[ada.email].subject


def test_the_digest_respects_each_preference():
    digest_reader, immediate_reader, off_reader = (EmployeeFactory() for _ in range(3))
    notifications.set_email_mode(immediate_reader, Notification.Kind.ROLE_MATCH, "immediately")
    notifications.set_email_mode(off_reader, Notification.Kind.ROLE_MATCH, "off")
    for person in (digest_reader, immediate_reader, off_reader):
        collect(person, f"match-{person.pk}")
    delivery.deliver(delivery.due_ids())
    assert [message.to for message in mail.outbox] == [[immediate_reader.email]]
    mail.outbox.clear()
    delivery.send_digests()
    assert [message.to for message in mail.outbox] == [[digest_reader.email]]


def test_a_kind_switched_off_after_collecting_is_left_out_of_the_digest():
    reader = EmployeeFactory()
    collect(reader, "kept", kind=Notification.Kind.PROJECT_UPDATE)
    NotificationPreference.objects.create(user=reader, kind="project_update", email="off")
    Notification.objects.update(email_state=EmailState.DIGEST)
    collect(reader, "match")
    delivery.send_digests()
    (message,) = mail.outbox
    assert "Rolle match" in message.body
    assert Notification.objects.get(event_key="kept").email_state == EmailState.SKIPPED


def test_a_digest_is_sent_once_however_often_the_task_runs():
    reader = EmployeeFactory()
    collect(reader, "once")
    delivery.send_digests()
    delivery.send_digests()
    assert len(mail.outbox) == 1
    assert Notification.objects.get().email_state == EmailState.SENT


def test_a_failed_digest_stays_collected_and_the_others_go_out():
    ada, bob = EmployeeFactory(), EmployeeFactory()
    collect(ada, "a")
    collect(bob, "b")
    real_send = delivery.EmailMultiAlternatives.send

    def fail_for_ada(message, *args, **kwargs):
        if message.to == [ada.email]:
            raise SMTPServerDisconnected("down for Ada")
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(delivery.EmailMultiAlternatives, "send", fail_for_ada),
        pytest.raises(delivery.DeliveryFailed),
    ):
        delivery.send_digests()
    assert [message.to for message in mail.outbox] == [[bob.email]]
    assert Notification.objects.get(recipient=ada).email_state == EmailState.DIGEST
    delivery.send_digests()
    assert [message.to for message in mail.outbox] == [[bob.email], [ada.email]]


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_digest_renders_in_both_languages(language):
    reader = EmployeeFactory(preferred_language=language)
    collect(reader, "one")
    delivery.send_digests()
    (message,) = mail.outbox
    expected = "Ihre tägliche Zusammenfassung" if language == "de" else "Your daily summary"
    assert expected in message.subject
    assert f'lang="{language}"' in message.alternatives[0][0]
