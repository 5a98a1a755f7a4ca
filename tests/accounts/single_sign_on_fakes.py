"""A stand-in for the identity provider in tests that need no real one.

``FakeIdentityProvider`` replaces the HTTP session allauth uses for discovery, the
token exchange and userinfo. The browser test runs against a real provider instead.
"""

import json
from contextlib import contextmanager
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from allauth.socialaccount.adapter import get_adapter

from accounts.single_sign_on import SocialAccountAdapter

SERVER_URL = "https://login.berlin.example/realms/berlin"
ENVIRONMENT = {
    "OIDC_CLIENT_ID": "projektmarktplatz",
    "OIDC_CLIENT_SECRET": "client-secret",
    "OIDC_SERVER_URL": f"{SERVER_URL}/",
    "OIDC_PROVIDER_ID": "berlin",
    "OIDC_NAME": "Berlin SSO",
}
LOGIN_URL = "/accounts/oidc/berlin/login/"
CALLBACK_URL = "/accounts/oidc/berlin/login/callback/"
DISCOVERY_URL = f"{SERVER_URL}/.well-known/openid-configuration"
DISCOVERY = {
    "issuer": SERVER_URL,
    "authorization_endpoint": f"{SERVER_URL}/protocol/openid-connect/auth",
    "token_endpoint": f"{SERVER_URL}/protocol/openid-connect/token",
    "userinfo_endpoint": f"{SERVER_URL}/protocol/openid-connect/userinfo",
    "jwks_uri": f"{SERVER_URL}/protocol/openid-connect/certs",
}
EMPLOYEE_CLAIMS = {
    "sub": "employee-1",
    "email": "Erika.Muster@Senatsverwaltung.Berlin.de",
    "email_verified": True,
    "name": "Erika Muster",
    "given_name": "Erika",
    "family_name": "Muster",
}
OUTSIDER_CLAIMS = {"sub": "outsider-1", "email": "someone@gmail.example", "name": "Some One"}


class FakeResponse:
    def __init__(self, payload: dict):
        self.payload = payload
        self.status_code = 200
        self.headers = {"content-type": "application/json"}
        self.text = json.dumps(payload)
        self.content = self.text.encode()

    def json(self):
        # A fresh copy, as a real response: allauth updates the discovery document it gets.
        return json.loads(self.text)

    def raise_for_status(self):
        pass


class FakeIdentityProvider:
    """Stands in for allauth's ``requests.Session``; an unexpected URL fails with KeyError."""

    def __init__(self, claims: dict | None = None):
        self.answers = {
            DISCOVERY_URL: DISCOVERY,
            DISCOVERY["token_endpoint"]: {"access_token": "access-token", "token_type": "Bearer"},
            DISCOVERY["userinfo_endpoint"]: claims or {},
        }
        self.requested_urls = []

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        return False

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def request(self, method, url, **kwargs):
        self.requested_urls.append(url)
        return FakeResponse(self.answers[url])


@contextmanager
def fake_identity_provider(claims: dict | None = None):
    """Patch allauth's HTTP session; yields the fake so tests can see what was requested."""
    fake = FakeIdentityProvider(claims)
    with patch.object(SocialAccountAdapter, "get_requests_session", return_value=fake):
        yield fake


def sign_in_through_provider(client, claims: dict, process: str = "login"):
    """Walk the whole flow: press the button, come back from the provider with a code."""
    with fake_identity_provider(claims):
        to_provider = client.post(LOGIN_URL, {"process": process})
        state = parse_qs(urlsplit(to_provider["Location"]).query)["state"][0]
        return client.get(CALLBACK_URL, {"code": "authorization-code", "state": state})


def sociallogin_for(rf, claims: dict):
    """What allauth builds from the provider's answer, populated by our adapter."""
    request = rf.get("/")
    provider = get_adapter().get_provider(request, "berlin")
    return request, provider.sociallogin_from_response(request, {"userinfo": claims})
