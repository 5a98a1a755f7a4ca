"""GDPR self-service: export everything stored about a person, or erase it.

Both work through registries keyed by model label, because ``accounts`` may not
import the apps above it. An app whose model points at the user registers an
exporter (and, where rows must go, an eraser) in its ``AppConfig.ready``::

    from accounts.privacy import register_eraser, register_exporter

    register_exporter("participation.comment", export_comments)
    register_eraser("participation.notification", delete_notifications)

``tests/accounts/test_privacy.py`` fails for any model with a relation to the
user that has no exporter.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from importlib import import_module
from operator import or_
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent, Department, Notification, NotificationPreference, User
from accounts.notification_messages import messages_of

FORMAT_VERSION = 1
# Stored in the database, so not translated; people see the translated ``public_name``.
DELETED_NAME = "deleted account"

# Each exporter gives rows of plain values; ``.values()`` querysets fit as they are.
Rows = Sequence[Mapping[str, Any]]
Exporter = Callable[[User], Rows]
Eraser = Callable[[User], None]

EXPORTERS: dict[str, Exporter] = {}
ERASERS: dict[str, Eraser] = {}


def register_exporter(label: str, function: Exporter | None = None):
    """Add the rows of model ``label`` to every export; usable as a decorator."""
    if function is None:
        return lambda decorated: register_exporter(label, decorated)
    EXPORTERS[label] = function
    return function


def register_eraser(label: str, function: Eraser | None = None):
    """Run ``function(user)`` inside ``delete_account``, before the user row is anonymised."""
    if function is None:
        return lambda decorated: register_eraser(label, decorated)
    ERASERS[label] = function
    return function


# --- Export ---------------------------------------------------------------------


def export_personal_data(user: User) -> dict:
    """Everything stored about ``user``, serialisable with ``DjangoJSONEncoder``."""
    export = {"format_version": FORMAT_VERSION, "exported_at": timezone.now()}
    for label, exporter in sorted(EXPORTERS.items()):
        export[label] = exporter(user)
    return export


def _related_summary(related) -> dict | None:
    return None if related is None else {"id": related.pk, "name": str(related)}


@register_exporter("accounts.user")
def export_user(user: User) -> Rows:
    """All fields but the password hash; the user's own M2M relations by field name.

    Generic over the fields, so a field added to ``User`` later is exported too.
    """
    row: dict[str, Any] = {}
    for field in user._meta.concrete_fields:
        if field.name == "password":
            continue
        if field.is_relation:
            row[field.name] = _related_summary(getattr(user, field.name))
        else:
            row[field.name] = field.value_from_object(user)
    for field in user._meta.many_to_many:
        row[field.name] = [_related_summary(item) for item in getattr(user, field.name).all()]
    return [row]


@register_exporter("account.emailaddress")
def export_email_addresses(user: User) -> Rows:
    return list(
        EmailAddress.objects.filter(user=user).values("email", "verified", "primary").order_by("id")
    )


@register_exporter("mfa.authenticator")
def export_authenticators(user: User) -> Rows:
    # ``data`` holds the TOTP secret and recovery codes: never part of an export.
    authenticators = Authenticator.objects.filter(user=user).order_by("id")
    return list(authenticators.values("type", "created_at", "last_used_at"))


@register_exporter("socialaccount.socialaccount")
def export_social_accounts(user: User) -> Rows:
    accounts = SocialAccount.objects.filter(user=user).order_by("id")
    return list(accounts.values("provider", "uid", "extra_data", "date_joined", "last_login"))


def _content_type_label(content_type: Any) -> str | None:
    return None if content_type is None else f"{content_type.app_label}.{content_type.model}"


@register_exporter("accounts.auditevent")
def export_audit_events(user: User) -> Rows:
    events = AuditEvent.objects.filter(actor=user).select_related("target_type")
    return [
        {
            "verb": event.verb,
            "target_type": _content_type_label(event.target_type),
            "target_id": event.target_id,
            "created_at": event.created_at,
        }
        for event in events
    ]


@register_exporter("accounts.department")
def export_headed_departments(user: User) -> Rows:
    return list(Department.objects.filter(head=user).values("code", "name", "is_active"))


@register_exporter("admin.logentry")
def export_admin_actions(user: User) -> Rows:
    entries = LogEntry.objects.filter(user=user).select_related("content_type").order_by("id")
    return [
        {
            "action_time": entry.action_time,
            "action_flag": entry.action_flag,
            "content_type": _content_type_label(entry.content_type),
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "change_message": entry.get_change_message(),
        }
        for entry in entries
    ]


# --- Deletion -------------------------------------------------------------------

# Fields the anonymised row keeps; every other field goes back to its default.
USER_FIELDS_KEPT = {"id", "password", "email", "date_joined", "deleted_at"}


@transaction.atomic
def delete_account(user: User) -> None:
    """Erase the person but keep an anonymised row, so what they wrote stays attributed.

    Their content then shows "deleted account" (``User.public_name``); audit
    events keep pointing at the row. Safe to call twice (a double submit).
    """
    if User.objects.select_for_update().get(pk=user.pk).deleted_at is not None:
        return
    known_emails = {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    for eraser in ERASERS.values():
        eraser(user)
    _scrub_others_notifications(user, known_emails)
    _delete_sign_in_data(user)
    Department.objects.filter(head=user).update(head=None)
    _anonymise_admin_log(user, known_emails)
    _delete_sessions(user)
    _anonymise_user_row(user)
    audit.record(None, "account.deleted", user)


def _delete_sign_in_data(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()  # cascades to email confirmations
    Authenticator.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()  # cascades to social tokens


def _anonymise_admin_log(user: User, emails: set[str]) -> None:
    """Admin history names objects by ``str()``: the person's name or email address."""
    user_type = ContentType.objects.get_for_model(User)
    about_the_person = Q(content_type=user_type, object_id=str(user.pk))
    naming_an_email = reduce(or_, (Q(object_repr__icontains=email) for email in emails))
    LogEntry.objects.filter(about_the_person | naming_an_email).update(object_repr=DELETED_NAME)


def _words_naming(user: User, emails: set[str]) -> set[str]:
    """The person's addresses, and their names where no other account carries the same."""
    names = {name for name in (user.display_name, user.organisation_name) if name.strip()}
    shared = User.objects.exclude(pk=user.pk).filter(
        Q(display_name__in=names) | Q(organisation_name__in=names)
    )
    names -= {*shared.values_list("display_name", flat=True)}
    names -= {*shared.values_list("organisation_name", flat=True)}
    return {word.casefold() for word in {*names, *emails} if word}


def _json_text_matches(word: str) -> Q:
    # SQLite keeps JSON with non-ASCII escaped (``\u00fc``); PostgreSQL keeps the letters.
    escaped = json.dumps(word)[1:-1]
    return Q(data__icontains=word) | Q(data__icontains=escaped)


def _scrub_others_notifications(user: User, emails: set[str]) -> None:
    """The safety net behind references: a value in someone else's notification that is
    exactly the person's name or address becomes ``DELETED_NAME``.

    New notifications name people by reference (``notification_messages.PEOPLE``),
    and the apps turn their own old rows into references; this catches whatever
    is left, such as rows written before references existed.
    """
    words = _words_naming(user, emails)
    if not words:
        return
    mentioning = reduce(or_, (_json_text_matches(word) for word in words))
    for notification in Notification.objects.exclude(recipient=user).filter(mentioning):
        if not isinstance(notification.data, dict):
            continue
        scrubbed = {
            key: DELETED_NAME if isinstance(value, str) and value.casefold() in words else value
            for key, value in notification.data.items()
        }
        if scrubbed != notification.data:
            notification.data = scrubbed
            notification.save(update_fields=["data"])


def _delete_sessions(user: User) -> None:
    """End the person's sessions on other devices too.

    Sessions are not indexed by user, so the database-backed ones are decoded
    one by one; deletion is rare. With other session engines the unusable
    password and ``is_active=False`` already refuse the remaining sessions.
    """
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(session_store, "get_model_class"):
        return
    user_id = str(user.pk)
    for session in session_store.get_model_class().objects.iterator():
        if session.get_decoded().get(SESSION_KEY) == user_id:
            session_store(session.session_key).delete()


def _anonymise_user_row(user: User) -> None:
    # Resetting every field not kept means a personal field added to User later
    # is wiped without anyone remembering to list it here.
    for field in user._meta.concrete_fields:
        if field.name not in USER_FIELDS_KEPT:
            setattr(user, field.attname, field.get_default())
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.kind = User.Kind.CITIZEN  # an organisation must have a name (organisation_has_name)
    user.is_active = False
    user.set_unusable_password()
    user.deleted_at = timezone.now()
    user.save()
    for field in user._meta.many_to_many:
        getattr(user, field.name).clear()


@register_exporter("accounts.notification")
def export_notifications(user: User) -> Rows:
    notifications = list(Notification.objects.filter(recipient=user).order_by("id"))
    return [
        {
            "kind": item.kind,
            "message": message,
            "url": item.url,
            "email": item.email_state,
            "emailed_at": item.emailed_at,
            "created_at": item.created_at,
            "read_at": item.read_at,
        }
        for item, message in zip(notifications, messages_of(notifications), strict=True)
    ]


@register_eraser("accounts.notification")
def erase_notifications(user: User) -> None:
    # They name other people and projects and are worthless without their reader.
    Notification.objects.filter(recipient=user).delete()


@register_exporter("accounts.notificationpreference")
def export_notification_preferences(user: User) -> Rows:
    return list(
        NotificationPreference.objects.filter(user=user).order_by("kind").values("kind", "email")
    )


@register_eraser("accounts.notificationpreference")
def erase_notification_preferences(user: User) -> None:
    NotificationPreference.objects.filter(user=user).delete()
