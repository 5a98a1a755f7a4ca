"""The settings page: each person edits their own profile and language."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.forms import profile_form_for

UNPROCESSABLE = 422


@login_required
def settings_page(request):
    user = request.user
    form = profile_form_for(user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            audit.record(user, "profile.updated", user, fields=sorted(form.changed_data))
            translation.activate(user.preferred_language)
            messages.success(request, _("Your settings have been saved."))
            response = redirect("account-settings")
            _remember_language(response, user.preferred_language)
            return response
        return render(request, "accounts/settings.html", {"form": form}, status=UNPROCESSABLE)
    return render(request, "accounts/settings.html", {"form": form})


def _remember_language(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
