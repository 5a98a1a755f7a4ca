"""Participation's events reach the right people: proposal followers, waiting applications."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from participation.models import Application, ProposalFollow
from participation.services import proposals, reminders
from tests.factories import CitizenFactory, EmployeeFactory, ProjectFactory, RoleFactory
from tests.factories_participation import (
    ProposalFactory,
    ProposalSupportFactory,
    ReviewerFactory,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def test_a_status_change_tells_proposer_supporters_and_followers_once_each():
    proposal = ProposalFactory()
    supporter, follower, both = CitizenFactory(), CitizenFactory(), CitizenFactory()
    ProposalSupportFactory(proposal=proposal, supporter=supporter)
    ProposalSupportFactory(proposal=proposal, supporter=both)
    for person in (follower, both):
        proposals.follow_proposal(person, proposal)
    proposals.change_proposal_status(ReviewerFactory(), proposal, "in_review")
    told = list(
        Notification.objects.filter(kind="proposal_status").values_list("recipient", flat=True)
    )
    assert sorted(told) == sorted([proposal.proposer.pk, supporter.pk, follower.pk, both.pk])


def test_every_status_change_is_told():
    proposal = ProposalFactory()
    reviewer = ReviewerFactory()
    proposals.change_proposal_status(reviewer, proposal, "in_review")
    proposals.change_proposal_status(reviewer, proposal, "declined", reason="Schon umgesetzt")
    assert Notification.objects.filter(recipient=proposal.proposer).count() == 2


def test_following_a_proposal_in_the_browser(client):
    proposal = ProposalFactory()
    citizen = CitizenFactory()
    client.force_login(citizen)
    url = reverse("proposal-follow", kwargs={"pk": proposal.pk})
    assert client.post(url, {"action": "follow"}).status_code == 302
    assert client.post(url, {"action": "follow"}).status_code == 302  # double submit
    assert ProposalFollow.objects.filter(proposal=proposal, follower=citizen).count() == 1
    assert "stop following" in client.get(proposal.get_absolute_url(), headers=EN).content.decode()
    assert client.post(url, {"action": "bogus"}).status_code == 400
    client.post(url, {"action": "unfollow"})
    assert not ProposalFollow.objects.exists()


def test_following_a_proposal_needs_an_account_and_an_existing_proposal(client):
    proposal = ProposalFactory()
    url = reverse("proposal-follow", kwargs={"pk": proposal.pk})
    assert client.post(url, {"action": "follow"}).status_code == 302
    assert not ProposalFollow.objects.exists()
    client.force_login(CitizenFactory())
    missing = reverse("proposal-follow", kwargs={"pk": 999999})
    assert client.post(missing, {"action": "follow"}).status_code == 404


def test_leads_are_reminded_of_applications_waiting_more_than_seven_days():
    lead = EmployeeFactory()
    role = RoleFactory(project=ProjectFactory(leads=[lead]))
    now = timezone.now()
    old = Application.objects.create(role=role, applicant=CitizenFactory())
    Application.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=8))
    Application.objects.create(role=role, applicant=CitizenFactory())  # fresh: not yet
    decided = Application.objects.create(
        role=role, applicant=CitizenFactory(), status="declined", decision_reason="capacity"
    )
    Application.objects.filter(pk=decided.pk).update(created_at=now - timedelta(days=30))
    assert reminders.remind_pending_applications(now) == 1
    reminders.remind_pending_applications(now + timedelta(hours=5))  # the same week: nothing new
    rows = Notification.objects.filter(recipient=lead, kind="application_reminder")
    assert rows.count() == 1
    reminders.remind_pending_applications(now + timedelta(days=7))
    assert rows.count() == 2
