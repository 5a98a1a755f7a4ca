"""OpenID Connect single sign-on for employees, configured by environment variables alone."""

import os

from django.core.exceptions import ImproperlyConfigured

REQUIRED = ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SERVER_URL"]


def openid_connect_providers(environ=None) -> dict:
    """allauth's ``SOCIALACCOUNT_PROVIDERS`` for one OIDC provider, or ``{}`` when none is set.

    ``OIDC_SERVER_URL`` is the issuer (its ``/.well-known/openid-configuration``
    is read by allauth); ``OIDC_PROVIDER_ID`` names the login URL
    ``/accounts/oidc/<id>/login/``; ``OIDC_NAME`` is the button's label.
    """
    environ = os.environ if environ is None else environ
    given = [name for name in REQUIRED if environ.get(name)]
    if not given:
        return {}
    missing = [name for name in REQUIRED if not environ.get(name)]
    if missing:
        raise ImproperlyConfigured(
            f"Single sign-on is half configured: {', '.join(missing)} missing "
            f"(set all of {', '.join(REQUIRED)} or none)."
        )
    server_url = environ["OIDC_SERVER_URL"].rstrip("/")
    if not server_url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"OIDC_SERVER_URL={server_url!r} is not an http(s) URL.")
    return {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": environ.get("OIDC_PROVIDER_ID", "berlin"),
                    "name": environ.get("OIDC_NAME", "Berlin SSO"),
                    "client_id": environ["OIDC_CLIENT_ID"],
                    "secret": environ["OIDC_CLIENT_SECRET"],
                    "settings": {"server_url": server_url, "fetch_userinfo": True},
                }
            ],
            "SCOPE": ["openid", "email", "profile"],
        }
    }
