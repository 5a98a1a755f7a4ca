"""What a notification says: a translated text per kind, filled from its ``data``.

Read when a notification is shown or emailed, so the text follows the reader's
language and a changed wording reaches old rows too.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification

Kind = Notification.Kind

# The text of each kind; ``data`` fills the placeholders when it is read.
MESSAGES: dict[str, str | Promise] = {
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
WORDS: dict[str, dict[str, str | Promise]] = {
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


def message_of(notification: Notification) -> str:
    template = MESSAGES.get(notification.kind)
    if template is None:
        return notification.get_kind_display()
    try:
        return str(template) % _readable(notification.data)
    except (KeyError, TypeError, ValueError):
        return notification.get_kind_display()
