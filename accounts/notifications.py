"""Notifications: written in the caller's transaction, shown in the inbox.

Services call ``accounts.notify(...)`` for every event that someone must hear
about. The rows are the source of truth; e-mail delivery builds on them.
"""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from accounts.models import Notification

Kind = Notification.Kind

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


def notify(recipients: Iterable, kind: str, event_key: str, url: str = "", **data) -> int:
    """Write one notification per recipient for the event ``event_key``; repeats are ignored.

    ``data`` holds plain values (names, titles) for the message text.
    Returns how many recipients were given (a repeat writes nothing new).
    """
    unique_recipients = {
        recipient.pk: recipient for recipient in recipients if recipient is not None
    }
    rows = [
        Notification(recipient=recipient, kind=kind, event_key=event_key[:200], url=url, data=data)
        for recipient in unique_recipients.values()
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def message_of(notification: Notification) -> str:
    template = MESSAGES.get(notification.kind)
    if template is None:
        return notification.get_kind_display()
    try:
        return str(template) % _readable(notification.data)
    except (KeyError, TypeError, ValueError):
        return notification.get_kind_display()
