"""Notifications: written in the caller's transaction, shown in the inbox, emailed by Celery.

Services call ``accounts.notify(...)`` for every event that someone must hear
about. The rows are the source of truth: each records whether its email is due
now, waits for the daily digest, or is switched off. After the transaction
commits, a Celery task is asked to send what is due (``accounts.delivery``);
if the broker cannot be reached, the request still succeeds and the
minute-by-minute sweep sends it later.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.models import EmailMode, EmailState, Notification, NotificationPreference

logger = logging.getLogger(__name__)

Kind = Notification.Kind

# Role matches can come in dozens a week: by default they wait for the digest.
DEFAULT_EMAIL_MODES = {Kind.ROLE_MATCH: EmailMode.DIGEST}

EMAIL_STATE_OF_MODE = {
    EmailMode.IMMEDIATELY: EmailState.PENDING,
    EmailMode.DIGEST: EmailState.DIGEST,
    EmailMode.OFF: EmailState.SKIPPED,
}

# The text of each kind; ``data`` fills the placeholders when it is read.
MESSAGES = {
    Kind.APPLICATION_RECEIVED: _("%(applicant)s applied for the role “%(role)s” in “%(project)s”."),
    Kind.APPLICATION_DECIDED: _(
        "Your application for “%(role)s” in “%(project)s” was %(decision)s."
    ),
    Kind.MEMBERSHIP_ENDED: _("Your membership as “%(role)s” in “%(project)s” has ended."),
    Kind.ROLE_MATCH: _("A new role matches your skills or interests: “%(role)s” in “%(project)s”."),
    Kind.PROPOSAL_STATUS: _("The proposal “%(proposal)s” is now: %(status)s."),
    Kind.PROJECT_UPDATE: _("New update in “%(project)s”: %(title)s"),
    Kind.COMMENT_HIDDEN: _("Your comment was hidden by a moderator: %(reason)s"),
    Kind.WORKLOAD_REPORT: _("The workload report of %(date)s is ready."),
    Kind.APPLICATION_REMINDER: _(
        "An application for “%(role)s” in “%(project)s” waits for a decision."
    ),
    Kind.PROJECT_OVERDUE: _("“%(project)s” is past its end date and still open."),
}


# Codes stored in ``data`` that are shown as words, translated when read.
WORDS = {
    "decision": {"accepted": _("accepted"), "declined": _("declined"), "withdrawn": _("withdrawn")},
    "status": {
        "submitted": _("submitted"),
        "in_review": _("in review"),
        "accepted": _("accepted"),
        "declined": _("declined"),
    },
}


def _readable(data: dict) -> dict:
    return {key: WORDS.get(key, {}).get(value, value) for key, value in data.items()}


def default_email_mode(kind: str) -> str:
    return DEFAULT_EMAIL_MODES.get(kind, EmailMode.IMMEDIATELY)


def email_modes(user) -> dict[str, str]:
    """Every kind with the person's email choice, defaults filled in."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, default_email_mode(kind)) for kind in Kind.values}


def email_mode(user_id: int, kind: str) -> str:
    chosen = (
        NotificationPreference.objects.filter(user_id=user_id, kind=kind)
        .values_list("email", flat=True)
        .first()
    )
    return chosen or default_email_mode(kind)


def set_email_mode(user, kind: str, mode: str) -> None:
    NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": mode})


@transaction.atomic
def save_email_modes(user, chosen: dict[str, str], current: dict[str, str]) -> dict[str, str]:
    """Store the choices that differ from ``current``; audited. Returns what changed."""
    changed = {kind: mode for kind, mode in chosen.items() if current[kind] != mode}
    for kind, mode in changed.items():
        set_email_mode(user, kind, mode)
    if changed:
        audit.record(user, "notifications.preferences_changed", user, **changed)
    return changed


@transaction.atomic
def unsubscribe_from(user, kind: str) -> None:
    """The one-click opt-out of an email: that kind's email off; audited."""
    set_email_mode(user, kind, EmailMode.OFF)
    audit.record(user, "notifications.unsubscribed", user, kind=kind)


def notify(recipients: Iterable, kind: str, event_key: str, url: str = "", **data) -> int:
    """Write one notification per recipient for the event ``event_key``; repeats are ignored.

    ``data`` holds plain values (names, titles) for the message text. The
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
    from accounts.tasks import deliver_event

    try:
        # No publish retries: a request must not hang on a dead broker.
        deliver_event.apply_async(args=[event_key], retry=False)
    except Exception:  # kombu raises several kinds; any of them means "not queued"
        logger.warning("Broker unreachable; the sweep will send %s", event_key, exc_info=True)
        return False
    return True


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def message_of(notification: Notification) -> str:
    template = MESSAGES.get(notification.kind)
    if template is None:
        return notification.get_kind_display()
    try:
        return str(template) % _readable(notification.data)
    except (KeyError, TypeError, ValueError):
        return notification.get_kind_display()
