"""Who may do what in the accounts layer; used by views and templates alike."""

from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def can_participate(user) -> bool:
    """Apply, propose and comment: only signed-in people whose email address is verified."""
    return (
        user.is_authenticated
        and user.is_active
        and getattr(user, "deleted_at", None) is None
        and has_verified_email(user)
    )


def participant_required(view):
    """Guard a participation view: sign in first, then verify the email address (403 until then)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_participate(request.user):
            return render(request, "accounts/verification_required.html", status=403)
        return view(request, *args, **kwargs)

    return guarded
