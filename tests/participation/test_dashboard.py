"""/me/: the person's applications, memberships, allocation and, for leads, the review queue."""

import pytest
from django.conf import settings

from participation import services
from participation.models import Membership
from tests.factories import (
    CitizenFactory,
    EmployeeFactory,
    OrganisationFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
    UserFactory,
)

URL = "/me/"


@pytest.fixture(autouse=True)
def english(client, db):
    """The assertions read English; German translations may come at any time."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def page_of(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def join(employee, hours, auto_accept=True, **role_fields):
    role = RoleFactory(auto_accept=auto_accept, hours_per_week=hours, **role_fields)
    return services.claim_role(employee, role, confirmed=True)


def test_anonymous_visitors_must_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/me/")


def test_the_dashboard_is_read_only(client, employee):
    client.force_login(employee)
    assert client.post(URL).status_code == 405


def test_an_employee_sees_the_allocation_against_the_target(client):
    employee = EmployeeFactory(weekly_hours=40)
    join(employee, 8)
    page = page_of(client, employee)
    assert "8 of 40 hours in projects (20 %), 80 % for your department; target 75 %" in page
    assert '<meter id="allocation-meter"' in page
    assert 'max="40"' in page and 'high="30"' in page and 'value="8"' in page
    assert '<label for="allocation-meter">' in page
    assert "Below target:" in page  # 20 % against 75 % was once called "within the target"


def test_above_the_target_is_flagged_in_words(client):
    employee = EmployeeFactory(weekly_hours=40)
    join(employee, 33)
    page = page_of(client, employee)
    assert "33 of 40 hours in projects (82 %), 18 % for your department" in page
    assert "Above target:" in page
    assert "Over-allocated" not in page


def test_over_allocation_is_flagged_in_words(client):
    employee = EmployeeFactory(weekly_hours=40)
    project = ProjectFactory()
    for hours in (30, 20):  # more than the service allows: written as a lead might have left it
        role = RoleFactory(project=project, hours_per_week=hours)
        Membership.objects.create(project=project, role=role, person=employee, hours_per_week=hours)
    page = page_of(client, employee)
    assert "50 of 40 hours in projects (125 %)" in page
    assert "Over-allocated:" in page


def test_participants_see_no_allocation(client):
    page = page_of(client, CitizenFactory())
    assert "allocation-meter" not in page
    assert "hours in projects" not in page


def test_a_person_sees_own_applications_with_withdraw_buttons(client):
    citizen = CitizenFactory()
    role = PublicRoleFactory(title="Formular testen")
    application = services.apply_for_public_role(citizen, role, message="Gern")
    page = page_of(client, citizen)
    assert "Formular testen" in page
    assert f'action="/applications/{application.pk}/withdraw/"' in page


def test_decided_applications_show_the_reason(client):
    citizen = CitizenFactory()
    lead = EmployeeFactory()
    role = PublicRoleFactory(project=ProjectFactory(leads=[lead]))
    application = services.apply_for_public_role(citizen, role, message="Gern")
    services.decline_application(lead, application, "other", "Das Projekt pausiert bald.")
    page = page_of(client, citizen)
    assert "Declined (Other reason: Das Projekt pausiert bald.)" in page
    assert "/withdraw/" not in page


def test_a_member_sees_the_membership_with_an_end_button(client):
    employee = EmployeeFactory()
    join(employee, 8, title="Datenmodell")
    membership = Membership.objects.get(person=employee)
    page = page_of(client, employee)
    assert "Datenmodell" in page
    assert "8 hours a week" in page
    assert f'action="/memberships/{membership.pk}/end/"' in page


def test_ended_memberships_move_to_the_history(client):
    employee = EmployeeFactory()
    join(employee, 8, title="Altlast")
    services.end_membership(employee, Membership.objects.get(person=employee))
    page = page_of(client, employee)
    assert "Roles you held before" in page
    assert "/end/" not in page


def test_nobody_sees_other_peoples_applications_or_memberships(client):
    join(EmployeeFactory(), 8, title="Geheime Rolle")
    services.apply_for_public_role(CitizenFactory(), PublicRoleFactory(title="Fremde Rolle"))
    page = page_of(client, EmployeeFactory())
    assert "Geheime Rolle" not in page
    assert "Fremde Rolle" not in page
    assert "Applications to your projects" not in page


def test_an_unverified_account_sees_its_empty_dashboard(client, db):
    assert "No application is waiting" in page_of(client, UserFactory(verified=False))


def test_a_lead_sees_the_queue_across_all_projects(client):
    lead = EmployeeFactory()
    first, second = (
        ProjectFactory(leads=[lead], title="Erstes"),
        ProjectFactory(leads=[lead], title="Zweites"),
    )
    claim = services.claim_role(EmployeeFactory(display_name="Ina"), RoleFactory(project=first))
    offer = services.apply_for_public_role(
        OrganisationFactory(organisation_name="Firma X"),
        PublicRoleFactory(project=second),
        conflict_of_interest="Wir liefern Software.",
    )
    page = page_of(client, lead)
    assert "Applications to your projects" in page
    for application in (claim, offer):
        assert f'hx-post="/applications/{application.pk}/decide/"' in page
    assert "Firma X" in page and "Wir liefern Software." in page
    assert "0 of 40 hours in projects (0 %)" in page  # Ina's allocation
    assert f'href="/projects/{first.slug}/applications/"' in page
    assert 'name="next" value="/me/"' in page
    assert 'aria-live="polite"' in page


def test_a_decision_from_the_dashboard_returns_to_it(client):
    lead = EmployeeFactory()
    claim = services.claim_role(
        EmployeeFactory(), RoleFactory(project=ProjectFactory(leads=[lead]))
    )
    client.force_login(lead)
    response = client.post(
        f"/applications/{claim.pk}/decide/", {"decision": "accept", "next": "/me/"}
    )
    assert response["Location"] == "/me/"


def test_another_leads_queue_stays_hidden(client):
    services.claim_role(EmployeeFactory(), RoleFactory(title="Nicht meine Rolle"))
    lead = EmployeeFactory()
    ProjectFactory(leads=[lead])
    page = page_of(client, lead)
    assert "Nicht meine Rolle" not in page
    assert "No applications are waiting for a decision." in page


def fill_dashboard(lead, person, count):
    """``count`` applications, memberships and applications to ``lead``'s project, each."""
    project = ProjectFactory(leads=[lead])
    for _ in range(count):
        services.claim_role(person, RoleFactory(hours_per_week=1))
        join(person, 1)
        services.claim_role(EmployeeFactory(), RoleFactory(project=project))
        services.apply_for_public_role(OrganisationFactory(), PublicRoleFactory(project=project))


# Session, user; pending and earlier applications; running and ended memberships; the
# allocation; the led projects, their pending applications and the applicants' hours; the
# open action items of the person's teams (none here: tests/participation/test_retrospectives.py).
# Signed in: also the unread count in the header. The rounds answered and the ideas posted (two).
DASHBOARD_QUERIES_FOR_A_LEAD = 14


def test_the_dashboard_costs_the_same_queries_for_few_and_many(client, django_assert_num_queries):
    lead = EmployeeFactory(weekly_hours=60)
    fill_dashboard(lead, lead, 2)
    client.force_login(lead)
    client.get(URL)
    with django_assert_num_queries(DASHBOARD_QUERIES_FOR_A_LEAD):
        client.get(URL)
    fill_dashboard(lead, lead, 12)
    with django_assert_num_queries(DASHBOARD_QUERIES_FOR_A_LEAD):
        page = client.get(URL).content.decode()
    assert page.count("/withdraw/") == 14
    assert page.count("/end/") == 14
    assert page.count('hx-post="/applications/') == 2 * 2 * 14
