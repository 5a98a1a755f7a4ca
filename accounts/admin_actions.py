"""Admin actions that go through the same services as the site.

State changes with rules (status, phase, decisions) are read-only fields in
admin; these actions are the way to change them there, so transitions,
timestamps, notifications and audit events are the site's. A change the rules
refuse is reported as a message per object, never as a server error.
"""

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def service_action(name: str, description: "StrOrPromise", change, done: "StrOrPromise"):
    """An admin action ``name`` calling ``change(user, obj)`` for each selected object.

    ``done`` is the message for the objects changed, with ``%(count)s``.
    """

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        changed = 0
        for obj in queryset:
            try:
                change(request.user, obj)
            except (ValidationError, PermissionDenied) as refusal:
                reasons = getattr(refusal, "messages", None) or [_("Not allowed.")]
                modeladmin.message_user(
                    request,
                    _("“%(object)s”: %(reason)s") % {"object": obj, "reason": " ".join(reasons)},
                    messages.ERROR,
                )
            else:
                changed += 1
        if changed:
            modeladmin.message_user(request, done % {"count": changed}, messages.SUCCESS)

    action.__name__ = name  # admin tells its actions apart by name
    return action
