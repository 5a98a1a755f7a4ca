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
