"""Only people with a verified email address may participate."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.permissions import can_participate, participant_required
from tests.factories import CitizenFactory


@participant_required
def offer_help(request):
    return HttpResponse("thank you")


def request_by(user):
    request = RequestFactory().post("/projects/some-project/offer-help/")
    request.user = user
    return request


def test_a_verified_citizen_may_participate(db):
    citizen = CitizenFactory()
    assert can_participate(citizen)
    assert offer_help(request_by(citizen)).status_code == 200


def test_an_unverified_account_is_refused_with_403(db):
    citizen = CitizenFactory(verified=False)
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=False, primary=True)
    assert not can_participate(citizen)
    response = offer_help(request_by(citizen))
    assert response.status_code == 403
    assert b"confirm" in response.content or b"best\xc3\xa4tigen" in response.content


def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = offer_help(request_by(AnonymousUser()))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_deactivated_accounts_cannot_participate(db):
    assert not can_participate(CitizenFactory(is_active=False))
