"""What a notification says: a translated text per kind, filled from its ``data``.

Read when a notification is shown or emailed, so the text follows the reader's
language and a changed wording reaches old rows too. People are stored by
reference (``applicant_id``) and named when read: after an account is erased,
every notification about that person reads "deleted account", and no row of
someone else's holds the erased name.
"""

from collections.abc import Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification, User

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
    Kind.ROUND_OPENED: _(
        "“%(project)s” asks for your help: the %(round_kind)s “%(round)s” is open."
    ),
    Kind.ROUND_RESULTS: _(
        "The results of the %(round_kind)s “%(round)s” in “%(project)s” are published."
    ),
    Kind.IDEA_ANSWERED: _("The team of “%(project)s” answered your idea “%(idea)s”: %(status)s."),
}


# Codes stored in ``data`` that are shown as words, translated when read.
WORDS: dict[str, dict[str, str | Promise]] = {
    "decision": {"accepted": _("accepted"), "declined": _("declined"), "withdrawn": _("withdrawn")},
    "status": {
        "submitted": _("submitted"),
        "in_review": _("in review"),
        "accepted": _("accepted"),
        "declined": _("declined"),
        "considering": _("being considered"),
        "adopted": _("adopted"),
        "not_pursued": _("not pursued"),
    },
    "round_kind": {"test": _("test round"), "feedback": _("feedback round")},
}


# A reference to a person in ``data`` -> the placeholder their public name fills.
PEOPLE = {"applicant_id": "applicant"}

People = dict[int, User]


def people_in(notifications: Sequence[Notification]) -> People:
    """The people the notifications refer to, in one query."""
    ids = {
        notification.data.get(key)
        for notification in notifications
        if isinstance(notification.data, dict)
        for key in PEOPLE
    }
    ids = {pk for pk in ids if isinstance(pk, int)}
    return User.objects.in_bulk(ids) if ids else {}


def _readable(data: dict, people: People) -> dict:
    readable = {key: WORDS.get(key, {}).get(value, value) for key, value in data.items()}
    for key, placeholder in PEOPLE.items():
        if key in data:
            person = people.get(data[key])
            # A row removed for good reads like an erased one.
            readable[placeholder] = person.public_name if person else _("deleted account")
    return readable


def message_of(notification: Notification, people: People | None = None) -> str:
    """The text of one notification; ``people`` saves a query per row in lists."""
    template = MESSAGES.get(notification.kind)
    if template is None or not isinstance(notification.data, dict):
        return notification.get_kind_display()
    if people is None:
        people = people_in([notification])
    try:
        return str(template) % _readable(notification.data, people)
    except (KeyError, TypeError, ValueError):
        return notification.get_kind_display()


def messages_of(notifications: Sequence[Notification]) -> list[str]:
    """The texts of many notifications, the people in them read in one query."""
    people = people_in(notifications)
    return [message_of(notification, people) for notification in notifications]
