import pytest

from config.content_security_policy import forget_discovered_origins
from config.single_sign_on import openid_connect_providers
from tests.accounts.single_sign_on_fakes import ENVIRONMENT, fake_identity_provider


@pytest.fixture
def single_sign_on(settings, db):
    """Single sign-on configured, the provider faked (no test reaches the network);
    its discovery is fetched anew in each test."""
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers(ENVIRONMENT)
    settings.OIDC_EMPLOYEE_DOMAINS = ["senatsverwaltung.berlin.de"]
    forget_discovered_origins()
    with fake_identity_provider():
        yield settings
    forget_discovered_origins()
