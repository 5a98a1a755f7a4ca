"""Notifications: written in the caller's transaction, shown in the inbox, emailed by Celery.

Services call ``accounts.notify(...)`` for every event that someone must hear
about. The rows are the source of truth: each records whether its email is due
now, waits for the daily digest, or is switched off. After the transaction
commits, a Celery task is asked to send what is due (``accounts.delivery``);
if the broker cannot be reached, the request still succeeds and the
minute-by-minute sweep sends it later.

The texts (``notification_messages``) and the email choices
(``notification_preferences``) live in modules of their own, which delivery
uses too: so this module imports the task, the task delivery, and no circle.
"""

import logging
from collections.abc import Iterable

from django.db import transaction

from accounts.models import EmailMode, EmailState, Notification, NotificationPreference
from accounts.notification_messages import message_of
from accounts.notification_preferences import (
    default_email_mode,
    email_mode,
    email_modes,
    kinds_for,
    save_email_modes,
    set_email_mode,
    unsubscribe_from,
)
from accounts.tasks import deliver_event

# What was split out stays reachable here, the module callers and tests know.
__all__ = [
    "email_mode",
    "email_modes",
    "kinds_for",
    "message_of",
    "notify",
    "request_delivery",
    "save_email_modes",
    "set_email_mode",
    "unread_count",
    "unsubscribe_from",
]

logger = logging.getLogger(__name__)

Kind = Notification.Kind

EMAIL_STATE_OF_MODE: dict[str, str] = {
    EmailMode.IMMEDIATELY: EmailState.PENDING,
    EmailMode.DIGEST: EmailState.DIGEST,
    EmailMode.OFF: EmailState.SKIPPED,
}


def notify(recipients: Iterable, kind: str, event_key: str, url: str = "", **data) -> int:
    """Write one notification per recipient for the event ``event_key``; repeats are ignored.

    ``data`` holds plain values (titles, codes) for the message text and
    people by reference (``applicant_id``, see ``notification_messages.PEOPLE``),
    never their names: an erased account must not live on in others' rows. The
    email is sent after the caller's transaction commits, never before: a
    rolled-back action tells nobody. Returns how many recipients were given
    (a repeat writes nothing new).
    """
    unique_recipients = {
        recipient.pk: recipient
        for recipient in recipients
        if recipient is not None and recipient.is_active
    }
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=unique_recipients, kind=kind).values_list(
            "user_id", "email"
        )
    )
    rows = [
        Notification(
            recipient=recipient,
            kind=kind,
            event_key=event_key[:200],
            url=url,
            data=data,
            email_state=EMAIL_STATE_OF_MODE[chosen.get(pk, default_email_mode(kind))],
        )
        for pk, recipient in unique_recipients.items()
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(row.email_state == EmailState.PENDING for row in rows):
        transaction.on_commit(lambda: request_delivery(event_key[:200]))
    return len(rows)


def request_delivery(event_key: str) -> bool:
    """Ask a worker to email the event now; if the broker is away, the sweep will."""
    try:
        # No publish retries: a request must not hang on a dead broker.
        deliver_event.apply_async(args=[event_key], retry=False)
    except Exception:  # kombu raises several kinds; any of them means "not queued"
        logger.warning("Broker unreachable; the sweep will send %s", event_key, exc_info=True)
        return False
    return True


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
