"""Staff single sign-on in Chromium against a real OpenID Connect provider.

The provider is ``oidc-provider-mock`` (a package nobody on the project wrote), run
as a process of its own on a free loopback port. The portal serves its real
Content-Security-Policy; every page the browser loads is watched for a violation.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from unittest.mock import patch

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from accounts.models import User
from config.content_security_policy import forget_discovered_origins
from config.single_sign_on import openid_connect_providers
from tests.conftest import assert_accessible, log_in_browser
from tests.factories import CitizenFactory

EMPLOYEE_DOMAIN = "senatsverwaltung.berlin.de"
BUTTON = "Mit Berlin SSO anmelden"


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def identity_provider():
    """The provider's issuer URL; the process ends with the module."""
    port = free_loopback_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{issuer}/.well-known/openid-configuration", process)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_serving(url: str, process: subprocess.Popen) -> None:
    for _attempt in range(200):
        if process.poll() is not None:
            pytest.fail(f"oidc-provider-mock ended: {process.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"oidc-provider-mock did not answer at {url}")


def register_user(issuer: str, sub: str, **claims) -> None:
    """What the provider will say about ``sub`` (its users are set over HTTP)."""
    request = urllib.request.Request(  # noqa: S310
        f"{issuer}/users/{sub}",
        data=json.dumps(claims).encode(),
        headers={"Content-Type": "application/json"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310
        pass


@pytest.fixture
def single_sign_on(settings, identity_provider):
    settings.SOCIALACCOUNT_PROVIDERS = openid_connect_providers(
        {
            "OIDC_CLIENT_ID": "projektmarktplatz",
            "OIDC_CLIENT_SECRET": "client-secret",
            "OIDC_SERVER_URL": identity_provider,
        }
    )
    settings.OIDC_EMPLOYEE_DOMAINS = [EMPLOYEE_DOMAIN]
    forget_discovered_origins()
    yield identity_provider
    forget_discovered_origins()


@pytest.fixture
def violations(page):
    """Every Content-Security-Policy violation Chromium reports on the console."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(message.text),
    )
    return found


def sign_in_at_provider(page, live_server, sub: str) -> None:
    """Press the portal's button, then authorise ``sub`` on the provider's own form."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name=BUTTON).click()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_employee_signs_in_twice_to_one_account(
    live_server, browser, single_sign_on, violations, page
):
    email = f"erika.muster@{EMPLOYEE_DOMAIN}"
    register_user(single_sign_on, email, email=email, email_verified=True, name="Erika Muster")
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)

    sign_in_at_provider(page, live_server, email)

    assert page.url == live_server.url + "/"
    user = User.objects.get(email=email)
    assert (user.kind, user.display_name) == (User.Kind.EMPLOYEE, "Erika Muster")
    page.context.clear_cookies()
    sign_in_at_provider(page, live_server, email)
    assert page.url == live_server.url + "/"
    page.goto(live_server.url + "/me/")
    assert page.url == live_server.url + "/me/"  # signed in, not sent to the sign-in page
    assert User.objects.count() == 1
    assert SocialAccount.objects.get().user == user
    assert not violations, violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_works_without_javascript(live_server, browser, single_sign_on):
    email = f"max@{EMPLOYEE_DOMAIN}"
    register_user(single_sign_on, email, email=email, name="Max Muster")
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_at_provider(page, live_server, email)
        assert page.url == live_server.url + "/"
    finally:
        context.close()
    assert User.objects.get(email=email).kind == User.Kind.EMPLOYEE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_outside_domain_is_sent_to_take_part_instead(live_server, single_sign_on, violations, page):
    register_user(single_sign_on, "someone@gmail.example", email="someone@gmail.example")

    sign_in_at_provider(page, live_server, "someone@gmail.example")

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Berlin SSO ist für Mitarbeiter*innen der Verwaltung"
    assert_accessible(page)
    page.get_by_role("link", name="So machen Sie mit").click()
    assert page.url == live_server.url + "/participate/"
    assert not User.objects.exists()
    assert not violations, violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_existing_address_is_told_how_to_connect_and_it_works(
    live_server, single_sign_on, violations, page
):
    email = f"erika.muster@{EMPLOYEE_DOMAIN}"
    existing = CitizenFactory(email=email)
    register_user(single_sign_on, email, email=email, email_verified=True)

    sign_in_at_provider(page, live_server, email)

    assert page.get_by_role("heading", level=1).inner_text() == "Sie haben bereits ein Konto"
    assert_accessible(page)
    [message] = mail.outbox
    assert message.to == [email]
    assert f"{live_server.url}/accounts/3rdparty/" in message.body
    assert list(User.objects.all()) == [existing]
    # The steps of the page and the email: sign in as before, then connect.
    log_in_browser(page.context, live_server.url, existing)
    page.goto(live_server.url + "/accounts/3rdparty/")
    page.get_by_role("button", name="Berlin SSO verbinden").click()
    page.get_by_role("button", name=email).first.click()  # the provider knows the subject now
    page.wait_for_load_state()
    assert SocialAccount.objects.get().user == existing
    page.context.clear_cookies()
    sign_in_at_provider(page, live_server, email)
    assert page.url == live_server.url + "/"
    assert list(User.objects.all()) == [existing]
    assert not violations, violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_denial_at_the_provider_gives_a_clean_page(live_server, single_sign_on, violations, page):
    statuses: list[int] = []
    page.on("response", lambda response: statuses.append(response.status))
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name=BUTTON).click()

    page.get_by_role("button", name="Deny").click()
    page.wait_for_load_state()

    assert page.url.startswith(live_server.url + "/accounts/")
    assert 500 not in statuses
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page)
    assert not User.objects.exists()
    assert not violations, violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_violation_check_sees_a_policy_without_the_provider(
    live_server, single_sign_on, violations, page
):
    # The check above would pass vacuously if Chromium reported nothing: without the
    # provider's origin in form-action (the old policy), it must see the violation.
    with patch("config.content_security_policy.authorization_origin", return_value=None):
        page.goto(live_server.url + "/accounts/login/")
        with page.expect_console_message(lambda message: "form-action" in message.text):
            page.get_by_role("button", name=BUTTON).click()

    assert any("form-action" in violation for violation in violations), violations
    assert page.url.startswith(live_server.url)
