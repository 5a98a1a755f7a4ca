"""Claims, applications and decisions: seats, capacity and the rules, at the service level."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.utils import translation

from accounts.models import AuditEvent, Notification
from participation import services
from participation.models import Application, ApplicationStatus, Membership
from tests.factories import (
    CitizenFactory,
    EmployeeFactory,
    OrganisationFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
)


@pytest.fixture(autouse=True)
def english():
    """The assertions below read the English messages."""
    with translation.override("en"):
        yield


@pytest.fixture
def lead(db):
    return EmployeeFactory()


@pytest.fixture
def project(lead):
    return ProjectFactory(leads=[lead])


def test_an_auto_accept_claim_becomes_a_membership_at_once(project, lead):
    role = RoleFactory(project=project, auto_accept=True, hours_per_week=10, seats=2)
    employee = EmployeeFactory(weekly_hours=40)
    application = services.claim_role(employee, role)
    assert application.status == ApplicationStatus.ACCEPTED
    membership = Membership.objects.get(person=employee)
    assert (membership.role, membership.hours_per_week) == (role, 10)
    role.refresh_from_db()
    assert role.filled_seats == 1
    assert Notification.objects.filter(recipient=lead, kind="application_received").exists()
    assert AuditEvent.objects.filter(verb="role.claimed").exists()


def test_a_claim_without_auto_accept_waits_for_a_lead(project, lead):
    role = RoleFactory(project=project)
    application = services.claim_role(EmployeeFactory(), role)
    assert application.status == ApplicationStatus.PENDING
    assert not Membership.objects.exists()
    membership = services.accept_application(lead, application)
    assert membership.person == application.applicant
    assert Notification.objects.filter(
        recipient=application.applicant, kind="application_decided"
    ).exists()


def test_capacity_is_a_hard_limit(project):
    employee = EmployeeFactory(weekly_hours=20)
    services.claim_role(
        employee, RoleFactory(project=project, auto_accept=True, hours_per_week=12), confirmed=True
    )
    too_much = RoleFactory(project=project, auto_accept=True, hours_per_week=10)
    with pytest.raises(services.ParticipationError, match="only 8 hours left"):
        services.claim_role(employee, too_much, confirmed=True)
    assert Membership.objects.committed_hours(employee) == 12


def test_going_above_the_target_needs_confirmation(project):
    employee = EmployeeFactory(weekly_hours=40)
    role = RoleFactory(project=project, auto_accept=True, hours_per_week=32)  # 80 % > 75 %
    with pytest.raises(services.NeedsConfirmation, match="80"):
        services.claim_role(employee, role)
    assert not Application.objects.exists()
    services.claim_role(employee, role, confirmed=True)
    assert services.allocation(employee)["percent"] == 80


def test_exactly_the_target_needs_no_confirmation(project):
    employee = EmployeeFactory(weekly_hours=40)
    services.claim_role(employee, RoleFactory(project=project, auto_accept=True, hours_per_week=30))
    assert services.allocation(employee)["percent"] == 75


def test_accepting_checks_capacity_again(project, lead):
    employee = EmployeeFactory(weekly_hours=10)
    first = services.claim_role(
        employee, RoleFactory(project=project, hours_per_week=8), confirmed=True
    )
    second = services.claim_role(
        employee, RoleFactory(project=project, hours_per_week=2), confirmed=True
    )
    services.accept_application(lead, first)
    services.accept_application(lead, second)  # exactly full: allowed
    third = RoleFactory(project=project, hours_per_week=1)
    with pytest.raises(services.ParticipationError):
        services.claim_role(employee, third, confirmed=True)


def test_applying_twice_is_refused(project):
    role = RoleFactory(project=project)
    employee = EmployeeFactory()
    services.claim_role(employee, role)
    with pytest.raises(services.ParticipationError, match="already applied"):
        services.claim_role(employee, role)


@pytest.mark.parametrize("status", ["draft", "completed", "cancelled"])
def test_roles_of_projects_that_are_not_running_cannot_be_joined(lead, status):
    role = RoleFactory(project=ProjectFactory(leads=[lead], status=status))
    with pytest.raises(services.ParticipationError, match="not open"):
        services.claim_role(EmployeeFactory(), role)


def test_a_full_role_cannot_be_claimed(project):
    role = RoleFactory(project=project, auto_accept=True, seats=1)
    services.claim_role(EmployeeFactory(), role)
    with pytest.raises(services.ParticipationError, match="last seat"):
        services.claim_role(EmployeeFactory(), role)


def test_a_closed_role_cannot_be_joined(project):
    with pytest.raises(services.ParticipationError, match="not open"):
        services.apply_for_public_role(
            CitizenFactory(), PublicRoleFactory(project=project, is_open=False)
        )


def test_citizens_apply_for_public_roles_only(project):
    citizen = CitizenFactory()
    with pytest.raises(PermissionDenied):
        services.claim_role(citizen, RoleFactory(project=project))
    with pytest.raises(services.ParticipationError):
        services.apply_for_public_role(citizen, RoleFactory(project=project))
    application = services.apply_for_public_role(
        citizen, PublicRoleFactory(project=project), "Ich teste gern."
    )
    assert application.status == ApplicationStatus.PENDING


def test_organisations_declare_conflicts_of_interest(project):
    application = services.apply_for_public_role(
        OrganisationFactory(),
        PublicRoleFactory(project=project),
        conflict_of_interest="Wir bieten bei X mit.",
    )
    assert application.conflict_of_interest == "Wir bieten bei X mit."


def test_only_leads_decide_and_only_once(project, lead):
    application = services.apply_for_public_role(
        CitizenFactory(), PublicRoleFactory(project=project)
    )
    with pytest.raises(PermissionDenied):
        services.accept_application(EmployeeFactory(), application)
    services.decline_application(lead, application, "skills")
    with pytest.raises(services.ParticipationError, match="already been decided"):
        services.accept_application(lead, application)


def test_declining_needs_a_reason(project, lead):
    application = services.apply_for_public_role(
        CitizenFactory(), PublicRoleFactory(project=project)
    )
    with pytest.raises(services.ParticipationError):
        services.decline_application(lead, application, "")
    with pytest.raises(services.ParticipationError):
        services.decline_application(lead, application, "other", "  ")
    services.decline_application(lead, application, "other", "Das Projekt ruht bis März.")
    application.refresh_from_db()
    assert (application.status, application.decision_note) == (
        "declined",
        "Das Projekt ruht bis März.",
    )


def test_only_the_applicant_withdraws(project):
    citizen = CitizenFactory()
    application = services.apply_for_public_role(citizen, PublicRoleFactory(project=project))
    with pytest.raises(PermissionDenied):
        services.withdraw_application(CitizenFactory(), application)
    services.withdraw_application(citizen, application)
    with pytest.raises(services.ParticipationError):
        services.withdraw_application(citizen, application)


def test_ending_a_membership_keeps_history_and_frees_the_seat(project, lead):
    role = RoleFactory(project=project, auto_accept=True, seats=1)
    employee = EmployeeFactory()
    services.claim_role(employee, role)
    membership = Membership.objects.get()
    with pytest.raises(PermissionDenied):
        services.end_membership(EmployeeFactory(), membership)
    services.end_membership(lead, membership)
    role.refresh_from_db()
    assert role.filled_seats == 0
    assert Membership.objects.filter(pk=membership.pk, ended_on__isnull=False).exists()
    assert Notification.objects.filter(recipient=employee, kind="membership_ended").exists()
    with pytest.raises(services.ParticipationError):
        services.end_membership(employee, membership)


@pytest.mark.django_db(transaction=True)
def test_ten_employees_race_for_the_last_seat_and_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises all writers anyway")
    role = RoleFactory(project=ProjectFactory(), auto_accept=True, seats=1, hours_per_week=4)
    racers = EmployeeFactory.create_batch(10)
    start = threading.Barrier(len(racers))
    outcomes = []

    def claim(employee):
        try:
            start.wait()
            with translation.override("en"):  # each thread has its own active language
                outcomes.append(services.claim_role(employee, role).status)
        except services.ParticipationError as error:
            outcomes.append(str(error.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(employee,)) for employee in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    role.refresh_from_db()
    assert outcomes.count(ApplicationStatus.ACCEPTED) == 1
    assert role.filled_seats == 1
    assert Membership.objects.filter(role=role).count() == 1
    losers = [outcome for outcome in outcomes if outcome != ApplicationStatus.ACCEPTED]
    assert losers == ["Sorry, the last seat of this role has just been taken."] * 9
    assert Application.objects.filter(role=role).count() == 1
