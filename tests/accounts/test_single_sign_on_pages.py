"""What people see and get around single sign-on: the button, the refusals, the email.

The provider is faked here (tests/accounts/single_sign_on_fakes.py); the browser
test walks the same paths against a real one.
"""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.accounts.single_sign_on_fakes import (
    EMPLOYEE_CLAIMS,
    LOGIN_URL,
    OUTSIDER_CLAIMS,
    fake_identity_provider,
    sign_in_through_provider,
)
from tests.accounts.test_signup import signup_data
from tests.factories import CitizenFactory

EMPLOYEE_EMAIL = "erika.muster@senatsverwaltung.berlin.de"
BUTTON_FORM = re.compile(
    r'<form method="post" action="(?P<action>[^"]+)" class="provider-login">\s*'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">\s*'
    r"<button type=\"submit\">(?P<label>[^<]+)</button>"
)


def in_language(client, language: str):
    client.cookies["pm_language"] = language
    return client


# --- the sign-in button ------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, heading, label",
    [
        ("de", "Mitarbeiter*innen der Verwaltung", "Mit Berlin SSO anmelden"),
        ("en", "Employees of the administration", "Sign in with Berlin SSO"),
    ],
)
def test_sign_in_button_is_a_form_posting_to_the_provider_login(
    single_sign_on, client, language, heading, label
):
    html = in_language(client, language).get(reverse("account_login")).content.decode()

    [button] = BUTTON_FORM.finditer(html)
    assert button["action"] == f"{LOGIN_URL}?process=login"
    assert button["label"] == label
    assert heading in html


def test_the_button_skips_the_confirmation_page(single_sign_on, client):
    with fake_identity_provider():
        client.get(reverse("account_login"))
        response = client.post(f"{LOGIN_URL}?process=login")

    assert response.status_code == 302
    assert response["Location"].startswith("https://login.berlin.example/")


def test_the_button_needs_the_csrf_token(single_sign_on, db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    with fake_identity_provider():
        response = strict.post(f"{LOGIN_URL}?process=login")

    assert response.status_code == 403


def test_connections_page_offers_to_connect_by_form(single_sign_on, client, employee):
    client.force_login(employee)

    html = in_language(client, "en").get(reverse("socialaccount_connections")).content.decode()

    [button] = BUTTON_FORM.finditer(html)
    assert button["action"] == f"{LOGIN_URL}?process=connect"
    assert button["label"] == "Connect Berlin SSO"


# --- outside domains ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, expected",
    [
        ("de", "Berlin SSO ist für Mitarbeiter*innen der Verwaltung"),
        ("en", "Berlin SSO is for employees"),
    ],
)
def test_outside_domain_gets_the_employees_only_page(single_sign_on, client, language, expected):
    response = sign_in_through_provider(in_language(client, language), OUTSIDER_CLAIMS)

    html = response.content.decode()
    assert response.status_code == 403
    assert expected in html
    assert f'href="{reverse("participate")}"' in html
    assert "closed" not in html and "geschlossen" not in html
    assert not User.objects.exists()


def test_look_alike_domain_is_an_outside_domain(single_sign_on, client):
    claims = {**EMPLOYEE_CLAIMS, "email": "erika@senatsverwaltung.berlin.de.evil.example"}

    response = sign_in_through_provider(client, claims)

    assert response.status_code == 403
    assert not User.objects.exists()


# --- an address that already has an account ------------------------------------------------


def test_existing_address_is_told_the_steps_on_the_page_and_by_email(single_sign_on, client):
    CitizenFactory(email=EMPLOYEE_EMAIL)

    response = sign_in_through_provider(in_language(client, "en"), EMPLOYEE_CLAIMS)

    html = response.content.decode()
    assert "You already have an account" in html
    assert EMPLOYEE_EMAIL in html
    assert 'href="http://testserver/accounts/3rdparty/"' in html
    [message] = mail.outbox
    assert message.to == [EMPLOYEE_EMAIL]
    assert "Berlin SSO" in message.subject
    for url in ["/accounts/login/", "/accounts/3rdparty/", "/accounts/password/reset/"]:
        assert f"http://testserver{url}" in message.body


def test_existing_address_email_is_in_german_for_german_visitors(single_sign_on, client):
    CitizenFactory(email=EMPLOYEE_EMAIL)

    sign_in_through_provider(in_language(client, "de"), EMPLOYEE_CLAIMS)

    [message] = mail.outbox
    assert "Verbinden Sie Ihr Konto mit Berlin SSO" in message.subject
    assert "Sie" in message.body


def test_the_steps_work_connect_after_password_sign_in_then_sso_signs_in(single_sign_on, client):
    existing = CitizenFactory(email=EMPLOYEE_EMAIL)
    sign_in_through_provider(client, EMPLOYEE_CLAIMS)
    mail.outbox.clear()

    client.force_login(existing)  # step 1: signed in as before
    sign_in_through_provider(client, EMPLOYEE_CLAIMS, process="connect")  # step 2
    client.logout()
    response = sign_in_through_provider(client, EMPLOYEE_CLAIMS)

    assert SocialAccount.objects.get().user == existing
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(existing.pk)
    assert list(User.objects.all()) == [existing]


# --- the public sign-up keeps the administration's addresses ---------------------------------


@pytest.mark.parametrize(
    "email", ["neu@senatsverwaltung.berlin.de", "neu@IT.Senatsverwaltung.Berlin.de"]
)
def test_public_sign_up_refuses_employee_addresses(single_sign_on, client, email):
    response = in_language(client, "en").post("/accounts/signup/", signup_data(email=email))

    assert response.status_code == 422
    assert "please sign in with Berlin SSO" in response.content.decode()
    assert not User.objects.exists()
    assert not mail.outbox


def test_public_sign_up_takes_other_addresses(single_sign_on, client):
    email = "neu@senatsverwaltung.berlin.de.example.org"

    response = client.post("/accounts/signup/", signup_data(email=email))

    assert response.status_code == 302
    assert User.objects.filter(email=email).exists()
