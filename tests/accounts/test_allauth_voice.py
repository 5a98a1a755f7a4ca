"""django-allauth speaks in the portal's voice ("Sie") and name, in German and English."""

import gettext
import re
from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.utils import translation

from tests.accounts.test_signup import signup_data
from tests.conftest import clear_cache
from tests.factories import PASSWORD, CitizenFactory, UserFactory

# "du" and its forms, and the imperatives allauth's German catalogue uses with it.
INFORMAL = re.compile(
    r"\b(du|dich|dir|dein\w*|hast|kannst|möchtest|bist|musst|solltest|bestätige|gib|"
    r"wähle|versuche|melde|lass|folge|kontaktiere|überprüfe|erstelle|klick|klicke)\b",
    re.IGNORECASE,
)
GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _allauth_msgids() -> list:
    catalogue = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.mo"
    with open(catalogue, "rb") as file:
        return [msgid for msgid in gettext.GNUTranslations(file)._catalog if msgid]  # type: ignore[attr-defined]


def _german(msgid) -> str:
    if isinstance(msgid, tuple):  # a plural form: (msgid, index)
        return translation.ngettext(msgid[0], msgid[0], 2)
    return translation.gettext(msgid)


def test_no_german_text_of_allauth_says_du():
    with translation.override("de"):
        informal = {
            msgid: german
            for msgid in _allauth_msgids()
            if INFORMAL.search(german := _german(msgid))
        }
    assert not informal, f"{len(informal)} allauth texts say 'du' in German: {informal}"


def _visible_text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/password/reset/", "/accounts/confirm-email/"]
)
def test_allauth_pages_speak_sie_to_anonymous_visitors(client, path):
    text = _visible_text(client.get(path, **GERMAN))
    assert not INFORMAL.search(text), INFORMAL.search(text)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/logout/", "/accounts/email/", "/accounts/2fa/"])
def test_allauth_pages_speak_sie_to_signed_in_people(client, path):
    client.force_login(CitizenFactory())
    text = _visible_text(client.get(path, **GERMAN))
    assert not INFORMAL.search(text), INFORMAL.search(text)


@pytest.mark.django_db
def test_a_failed_sign_in_is_explained_with_sie(client):
    user = UserFactory()
    response = client.post("/accounts/login/", {"login": user.email, "password": "wrong"}, **GERMAN)
    assert "Die E-Mail-Adresse und/oder das Passwort sind leider falsch." in _visible_text(response)
    mismatch = client.post(
        "/accounts/signup/", signup_data(password2=PASSWORD + "-other"), **GERMAN
    )
    assert "Bitte geben Sie zweimal dasselbe Passwort ein." in _visible_text(mismatch)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, greeting, name",
    [
        ("de", "Guten Tag,", "Projektmarktplatz Berlin"),
        ("en", "Good day,", "Projektmarktplatz Berlin"),
    ],
)
def test_the_confirmation_email_names_the_portal_not_the_host(client, language, greeting, name):
    client.post(
        "/accounts/signup/",
        signup_data(preferred_language=language),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    (email,) = mail.outbox
    assert email.body.startswith(greeting)
    assert name in email.body
    assert "Hello from" not in email.body and "Hallo von" not in email.body
    assert email.body.rstrip().endswith(settings.SITE_URL + "/")
    assert email.subject.startswith("[Projektmarktplatz] ")
    if language == "de":
        assert not INFORMAL.search(email.body + email.subject)


@pytest.mark.django_db
def test_the_verification_page_offers_to_send_the_email_again(client):
    page = client.get("/accounts/confirm-email/", **GERMAN).content.decode()
    assert 'action="/accounts/confirm-email/resend/"' in page
    client.post("/accounts/signup/", signup_data())
    mail.outbox.clear()
    clear_cache()  # the sign-up's email started allauth's pause between confirmation emails
    response = client.post("/accounts/confirm-email/resend/", {"email": "NEU@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    (email,) = mail.outbox
    assert email.to == ["neu@example.org"]
    assert "/accounts/confirm-email/" in email.body


@pytest.mark.django_db
def test_sending_again_reveals_nothing_and_sends_nothing_for_other_addresses(client):
    verified = UserFactory()
    EmailAddress.objects.get_or_create(user=verified, email=verified.email, verified=True)
    answers = []
    for email in [verified.email, "nobody@example.org"]:
        response = client.post("/accounts/confirm-email/resend/", {"email": email}, follow=True)
        answers.append(_visible_text(response).replace(email, "<email>"))
    assert answers[0] == answers[1]
    assert mail.outbox == []


@pytest.mark.django_db
def test_sending_again_keeps_allauths_pause_between_confirmation_emails(client):
    client.post("/accounts/signup/", signup_data())
    for _attempt in range(3):
        client.post("/accounts/confirm-email/resend/", {"email": "neu@example.org"})
    assert len(mail.outbox) == 1  # only the sign-up's email
    clear_cache()  # the pause is over
    client.post("/accounts/confirm-email/resend/", {"email": "neu@example.org"})
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_sending_again_to_a_malformed_address_is_a_form_error(client):
    response = client.post("/accounts/confirm-email/resend/", {"email": "not an address"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get("/accounts/confirm-email/resend/").status_code == 405
