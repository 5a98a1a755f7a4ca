"""Django admin keeps the rules: statuses are read-only there and its actions use the services.

An action does exactly what the site does (transition, timestamp, notification,
audit event); a transition the rules refuse is a message, never a 500.
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.messages import get_messages

from accounts.models import AuditEvent, Notification
from marketplace.models import Project
from participation import services as participation_services
from participation.models import Application, Membership, Proposal
from tests.factories import (
    AdminFactory,
    EmployeeFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
)
from tests.factories_participation import ProposalFactory

PROJECTS = "/admin/marketplace/project/"
APPLICATIONS = "/admin/participation/application/"


@pytest.fixture
def administrator(db):
    administrator = AdminFactory()
    TOTP.activate(administrator, generate_totp_secret())
    return administrator


@pytest.fixture
def admin_client(client, administrator):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(administrator)
    return client


def run_action(client, url, action, objects):
    data = {"action": action, "_selected_action": [obj.pk for obj in objects]}
    return client.post(url, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_data(project, **changes) -> dict:
    """What the project change form posts, with ``changes`` on top."""
    data = {
        "title": project.title,
        "slug": project.slug,
        "summary": project.summary,
        "description": project.description,
        "language": project.language,
        "department": project.department_id,
        "leads": [lead.pk for lead in project.leads.all()],
        "open_for_participation": "on",
        "internal_reason": "",
        "external_participation_url": "",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_status_and_phase_are_read_only_in_the_project_change_form(admin_client):
    project = ProjectFactory(status="draft", published_at=None)
    page = admin_client.get(f"{PROJECTS}{project.pk}/change/").content.decode()
    assert 'name="status"' not in page
    assert 'name="phase"' not in page
    assert 'name="title"' in page


def test_a_posted_status_or_phase_is_ignored_by_the_change_form(admin_client):
    project = ProjectFactory(status="draft", published_at=None)
    url = f"{PROJECTS}{project.pk}/change/"
    data = change_data(project, title="Neuer Titel", status="completed", phase="implement")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.title == "Neuer Titel"
    assert (project.status, project.phase, project.completed_at) == ("draft", "understand", None)


def test_the_add_form_lets_the_phase_be_chosen_but_not_the_status(admin_client):
    page = admin_client.get(f"{PROJECTS}add/").content.decode()
    assert 'name="status"' not in page
    assert 'name="phase"' in page


def test_the_complete_action_does_what_the_site_does(admin_client, administrator):
    project = ProjectFactory(status="in_progress")
    response = run_action(admin_client, PROJECTS, "complete", [project])
    assert response.status_code == 200
    assert messages_of(response) == ["1 project(s) changed."]
    project.refresh_from_db()
    assert project.status == "completed"
    assert project.completed_at is not None
    event = AuditEvent.objects.get(verb="project.status_changed")
    assert (event.actor, event.data) == (
        administrator,
        {"previous": "in_progress", "status": "completed"},
    )


def test_publishing_in_admin_announces_the_roles_as_the_site_does(admin_client):
    draft = ProjectFactory(status="draft", published_at=None)
    RoleFactory(project=draft)
    EmployeeFactory()  # someone to hear about the new role
    response = run_action(admin_client, PROJECTS, "publish", [draft])
    assert messages_of(response) == ["1 project(s) changed."]
    draft.refresh_from_db()
    assert draft.status == "open"
    assert draft.published_at is not None
    assert AuditEvent.objects.filter(verb="project.status_changed").count() == 1


def test_a_refused_transition_is_a_message_not_a_500(admin_client):
    draft = ProjectFactory(title="Unfertig", status="draft", published_at=None)
    done = ProjectFactory(title="Fertig", status="completed")
    response = run_action(admin_client, PROJECTS, "complete", [draft, done])
    assert response.status_code == 200
    assert sorted(messages_of(response)) == [
        "“Fertig”: A project cannot go from “Completed” to “Completed”.",
        "“Unfertig”: A project cannot go from “Draft” to “Completed”.",
    ]
    incomplete = ProjectFactory(title="Leer", status="draft", published_at=None, summary="")
    response = run_action(admin_client, PROJECTS, "publish", [incomplete])
    assert response.status_code == 200
    assert messages_of(response)[0].startswith("“Leer”: The project cannot be published yet.")
    assert not AuditEvent.objects.filter(verb="project.status_changed").exists()


def test_the_next_phase_action_moves_one_step_and_refuses_closed_projects(admin_client):
    running = ProjectFactory(title="Läuft", status="in_progress")
    closed = ProjectFactory(title="Zu", status="cancelled")
    response = run_action(admin_client, PROJECTS, "next_phase", [running, closed])
    running.refresh_from_db()
    closed.refresh_from_db()
    assert (running.phase, closed.phase) == ("observe", "understand")
    assert running.phase_changed_at is not None
    assert "“Zu”: The project is closed: its phase cannot change any more." in messages_of(response)


# --- Applications, memberships and proposals ---------------------------------------------------


@pytest.fixture
def application(db):
    project = ProjectFactory()
    role = PublicRoleFactory(project=project, seats=2)
    return Application.objects.create(role=role, applicant=EmployeeFactory(), message="Gern")


def test_the_application_status_is_read_only_in_admin(admin_client, application):
    page = admin_client.get(f"{APPLICATIONS}{application.pk}/change/").content.decode()
    assert 'name="status"' not in page
    data = {
        "role": application.role_id,
        "applicant": application.applicant_id,
        "message": "Gern",
        "conflict_of_interest": "",
        "status": "accepted",
    }
    admin_client.post(f"{APPLICATIONS}{application.pk}/change/", data)
    application.refresh_from_db()
    assert application.status == "pending"
    assert not Membership.objects.exists()


def test_accepting_in_admin_does_what_the_site_does(admin_client, administrator, application):
    response = run_action(admin_client, APPLICATIONS, "accept", [application])
    assert messages_of(response) == ["1 application(s) decided."]
    application.refresh_from_db()
    assert application.status == "accepted"
    assert application.decided_at is not None
    assert application.decided_by == administrator
    application.role.refresh_from_db()
    assert application.role.filled_seats == 1
    assert Membership.objects.filter(application=application).exists()
    notification = Notification.objects.get(kind="application_decided")
    assert notification.recipient == application.applicant
    assert AuditEvent.objects.filter(verb="application.accepted", actor=administrator).exists()


def test_deciding_an_application_twice_in_admin_is_a_message(admin_client, application):
    run_action(admin_client, APPLICATIONS, "accept", [application])
    response = run_action(admin_client, APPLICATIONS, "decline_as_filled", [application])
    assert response.status_code == 200
    assert messages_of(response)[-1].endswith(
        "This application has already been decided or withdrawn."
    )
    application.refresh_from_db()
    assert application.status == "accepted"


def test_ending_a_membership_in_admin_frees_its_seat(admin_client, administrator, application):
    membership = participation_services.accept_application(administrator, application)
    page = admin_client.get(
        f"/admin/participation/membership/{membership.pk}/change/"
    ).content.decode()
    assert 'name="ended_on"' not in page
    run_action(admin_client, "/admin/participation/membership/", "end", [membership])
    membership.refresh_from_db()
    assert membership.ended_on is not None
    application.role.refresh_from_db()
    assert application.role.filled_seats == 0


def test_proposals_move_along_their_transitions_in_admin(admin_client, administrator):
    proposal = ProposalFactory()
    url = "/admin/participation/proposal/"
    response = run_action(admin_client, url, "accept", [proposal])
    assert messages_of(response) == [
        f"“{proposal.title}”: A proposal cannot go from “Submitted” to “Accepted”."
    ]
    run_action(admin_client, url, "start_review", [proposal])
    run_action(admin_client, url, "accept", [proposal])
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert proposal.review_started_at is not None and proposal.decided_at is not None
    assert Project.objects.filter(pk=proposal.project_id, status="draft").exists()
    assert Notification.objects.filter(kind="proposal_status").count() == 2
    assert Proposal.objects.get().status_changes.count() == 3
