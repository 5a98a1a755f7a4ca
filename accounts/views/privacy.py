"""Privacy self-service: download all personal data, delete the account."""

import json

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts import audit, privacy

TEMPLATE = "accounts/data.html"
EXPORT_FILENAME = "projektmarktplatz-data.json"
UNPROCESSABLE = 422


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone"))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        # allauth's check counts failures, so a hijacked session cannot guess the password.
        if not get_adapter().reauthenticate(self.user, password):
            raise forms.ValidationError(
                _("This is not your current password."), code="incorrect_password"
            )
        return password


@login_required
@require_safe
def data_page(request):
    return render(request, TEMPLATE, {"form": DeleteAccountForm(request.user)})


@login_required
@require_safe
@never_cache
def export_data(request):
    export = privacy.export_personal_data(request.user)
    audit.record(request.user, "account.data_exported", request.user)
    content = json.dumps(export, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


@login_required
@require_POST
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=UNPROCESSABLE)
    privacy.delete_account(request.user)
    logout(request)
    messages.success(request, gettext("Your account and your personal data have been deleted."))
    return redirect("/")
