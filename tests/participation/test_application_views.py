"""Joining a role, the review queue, deciding, withdrawing and ending: over HTTP."""

import pytest
from django.contrib.messages import get_messages

from participation import services
from participation.models import Application, ApplicationStatus, Membership
from participation.views import applications
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    EmployeeFactory,
    OrganisationFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
    UserFactory,
)

TOO_LONG = "x" * 20_000


pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


@pytest.fixture
def lead(db):
    return EmployeeFactory(display_name="Lea Lead")


@pytest.fixture
def project(lead):
    return ProjectFactory(leads=[lead], title="Digitale Anmeldung")


@pytest.fixture
def employee_role(project):
    return RoleFactory(project=project, title="Entwicklung", hours_per_week=8)


@pytest.fixture
def public_role(project):
    return PublicRoleFactory(project=project, title="Testen", public_kind="testing")


def join_url(role, project=None):
    return f"/projects/{(project or role.project).slug}/roles/{role.pk}/join/"


def queue_url(project):
    return f"/projects/{project.slug}/applications/"


def decide_url(application):
    return f"/applications/{application.pk}/decide/"


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged_in(client, user):
    client.force_login(user)
    return client


# --- Joining: who may ------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, employee_role):
    response = client.get(join_url(employee_role))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_unverified_account_gets_403(client, public_role):
    client.force_login(UserFactory(verified=False))
    response = client.get(join_url(public_role))
    assert response.status_code == 403
    assert "confirm your email address" in response.content.decode()
    assert client.post(join_url(public_role), {"message": "Hallo"}).status_code == 403
    assert not Application.objects.exists()


def test_a_role_of_another_project_is_not_found(client, employee_role):
    other = ProjectFactory()
    response = logged_in(client, EmployeeFactory()).get(join_url(employee_role, project=other))
    assert response.status_code == 404


def test_an_unknown_role_or_project_is_not_found(client, employee_role):
    logged_in(client, EmployeeFactory())
    assert (
        client.get(f"/projects/{employee_role.project.slug}/roles/999999/join/").status_code == 404
    )
    assert (
        client.get(f"/projects/no-such-project/roles/{employee_role.pk}/join/").status_code == 404
    )


def test_a_draft_project_is_not_found_except_for_its_lead(client, lead, project, employee_role):
    project.status = "draft"
    project.save()
    assert logged_in(client, EmployeeFactory()).get(join_url(employee_role)).status_code == 404
    assert client.post(join_url(employee_role), {"message": ""}).status_code == 404
    response = logged_in(client, lead).get(join_url(employee_role))
    assert response.status_code == 400
    assert "This role is not open for applications." in response.content.decode()


def test_other_methods_are_not_allowed(client, employee_role):
    logged_in(client, EmployeeFactory())
    assert client.put(join_url(employee_role)).status_code == 405
    assert client.delete(join_url(employee_role)).status_code == 405


# --- Joining: employees claim -------------------------------------------------------


def test_an_employee_sees_the_claim_form_with_free_hours(client, employee_role):
    response = logged_in(client, EmployeeFactory(weekly_hours=40)).get(join_url(employee_role))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="message"' in page
    assert "40 hours are free" in page
    assert 'name="confirmed"' not in page  # only in the confirmation step


def test_an_employee_claims_a_role_that_a_lead_decides(client, employee_role):
    employee = EmployeeFactory()
    response = logged_in(client, employee).post(join_url(employee_role), {"message": "Gern!"})
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    application = Application.objects.get(applicant=employee)
    assert (application.status, application.message) == (ApplicationStatus.PENDING, "Gern!")
    assert "was sent" in texts(response)[0]


def test_an_auto_accept_claim_makes_a_member_at_once(client, project):
    role = RoleFactory(project=project, auto_accept=True)
    employee = EmployeeFactory()
    response = logged_in(client, employee).post(join_url(role), {})
    assert response.status_code == 302
    assert Membership.objects.filter(person=employee, role=role).exists()
    assert "You are now a member" in texts(response)[0]


def test_above_the_target_the_employee_confirms_first(client, project):
    role = RoleFactory(project=project, auto_accept=True, hours_per_week=32)  # 80 %
    employee = EmployeeFactory(weekly_hours=40)
    logged_in(client, employee)

    asked = client.post(join_url(role), {"message": "Ich übernehme das."})
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "I confirm that my department quarter shrinks" in page
    assert "80" in page
    assert "Ich übernehme das." in page  # the message survives the extra step
    assert not Application.objects.exists()

    not_ticked = client.post(join_url(role), {"message": "Ich übernehme das."})
    assert not_ticked.status_code == 200
    assert not Application.objects.exists()

    confirmed = client.post(join_url(role), {"message": "Ich übernehme das.", "confirmed": "on"})
    assert confirmed.status_code == 302
    assert Membership.objects.get(person=employee).hours_per_week == 32


def test_beyond_the_weekly_hours_the_claim_is_refused_with_400(client, project):
    role = RoleFactory(project=project, hours_per_week=30)
    response = logged_in(client, EmployeeFactory(weekly_hours=20)).post(
        join_url(role), {"confirmed": "on"}
    )
    assert response.status_code == 400
    assert "only 20 hours left" in response.content.decode()
    assert not Application.objects.exists()


def test_a_claim_message_of_20000_characters_is_refused(client, employee_role):
    response = logged_in(client, EmployeeFactory()).post(
        join_url(employee_role), {"message": TOO_LONG}
    )
    assert response.status_code == 422
    assert "at most 2000 characters" in response.content.decode()
    assert not Application.objects.exists()


def test_citizens_cannot_claim_an_employee_role(client, employee_role):
    logged_in(client, CitizenFactory())
    for response in [client.get(join_url(employee_role)), client.post(join_url(employee_role))]:
        assert response.status_code == 400
        assert "This role is for employees of the administration." in response.content.decode()
    assert not Application.objects.exists()


# --- Joining: the public offers help ------------------------------------------------------


def test_a_citizen_sees_the_motivation_form_without_conflicts(client, public_role):
    page = logged_in(client, CitizenFactory()).get(join_url(public_role)).content.decode()
    assert "Why would you like to help?" in page
    assert "conflict_of_interest" not in page


def test_an_organisation_is_asked_about_conflicts_of_interest(client, public_role):
    page = logged_in(client, OrganisationFactory()).get(join_url(public_role)).content.decode()
    assert 'name="conflict_of_interest"' in page
    assert "bid for related public contracts" in page


def test_a_citizen_applies_as_tester(client, public_role):
    citizen = CitizenFactory()
    response = logged_in(client, citizen).post(
        join_url(public_role), {"message": "Ich teste gern."}
    )
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    application = Application.objects.get(applicant=citizen)
    assert application.message == "Ich teste gern."
    assert application.status == ApplicationStatus.PENDING
    assert "Your application" in texts(response)[0]


def test_an_organisation_declares_a_conflict_of_interest(client, public_role):
    organisation = OrganisationFactory()
    logged_in(client, organisation).post(
        join_url(public_role),
        {"message": "Wir helfen.", "conflict_of_interest": "Wir bieten bei einer Ausschreibung."},
    )
    application = Application.objects.get(applicant=organisation)
    assert application.conflict_of_interest == "Wir bieten bei einer Ausschreibung."


def test_a_citizen_cannot_smuggle_in_a_conflict_declaration(client, public_role):
    citizen = CitizenFactory()
    logged_in(client, citizen).post(
        join_url(public_role), {"message": "Hallo", "conflict_of_interest": "eingeschleust"}
    )
    assert Application.objects.get(applicant=citizen).conflict_of_interest == ""


def test_employees_may_offer_help_on_public_roles_too(client, public_role):
    employee = EmployeeFactory()
    response = logged_in(client, employee).post(join_url(public_role), {"message": "Auch ich."})
    assert response.status_code == 302
    assert Application.objects.filter(applicant=employee).exists()


@pytest.mark.parametrize("data", [{}, {"message": ""}, {"message": "   "}, {"message": TOO_LONG}])
def test_an_empty_or_overlong_motivation_is_refused(client, public_role, data):
    response = logged_in(client, CitizenFactory()).post(join_url(public_role), data)
    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    assert not Application.objects.exists()


def test_an_overlong_conflict_declaration_is_refused(client, public_role):
    response = logged_in(client, OrganisationFactory()).post(
        join_url(public_role), {"message": "Hallo", "conflict_of_interest": TOO_LONG}
    )
    assert response.status_code == 422
    assert not Application.objects.exists()


def test_applying_twice_is_refused_with_400(client, public_role):
    logged_in(client, CitizenFactory())
    assert client.post(join_url(public_role), {"message": "Erstes Mal"}).status_code == 302
    for response in [
        client.get(join_url(public_role)),
        client.post(join_url(public_role), {"message": "Noch mal"}),
    ]:
        assert response.status_code == 400
        assert "You have already applied for this role." in response.content.decode()
    assert Application.objects.count() == 1


def test_a_member_cannot_join_the_same_role_again(client, project):
    role = RoleFactory(project=project, auto_accept=True, seats=3)
    logged_in(client, EmployeeFactory())
    client.post(join_url(role), {})
    response = client.post(join_url(role), {})
    assert response.status_code == 400
    assert "You are already a member in this role." in response.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"is_open": False}, "This role is not open for applications."),
        ({"filled_seats": 20}, "the last seat of this role has just been taken"),
    ],
)
def test_a_closed_or_full_role_is_refused_with_400(client, public_role, change, message):
    for field, value in change.items():
        setattr(public_role, field, value)
    public_role.save()
    logged_in(client, CitizenFactory())
    for response in [
        client.get(join_url(public_role)),
        client.post(join_url(public_role), {"message": "Hallo"}),
    ]:
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "paused"}, "This role is not open for applications."),
        ({"status": "completed"}, "This role is not open for applications."),
        ({"open_for_participation": False}, "This project does not take part from the public."),
    ],
)
def test_a_project_that_takes_nobody_refuses_with_400(
    client, project, public_role, change, message
):
    for field, value in change.items():
        setattr(project, field, value)
    project.save()
    response = logged_in(client, CitizenFactory()).post(join_url(public_role), {"message": "Hallo"})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_refusal_that_arrives_between_page_and_post_is_a_400(client, public_role, monkeypatch):
    """The page may be stale: the service's refusal is shown, never a 500."""
    monkeypatch.setattr(applications, "_why_not_joinable", lambda user, role: "")
    public_role.is_open = False
    public_role.save()
    response = logged_in(client, CitizenFactory()).post(join_url(public_role), {"message": "Hallo"})
    assert response.status_code == 400
    assert "This role is not open for applications." in response.content.decode()


# --- The review queue --------------------------------------------------------------------


@pytest.fixture
def pending(project, employee_role, public_role):
    """A claim by an employee with 10 hours in projects, and an offer by an organisation."""
    employee = EmployeeFactory(display_name="Erika Employee", weekly_hours=40)
    busy = RoleFactory(project=ProjectFactory(), auto_accept=True, hours_per_week=10)
    services.claim_role(employee, busy)
    claim = services.claim_role(employee, employee_role, message="Ich kann Python.")
    offer = services.apply_for_public_role(
        OrganisationFactory(organisation_name="Prüf GmbH"),
        public_role,
        message="Wir testen barrierefrei.",
        conflict_of_interest="Wir bewerben uns auf die Ausschreibung.",
    )
    return claim, offer


def test_the_lead_sees_the_pending_applications(client, lead, project, pending):
    response = logged_in(client, lead).get(queue_url(project))
    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Erika Employee",
        "Ich kann Python.",
        "10 of 40 hours in projects (25 %)",
        "Prüf GmbH",
        "(Organisation)",
        "Wir bewerben uns auf die Ausschreibung.",
        "Declared conflicts of interest",
        'aria-live="polite"',
    ]:
        assert text in page
    assert page.count('hx-target="closest li"') == 4  # accept and decline for each


def test_the_queue_shows_recent_decisions(client, lead, project, pending):
    claim, offer = pending
    services.decline_application(lead, offer, "other", "Wir haben schon genug Tester.")
    page = logged_in(client, lead).get(queue_url(project)).content.decode()
    assert "Declined: Other reason." in page
    assert "Wir haben schon genug Tester." in page


def test_an_administrator_sees_any_queue(client, project, pending):
    assert logged_in(client, AdminFactory()).get(queue_url(project)).status_code == 200


@pytest.mark.parametrize("make_visitor", [EmployeeFactory, CitizenFactory])
def test_outsiders_may_not_see_the_queue(client, project, pending, make_visitor):
    response = logged_in(client, make_visitor()).get(queue_url(project))
    assert response.status_code == 403
    assert "Ich kann Python." not in response.content.decode()


def test_an_applicant_may_not_see_the_queue(client, project, pending):
    claim, _offer = pending
    assert logged_in(client, claim.applicant).get(queue_url(project)).status_code == 403


def test_anonymous_visitors_must_sign_in_for_the_queue(client, project):
    response = client.get(queue_url(project))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_queue_of_a_draft_is_secret_and_of_nothing_not_found(client, project):
    project.status = "draft"
    project.save()
    assert logged_in(client, EmployeeFactory()).get(queue_url(project)).status_code == 404
    assert client.get("/projects/no-such-project/applications/").status_code == 404


# Session, user; the project, its leads; pending applications, the applicants' hours; decisions.
QUEUE_QUERIES = 8


def test_the_queue_costs_the_same_queries_for_few_and_many(
    client, lead, project, django_assert_num_queries
):
    def add_applications(count):
        for _ in range(count):
            services.claim_role(EmployeeFactory(), RoleFactory(project=project))
            services.apply_for_public_role(
                OrganisationFactory(), PublicRoleFactory(project=project)
            )

    logged_in(client, lead)
    add_applications(2)
    client.get(queue_url(project))
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get(queue_url(project))
    add_applications(15)
    with django_assert_num_queries(QUEUE_QUERIES):
        assert client.get(queue_url(project)).content.decode().count("application-pending") == 34


# --- Deciding ----------------------------------------------------------------------------


def test_the_lead_accepts_and_returns_to_the_queue(client, lead, project, pending):
    claim, _offer = pending
    response = logged_in(client, lead).post(decide_url(claim), {"decision": "accept"})
    assert response.status_code == 302
    assert response["Location"] == queue_url(project)
    assert Membership.objects.filter(application=claim).exists()
    assert "You accepted the application of Erika Employee." in texts(response)


def test_the_lead_declines_with_a_reason(client, lead, pending):
    _claim, offer = pending
    response = logged_in(client, lead).post(
        decide_url(offer), {"decision": "decline", "reason": "skills"}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.decision_reason) == ("declined", "skills")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "decline"}, "Please choose a reason for declining."),
        ({"decision": "decline", "reason": "other"}, "Please explain the other reason."),
        (
            {"decision": "decline", "reason": "other", "note": "   "},
            "Please explain the other reason.",
        ),
        ({"decision": "decline", "reason": "whim"}, "Select a valid choice."),
        ({"decision": "decline", "reason": "other", "note": TOO_LONG}, "at most 2000 characters"),
        ({"decision": "maybe"}, "Select a valid choice."),
        ({}, "Please choose whether to accept or decline."),
    ],
)
def test_a_bad_decision_is_refused_with_a_message(client, lead, pending, data, message):
    claim, _offer = pending
    response = logged_in(client, lead).post(decide_url(claim), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ApplicationStatus.PENDING


def test_deciding_twice_is_refused_with_400(client, lead, pending):
    claim, _offer = pending
    logged_in(client, lead).post(decide_url(claim), {"decision": "accept"})
    response = client.post(decide_url(claim), {"decision": "decline", "reason": "skills"})
    assert response.status_code == 400
    assert "This application has already been decided or withdrawn." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ApplicationStatus.ACCEPTED


def test_accepting_beyond_the_applicants_hours_is_refused_with_400(client, lead, project, pending):
    claim, _offer = pending
    services.claim_role(
        claim.applicant, RoleFactory(auto_accept=True, hours_per_week=28), confirmed=True
    )  # 38 of 40 hours now
    response = logged_in(client, lead).post(decide_url(claim), {"decision": "accept"})
    assert response.status_code == 400
    assert "only 2 hours left" in response.content.decode()


@pytest.mark.parametrize("make_visitor", [EmployeeFactory, CitizenFactory])
def test_only_leads_decide(client, pending, make_visitor):
    claim, _offer = pending
    response = logged_in(client, make_visitor()).post(decide_url(claim), {"decision": "accept"})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == ApplicationStatus.PENDING


def test_applicants_cannot_accept_themselves(client, pending):
    claim, _offer = pending
    assert (
        logged_in(client, claim.applicant)
        .post(decide_url(claim), {"decision": "accept"})
        .status_code
        == 403
    )


def test_a_lead_of_another_project_cannot_decide(client, pending):
    claim, _offer = pending
    other_lead = EmployeeFactory()
    ProjectFactory(leads=[other_lead])
    assert (
        logged_in(client, other_lead).post(decide_url(claim), {"decision": "accept"}).status_code
        == 403
    )


def test_an_administrator_decides(client, pending):
    claim, _offer = pending
    assert (
        logged_in(client, AdminFactory())
        .post(decide_url(claim), {"decision": "accept"})
        .status_code
        == 302
    )


def test_anonymous_visitors_cannot_decide(client, pending):
    claim, _offer = pending
    response = client.post(decide_url(claim), {"decision": "accept"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_deciding_on_an_unknown_application_is_not_found(client, lead):
    assert (
        logged_in(client, lead)
        .post("/applications/999999/decide/", {"decision": "accept"})
        .status_code
        == 404
    )


def test_deciding_only_by_post(client, lead, pending):
    claim, _offer = pending
    assert logged_in(client, lead).get(decide_url(claim)).status_code == 405


def test_the_decision_returns_to_a_safe_next_page_only(client, lead, pending):
    claim, offer = pending
    logged_in(client, lead)
    response = client.post(decide_url(claim), {"decision": "accept", "next": "/me/"})
    assert response["Location"] == "/me/"
    response = client.post(
        decide_url(offer),
        {"decision": "decline", "reason": "skills", "next": "https://evil.example/"},
    )
    assert response["Location"] == queue_url(claim.role.project)


# --- Deciding with htmx -----------------------------------------------------------------------


def htmx_post(client, url, data):
    return client.post(url, data, headers={"HX-Request": "true"})


def test_htmx_gets_the_decided_item_and_the_announcement(client, lead, pending):
    _claim, offer = pending
    response = htmx_post(
        logged_in(client, lead), decide_url(offer), {"decision": "decline", "reason": "capacity"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith(
        f'<li class="application application-declined" id="application-{offer.pk}"'
    )
    assert "Declined: Not enough capacity." in page
    assert 'id="decision-outcome"' in page and 'hx-swap-oob="innerHTML"' in page
    assert "You declined the application of Prüf GmbH." in page
    assert "HX-Request" in response["Vary"]
    offer.refresh_from_db()
    assert offer.status == ApplicationStatus.DECLINED


def test_htmx_accepts_and_the_item_loses_its_forms(client, lead, pending):
    claim, _offer = pending
    response = htmx_post(logged_in(client, lead), decide_url(claim), {"decision": "accept"})
    page = response.content.decode()
    assert "Accepted by Lea Lead." in page
    assert "hx-post" not in page


def test_htmx_shows_a_refusal_inside_the_item(client, lead, pending):
    """htmx swaps no 4xx answer: the reason comes back with 200, in the item it replaces."""
    claim, _offer = pending
    response = htmx_post(logged_in(client, lead), decide_url(claim), {"decision": "decline"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please choose a reason for declining." in page
    assert "hx-post" in page  # still pending: the forms stay
    claim.refresh_from_db()
    assert claim.status == ApplicationStatus.PENDING


def test_htmx_deciding_twice_shows_the_message(client, lead, pending):
    claim, _offer = pending
    logged_in(client, lead)
    htmx_post(client, decide_url(claim), {"decision": "accept"})
    response = htmx_post(client, decide_url(claim), {"decision": "accept"})
    assert "This application has already been decided or withdrawn." in response.content.decode()
    assert Membership.objects.filter(application=claim).count() == 1


def test_htmx_does_not_open_the_queue_to_outsiders(client, pending):
    claim, _offer = pending
    response = htmx_post(
        logged_in(client, EmployeeFactory()), decide_url(claim), {"decision": "accept"}
    )
    assert response.status_code == 403


# --- Withdrawing ---------------------------------------------------------------------------


def withdraw_url(application):
    return f"/applications/{application.pk}/withdraw/"


def test_the_applicant_withdraws(client, pending):
    claim, _offer = pending
    response = logged_in(client, claim.applicant).post(withdraw_url(claim))
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    claim.refresh_from_db()
    assert claim.status == ApplicationStatus.WITHDRAWN


def test_someone_elses_application_is_not_found(client, lead, pending):
    claim, _offer = pending
    for person in [EmployeeFactory(), lead]:
        assert logged_in(client, person).post(withdraw_url(claim)).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ApplicationStatus.PENDING


def test_withdrawing_twice_is_refused_with_400(client, pending):
    claim, _offer = pending
    logged_in(client, claim.applicant).post(withdraw_url(claim))
    response = client.post(withdraw_url(claim))
    assert response.status_code == 400
    assert "already been decided or withdrawn" in response.content.decode()


def test_withdrawing_needs_sign_in_post_and_an_existing_application(client, pending):
    claim, _offer = pending
    assert client.post(withdraw_url(claim))["Location"].startswith("/accounts/login/")
    logged_in(client, claim.applicant)
    assert client.get(withdraw_url(claim)).status_code == 405
    assert client.post("/applications/999999/withdraw/").status_code == 404


# --- Ending a membership ---------------------------------------------------------------------


@pytest.fixture
def membership(project):
    role = RoleFactory(project=project, auto_accept=True, title="Betrieb")
    services.claim_role(EmployeeFactory(), role)
    return Membership.objects.get(role=role)


def end_url(membership):
    return f"/memberships/{membership.pk}/end/"


def test_the_member_ends_the_membership(client, membership):
    response = logged_in(client, membership.person).post(end_url(membership))
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    membership.refresh_from_db()
    assert membership.ended_on is not None


def test_a_lead_ends_a_membership_and_returns_to_a_safe_page(client, lead, project, membership):
    response = logged_in(client, lead).post(
        end_url(membership), {"next": project.get_absolute_url()}
    )
    assert response["Location"] == project.get_absolute_url()
    membership.refresh_from_db()
    assert membership.ended_by == lead


@pytest.mark.parametrize("make_visitor", [EmployeeFactory, CitizenFactory])
def test_others_may_not_end_a_membership(client, membership, make_visitor):
    assert logged_in(client, make_visitor()).post(end_url(membership)).status_code == 403
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_ending_twice_is_refused_with_400(client, membership):
    logged_in(client, membership.person).post(end_url(membership))
    response = client.post(end_url(membership))
    assert response.status_code == 400
    assert "This membership has already ended." in response.content.decode()


def test_ending_needs_sign_in_post_and_an_existing_membership(client, membership):
    assert client.post(end_url(membership))["Location"].startswith("/accounts/login/")
    logged_in(client, membership.person)
    assert client.get(end_url(membership)).status_code == 405
    assert client.post("/memberships/999999/end/").status_code == 404
