"""Following projects, role matches for employees, and the overdue-project reminder."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, EmailState, Notification
from marketplace import notifications, services
from marketplace.models import ProjectFollow
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    EmployeeFactory,
    ProjectFactory,
    RoleFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
HTMX = {"HX-Request": "true", "accept-language": "en"}


def follow_url(project):
    return reverse("project-follow", kwargs={"slug": project.slug})


# --- Following ---------------------------------------------------------------------


def test_a_citizen_follows_and_unfollows_a_project(client):
    project, citizen = ProjectFactory(), CitizenFactory()
    client.force_login(citizen)
    response = client.post(follow_url(project), {"action": "follow"})
    assert response.status_code == 302
    assert ProjectFollow.objects.filter(project=project, follower=citizen).exists()
    page = client.get(project.get_absolute_url(), headers=EN).content.decode()
    assert "stop following" in page
    client.post(follow_url(project), {"action": "unfollow"})
    assert not ProjectFollow.objects.exists()


def test_following_twice_keeps_one_follow(client):
    project, citizen = ProjectFactory(), CitizenFactory()
    client.force_login(citizen)
    client.post(follow_url(project), {"action": "follow"})
    client.post(follow_url(project), {"action": "follow"})
    assert ProjectFollow.objects.count() == 1


def test_following_and_unfollowing_leave_one_audit_event_each(client):
    project, citizen = ProjectFactory(), CitizenFactory()
    client.force_login(citizen)
    for action in ("follow", "follow", "unfollow", "unfollow"):
        client.post(follow_url(project), {"action": action})
    verbs = list(AuditEvent.objects.filter(actor=citizen).values_list("verb", flat=True))
    assert sorted(verbs) == ["follow.started", "follow.stopped"]


def test_following_with_htmx_answers_with_the_button(client):
    project = ProjectFactory()
    client.force_login(CitizenFactory())
    response = client.post(follow_url(project), {"action": "follow"}, headers=HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'id="follow-box"' in fragment and "<html" not in fragment
    assert 'value="unfollow"' in fragment


@pytest.mark.parametrize("data", [{}, {"action": "toggle"}, {"action": "x" * 500}])
def test_a_tampered_follow_form_is_a_400(client, data):
    project = ProjectFactory()
    client.force_login(CitizenFactory())
    assert client.post(follow_url(project), data).status_code == 400
    assert client.post(follow_url(project), data, headers=HTMX).status_code == 200
    assert not ProjectFollow.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client):
    project = ProjectFactory()
    response = client.post(follow_url(project), {"action": "follow"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    page = client.get(project.get_absolute_url(), headers=EN).content.decode()
    assert "Sign in to follow" in page


def test_a_draft_cannot_be_followed_by_outsiders(client):
    draft = ProjectFactory(status="draft", published_at=None)
    client.force_login(CitizenFactory())
    assert client.post(follow_url(draft), {"action": "follow"}).status_code == 404
    assert client.post("/projects/no-such-project/follow/", {"action": "follow"}).status_code == 404


def test_following_needs_a_post(client):
    client.force_login(CitizenFactory())
    assert client.get(follow_url(ProjectFactory())).status_code == 405


# --- Role matches ----------------------------------------------------------------------


def test_publishing_tells_employees_whose_skills_or_interests_match():
    python, design = SkillFactory(name_en="Python"), SkillFactory(name_en="Design")
    skilled, curious, other = EmployeeFactory(), EmployeeFactory(), EmployeeFactory()
    skilled.skills.add(python)
    curious.interests.add(python)
    other.skills.add(design)
    citizen = CitizenFactory()
    citizen.skills.add(python)
    lead = EmployeeFactory()
    lead.skills.add(python)
    project = ProjectFactory(status="draft", published_at=None, leads=[lead])
    role = RoleFactory(project=project)
    role.skills.add(python)
    services.publish_project(AdminFactory(), project)
    told = set(Notification.objects.filter(kind="role_match").values_list("recipient", flat=True))
    assert told == {skilled.pk, curious.pk}
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.DIGEST}


def test_a_new_role_on_a_published_project_is_announced_once():
    python = SkillFactory()
    skilled = EmployeeFactory()
    skilled.skills.add(python)
    project = ProjectFactory()
    lead = project.leads.first()
    role = RoleFactory.build(project=project)
    services.save_role(lead, role, skills=[python])
    services.save_role(lead, role, skills=[python])  # an edit repeats nothing
    assert Notification.objects.filter(recipient=skilled, kind="role_match").count() == 1


def test_roles_of_drafts_and_public_roles_are_not_announced():
    python = SkillFactory()
    EmployeeFactory().skills.add(python)
    draft = ProjectFactory(status="draft", published_at=None)
    services.save_role(draft.leads.first(), RoleFactory.build(project=draft), skills=[python])
    public = RoleFactory.build(project=ProjectFactory(), audience="public", hours_per_week=None)
    public.public_kind = "testing"
    public.seats = 5
    services.save_role(public.project.leads.first(), public, skills=[python])
    assert not Notification.objects.exists()


# --- Overdue projects -----------------------------------------------------------------


def test_leads_of_overdue_running_projects_are_reminded_once_a_week():
    today = date(2026, 11, 23)
    lead = EmployeeFactory()
    overdue = ProjectFactory(leads=[lead], starts_on=date(2026, 1, 1), ends_on=date(2026, 11, 20))
    ProjectFactory(status="completed", starts_on=date(2026, 1, 1), ends_on=date(2026, 11, 1))
    ProjectFactory(starts_on=date(2026, 1, 1), ends_on=today + timedelta(days=60))
    assert notifications.remind_overdue_projects(today) == 1
    assert notifications.remind_overdue_projects(today) == 1  # same key: no new row
    assert notifications.remind_overdue_projects(today + timedelta(days=2)) == 1
    assert Notification.objects.filter(recipient=lead, kind="project_overdue").count() == 1
    notifications.remind_overdue_projects(today + timedelta(days=7))
    rows = Notification.objects.filter(recipient=lead, kind="project_overdue")
    assert rows.count() == 2
    assert rows.first().url == overdue.get_absolute_url()
