"""How each person wants to be emailed about each kind of notification.

A person's choice per kind (immediately, in the daily digest, or not at all)
is a ``NotificationPreference`` row; a kind without a row takes its default.
"""

from django.db import transaction

from accounts import audit
from accounts.models import EmailMode, Notification, NotificationPreference

Kind = Notification.Kind

# Role matches can come in dozens a week: by default they wait for the digest.
DEFAULT_EMAIL_MODES: dict[str, str] = {Kind.ROLE_MATCH: EmailMode.DIGEST}


# Kinds that reach anyone with an account: what they applied for, proposed, followed, wrote.
KINDS_FOR_EVERYONE = {
    Kind.APPLICATION_DECIDED,
    Kind.MEMBERSHIP_ENDED,
    Kind.PROPOSAL_STATUS,
    Kind.PROJECT_UPDATE,
    Kind.COMMENT_HIDDEN,
    Kind.ROUND_OPENED,
    Kind.ROUND_RESULTS,
    Kind.IDEA_ANSWERED,
}
# Only employees hear of matching employee roles and of the workload report (heads of
# department are employees), and only employees may lead projects
# (``marketplace.permissions.can_create_project``), so only they hear what leads hear.
KINDS_FOR_EMPLOYEES = {
    Kind.ROLE_MATCH,
    Kind.WORKLOAD_REPORT,
    Kind.APPLICATION_RECEIVED,
    Kind.APPLICATION_REMINDER,
    Kind.PROJECT_OVERDUE,
}


def kinds_for(user) -> list[str]:
    """The kinds of notification that can reach ``user``, in the order of ``Kind``.

    A kind the person has already received stays on offer whatever their role,
    say a lead an administrator named by hand: what arrives can be switched off.
    """
    offered: set[str] = set(KINDS_FOR_EVERYONE)
    if user.is_employee or user.is_superuser:
        offered |= KINDS_FOR_EMPLOYEES
    offered |= set(Notification.objects.filter(recipient=user).values_list("kind", flat=True))
    return [kind for kind in Kind.values if kind in offered]


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
