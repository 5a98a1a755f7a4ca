"""/proposals/: submitting, listing, supporting and reviewing proposals from the public."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, connections
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from marketplace.models import Project, ProjectStatus, Role
from participation.models import (
    Application,
    ApplicationStatus,
    Membership,
    Proposal,
    ProposalStatus,
    ProposalStatusChange,
    ProposalSupport,
)
from participation.services import proposals as services
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    EmployeeFactory,
    OrganisationFactory,
    TopicFactory,
    UserFactory,
)
from tests.factories_participation import (
    CommentFactory,
    ProposalFactory,
    ProposalSupportFactory,
    ReviewerFactory,
)

LIST_URL = reverse("proposal-list")
CREATE_URL = reverse("proposal-create")

# The list: session and user when signed in, the count, the page of proposals (with topic,
# proposer and support count), the topics of the filter. Never one more per proposal.
LIST_QUERIES = {"anonymous": 3, "citizen": 6}
# The page: the proposal (with topic, proposer, project, support count), its history, the
# comments; for a signed-in visitor also the session, the user and the verified-email check.
DETAIL_QUERIES = {"anonymous": 3, "citizen": 8}


pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


@pytest.fixture
def proposer(db):
    return CitizenFactory(display_name="Paula Proposer")


@pytest.fixture
def proposal(proposer):
    return ProposalFactory(proposer=proposer, title="Warteliste fürs Bürgeramt")


@pytest.fixture
def reviewer(db):
    return ReviewerFactory(display_name="Rita Reviewer")


def support_url(proposal):
    return reverse("proposal-support", kwargs={"pk": proposal.pk})


def review_url(proposal):
    return reverse("proposal-review", kwargs={"pk": proposal.pk})


def signed_in(client, user):
    client.force_login(user)
    return client


def move_to(proposal, status):
    """Set a status directly, for tests that start in the middle of a review."""
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


# --- Submitting ---------------------------------------------------------------------------

VALID_PROPOSAL = {
    "title": "Sitzbänke an Bushaltestellen",
    "problem": "Ältere Menschen können nicht lange stehen.",
    "idea": "Mehr Bänke an den Haltestellen.",
    "beneficiaries": "Ältere Menschen und Menschen mit Behinderung.",
}


def proposal_data(**changes):
    return {**VALID_PROPOSAL, "topic": TopicFactory(slug="mobility").pk, **changes}


@pytest.mark.parametrize("factory", [CitizenFactory, OrganisationFactory, EmployeeFactory])
def test_verified_people_of_any_kind_submit_a_proposal(client, db, factory):
    person = factory()
    response = signed_in(client, person).post(CREATE_URL, proposal_data())

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert (proposal.proposer, proposal.status) == (person, ProposalStatus.SUBMITTED)
    assert list(proposal.status_changes.values_list("status", "by")) == [("submitted", person.pk)]
    assert AuditEvent.objects.filter(actor=person, verb="proposal.submitted").exists()


def test_the_form_page_shows_labelled_fields(client, proposer):
    response = signed_in(client, proposer).get(CREATE_URL)

    page = response.content.decode()
    assert response.status_code == 200
    for field in ["title", "topic", "problem", "idea", "beneficiaries"]:
        assert f'for="id_{field}"' in page


def test_anonymous_visitors_are_sent_to_sign_in_before_proposing(client, db):
    response = client.get(CREATE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_unverified_people_cannot_propose(client, db):
    unverified = UserFactory(verified=False)
    response = signed_in(client, unverified).post(CREATE_URL, proposal_data())

    assert response.status_code == 403
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"problem": ""},
        {"idea": "x" * 5001},
        {"beneficiaries": "x" * 20_000},
        {"topic": "999999"},
    ],
)
def test_a_bad_proposal_is_refused_with_a_message(client, proposer, changes):
    response = signed_in(client, proposer).post(CREATE_URL, proposal_data(**changes))

    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()
    assert not Proposal.objects.exists()


# --- The list -------------------------------------------------------------------------------


def test_anyone_reads_the_list_with_support_counts(client, proposal):
    ProposalSupportFactory.create_batch(2, proposal=proposal)
    response = client.get(LIST_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert proposal.title in page
    assert "Paula Proposer" in page
    assert "<dd>2</dd>" in page
    assert "1 proposal found" in page


def test_the_list_filters_by_topic_and_status(client, db):
    mobility, health = TopicFactory(slug="mobility"), TopicFactory(slug="health")
    wanted = ProposalFactory(topic=mobility, title="Wanted")
    ProposalFactory(topic=health, title="Other topic")
    move_to(ProposalFactory(topic=mobility, title="Other status"), ProposalStatus.IN_REVIEW)

    response = client.get(LIST_URL, {"topic": "mobility", "status": "submitted"})

    assert [item.pk for item in response.context["page_obj"]] == [wanted.pk]


def test_the_list_sorts_by_support(client, db):
    quiet, popular = ProposalFactory(title="Quiet"), ProposalFactory(title="Popular")
    ProposalSupportFactory.create_batch(3, proposal=popular)
    ProposalSupportFactory(proposal=quiet)

    newest = client.get(LIST_URL).context["page_obj"]
    supported = client.get(LIST_URL, {"sort": "supported"}).context["page_obj"]

    assert [item.pk for item in newest] == [popular.pk, quiet.pk]
    assert [item.pk for item in supported] == [popular.pk, quiet.pk]
    ProposalSupportFactory.create_batch(3, proposal=quiet)
    resorted = client.get(LIST_URL, {"sort": "supported"}).context["page_obj"]
    assert [item.pk for item in resorted] == [quiet.pk, popular.pk]


def test_the_list_pages_by_twenty(client, db):
    ProposalFactory.create_batch(21)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert len(first.context["page_obj"]) == 20
    assert 'rel="next"' in first.content.decode()
    assert len(second.context["page_obj"]) == 1


def test_a_bad_filter_is_named_with_a_400(client, db):
    response = client.get(LIST_URL, {"status": "nonsense", "sort": "random"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Some of the filters could not be used" in page


def test_a_missing_page_says_so_with_a_404(client, db):
    response = client.get(LIST_URL, {"page": "7"})

    assert response.status_code == 404
    assert "There is no page “7” of these proposals." in response.content.decode()


def test_htmx_gets_only_the_results_and_the_count(client, proposal):
    response = client.get(LIST_URL, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<html" not in page
    assert 'id="proposal-results"' in page
    assert 'hx-swap-oob="innerHTML"' in page
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("visitor", ["anonymous", "citizen"])
def test_the_list_costs_the_same_queries_with_few_or_many_proposals(
    client, db, django_assert_num_queries, visitor
):
    if visitor == "citizen":
        signed_in(client, CitizenFactory())
    ProposalSupportFactory(proposal=ProposalFactory())
    with django_assert_num_queries(LIST_QUERIES[visitor]):
        client.get(LIST_URL)

    for proposal in ProposalFactory.create_batch(25, topic=TopicFactory()):
        ProposalSupportFactory.create_batch(2, proposal=proposal)
    with django_assert_num_queries(LIST_QUERIES[visitor]):
        client.get(LIST_URL, {"sort": "supported"})


# --- One proposal -------------------------------------------------------------------------


def test_anyone_reads_a_proposal_with_its_history(client, proposal):
    response = client.get(proposal.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Warteliste fürs Bürgeramt" in page
    assert proposal.problem in page
    assert "Submitted" in page
    assert "Sign in to support this proposal" in page
    assert "Review" not in page


def test_an_unknown_proposal_answers_404(client, db):
    assert client.get(reverse("proposal-detail", kwargs={"pk": 999999})).status_code == 404


@pytest.mark.parametrize("visitor", ["anonymous", "citizen"])
def test_the_page_costs_the_same_queries_with_a_short_or_long_history(
    client, proposal, django_assert_num_queries, visitor
):
    if visitor == "citizen":
        signed_in(client, CitizenFactory())
    with django_assert_num_queries(DETAIL_QUERIES[visitor]):
        client.get(proposal.get_absolute_url())

    ProposalSupportFactory.create_batch(5, proposal=proposal)
    CommentFactory.create_batch(5, proposal=proposal, project=None)
    for status in [ProposalStatus.IN_REVIEW, ProposalStatus.IN_REVIEW]:
        ProposalStatusChange.objects.create(proposal=proposal, status=status, by=EmployeeFactory())
    with django_assert_num_queries(DETAIL_QUERIES[visitor]):
        client.get(proposal.get_absolute_url())


# --- Support ------------------------------------------------------------------------------


def test_support_is_post_only(client, proposal):
    signed_in(client, CitizenFactory())
    assert client.get(support_url(proposal)).status_code == 405


def test_anonymous_visitors_are_sent_to_sign_in_before_supporting(client, proposal):
    response = client.post(support_url(proposal), {"action": "support"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not ProposalSupport.objects.exists()


def test_unverified_people_cannot_support(client, proposal):
    response = signed_in(client, UserFactory(verified=False)).post(
        support_url(proposal), {"action": "support"}
    )

    assert response.status_code == 403
    assert not ProposalSupport.objects.exists()


def test_supporting_twice_keeps_one_support(client, proposal):
    supporter = CitizenFactory()
    signed_in(client, supporter)

    first = client.post(support_url(proposal), {"action": "support"})
    second = client.post(support_url(proposal), {"action": "support"})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == proposal.get_absolute_url() + "#support"
    assert ProposalSupport.objects.filter(proposal=proposal, supporter=supporter).count() == 1
    assert AuditEvent.objects.filter(actor=supporter, verb="proposal.supported").count() == 1


def test_withdrawing_twice_is_harmless(client, proposal):
    supporter = CitizenFactory()
    ProposalSupportFactory(proposal=proposal, supporter=supporter)
    signed_in(client, supporter)

    first = client.post(support_url(proposal), {"action": "withdraw"})
    second = client.post(support_url(proposal), {"action": "withdraw"})

    assert first.status_code == second.status_code == 302
    assert not ProposalSupport.objects.exists()


def test_htmx_support_answers_with_the_updated_box(client, proposal):
    signed_in(client, CitizenFactory())
    response = client.post(
        support_url(proposal), {"action": "support"}, headers={"HX-Request": "true"}
    )

    box = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in box
    assert 'id="support"' in box
    assert "1 person supports this proposal." in box
    assert 'value="withdraw"' in box
    assert "You now support this proposal." in box


def test_the_proposer_cannot_support_their_own_proposal(client, proposal, proposer):
    page = signed_in(client, proposer).get(proposal.get_absolute_url()).content.decode()
    assert "This is your proposal" in page
    assert 'value="support"' not in page

    response = client.post(support_url(proposal), {"action": "support"})

    assert response.status_code == 400
    assert "You cannot support your own proposal." in response.content.decode()
    assert not ProposalSupport.objects.exists()


def test_a_decided_proposal_takes_no_more_support(client, proposal):
    move_to(proposal, ProposalStatus.DECLINED)
    response = signed_in(client, CitizenFactory()).post(
        support_url(proposal), {"action": "support"}
    )

    assert response.status_code == 400
    assert "support is closed" in response.content.decode()


def test_an_unknown_support_action_is_refused(client, proposal):
    response = signed_in(client, CitizenFactory()).post(support_url(proposal), {"action": "toggle"})

    assert response.status_code == 400
    assert not ProposalSupport.objects.exists()


def test_support_for_an_unknown_proposal_answers_404(client, db):
    signed_in(client, CitizenFactory())
    response = client.post(
        reverse("proposal-support", kwargs={"pk": 999999}), {"action": "support"}
    )

    assert response.status_code == 404


def test_the_database_refuses_a_second_support_row(proposal):
    supporter = CitizenFactory()
    ProposalSupportFactory(proposal=proposal, supporter=supporter)

    with pytest.raises(IntegrityError):
        ProposalSupport.objects.create(proposal=proposal, supporter=supporter)


# --- Review -------------------------------------------------------------------------------


def test_review_is_post_only(client, proposal, reviewer):
    assert signed_in(client, reviewer).get(review_url(proposal)).status_code == 405


def test_anonymous_visitors_cannot_review(client, proposal):
    response = client.post(review_url(proposal), {"status": "in_review"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("factory", [CitizenFactory, EmployeeFactory])
def test_people_who_are_no_reviewers_get_403(client, proposal, factory):
    response = signed_in(client, factory()).post(review_url(proposal), {"status": "in_review"})

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_the_proposer_cannot_review_their_own_proposal(client, proposal, proposer):
    response = signed_in(client, proposer).post(review_url(proposal), {"status": "in_review"})

    assert response.status_code == 403


def test_reviewers_see_the_review_form_with_the_allowed_steps_only(client, proposal, reviewer):
    response = signed_in(client, reviewer).get(proposal.get_absolute_url())

    form = response.context["review_form"]
    assert [value for value, _label in form.fields["status"].widget.choices] == ["in_review"]
    assert f'action="{review_url(proposal)}"' in response.content.decode()


def test_a_reviewer_starts_the_review_and_everyone_involved_hears_of_it(
    client, proposal, proposer, reviewer
):
    supporter = ProposalSupportFactory(proposal=proposal).supporter
    response = signed_in(client, reviewer).post(review_url(proposal), {"status": "in_review"})

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW
    assert proposal.review_started_at is not None
    change = proposal.status_changes.last()
    assert (change.status, change.by) == ("in_review", reviewer)
    recipients = set(
        Notification.objects.filter(kind="proposal_status").values_list("recipient", flat=True)
    )
    assert recipients == {proposer.pk, supporter.pk}
    assert AuditEvent.objects.filter(actor=reviewer, verb="proposal.status_changed").exists()


def test_a_step_the_table_does_not_allow_is_refused_with_400(client, proposal, reviewer):
    response = signed_in(client, reviewer).post(review_url(proposal), {"status": "accepted"})

    assert response.status_code == 400
    assert "A proposal cannot go from “Submitted” to “Accepted”." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert not Project.objects.exists()


@pytest.mark.parametrize("final", [ProposalStatus.ACCEPTED, ProposalStatus.DECLINED])
def test_a_decided_proposal_keeps_its_status(client, proposal, reviewer, final):
    move_to(proposal, final)
    response = signed_in(client, reviewer).post(review_url(proposal), {"status": "in_review"})

    assert response.status_code == 400


def test_an_unknown_status_is_refused(client, proposal, reviewer):
    response = signed_in(client, reviewer).post(review_url(proposal), {"status": "approved"})

    assert response.status_code == 422


def test_declining_needs_a_public_reason(client, proposal, reviewer):
    move_to(proposal, ProposalStatus.IN_REVIEW)
    signed_in(client, reviewer)

    refused = client.post(review_url(proposal), {"status": "declined", "reason": "  "})
    assert refused.status_code == 422
    assert "Please give a public reason" in refused.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW

    client.post(review_url(proposal), {"status": "declined", "reason": "Gibt es schon."})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.decided_at is not None
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Reason: Gibt es schon." in page


def test_the_service_also_refuses_a_decline_without_reason(proposal, reviewer):
    move_to(proposal, ProposalStatus.IN_REVIEW)

    with pytest.raises(services.ProposalError):
        services.change_proposal_status(reviewer, proposal, ProposalStatus.DECLINED, "")


def test_the_database_refuses_a_declined_step_without_reason(proposal):
    with pytest.raises(IntegrityError):
        ProposalStatusChange.objects.create(proposal=proposal, status="declined", reason="")


def test_accepting_creates_a_draft_project_with_the_proposer_as_idea_giver(
    client, proposal, proposer, reviewer
):
    supporter = ProposalSupportFactory(proposal=proposal).supporter
    move_to(proposal, ProposalStatus.IN_REVIEW)

    response = signed_in(client, reviewer).post(review_url(proposal), {"status": "accepted"})

    assert response.status_code == 302
    proposal.refresh_from_db()
    project = proposal.project
    assert proposal.status == ProposalStatus.ACCEPTED
    assert (project.status, project.title) == (ProjectStatus.DRAFT, proposal.title)
    assert list(project.leads.all()) == [reviewer]
    assert list(project.topics.all()) == [proposal.topic]
    assert project.summary == proposal.idea
    assert proposal.problem in project.description
    assert proposal.beneficiaries in project.description
    assert "Paula Proposer" in project.description

    role = Role.objects.get(project=project)
    assert (role.audience, role.public_kind, role.filled_seats) == ("public", "ideas", 1)
    assert role.title == "Ideengeber*in"  # stored in the portal's language, not the reviewer's
    membership = Membership.objects.get(role=role)
    assert membership.person == proposer
    assert membership.application.status == ApplicationStatus.ACCEPTED
    assert membership.application.decided_by == reviewer

    notified = Notification.objects.filter(kind="proposal_status")
    assert set(notified.values_list("recipient", flat=True)) == {proposer.pk, supporter.pk}


def test_the_project_summary_is_cut_to_300_characters(proposal, reviewer):
    Proposal.objects.filter(pk=proposal.pk).update(idea="Idee " * 400, status="in_review")

    accepted = services.change_proposal_status(reviewer, proposal, ProposalStatus.ACCEPTED)

    assert len(accepted.project.summary) <= 300
    assert accepted.project.summary.endswith("…")


def test_an_administrator_reviews_too(client, proposal):
    administrator = AdminFactory()
    move_to(proposal, ProposalStatus.IN_REVIEW)

    signed_in(client, administrator).post(review_url(proposal), {"status": "accepted"})

    proposal.refresh_from_db()
    assert proposal.project.leads.get() == administrator


def test_the_page_links_the_project_for_its_leads_and_names_it_to_others(
    client, proposal, reviewer
):
    move_to(proposal, ProposalStatus.IN_REVIEW)
    project = services.change_proposal_status(reviewer, proposal, ProposalStatus.ACCEPTED).project

    lead_page = signed_in(client, reviewer).get(proposal.get_absolute_url()).content.decode()
    client.logout()
    public_page = client.get(
        proposal.get_absolute_url(), headers={"accept-language": "en"}
    ).content.decode()

    assert f'href="{project.get_absolute_url()}"' in lead_page
    assert project.get_absolute_url() not in public_page
    assert "This proposal has become a project" in public_page


def test_a_failed_acceptance_leaves_nothing_behind(client, proposal):
    """A reviewer without a verified address may not create projects: all or nothing."""
    unverified_reviewer = ReviewerFactory(verified=False)
    move_to(proposal, ProposalStatus.IN_REVIEW)

    with pytest.raises(PermissionDenied):
        services.change_proposal_status(unverified_reviewer, proposal, ProposalStatus.ACCEPTED)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW
    assert not Project.objects.exists()
    assert not Application.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_double_submits_of_support_leave_one_row():
    if connection.vendor != "postgresql":
        pytest.skip("true parallel writers need PostgreSQL; SQLite serialises them anyway")
    proposal = ProposalFactory()
    supporter = CitizenFactory()
    start = threading.Barrier(6)
    outcomes = []

    def support():
        try:
            start.wait()
            outcomes.append(services.support_proposal(supporter, proposal))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=support) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False] * 5 + [True]
    assert ProposalSupport.objects.filter(supporter=supporter).count() == 1
