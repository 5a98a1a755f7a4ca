"""Create, edit, publish and move projects; manage their roles, with and without htmx."""

import threading

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test import Client
from pytest_django.asserts import assertInHTML

from accounts.models import AuditEvent
from marketplace.models import Project, Role
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    DepartmentFactory,
    EmployeeFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
    SkillFactory,
    TopicFactory,
)

CREATE_URL = "/projects/new/"
HTMX = {"HTTP_HX_REQUEST": "true"}


pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


@pytest.fixture
def lead(db):
    return EmployeeFactory()


@pytest.fixture
def project(lead):
    return ProjectFactory(title="Digitale Bauakte", leads=[lead])


@pytest.fixture
def draft(lead):
    return ProjectFactory(status="draft", published_at=None, leads=[lead])


def signed_in(client, user):
    client.force_login(user)
    return client


def project_data(**overrides):
    data = {
        "title": "Digitale Bauakte",
        "summary": "Bauanträge digital stellen.",
        "description": "Wir bauen das.",
        "department": "",
        "phase": "understand",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "internal_reason": "",
        "open_for_participation": "on",
        "external_participation_url": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def role_data(**overrides):
    data = {
        "title": "Backend developer",
        "description": "Django und PostgreSQL.",
        "audience": "employees",
        "seats": "2",
        "hours_per_week": "8",
        "public_kind": "",
        "is_open": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def verbs_for(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(obj.pk))
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Creating -------------------------------------------------------------------------------


@pytest.mark.parametrize("make_user", [EmployeeFactory, AdminFactory], ids=["employee", "admin"])
def test_employees_and_administrators_create_a_draft_they_lead(client, db, make_user):
    user = make_user()
    department, topic = DepartmentFactory(), TopicFactory()
    data = project_data(department=department.pk, topics=[topic.pk], phase="observe")
    response = signed_in(client, user).post(CREATE_URL, data)
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert project.status == "draft"
    assert project.phase == "observe"
    assert project.slug == "digitale-bauakte"
    assert list(project.leads.all()) == [user]
    assert list(project.topics.all()) == [topic]
    assert project.department == department
    assert verbs_for(project) == ["project.created"]
    follow = client.get(response["Location"])
    assert "The draft has been created." in follow.content.decode()


def test_the_create_form_has_labelled_fields_and_date_inputs(client, lead):
    page = signed_in(client, lead).get(CREATE_URL).content.decode()
    assert '<label for="id_title"' in page
    assert 'type="date" name="starts_on"' in page
    assert "<legend>" in page


def test_the_create_form_suggests_the_employees_own_department(client, lead):
    page = signed_in(client, lead).get(CREATE_URL).content.decode()
    assertInHTML(f'<option value="{lead.department_id}" selected>{lead.department}</option>', page)


@pytest.mark.parametrize(
    "make_user",
    [CitizenFactory, lambda: EmployeeFactory(verified=False)],
    ids=["citizen", "unverified-employee"],
)
def test_citizens_and_unverified_employees_may_not_create_projects(client, db, make_user):
    signed_in(client, make_user())
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, project_data()).status_code == 403
    assert not Project.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_before_creating(client, db):
    for response in [client.get(CREATE_URL), client.post(CREATE_URL, project_data())]:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "title", "This field is required."),
        (project_data(title=""), "title", "This field is required."),
        (project_data(title="x" * 10_000), "title", "at most 200 characters"),
        (project_data(summary="x" * 301), "summary", "at most 300 characters"),
        (project_data(starts_on="tomorrow"), "starts_on", "Enter a valid date."),
        (project_data(ends_on="31.12.2027"), "ends_on", "Enter a valid date."),
        (project_data(starts_on="2027-06-01", ends_on="2027-05-31"), "ends_on", "cannot be before"),
        (project_data(is_internal="on"), "internal_reason", "Say why the project is internal"),
        (project_data(is_internal="on", internal_reason="   "), "internal_reason", "Say why"),
        (project_data(phase="daydream"), "phase", "Select a valid choice."),
        (project_data(department="abc"), "department", "Select a valid choice."),
        (
            project_data(external_participation_url="not a url"),
            "external_participation_url",
            "valid URL",
        ),
    ],
    ids=[
        "empty",
        "no-title",
        "huge-title",
        "long-summary",
        "start-not-a-date",
        "end-not-iso",
        "end-before-start",
        "internal-without-reason",
        "internal-blank-reason",
        "unknown-phase",
        "department-not-an-id",
        "bad-url",
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_422(client, lead, data, field, message):
    response = signed_in(client, lead).post(CREATE_URL, data)
    assert response.status_code == 422
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert "There is a problem" in response.content.decode()
    assert not Project.objects.exists()


def test_a_summary_of_exactly_300_characters_is_fine(client, lead):
    response = signed_in(client, lead).post(CREATE_URL, project_data(summary="x" * 300))
    assert response.status_code == 302


def test_an_internal_project_with_a_reason_is_created(client, lead):
    data = project_data(is_internal="on", internal_reason="Sicherheitsrelevant.")
    assert signed_in(client, lead).post(CREATE_URL, data).status_code == 302
    assert Project.objects.get().internal_reason == "Sicherheitsrelevant."


def test_a_double_submit_creates_one_draft_and_another_draft_of_the_title_its_own_slug(
    client, lead
):
    # Issue 14: the same form sent twice is one draft (it used to make two).
    signed_in(client, lead)
    first = client.post(CREATE_URL, project_data())
    second = client.post(CREATE_URL, project_data())
    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == first["Location"]
    assert messages_on(client.get(second["Location"]))[-1] == (
        "You had already sent this a moment ago; it has been saved once."
    )
    client.post(CREATE_URL, project_data(summary="Ein anderes Vorhaben."))
    slugs = set(Project.objects.values_list("slug", flat=True))
    assert slugs == {"digitale-bauakte", "digitale-bauakte-2"}


def _create_in_thread(user, barrier, results):
    client = Client()
    client.force_login(user)
    try:
        barrier.wait(timeout=10)
        results.append(client.post(CREATE_URL, project_data()).status_code)
    finally:
        connection.close()  # the thread's own connection, or the test database cannot be dropped


@pytest.mark.django_db(transaction=True)
def test_the_same_title_at_the_same_moment_gets_distinct_slugs():
    first, second = EmployeeFactory(), EmployeeFactory()
    if connection.vendor == "postgresql":
        barrier, results = threading.Barrier(2), []
        threads = [
            threading.Thread(target=_create_in_thread, args=(user, barrier, results))
            for user in (first, second)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert results == [302, 302]
    else:  # SQLite serialises writers: the same clash, one after the other
        for user in (first, second):
            assert signed_in(Client(), user).post(CREATE_URL, project_data()).status_code == 302
    assert sorted(Project.objects.values_list("slug", flat=True)) == [
        "digitale-bauakte",
        "digitale-bauakte-2",
    ]


def test_the_create_page_only_answers_get_and_post(client, lead):
    assert signed_in(client, lead).put(CREATE_URL).status_code == 405


# --- Editing --------------------------------------------------------------------------------


def edit_url(project):
    return f"/projects/{project.slug}/edit/"


@pytest.mark.parametrize("editor", ["lead", "administrator"])
def test_leads_and_administrators_edit_a_project(client, project, lead, editor):
    topic = TopicFactory()
    user = lead if editor == "lead" else AdminFactory()
    data = project_data(
        title="Bauakte, neu", department=project.department_id, topics=[topic.pk], phase=None
    )
    response = signed_in(client, user).post(edit_url(project), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Bauakte, neu"
    assert project.slug == "projekt-" + project.slug.split("-")[-1]  # addresses stay stable
    assert list(project.topics.all()) == [topic]
    event = AuditEvent.objects.get(verb="project.updated")
    assert event.target_id == str(project.pk)
    assert {"title", "topics"} <= set(event.data["fields"])


def test_the_edit_form_leaves_the_phase_to_the_phase_control(client, project, lead):
    page = signed_in(client, lead).get(edit_url(project)).content.decode()
    assert 'name="phase"' not in page
    data = project_data(department=project.department_id, phase="implement")
    signed_in(client, lead).post(edit_url(project), data)
    project.refresh_from_db()
    assert project.phase == "understand"


def test_invalid_edits_are_refused_and_the_heading_keeps_the_saved_title(client, project, lead):
    data = project_data(title="", department=project.department_id)
    response = signed_in(client, lead).post(edit_url(project), data)
    assert response.status_code == 422
    assert "Edit “Digitale Bauakte”" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "Digitale Bauakte"
    assert not AuditEvent.objects.filter(verb="project.updated").exists()


@pytest.mark.parametrize(
    "make_user", [EmployeeFactory, CitizenFactory], ids=["employee", "citizen"]
)
def test_someone_elses_project_cannot_be_edited(client, project, make_user):
    signed_in(client, make_user())
    assert client.get(edit_url(project)).status_code == 403
    assert client.post(edit_url(project), project_data(title="Gekapert")).status_code == 403
    project.refresh_from_db()
    assert project.title == "Digitale Bauakte"


def test_someone_elses_draft_is_not_found(client, draft):
    signed_in(client, EmployeeFactory())
    assert client.get(edit_url(draft)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_before_editing(client, project):
    response = client.get(edit_url(project))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Publishing -----------------------------------------------------------------------------


def publish_url(project):
    return f"/projects/{project.slug}/publish/"


def test_a_complete_draft_is_published(client, draft, lead):
    RoleFactory(project=draft)
    response = signed_in(client, lead).post(publish_url(draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "open"
    assert draft.published_at is not None
    event = AuditEvent.objects.get(verb="project.status_changed")
    assert event.data == {"previous": "draft", "status": "open"}


def test_publishing_an_incomplete_draft_answers_400_naming_each_missing_item(client, lead):
    draft = ProjectFactory(
        status="draft", published_at=None, summary="", department=None, leads=[lead]
    )
    RoleFactory(project=draft, is_open=False)
    response = signed_in(client, lead).post(publish_url(draft))
    assert response.status_code == 400
    [message] = messages_on(response)
    for missing in ["a summary", "a department", "at least one open role"]:
        assert missing in message
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not AuditEvent.objects.filter(verb="project.status_changed").exists()


def test_publishing_a_published_project_answers_400(client, project, lead):
    response = signed_in(client, lead).post(publish_url(project))
    assert response.status_code == 400
    assert "cannot go from “Open” to “Open”" in messages_on(response)[0]


def test_outsiders_do_not_find_a_draft_to_publish(client, draft):
    RoleFactory(project=draft)
    assert signed_in(client, EmployeeFactory()).post(publish_url(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_administrators_publish_any_draft(client, draft):
    RoleFactory(project=draft)
    assert signed_in(client, AdminFactory()).post(publish_url(draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "open"


def test_anonymous_visitors_cannot_publish(client, draft):
    response = client.post(publish_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    draft.refresh_from_db()
    assert draft.status == "draft"


# --- Status and phase -----------------------------------------------------------------------


def status_url(project):
    return f"/projects/{project.slug}/status/"


def phase_url(project):
    return f"/projects/{project.slug}/phase/"


def test_a_lead_moves_the_status_along_an_allowed_transition(client, project, lead):
    response = signed_in(client, lead).post(status_url(project), {"status": "in_progress"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "in_progress"
    assert project.started_at is not None
    assert verbs_for(project) == ["project.status_changed"]
    assert "The status is now “In progress”." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("completed", "A project cannot go from “Open” to “Completed”."),
        ("exploded", "“exploded” is not a status a project can have."),
        ("", "Choose a status."),
    ],
    ids=["not-allowed", "unknown", "empty"],
)
def test_a_refused_status_change_answers_400_with_a_clear_message(
    client, project, lead, value, message
):
    response = signed_in(client, lead).post(status_url(project), {"status": value})
    assert response.status_code == 400
    assert messages_on(response) == [message]
    assert message in response.content.decode()
    project.refresh_from_db()
    assert project.status == "open"
    assert verbs_for(project) == []


def test_a_status_change_without_the_field_answers_400(client, project, lead):
    assert signed_in(client, lead).post(status_url(project)).status_code == 400


def test_a_lead_moves_the_phase_forward_one_step(client, project, lead):
    response = signed_in(client, lead).post(phase_url(project), {"phase": "observe"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.phase == "observe"
    assert project.phase_changed_at is not None
    event = AuditEvent.objects.get(verb="project.phase_changed")
    assert event.data == {"previous": "understand", "phase": "observe"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("test", "A project cannot move from the phase “Understand” to “Test”."),
        ("understand", "A project cannot move from the phase “Understand” to “Understand”."),
        ("nirvana", "“nirvana” is not a phase a project can have."),
    ],
    ids=["skipping-ahead", "standing-still", "unknown"],
)
def test_a_refused_phase_change_answers_400_with_a_clear_message(
    client, project, lead, value, message
):
    response = signed_in(client, lead).post(phase_url(project), {"phase": value})
    assert response.status_code == 400
    assert messages_on(response) == [message]
    project.refresh_from_db()
    assert project.phase == "understand"


@pytest.mark.parametrize("url_of", [status_url, phase_url, publish_url])
def test_outsiders_may_not_change_status_or_phase(client, project, url_of):
    signed_in(client, EmployeeFactory())
    assert client.post(url_of(project), {"status": "paused", "phase": "observe"}).status_code == 403
    project.refresh_from_db()
    assert (project.status, project.phase) == ("open", "understand")


@pytest.mark.parametrize("url_of", [status_url, phase_url, publish_url])
def test_post_only_endpoints_answer_get_with_405(client, project, lead, url_of):
    assert signed_in(client, lead).get(url_of(project)).status_code == 405


# --- Roles ----------------------------------------------------------------------------------


def role_create_url(project):
    return f"/projects/{project.slug}/roles/new/"


def role_edit_url(role):
    return f"/projects/{role.project.slug}/roles/{role.pk}/edit/"


def role_delete_url(role):
    return f"/projects/{role.project.slug}/roles/{role.pk}/delete/"


def test_the_role_form_is_a_whole_page_without_htmx(client, project, lead):
    response = signed_in(client, lead).get(role_create_url(project))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert '<h1 id="role-form-heading">Add a role</h1>' in page
    assert f'action="{role_create_url(project)}"' in page
    assert "hx-post" not in page


def test_the_role_form_is_a_fragment_that_posts_with_htmx(client, project, lead):
    response = signed_in(client, lead).get(role_create_url(project), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.strip().startswith("<form")
    assert f'hx-post="{role_create_url(project)}"' in page
    assert 'hx-target="#roles"' in page
    assert f'action="{role_create_url(project)}"' in page
    assert "HX-Request" in response["Vary"]


def test_a_lead_adds_a_role_without_javascript(client, project, lead):
    skill = SkillFactory()
    response = signed_in(client, lead).post(role_create_url(project), role_data(skills=[skill.pk]))
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url() + "#roles"
    role = Role.objects.get()
    assert (role.project, role.title, role.hours_per_week, role.seats) == (
        project,
        "Backend developer",
        8,
        2,
    )
    assert list(role.skills.all()) == [skill]
    event = AuditEvent.objects.get(verb="role.created")
    assert event.target_id == str(role.pk)
    assert event.data == {"project": project.pk}


def test_htmx_role_add_returns_the_updated_roles_section(client, project, lead):
    RoleFactory(project=project, title="Existing role")
    response = signed_in(client, lead).post(role_create_url(project), role_data(), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith('<section id="roles"')
    assert "<html" not in page
    assert "Existing role" in page
    assert "Backend developer" in page
    assert "The role “Backend developer” has been added." in page
    assert Role.objects.count() == 2
    assert AuditEvent.objects.filter(verb="role.created").count() == 1
    # The notice is in the fragment only: it must not reappear on the next page.
    assert "has been added" not in client.get(project.get_absolute_url()).content.decode()


def test_an_invalid_htmx_role_replaces_its_own_form_with_the_errors(client, project, lead):
    response = signed_in(client, lead).post(
        role_create_url(project), role_data(title="", hours_per_week=""), **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200  # htmx 2 swaps no 4xx answer
    assert response["HX-Retarget"] == "this"
    assert response["HX-Reswap"] == "outerHTML"
    assert page.strip().startswith("<form")
    assert "There is a problem" in page
    assert "Say how many hours a week the role takes." in page
    assert not Role.objects.exists()


def test_an_invalid_role_without_javascript_answers_422(client, project, lead):
    response = signed_in(client, lead).post(role_create_url(project), role_data(title=""))
    assert response.status_code == 422
    assert "<html" in response.content.decode()
    assert not Role.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hours_per_week": ""}, "hours_per_week", "Say how many hours a week"),
        ({"hours_per_week": "41"}, "hours_per_week", "less than or equal to 40"),
        ({"hours_per_week": "eight"}, "hours_per_week", "Enter a whole number."),
        ({"seats": "many"}, "seats", "Enter a whole number."),
        ({"seats": "0"}, "seats", "greater than or equal to 1"),
        ({"seats": "501"}, "seats", "less than or equal to 500"),
        ({"audience": "aliens"}, "audience", "Select a valid choice."),
        (
            {"audience": "public", "public_kind": "ideas"},
            "hours_per_week",
            "leave this field empty",
        ),
        ({"audience": "public", "hours_per_week": ""}, "public_kind", "Choose how the public"),
        (
            {"audience": "public", "hours_per_week": "", "public_kind": "x"},
            "public_kind",
            "valid choice",
        ),
        ({"title": "x" * 10_000}, "title", "at most 200 characters"),
    ],
    ids=[
        "employees-without-hours",
        "too-many-hours",
        "hours-not-a-number",
        "seats-not-a-number",
        "no-seat",
        "too-many-seats",
        "unknown-audience",
        "public-with-hours",
        "public-without-kind",
        "unknown-kind",
        "huge-title",
    ],
)
def test_bad_role_input_is_refused_and_never_reaches_the_database(
    client, project, lead, overrides, field, message
):
    response = signed_in(client, lead).post(role_create_url(project), role_data(**overrides))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert not Role.objects.exists()


def test_fields_of_the_other_audience_are_dropped_not_stored(client, project, lead):
    signed_in(client, lead)
    client.post(role_create_url(project), role_data(title="Staff", public_kind="ideas"))
    public = role_data(
        title="Public",
        audience="public",
        hours_per_week="",
        public_kind="testing",
        auto_accept="on",
    )
    client.post(role_create_url(project), public)
    staff_role, public_role = Role.objects.order_by("title").reverse()
    assert (staff_role.title, staff_role.public_kind) == ("Staff", "")
    assert (public_role.title, public_role.auto_accept, public_role.hours_per_week) == (
        "Public",
        False,
        None,
    )


def test_a_lead_edits_a_role(client, project, lead):
    role = RoleFactory(project=project, title="Old title")
    response = signed_in(client, lead).post(role_edit_url(role), role_data(title="New title"))
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.title == "New title"
    assert verbs_for(role) == ["role.updated"]


def test_an_htmx_role_edit_returns_the_section_and_turns_a_role_public(client, project, lead):
    role = RoleFactory(project=project)
    data = role_data(title="Testers", audience="public", hours_per_week="", public_kind="testing")
    response = signed_in(client, lead).post(role_edit_url(role), data, **HTMX)
    assert response.status_code == 200
    assert "The role “Testers” has been saved." in response.content.decode()
    role.refresh_from_db()
    assert (role.audience, role.hours_per_week, role.public_kind) == ("public", None, "testing")


def test_an_invalid_role_edit_keeps_the_saved_title_in_the_heading(client, project, lead):
    role = RoleFactory(project=project, title="Saved title")
    response = signed_in(client, lead).post(role_edit_url(role), role_data(title="", seats="x"))
    assert response.status_code == 422
    assert "Edit the role “Saved title”" in response.content.decode()


def test_a_lead_deletes_a_role_after_confirming(client, project, lead):
    role = RoleFactory(project=project, title="Going away")
    signed_in(client, lead)
    confirm = client.get(role_delete_url(role))
    assert confirm.status_code == 200
    assert "Delete the role “Going away”" in confirm.content.decode()
    response = client.post(role_delete_url(role))
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url() + "#roles"
    assert not Role.objects.exists()
    event = AuditEvent.objects.get(verb="role.deleted")
    assert event.data == {"role": role.pk}


def test_an_htmx_delete_returns_the_updated_section(client, project, lead):
    role = RoleFactory(project=project, title="Going away")
    RoleFactory(project=project, title="Staying")
    signed_in(client, lead)
    confirm = client.get(role_delete_url(role), **HTMX).content.decode()
    assert confirm.strip().startswith("<form")
    assert f'hx-post="{role_delete_url(role)}"' in confirm
    response = client.post(role_delete_url(role), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith('<section id="roles"')
    assert "Staying" in page
    assertInHTML('<h4><span lang="de">Going away</span></h4>', page, count=0)
    assertInHTML('<h4><span lang="de">Staying</span></h4>', page)


@pytest.mark.parametrize("url_of", [role_edit_url, role_delete_url])
def test_a_role_id_from_another_project_is_not_found(client, project, lead, url_of):
    foreign = RoleFactory(title="Foreign")
    url = url_of(foreign).replace(foreign.project.slug, project.slug)
    signed_in(client, lead)
    assert client.get(url).status_code == 404
    assert client.post(url, role_data(title="Hijacked")).status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Foreign"


def test_outsiders_may_not_manage_roles(client, project):
    role = RoleFactory(project=project)
    signed_in(client, EmployeeFactory())
    assert client.get(role_create_url(project)).status_code == 403
    assert client.post(role_create_url(project), role_data()).status_code == 403
    assert client.post(role_edit_url(role), role_data(title="Hijacked")).status_code == 403
    assert client.post(role_delete_url(role)).status_code == 403
    assert client.post(role_delete_url(role), **HTMX).status_code == 403
    assert Role.objects.get() == role


def test_anonymous_visitors_are_sent_to_sign_in_before_managing_roles(client, project):
    role = PublicRoleFactory(project=project)
    for url in [role_create_url(project), role_edit_url(role), role_delete_url(role)]:
        response = client.post(url, role_data())
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert Role.objects.get() == role


# --- The audit trail ------------------------------------------------------------------------


def test_every_change_of_a_project_journey_writes_an_audit_event(client, lead):
    signed_in(client, lead)
    department = DepartmentFactory()
    client.post(CREATE_URL, project_data(department=department.pk))
    project = Project.objects.get()
    client.post(role_create_url(project), role_data())
    role = Role.objects.get()
    client.post(role_edit_url(role), role_data(title="Renamed"))
    client.post(role_create_url(project), role_data(title="Second"))
    client.post(role_delete_url(Role.objects.get(title="Second")))
    client.post(edit_url(project), project_data(title="Renamed project", department=department.pk))
    client.post(publish_url(project))
    client.post(status_url(project), {"status": "in_progress"})
    client.post(phase_url(project), {"phase": "observe"})
    verbs = list(
        AuditEvent.objects.filter(actor=lead)
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "project.created",
        "role.created",
        "role.updated",
        "role.created",
        "role.deleted",
        "project.updated",
        "project.status_changed",
        "project.status_changed",
        "project.phase_changed",
    ]


# --- Django admin ---------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    """A signed-in administrator who has set up TOTP (admin requires a second factor)."""
    administrator = AdminFactory()
    TOTP.activate(administrator, generate_totp_secret())
    return signed_in(client, administrator)


def test_the_admin_lists_filters_and_searches_projects(admin_client, project):
    RoleFactory(project=project)
    for query in ["", "?status__exact=open", "?phase__exact=define", "?q=Bauakte"]:
        response = admin_client.get("/admin/marketplace/project/" + query)
        assert response.status_code == 200
    assert "Digitale Bauakte" in response.content.decode()
    assert admin_client.get("/admin/marketplace/role/?q=Rolle").status_code == 200


def test_the_admin_edits_a_project_with_its_roles_inline(admin_client, project):
    role = RoleFactory(project=project)
    page = admin_client.get(f"/admin/marketplace/project/{project.pk}/change/").content.decode()
    assert 'name="roles-0-title"' in page
    assert "search_vector" not in page
    assert "search_extra" not in page
    assert admin_client.get(f"/admin/marketplace/role/{role.pk}/change/").status_code == 200


def test_the_admin_refuses_a_role_whose_fields_do_not_match_its_audience(admin_client, project):
    role = RoleFactory(project=project)
    data = {
        "project": project.pk,
        "title": role.title,
        "description": "",
        "audience": "public",
        "seats": "3",
        "hours_per_week": "8",
        "public_kind": "",
        "is_open": "on",
    }
    response = admin_client.post(f"/admin/marketplace/role/{role.pk}/change/", data)
    assert response.status_code == 422  # the constraint answers as a form error, not a 500
    role.refresh_from_db()
    assert role.audience == "employees"
