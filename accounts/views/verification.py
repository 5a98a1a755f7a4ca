"""Sending the confirmation email once more, for people who have not signed in yet.

allauth's "verification sent" page offers nothing when the email does not arrive. The
answer is the same whether or not the address has an account waiting for confirmation,
so nobody can find out who has signed up; allauth's rate limit for confirmation emails
keeps the form from being used to flood an inbox.
"""

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import ResendVerificationForm

UNPROCESSABLE = 422


@require_POST
def resend_verification(request):
    form = ResendVerificationForm(request.POST)
    if not form.is_valid():
        return render(
            request, "account/verification_sent.html", {"resend_form": form}, status=UNPROCESSABLE
        )
    email = form.cleaned_data["email"]
    address = EmailAddress.objects.filter(email__iexact=email, verified=False).first()
    if address is not None and ratelimit.consume(
        request, action="confirm_email", key=address.email.lower()
    ):
        address.send_confirmation(request)
    messages.info(
        request,
        _(
            "If %(email)s belongs to an account that still awaits confirmation, we have "
            "sent the email once more. Please also look in your spam folder."
        )
        % {"email": email},
    )
    return redirect("account_email_verification_sent")
