"""Invitations: an administrator creates a person, the person sets their own password."""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts import audit


def password_setting_url(user) -> str:
    """allauth's reset-from-key link: valid until the password is set or the token expires."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def invite(user, invited_by) -> None:
    """Mark the address as verified (an administrator vouches for it) and send the invitation."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    context = {"user": user, "url": password_setting_url(user), "site_url": settings.SITE_URL}
    with translation.override(user.preferred_language):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject, body, None, [user.email])
    audit.record(invited_by, "account.invited", user, kind=user.kind)
