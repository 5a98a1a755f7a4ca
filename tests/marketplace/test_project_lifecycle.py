"""Irreversible steps are confirmed first, and a closed project takes no more changes."""

import pytest
from django.conf import settings
from pytest_django.asserts import assertInHTML

from accounts.models import AuditEvent
from marketplace.models import Project, ProjectUpdate
from participation.models import Membership
from participation.services import proposals as proposal_services
from tests.factories import AdminFactory, EmployeeFactory, ProjectFactory, RoleFactory
from tests.factories_participation import ProposalFactory

pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


@pytest.fixture
def lead(db):
    return EmployeeFactory()


@pytest.fixture
def draft(lead):
    return ProjectFactory(status="draft", published_at=None, leads=[lead])


@pytest.fixture
def running(lead):
    return ProjectFactory(status="in_progress", leads=[lead])


def signed_in(client, user):
    client.force_login(user)
    return client


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def status_select(page: str) -> str:
    return page.split('<select id="status-choice" name="status" required>')[1].split("</select>")[0]


# --- Nothing destructive is pre-selected ------------------------------------------------


def test_the_status_control_of_a_draft_preselects_nothing(client, draft, lead):
    page = signed_in(client, lead).get(draft.get_absolute_url()).content.decode()
    assertInHTML(
        '<option value="" selected>– choose a status –</option>'
        '<option value="cancelled">Cancelled</option>',
        status_select(page),
    )


def test_submitting_the_status_control_unchanged_changes_nothing(client, draft, lead):
    response = signed_in(client, lead).post(f"/projects/{draft.slug}/status/", {"status": ""})
    assert response.status_code == 400
    assert messages_on(response) == ["Choose a status."]
    draft.refresh_from_db()
    assert draft.status == "draft"


# --- Final statuses ask first ----------------------------------------------------------------


@pytest.mark.parametrize("target", ["cancelled", "completed"])
def test_a_final_status_is_asked_on_a_page_of_its_own_first(client, running, lead, target):
    signed_in(client, lead)
    response = client.post(f"/projects/{running.slug}/status/", {"status": target})
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{running.slug}/status/confirm/?status={target}"
    running.refresh_from_db()
    assert running.status == "in_progress"
    assert not AuditEvent.objects.filter(verb="project.status_changed").exists()

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'<input type="hidden" name="status" value="{target}">' in html
    assert "This cannot be undone." in html


def test_the_confirmed_cancellation_is_carried_out(client, running, lead):
    signed_in(client, lead)
    data = {"status": "cancelled", "confirmed": "on"}
    response = client.post(f"/projects/{running.slug}/status/", data)
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.status == "cancelled"
    assert running.cancelled_at is not None
    assert AuditEvent.objects.filter(verb="project.status_changed").count() == 1


def test_a_reversible_status_needs_no_confirmation(client, running, lead):
    response = signed_in(client, lead).post(
        f"/projects/{running.slug}/status/", {"status": "paused"}
    )
    assert response["Location"] == running.get_absolute_url()
    running.refresh_from_db()
    assert running.status == "paused"


@pytest.mark.parametrize("query", ["", "?status=paused", "?status=exploded", "?status=completed"])
def test_the_confirmation_page_refuses_what_needs_no_confirmation(client, draft, lead, query):
    # A draft cannot be completed; paused is reversible; exploded is no status.
    response = signed_in(client, lead).get(f"/projects/{draft.slug}/status/confirm/{query}")
    assert response.status_code == 400
    assert messages_on(response) == ["This status change needs no confirmation or is not possible."]


def test_outsiders_and_anonymous_visitors_get_no_confirmation_page(client, running):
    url = f"/projects/{running.slug}/status/confirm/?status=cancelled"
    assert client.get(url).status_code == 302  # to sign in
    assert signed_in(client, EmployeeFactory()).get(url).status_code == 403


# --- Deleting a draft ------------------------------------------------------------------------


def test_a_lead_deletes_their_draft_after_confirming(client, draft, lead):
    RoleFactory(project=draft)
    signed_in(client, lead)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f'href="/projects/{draft.slug}/delete/"' in page
    confirmation = client.get(f"/projects/{draft.slug}/delete/")
    assert confirmation.status_code == 200
    assert "This cannot be undone." in confirmation.content.decode()
    assert Project.objects.filter(pk=draft.pk).exists()  # the GET changed nothing

    response = client.post(f"/projects/{draft.slug}/delete/")
    assert response.status_code == 302
    assert not Project.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(verb="project.deleted")
    assert event.target_id == str(draft.pk)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_draft_grown_from_a_proposal_can_be_deleted_with_its_idea_giver(client, db):
    reviewer = AdminFactory()
    proposal = ProposalFactory()
    proposal_services.change_proposal_status(reviewer, proposal, "in_review")
    proposal = proposal_services.change_proposal_status(reviewer, proposal, "accepted")
    assert Membership.objects.filter(project=proposal.project).exists()
    response = signed_in(client, reviewer).post(f"/projects/{proposal.project.slug}/delete/")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.project is None


def test_a_published_project_cannot_be_deleted(client, running, lead):
    response = signed_in(client, lead).post(f"/projects/{running.slug}/delete/")
    assert response.status_code == 400
    assert messages_on(response) == [
        "Only a draft can be deleted; a published project can be cancelled instead."
    ]
    assert Project.objects.filter(pk=running.pk).exists()


def test_outsiders_cannot_delete_a_draft(client, draft):
    assert client.post(f"/projects/{draft.slug}/delete/").status_code == 302  # to sign in
    assert (
        signed_in(client, EmployeeFactory()).post(f"/projects/{draft.slug}/delete/").status_code
        == 404
    )
    assert Project.objects.filter(pk=draft.pk).exists()


# --- A closed project takes no more changes --------------------------------------------------


@pytest.mark.parametrize("status", ["cancelled", "completed"])
def test_a_closed_project_offers_no_phase_change_and_no_update(client, lead, status):
    project = ProjectFactory(status=status, leads=[lead])
    page = signed_in(client, lead).get(project.get_absolute_url()).content.decode()
    assert 'id="phase-choice"' not in page
    assert "/updates/new/" not in page
    assert "The project is closed: its status cannot change any more." in page


@pytest.mark.parametrize("status", ["cancelled", "completed"])
def test_a_closed_project_refuses_phase_changes_and_updates(client, lead, status):
    project = ProjectFactory(status=status, leads=[lead])
    signed_in(client, lead)
    response = client.post(f"/projects/{project.slug}/phase/", {"phase": "observe"})
    assert response.status_code == 400
    assert messages_on(response) == ["The project is closed: its phase cannot change any more."]
    data = {"title": "Neu", "text": "Noch etwas."}
    response = client.post(f"/projects/{project.slug}/updates/new/", data)
    assert response.status_code == 400
    assert messages_on(response) == ["The project is closed: no more updates can be posted."]
    assert client.get(f"/projects/{project.slug}/updates/new/").status_code == 400
    project.refresh_from_db()
    assert project.phase == "understand"
    assert not ProjectUpdate.objects.exists()


def test_the_confirmation_speaks_german(client, running, lead):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    url = f"/projects/{running.slug}/status/confirm/?status=cancelled"
    page = signed_in(client, lead).get(url).content.decode()
    assert "Dies kann nicht rückgängig gemacht werden." in page
    assert "Nein, Projekt unverändert lassen" in page
