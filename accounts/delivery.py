"""Emailing notifications: one at a time when due, or bundled in the daily digest.

Every send follows the same pattern, which keeps an email from going out twice:
lock the row (``select_for_update(skip_locked=True)``, so a task and the sweep
never hold it together), check it is still due, send, mark it ``sent`` and
commit. If the SMTP server fails, the transaction rolls back, the row stays
due, and the attempt is counted in a transaction of its own; when it is tried
again, or given up, is ``accounts.delivery_retries``' business.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts import delivery_retries
from accounts.models import EmailMode, EmailState, Notification, User
from accounts.notification_messages import message_of, people_in
from accounts.notification_preferences import email_mode, email_modes

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "accounts.notifications.unsubscribe"


class DeliveryFailed(Exception):
    """Some due emails could not be sent; the sweep tries them again after their pause."""


# --- Links -------------------------------------------------------------------


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"user": user_id, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The person and kind behind a token; ``signing.BadSignature`` for anything forged."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(payload, dict):
        raise signing.BadSignature("unexpected payload")
    user_id, kind = payload.get("user"), payload.get("kind")
    if not isinstance(user_id, int) or kind not in Notification.Kind.values:
        raise signing.BadSignature("unexpected payload")
    return user_id, kind


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute(reverse("notification-unsubscribe", args=[unsubscribe_token(user_id, kind)]))


# --- Building the emails -----------------------------------------------------


def _item(notification: Notification, people=None) -> dict:
    return {
        "message": message_of(notification, people),
        "url": absolute(notification.url) if notification.url else "",
        "kind": notification.get_kind_display(),
        "created_at": notification.created_at,
    }


def _email(recipient: User, template: str, context_of, unsubscribe: str) -> EmailMultiAlternatives:
    """Render ``template`` (subject, text, HTML) in the recipient's language.

    ``context_of`` is called inside the language switch, so every label and
    message in the context is translated for the recipient, not the sender.
    """
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = {
            **context_of(),
            "recipient": recipient,
            "site_url": settings.SITE_URL,
            "preferences_url": absolute(reverse("notification-preferences")),
            "unsubscribe_url": unsubscribe,
        }
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
        text = render_to_string(f"accounts/email/{template}_message.txt", context)
        html = render_to_string(f"accounts/email/{template}_message.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=text,
        to=[recipient.email],
        headers={
            # RFC 8058 one-click: mail programs POST to the link without a login.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    return _email(
        recipient,
        "notification",
        lambda: {"item": _item(notification), "kind_label": notification.get_kind_display()},
        unsubscribe_url(recipient.pk, notification.kind),
    )


def digest_email(recipient: User, notifications: list[Notification]) -> EmailMultiAlternatives:
    # The one-click link of a digest switches off the kind most of it is about.
    kinds = [notification.kind for notification in notifications]
    commonest = max(set(kinds), key=kinds.count)
    people = people_in(notifications)
    return _email(
        recipient,
        "digest",
        lambda: {
            "items": [_item(notification, people) for notification in notifications],
            "count": len(kinds),
        },
        unsubscribe_url(recipient.pk, commonest),
    )


# --- Sending -----------------------------------------------------------------


def _mark_sent(ids: list[int]) -> None:
    Notification.objects.filter(pk__in=ids).update(
        email_state=EmailState.SENT,
        emailed_at=timezone.now(),
        email_error="",
        email_next_attempt_at=None,
    )


def send_one(notification_id: int) -> bool:
    """Email one due notification; True if it was sent now (False if not due any more)."""
    try:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=notification_id, email_state=EmailState.PENDING)
                .first()
            )
            if notification is None:
                return False
            if email_mode(notification.recipient_id, notification.kind) == EmailMode.OFF:
                notification.email_state = EmailState.SKIPPED
                notification.save(update_fields=["email_state"])
                return False
            notification_email(notification).send()
            _mark_sent([notification.pk])
            return True
    except DatabaseError:
        raise  # the database is away: nothing can be counted, and the row is still due
    except Exception as error:
        delivery_retries.record_failure([notification_id], error)
        raise


def _drop_if_broken() -> None:
    """After a database error: close a dead connection so the next query opens a new one."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def deliver(notification_ids) -> int:
    """Send each due notification; raise ``DeliveryFailed`` at the end if any failed.

    A batch stops early when the SMTP server cannot be reached (the rest would
    only wait for the same timeout) or the database went away (its connection is
    dropped so that the worker's next task reconnects); what was not tried stays
    due for the next sweep.
    """
    sent = 0
    failures: list[Exception] = []
    for notification_id in notification_ids:
        try:
            sent += send_one(notification_id)
        except DatabaseError as error:
            _drop_if_broken()
            failures.append(error)
            break
        except Exception as error:  # the SMTP library raises several kinds
            failures.append(error)
            if delivery_retries.is_connection_failure(error):
                break
    if failures:
        raise DeliveryFailed(f"{len(failures)} email(s) not sent: {failures[0]!r}")
    return sent


def due_ids(event_key: str | None = None, older_than: timedelta | None = None) -> list[int]:
    """Rows to be emailed now: pending, and past the pause after their last failure."""
    now = timezone.now()
    rows = Notification.objects.filter(email_state=EmailState.PENDING).filter(
        delivery_retries.due_for_retry(now)
    )
    if event_key is not None:
        rows = rows.filter(event_key=event_key)
    if older_than is not None:
        # A row that failed before is due when its pause ends, however fresh it is.
        rows = rows.filter(Q(created_at__lte=now - older_than) | Q(email_attempts__gt=0))
    return list(rows.order_by("created_at", "id").values_list("pk", flat=True)[:500])


# --- The daily digest ----------------------------------------------------------


def digest_recipients(retrying: bool = False) -> list[int]:
    """Everyone with something collected; ``retrying``: only those whose digest failed and is due."""
    rows = Notification.objects.filter(email_state=EmailState.DIGEST)
    if retrying:
        rows = rows.filter(email_attempts__gt=0, email_next_attempt_at__lte=timezone.now())
    return list(rows.values_list("recipient_id", flat=True).distinct().order_by("recipient_id"))


def send_digest(recipient_id: int) -> int:
    """Bundle everything the person collected for the digest into one email.

    Kinds the person has switched off since are skipped; the rest goes out
    whatever the current choice, because it was promised to the digest.
    Returns how many notifications the email held (0: nothing sent).
    """
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(recipient_id=recipient_id, email_state=EmailState.DIGEST)
            .order_by("created_at", "id")
        )
        if not waiting:
            return 0
        recipient = waiting[0].recipient
        modes = email_modes(recipient)
        switched_off = [row.pk for row in waiting if modes[row.kind] == EmailMode.OFF]
        included = [row for row in waiting if row.pk not in switched_off]
        Notification.objects.filter(pk__in=switched_off).update(email_state=EmailState.SKIPPED)
        if not included:
            return 0
        try:
            digest_email(recipient, included).send()
        except Exception as error:  # the SMTP library raises several kinds
            transaction.set_rollback(True)
            failure = error
        else:
            _mark_sent([row.pk for row in included])
            return len(included)
    delivery_retries.record_failure([row.pk for row in included], failure)
    raise DeliveryFailed(f"digest for {recipient_id} not sent: {failure!r}")


def send_digests(retrying: bool = False) -> int:
    """One digest per person; a failure for one person does not stop the others.

    Returns how many digests went out; raises ``DeliveryFailed`` at the end if
    any could not be sent (the sweep retries those with ``retrying``).
    """
    sent, failed = 0, 0
    for recipient_id in digest_recipients(retrying):
        try:
            sent += bool(send_digest(recipient_id))
        except DeliveryFailed:
            failed += 1
        except DatabaseError:
            _drop_if_broken()
            raise
    if failed:
        raise DeliveryFailed(f"{failed} digest(s) not sent, {sent} sent")
    return sent
