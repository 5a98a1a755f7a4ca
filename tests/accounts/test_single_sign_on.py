"""Single sign-on through OpenID Connect: configuration, allauth wiring and employee sign-up.

No real identity provider: ``FakeIdentityProvider`` stands in for the HTTP session
allauth uses for discovery, the token exchange and userinfo.
"""

import json
from contextlib import contextmanager
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts.models import AuditEvent, User
from accounts.single_sign_on import SocialAccountAdapter, is_employee_email
from config.single_sign_on import openid_connect_providers
from tests.factories import EmployeeFactory

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
        return self.payload

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


@pytest.fixture
def single_sign_on(settings, db):
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers(ENVIRONMENT)
    settings.OIDC_EMPLOYEE_DOMAINS = ["senatsverwaltung.berlin.de"]
    return settings


@contextmanager
def fake_identity_provider(claims: dict | None = None):
    """Patch allauth's HTTP session; yields the fake so tests can see what was requested."""
    fake = FakeIdentityProvider(claims)
    with patch.object(SocialAccountAdapter, "get_requests_session", return_value=fake):
        yield fake


def sign_in_through_provider(client, claims: dict):
    """Walk the whole flow: confirm the login, come back from the provider with a code."""
    with fake_identity_provider(claims):
        to_provider = client.post(LOGIN_URL)
        state = parse_qs(urlsplit(to_provider["Location"]).query)["state"][0]
        return client.get(CALLBACK_URL, {"code": "authorization-code", "state": state})


def sociallogin_for(rf, claims: dict):
    """What allauth builds from the provider's answer, populated by our adapter."""
    request = rf.get("/")
    provider = get_adapter().get_provider(request, "berlin")
    return request, provider.sociallogin_from_response(request, {"userinfo": claims})


# --- configuration from the environment ---------------------------------------------


def test_full_environment_gives_one_openid_connect_app():
    providers = openid_connect_providers(ENVIRONMENT)

    [app] = providers["openid_connect"]["APPS"]
    assert app["client_id"] == "projektmarktplatz"
    assert app["secret"] == "client-secret"
    assert app["settings"]["server_url"] == SERVER_URL
    assert app["provider_id"] == "berlin"
    assert app["name"] == "Berlin SSO"
    assert providers["openid_connect"]["SCOPE"] == ["openid", "email", "profile"]


def test_provider_id_and_name_have_defaults_and_can_be_changed():
    required_only = {name: ENVIRONMENT[name] for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")}
    required_only["OIDC_SERVER_URL"] = SERVER_URL
    [default_app] = openid_connect_providers(required_only)["openid_connect"]["APPS"]
    changed = {**ENVIRONMENT, "OIDC_PROVIDER_ID": "keycloak", "OIDC_NAME": "Dienstkonto"}
    [changed_app] = openid_connect_providers(changed)["openid_connect"]["APPS"]

    assert (default_app["provider_id"], default_app["name"]) == ("berlin", "Berlin SSO")
    assert (changed_app["provider_id"], changed_app["name"]) == ("keycloak", "Dienstkonto")


@pytest.mark.parametrize("environ", [{}, {"OIDC_CLIENT_ID": "", "OIDC_SERVER_URL": " "}])
def test_nothing_set_gives_no_provider(environ):
    assert openid_connect_providers(environ) == {}


@pytest.mark.parametrize(
    "given, missing",
    [
        (["OIDC_CLIENT_ID"], ["OIDC_CLIENT_SECRET", "OIDC_SERVER_URL"]),
        (["OIDC_CLIENT_ID", "OIDC_SERVER_URL"], ["OIDC_CLIENT_SECRET"]),
        (["OIDC_SERVER_URL"], ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"]),
    ],
)
def test_half_configured_names_the_missing_variables(given, missing):
    environ = {name: ENVIRONMENT[name] for name in given}

    with pytest.raises(ImproperlyConfigured) as error:
        openid_connect_providers(environ)

    assert f"{', '.join(missing)} missing" in str(error.value)


@pytest.mark.parametrize(
    "server_url", ["login.berlin.example/realms/berlin", "ftp://login.berlin.example", "https://"]
)
def test_server_url_that_is_no_http_url_is_refused(server_url):
    with pytest.raises(ImproperlyConfigured, match="OIDC_SERVER_URL"):
        openid_connect_providers({**ENVIRONMENT, "OIDC_SERVER_URL": server_url})


def test_client_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "oidc_client_secret"
    secret_file.write_text("secret-from-file\n", encoding="utf-8")
    environ = {key: value for key, value in ENVIRONMENT.items() if key != "OIDC_CLIENT_SECRET"}
    environ["OIDC_CLIENT_SECRET_FILE"] = str(secret_file)

    [app] = openid_connect_providers(environ)["openid_connect"]["APPS"]

    assert app["secret"] == "secret-from-file"


def test_unreadable_secret_file_is_refused(tmp_path):
    environ = {key: value for key, value in ENVIRONMENT.items() if key != "OIDC_CLIENT_SECRET"}
    environ["OIDC_CLIENT_SECRET_FILE"] = str(tmp_path / "missing")

    with pytest.raises(ImproperlyConfigured, match="OIDC_CLIENT_SECRET_FILE"):
        openid_connect_providers(environ)


def test_settings_use_our_adapter():
    assert settings.SOCIALACCOUNT_ADAPTER == "accounts.single_sign_on.SocialAccountAdapter"
    assert isinstance(get_adapter(), SocialAccountAdapter)


# --- allauth sees the provider --------------------------------------------------------


def test_allauth_lists_the_configured_provider(single_sign_on, rf):
    providers = get_adapter().list_providers(rf.get("/"))

    [provider] = [provider for provider in providers if provider.id == "openid_connect"]
    assert provider.app.provider_id == "berlin"
    assert provider.name == "Berlin SSO"
    assert provider.get_login_url(rf.get("/")) == LOGIN_URL


def test_login_url_is_not_found_without_configuration(client, settings, db):
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers({})

    assert client.get(LOGIN_URL).status_code == 404


def test_sign_in_page_offers_the_provider(single_sign_on, client):
    response = client.get(reverse("account_login"))

    assert LOGIN_URL.encode() in response.content
    assert b"Berlin SSO" in response.content


def test_login_page_asks_for_confirmation_without_calling_the_provider(single_sign_on, client):
    with fake_identity_provider() as fake:
        response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert b"Berlin SSO" in response.content
    assert fake.requested_urls == []


def test_confirmed_login_redirects_to_the_authorization_endpoint(single_sign_on, client):
    with fake_identity_provider() as fake:
        response = client.post(LOGIN_URL)

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert (
        f"{location.scheme}://{location.netloc}{location.path}"
        == (DISCOVERY["authorization_endpoint"])
    )
    assert query["client_id"] == ["projektmarktplatz"]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == [f"http://testserver{CALLBACK_URL}"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert fake.requested_urls == [DISCOVERY_URL]


# --- the adapter decides who becomes an employee --------------------------------------


def test_address_in_employee_domain_makes_an_employee_named_by_the_claims(single_sign_on, rf):
    request, sociallogin = sociallogin_for(rf, EMPLOYEE_CLAIMS)

    assert sociallogin.user.email == "erika.muster@senatsverwaltung.berlin.de"
    assert sociallogin.user.kind == User.Kind.EMPLOYEE
    assert sociallogin.user.display_name == "Erika Muster"
    assert get_adapter().is_open_for_signup(request, sociallogin) is True


def test_given_and_family_name_make_the_display_name_without_a_name_claim(single_sign_on, rf):
    claims = {key: value for key, value in EMPLOYEE_CLAIMS.items() if key != "name"}
    claims["given_name"] = "Max"

    _, sociallogin = sociallogin_for(rf, claims)

    assert sociallogin.user.display_name == "Max Muster"


def test_outside_address_is_a_citizen_and_not_open_for_signup(single_sign_on, rf):
    request, sociallogin = sociallogin_for(rf, OUTSIDER_CLAIMS)

    assert sociallogin.user.kind == User.Kind.CITIZEN
    assert get_adapter().is_open_for_signup(request, sociallogin) is False


def test_address_the_provider_calls_unverified_makes_no_employee(single_sign_on, rf):
    request, sociallogin = sociallogin_for(rf, {**EMPLOYEE_CLAIMS, "email_verified": False})

    assert sociallogin.user.kind == User.Kind.CITIZEN
    assert get_adapter().is_open_for_signup(request, sociallogin) is False


def test_nobody_is_an_employee_without_employee_domains(single_sign_on, rf):
    single_sign_on.OIDC_EMPLOYEE_DOMAINS = []

    request, sociallogin = sociallogin_for(rf, EMPLOYEE_CLAIMS)

    assert get_adapter().is_open_for_signup(request, sociallogin) is False


@pytest.mark.parametrize(
    "email, expected",
    [
        ("erika@senatsverwaltung.berlin.de", True),
        ("Erika@SENATSVERWALTUNG.berlin.DE", True),
        ("erika@it.senatsverwaltung.berlin.de", True),
        ("erika@evil-senatsverwaltung.berlin.de", False),
        ("erika@senatsverwaltung.berlin.de.evil.example", False),
        ("senatsverwaltung.berlin.de@evil.example", False),
        ("", False),
        (None, False),
    ],
)
def test_employee_domain_matches_exactly_or_as_parent_domain(settings, email, expected):
    settings.OIDC_EMPLOYEE_DOMAINS = ["Senatsverwaltung.Berlin.de"]

    assert is_employee_email(email) is expected


# --- the whole sign-in, provider faked ------------------------------------------------


def test_first_sign_in_creates_a_verified_employee_and_audits_it(single_sign_on, client):
    response = sign_in_through_provider(client, EMPLOYEE_CLAIMS)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="erika.muster@senatsverwaltung.berlin.de")
    assert user.kind == User.Kind.EMPLOYEE
    assert user.display_name == "Erika Muster"
    assert not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()
    assert SocialAccount.objects.get(user=user).uid == "employee-1"
    assert client.session[SESSION_KEY] == str(user.pk)
    event = AuditEvent.objects.get(verb="account.created_by_single_sign_on")
    assert (event.actor, event.target_id) == (user, str(user.pk))


def test_address_verified_even_when_the_provider_sends_no_claim_for_it(single_sign_on, client):
    claims = {key: value for key, value in EMPLOYEE_CLAIMS.items() if key != "email_verified"}

    sign_in_through_provider(client, claims)

    assert EmailAddress.objects.get(email="erika.muster@senatsverwaltung.berlin.de").verified


def test_second_sign_in_logs_into_the_same_account(single_sign_on, client, django_user_model):
    sign_in_through_provider(client, EMPLOYEE_CLAIMS)
    client.logout()

    response = sign_in_through_provider(client, {**EMPLOYEE_CLAIMS, "name": "Erika M."})

    assert response.status_code == 302
    user = django_user_model.objects.get()
    assert client.session[SESSION_KEY] == str(user.pk)
    assert AuditEvent.objects.filter(verb="account.created_by_single_sign_on").count() == 1


def test_outsider_sign_in_creates_nothing(single_sign_on, client):
    response = sign_in_through_provider(client, OUTSIDER_CLAIMS)

    assert response.status_code == 200
    assert "account/signup_closed.html" in [template.name for template in response.templates]
    assert not User.objects.exists()
    assert SESSION_KEY not in client.session


def test_existing_account_with_the_address_is_neither_taken_over_nor_duplicated(
    single_sign_on, client
):
    existing = EmployeeFactory(email="erika.muster@senatsverwaltung.berlin.de")

    response = sign_in_through_provider(client, EMPLOYEE_CLAIMS)

    assert response["Location"] == reverse("account_email_verification_sent")
    assert list(User.objects.all()) == [existing]
    assert not SocialAccount.objects.exists()
    assert SESSION_KEY not in client.session
    # allauth hides that the account exists and mails its owner instead.
    assert [message.to for message in mail.outbox] == [[existing.email]]
