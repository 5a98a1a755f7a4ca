"""Single sign-on for employees (the configuration is in config/single_sign_on.py).

People whose identity provider vouches for an address in one of
``settings.OIDC_EMPLOYEE_DOMAINS`` (or a subdomain of one) get an employee account
on their first sign-in. Everyone else is turned away here: outside participants
sign up on the public *participate* page, which asks for their consent.

A person who already has an account with the same email address (created by an
administrator, or signed up by password) is not connected automatically, because
``SOCIALACCOUNT_EMAIL_AUTHENTICATION`` is off: whoever holds that account may not
be the person the provider vouches for. Nothing is created; the page says so and an
email to the address says the same: sign in as before (password, login code, or a
password reset, which goes to that address) and connect the provider under
``/accounts/3rdparty/``; from then on single sign-on logs them straight in. Saying
that the account exists gives nothing away: the provider has just confirmed that
the person owns the address.
"""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email, user_email, user_field
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from accounts import audit
from accounts.models import User

REFUSED = 403


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin):
        # Only a sign-in of someone the portal does not know yet is decided here;
        # connecting the provider to the signed-in account is left to allauth.
        process = sociallogin.state.get("process") or AuthProcess.LOGIN
        if sociallogin.is_existing or process != AuthProcess.LOGIN:
            return
        if sociallogin.user.kind != User.Kind.EMPLOYEE:
            raise ImmediateHttpResponse(refuse_outsider(request, sociallogin))
        email = user_email(sociallogin.user)
        if filter_users_by_email(email):
            raise ImmediateHttpResponse(explain_existing_account(request, sociallogin, email))

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user_field(user, "display_name", display_name_from_claims(data))
        is_employee = is_employee_email(user_email(user)) and not denies_verification(sociallogin)
        user.kind = User.Kind.EMPLOYEE if is_employee else User.Kind.CITIZEN
        return user

    def is_open_for_signup(self, request, sociallogin):
        # populate_user has decided the kind from the provider's claims; only
        # employees may create an account this way.
        if sociallogin.user.kind != User.Kind.EMPLOYEE:
            return False
        return super().is_open_for_signup(request, sociallogin)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        # The identity provider has verified the addresses it sent (hence
        # SOCIALACCOUNT_EMAIL_VERIFICATION = "none"); one typed into a form has not.
        addresses_from_provider = [address.email for address in sociallogin.email_addresses]
        EmailAddress.objects.filter(user=user, email__in=addresses_from_provider).update(
            verified=True
        )
        audit.record(
            user,
            "account.created_by_single_sign_on",
            user,
            provider=sociallogin.account.provider,
            kind=user.kind,
        )
        return user


def refuse_outsider(request, sociallogin):
    """The portal's own page: single sign-on is for employees, citizens take part elsewhere."""
    context = {
        "provider_name": sociallogin.account.get_provider(request).name,
        "login_url": reverse("account_login"),
    }
    return render(request, "socialaccount/employees_only.html", context, status=REFUSED)


def explain_existing_account(request, sociallogin, email: str):
    """Tell the person, on the page and by email, how to connect the account they have."""
    context = {
        "provider_name": sociallogin.account.get_provider(request).name,
        "email": email,
        "login_url": request.build_absolute_uri(reverse("account_login")),
        "connections_url": request.build_absolute_uri(reverse("socialaccount_connections")),
        "password_reset_url": request.build_absolute_uri(reverse("account_reset_password")),
    }
    get_account_adapter(request).send_mail(
        "socialaccount/email/connect_existing_account", email, context
    )
    return render(request, "socialaccount/account_exists.html", context)


def display_name_from_claims(data: dict) -> str:
    """The OIDC ``name`` claim, else ``given_name`` and ``family_name`` joined."""
    if data.get("name"):
        return data["name"].strip()
    parts = [data.get("first_name"), data.get("last_name")]
    return " ".join(part.strip() for part in parts if part and part.strip())


def is_employee_email(email: str | None) -> bool:
    """Whether the address's domain is a configured employee domain or a subdomain of one."""
    if not email or "@" not in email:
        return False
    domain = email.rpartition("@")[2].lower()
    return any(
        domain == employee_domain or domain.endswith(f".{employee_domain}")
        for employee_domain in employee_domains()
    )


def single_sign_on_name() -> str:
    """The label of the sign-in button (``OIDC_NAME``), or a description without one."""
    apps = (settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect") or {}).get("APPS") or []
    return apps[0]["name"] if apps else gettext("your work account")


def employee_domains() -> list[str]:
    # Forgive "@example.org" and "Example.org" in the environment variable.
    domains = (domain.strip().lstrip("@.").lower() for domain in settings.OIDC_EMPLOYEE_DOMAINS)
    return [domain for domain in domains if domain]


def denies_verification(sociallogin) -> bool:
    """Whether the provider says outright that it has not verified the address.

    Many providers (Entra ID among them) send no ``email_verified`` claim and
    verify every address they hand out, so only an explicit "false" counts.
    """
    claims = sociallogin.account.extra_data
    claims = claims.get("userinfo") or claims.get("id_token") or claims
    return str(claims.get("email_verified", "")).lower() == "false"
