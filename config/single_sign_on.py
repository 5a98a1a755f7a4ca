"""OpenID Connect single sign-on for employees, configured by environment variables alone.

Who becomes an employee is decided by ``OIDC_EMPLOYEE_DOMAINS`` (read in
``config/settings.py``) and applied by ``accounts.single_sign_on.SocialAccountAdapter``.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

REQUIRED = ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SERVER_URL"]
DEFAULT_PROVIDER_ID = "berlin"
DEFAULT_NAME = "Berlin SSO"


def openid_connect_providers(environ=None) -> dict:
    """allauth's ``SOCIALACCOUNT_PROVIDERS`` for one OIDC provider, or ``{}`` when none is set.

    ``OIDC_SERVER_URL`` is the issuer (its ``/.well-known/openid-configuration``
    is read by allauth); ``OIDC_PROVIDER_ID`` names the login URL
    ``/accounts/oidc/<id>/login/``; ``OIDC_NAME`` is the button's label;
    ``OIDC_AUTHORIZATION_URL``, if set, is the authorisation endpoint used instead of the
    discovery document's (and the one the Content-Security-Policy allows). Like
    every setting, each may also come from a file named by ``<NAME>_FILE``
    (a Docker secret for ``OIDC_CLIENT_SECRET``).
    """
    environ = os.environ if environ is None else environ
    values = {name: _read(environ, name) for name in REQUIRED}
    if not any(values.values()):
        return {}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ImproperlyConfigured(
            f"Single sign-on is half configured: {', '.join(missing)} missing "
            f"(set all of {', '.join(REQUIRED)} or none)."
        )
    provider_settings: dict = {
        "server_url": _checked_server_url(values["OIDC_SERVER_URL"]),
        # Names and the email are read from the userinfo endpoint, which
        # carries them even when the provider keeps the ID token small.
        "fetch_userinfo": True,
    }
    authorization_url = _read(environ, "OIDC_AUTHORIZATION_URL")
    if authorization_url:
        provider_settings["openid_configuration_overrides"] = {
            "authorization_endpoint": _checked_url("OIDC_AUTHORIZATION_URL", authorization_url)
        }
    app = {
        "provider_id": _read(environ, "OIDC_PROVIDER_ID") or DEFAULT_PROVIDER_ID,
        "name": _read(environ, "OIDC_NAME") or DEFAULT_NAME,
        "client_id": values["OIDC_CLIENT_ID"],
        "secret": values["OIDC_CLIENT_SECRET"],
        "settings": provider_settings,
    }
    return {"openid_connect": {"APPS": [app], "SCOPE": ["openid", "email", "profile"]}}


def _read(environ, name: str) -> str:
    """The variable's value, or the content of the file named by ``<NAME>_FILE``; '' if unset."""
    value = environ.get(name)
    if value is None and environ.get(f"{name}_FILE"):
        file_path = environ[f"{name}_FILE"]
        try:
            value = Path(file_path).read_text(encoding="utf-8")
        except OSError as error:
            raise ImproperlyConfigured(
                f"{name}_FILE={file_path!r} cannot be read: {error}"
            ) from None
    return (value or "").strip()


def _checked_server_url(url: str) -> str:
    """The issuer URL without a trailing slash; allauth appends the well-known path to it."""
    return _checked_url("OIDC_SERVER_URL", url).rstrip("/")


def _checked_url(name: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name}={url!r} is not an http(s) URL such as https://login.example.org/realms/berlin."
        )
    return url
