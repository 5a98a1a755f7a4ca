"""Administrators must protect their account with a second factor before using admin."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class AdminRequiresMultiFactorMiddleware:
    """Send a signed-in administrator without TOTP from ``/admin/`` to the TOTP set-up.

    Admin sign-in itself goes through allauth (``/admin/login/`` redirects
    there), so an administrator who has TOTP always passed the second factor.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(self.admin_prefix)
            and user.is_authenticated
            and user.is_staff
            and not has_totp(user)
        ):
            messages.warning(
                request,
                _(
                    "Administrators protect their account with a second factor. Please set it up first."
                ),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
