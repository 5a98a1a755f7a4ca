"""The Content-Security-Policy lets the sign-in form reach the identity provider.

The single sign-on button POSTs to the portal, which answers with a redirect to the
provider's authorisation endpoint. Browsers check that redirect against the page's
``form-action``, so ``'self'`` alone stops every employee on the sign-in page. When
single sign-on is configured, ``form-action`` names exactly the origin of that
endpoint as well: from ``OIDC_AUTHORIZATION_URL`` if set, else from the provider's
discovery document, fetched once per process and then kept.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from allauth.socialaccount.adapter import get_adapter
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

logger = logging.getLogger(__name__)

# After a failed fetch the provider is asked again at most this often; meanwhile the
# issuer's own origin stands in (where most providers serve their login page too).
RETRY_AFTER_FAILURE = 300.0

_discovered: dict[str, tuple[str, float | None]] = {}  # discovery URL -> (origin, retry at)
_lock = threading.Lock()


class SingleSignOnCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        origin = None if report_only else authorization_origin()
        if origin:
            form_action = [*settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"], origin]
            parts.update = {**(parts.update or {}), "form-action": form_action}
        return parts


def authorization_origin() -> str | None:
    """The origin of the provider's authorisation endpoint, or None without single sign-on."""
    app_settings = _configured_app_settings()
    if app_settings is None:
        return None
    overrides = app_settings.get("openid_configuration_overrides") or {}
    if overrides.get("authorization_endpoint"):
        return origin_of(overrides["authorization_endpoint"])
    return _discovered_origin(app_settings["server_url"])


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def forget_discovered_origins() -> None:
    """Drop what was fetched (tests start each with a new provider)."""
    with _lock:
        _discovered.clear()


def _configured_app_settings() -> dict | None:
    apps = (settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect") or {}).get("APPS") or []
    return apps[0]["settings"] if apps else None


def _discovered_origin(server_url: str) -> str:
    discovery_url = f"{server_url.rstrip('/')}/.well-known/openid-configuration"
    with _lock:
        known = _discovered.get(discovery_url)
        if known and (known[1] is None or time.monotonic() < known[1]):
            return known[0]
        try:
            origin, retry_at = _fetch_authorization_origin(discovery_url), None
        except (OSError, ValueError, KeyError, TypeError) as error:  # requests' errors are OSError
            logger.warning("OpenID Connect discovery at %s failed: %s", discovery_url, error)
            origin, retry_at = origin_of(server_url), time.monotonic() + RETRY_AFTER_FAILURE
        _discovered[discovery_url] = (origin, retry_at)
        return origin


def _fetch_authorization_origin(discovery_url: str) -> str:
    # allauth's session: the timeout and proxies the login itself uses.
    with get_adapter().get_requests_session() as session:
        response = session.get(discovery_url)
        response.raise_for_status()
        endpoint = response.json()["authorization_endpoint"]
    parts = urlsplit(endpoint)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ValueError(f"authorization_endpoint {endpoint!r} is no http(s) URL")
    return origin_of(endpoint)
