"""The Content-Security-Policy's form-action lets the sign-in reach the provider, and no more."""

from django.urls import reverse

from config.single_sign_on import openid_connect_providers
from tests.accounts.single_sign_on_fakes import DISCOVERY, DISCOVERY_URL, ENVIRONMENT
from tests.accounts.single_sign_on_fakes import fake_identity_provider as fake_provider


def form_action(response) -> list[str]:
    directives = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    return directives["form-action"].split()


def test_without_single_sign_on_form_action_is_self_only(client, settings, db):
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers({})

    assert form_action(client.get(reverse("account_login"))) == ["'self'"]


def test_form_action_names_the_origin_of_the_discovered_authorisation_endpoint(
    single_sign_on, client
):
    with fake_provider() as fake:
        fake.answers[DISCOVERY_URL] = {
            **DISCOVERY,
            "authorization_endpoint": "https://auth.berlin.example:8443/authorize",
        }
        response = client.get(reverse("account_login"))

    assert form_action(response) == ["'self'", "https://auth.berlin.example:8443"]


def test_discovery_document_is_fetched_once(single_sign_on, client):
    with fake_provider() as fake:
        for path in [reverse("account_login"), "/", reverse("account_signup")]:
            assert form_action(client.get(path)) == ["'self'", "https://login.berlin.example"]

    assert fake.requested_urls == [DISCOVERY_URL]


def test_unreachable_discovery_falls_back_to_the_issuer_origin(single_sign_on, client):
    with fake_provider() as fake:
        fake.answers = _Unreachable()
        response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert form_action(response) == ["'self'", "https://login.berlin.example"]


def test_configured_authorisation_url_is_used_without_discovery(settings, client, db):
    environment = {**ENVIRONMENT, "OIDC_AUTHORIZATION_URL": "https://sso.berlin.example/auth"}
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers(environment)

    with fake_provider() as fake:
        response = client.get(reverse("account_login"))

    assert form_action(response) == ["'self'", "https://sso.berlin.example"]
    assert fake.requested_urls == []


def test_configured_authorisation_url_is_where_the_button_leads(settings, client, db):
    environment = {**ENVIRONMENT, "OIDC_AUTHORIZATION_URL": "https://sso.berlin.example/auth"}
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers(environment)

    with fake_provider():
        response = client.post("/accounts/oidc/berlin/login/")

    assert response["Location"].startswith("https://sso.berlin.example/auth?")


def test_other_directives_are_untouched(single_sign_on, client):
    with fake_provider():
        policy = client.get(reverse("account_login"))["Content-Security-Policy"]

    directives = [directive.strip() for directive in policy.split(";")]  # in any order
    assert "script-src 'self'" in directives
    assert "default-src 'self'" in directives
    assert policy.count("berlin.example") == 1


class _Unreachable(dict):
    def __getitem__(self, url):
        raise ConnectionError(f"cannot reach {url}")
