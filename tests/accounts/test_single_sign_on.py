"""Single sign-on through OpenID Connect: configuration, allauth wiring and employee sign-up.

No real identity provider here: ``FakeIdentityProvider`` stands in for it (the
browser test, tests/browser/test_single_sign_on.py, runs against a real one).
"""

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
from tests.accounts.single_sign_on_fakes import (
    CALLBACK_URL,
    DISCOVERY,
    DISCOVERY_URL,
    EMPLOYEE_CLAIMS,
    ENVIRONMENT,
    LOGIN_URL,
    OUTSIDER_CLAIMS,
    SERVER_URL,
    fake_identity_provider,
    sign_in_through_provider,
    sociallogin_for,
)
from tests.factories import CitizenFactory, EmployeeFactory

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


def test_a_link_to_the_login_url_only_asks_for_confirmation(single_sign_on, client):
    # A GET (a link someone was sent) must not start a sign-in by itself.
    with fake_identity_provider():
        response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert b"Berlin SSO" in response.content
    assert "socialaccount_states" not in client.session


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
    # allauth reads the discovery document; the Content-Security-Policy may, once.
    assert set(fake.requested_urls) == {DISCOVERY_URL}


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

    assert response.status_code == 403
    assert "socialaccount/employees_only.html" in [template.name for template in response.templates]
    assert not User.objects.exists()
    assert SESSION_KEY not in client.session


def test_existing_account_with_the_address_is_neither_taken_over_nor_duplicated(
    single_sign_on, client
):
    existing = EmployeeFactory(email="erika.muster@senatsverwaltung.berlin.de")

    response = sign_in_through_provider(client, EMPLOYEE_CLAIMS)

    assert response.status_code == 200
    assert "socialaccount/account_exists.html" in [template.name for template in response.templates]
    assert list(User.objects.all()) == [existing]
    assert not SocialAccount.objects.exists()
    assert SESSION_KEY not in client.session
    assert [message.to for message in mail.outbox] == [[existing.email]]


def _add_address(client, person, email):
    client.force_login(person)
    return client.post(
        "/accounts/email/", {"action_add": "", "email": email}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_a_citizen_cannot_add_an_address_of_the_administration(single_sign_on, client):
    from allauth.account.models import EmailAddress

    citizen = CitizenFactory()
    response = _add_address(client, citizen, "erika@dienst.senatsverwaltung.berlin.de")

    assert response.status_code == 422  # the form again, with its message
    assert "This is an address of the administration" in response.content.decode()
    assert not EmailAddress.objects.filter(email__iendswith="senatsverwaltung.berlin.de").exists()


def test_a_citizen_adds_an_address_of_their_own_and_an_employee_one_of_the_administration(
    single_sign_on, client
):
    from allauth.account.models import EmailAddress

    assert _add_address(client, CitizenFactory(), "ada@example.org").status_code == 302
    employee = EmployeeFactory()
    assert _add_address(client, employee, "e2@senatsverwaltung.berlin.de").status_code == 302
    assert EmailAddress.objects.filter(email="ada@example.org").exists()
    assert EmailAddress.objects.filter(
        user=employee, email="e2@senatsverwaltung.berlin.de"
    ).exists()
