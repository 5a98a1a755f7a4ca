"""Public sign-up of citizens and organisations (allauth with our extra fields)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import AuditEvent, User
from tests.factories import PASSWORD as PASSWORD_OF_FACTORIES
from tests.factories import CitizenFactory, TopicFactory

PASSWORD = "a-Long-and-unusual-passphrase-42"


def signup_data(**overrides):
    data = {
        "email": "neu@example.org",
        "display_name": "Neue Person",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "kind": "citizen",
        "organisation_name": "",
        "organisation_type": "",
        "offers": ["ideas", "testing"],
        "preferred_language": "en",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_participate_page_leads_to_the_signup(client, db):
    response = client.get("/participate/")
    assert response.status_code == 200
    assert 'href="/accounts/signup/"' in response.content.decode()


def test_a_citizen_signs_up_and_must_verify_the_email(client, db):
    topic = TopicFactory()
    response = client.post("/accounts/signup/", signup_data(topics=[topic.pk]))
    assert response.status_code == 302
    user = User.objects.get(email="neu@example.org")
    assert user.kind == User.Kind.CITIZEN
    assert (user.offers_ideas, user.offers_feedback, user.offers_testing) == (True, False, True)
    assert list(user.topics.all()) == [topic]
    assert user.preferred_language == "en"
    assert user.privacy_consent_at is not None
    assert user.privacy_notice_version == "2026-11"
    assert not EmailAddress.objects.get(user=user).verified
    assert AuditEvent.objects.filter(verb="account.signed_up", actor=user).exists()
    # Not signed in until the address is confirmed.
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1


def test_the_link_in_the_email_verifies_the_address(client, db):
    client.post("/accounts/signup/", signup_data())
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="neu@example.org").verified


def test_an_organisation_signs_up_with_its_name_and_type(client, db):
    data = signup_data(
        kind="organisation", organisation_name="Kiezlabor e. V.", organisation_type="association"
    )
    assert client.post("/accounts/signup/", data).status_code == 302
    user = User.objects.get(email="neu@example.org")
    assert user.kind == User.Kind.ORGANISATION
    assert (user.organisation_name, user.organisation_type) == ("Kiezlabor e. V.", "association")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "organisation"}, "organisation_name"),
        ({"kind": "organisation", "organisation_name": "X GmbH"}, "organisation_type"),
        ({"privacy_consent": None}, "privacy_consent"),
        ({"offers": None}, "offers"),
        ({"display_name": "x" * 10_000}, "display_name"),
        (
            {
                "organisation_name": "x" * 10_000,
                "kind": "organisation",
                "organisation_type": "company",
            },
            "organisation_name",
        ),
        ({"email": "x" * 10_000 + "@example.org"}, "email"),
        ({"kind": "employee"}, "kind"),  # tampered: employees never sign up here
        ({"offers": ["ideas", "admin"]}, "offers"),
        ({"topics": ["999999"]}, "topics"),
        ({"topics": ["not-a-number"]}, "topics"),
        ({"preferred_language": "xx"}, "preferred_language"),
        ({"display_name": ""}, "display_name"),
    ],
)
def test_bad_signup_input_gets_a_form_error_and_422(client, db, overrides, field):
    response = client.post("/accounts/signup/", signup_data(**overrides))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not User.objects.filter(email="neu@example.org").exists()
    assert 'role="alert"' in response.content.decode()


def test_empty_signup_gets_422(client, db):
    assert client.post("/accounts/signup/", {}).status_code == 422


def test_signup_with_a_taken_email_reveals_nothing(client, db):
    """Enumeration prevention: the same answer as for a new address; the owner is told by email."""
    CitizenFactory(email="taken@example.org")
    response = client.post("/accounts/signup/", signup_data(email="taken@example.org"))
    assert response.status_code == 302
    assert (
        response["Location"]
        == client.post("/accounts/signup/", signup_data(email="fresh@example.org"))["Location"]
    )
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert any("taken@example.org" in message.to for message in mail.outbox)


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    CitizenFactory(email="known@example.org")
    known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]


def test_signing_up_twice_does_not_create_two_accounts(client, db):
    client.post("/accounts/signup/", signup_data())
    client.post("/accounts/signup/", signup_data())
    assert User.objects.filter(email="neu@example.org").count() == 1


def test_unverified_people_cannot_sign_in(client, db):
    client.post("/accounts/signup/", signup_data())
    client.logout()
    response = client.post("/accounts/login/", {"login": "neu@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_by_code_is_offered(client, db):
    response = client.get("/accounts/login/")
    assert 'href="/accounts/login/code/"' in response.content.decode()


def test_repeated_failed_logins_are_rate_limited(client, db):
    person = CitizenFactory()
    responses = [
        client.post("/accounts/login/", {"login": person.email, "password": "wrong"})
        for _attempt in range(12)
    ]
    assert {response.status_code for response in responses} == {422}
    first_errors = str(responses[0].context["form"].errors)
    last_errors = str(responses[-1].context["form"].errors)
    assert "Zu viele" not in first_errors
    assert "Zu viele" in last_errors  # "Too many failed login attempts"
    # Even the right password is refused while the limit holds.
    right = client.post(
        "/accounts/login/", {"login": person.email, "password": PASSWORD_OF_FACTORIES}
    )
    assert "_auth_user_id" not in client.session
    assert right.status_code == 422


def test_rate_limits_use_the_shared_cache(settings):
    if settings.REDIS_URL:
        from django.core.cache import caches
        from django.core.cache.backends.redis import RedisCache

        # Django's Redis cache (config.cache's variant only adds a fallback while Redis is away).
        assert isinstance(caches["default"], RedisCache)
    assert getattr(settings, "ACCOUNT_RATE_LIMITS", None) is not False
