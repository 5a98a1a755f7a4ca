"""/projects/<slug>/: what leads, employees, citizens and anonymous visitors see of a project."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertInHTML

from marketplace import project_page_cache
from marketplace.models import ProjectUpdate
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    EmployeeFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
    SkillFactory,
    TopicFactory,
)

# What the page costs: the project, leads, topics, roles, their skills; for a signed-in
# visitor the session and the user; for a lead of a draft the check for an open role.
# The count must not grow with roles, skills or topics.
# Includes the joining state of the visitor, the team memberships, the comments and the
# updates of the timeline (one query with their authors).
# Signed in: also the unread count in the header and whether the person follows.
# And the latest rounds and answered ideas of participation's activities section (two).
# Cold (after a change) and warm: anonymous visitors get the kept page (no query); a
# lead's page is rendered afresh, only the project row with its leads and topics is kept
# (from the first visit on: a second visit costs what every later one does).
PAGE_QUERIES = {"anonymous": (10, 0), "lead": (17, 14)}
DRAFT_PAGE_QUERIES_FOR_A_LEAD = 15


pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


@pytest.fixture
def lead(db):
    return EmployeeFactory(display_name="Lena Lead")


@pytest.fixture
def project(lead):
    project = ProjectFactory(
        title="Digitale Bauakte",
        summary="Bauanträge digital stellen.",
        description="Erster Absatz.\n\n- Punkt eins\n- Punkt zwei\n\n<script>alert(1)</script>",
        phase="define",
        leads=[lead],
    )
    project.topics.add(TopicFactory(name_en="Building"))
    return project


def page_for(client, user, project):
    if user is not None:
        client.force_login(user)
    return client.get(project.get_absolute_url())


def test_the_lead_sees_the_whole_page_and_its_edit_controls(client, project, lead):
    RoleFactory(project=project, title="Backend developer", hours_per_week=12, seats=2)
    response = page_for(client, lead, project)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1><span lang="de">Digitale Bauakte</span></h1>' in page
    assert "Bauanträge digital stellen." in page
    assert "Building" in page
    assert f'href="/projects/{project.slug}/edit/"' in page
    assert f'action="/projects/{project.slug}/status/"' in page
    assert f'action="/projects/{project.slug}/phase/"' in page
    assert f'href="/projects/{project.slug}/roles/new/"' in page
    assert "Lena Lead" in page
    assert "Project lead" in page


@pytest.mark.parametrize("visitor", ["employee", "citizen", "anonymous"])
def test_others_see_the_page_without_edit_controls(client, project, visitor):
    user = {"employee": EmployeeFactory, "citizen": CitizenFactory, "anonymous": lambda: None}
    response = page_for(client, user[visitor](), project)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bauanträge digital stellen." in page
    assert "Lena Lead" in page
    assert "/edit/" not in page
    assert "/status/" not in page
    assert "/roles/new/" not in page
    assert "Manage this project" not in page


def test_the_page_never_shows_the_leads_email_address(client, project, lead):
    assert lead.email not in page_for(client, None, project).content.decode()


def test_the_description_is_formatted_and_typed_html_is_escaped(client, project):
    page = page_for(client, None, project).content.decode()
    assertInHTML("<ul><li>Punkt eins</li><li>Punkt zwei</li></ul>", page)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_updates_section_says_there_are_none_yet(client, project):
    page = page_for(client, None, project).content.decode()
    assert '<h2 id="updates-heading">Updates</h2>' in page
    assert "The team has not posted any updates yet." in page


def _phase_step(state: str, hidden: str, label: str, sentence: str) -> str:
    current = ' aria-current="step"' if state == "current" else ""
    return (
        f'<li class="phase-step phase-step-{state}"{current}>'
        f'<span class="visually-hidden">{hidden}</span>'
        f'<span class="phase-step-label">{label}</span>'
        f'<span class="phase-step-description">{sentence}</span></li>'
    )


def test_the_phase_indicator_marks_the_current_and_the_done_steps(client, project):
    page = page_for(client, None, project).content.decode()
    assert page.count('aria-current="step"') == 1
    assert '<ol class="phase-steps">' in page
    assertInHTML(
        _phase_step(
            "current",
            "Current phase:",
            "Define",
            "We put into words which problem we solve, and for whom.",
        ),
        page,
    )
    for done, sentence in [
        ("Understand", "We learn about the problem and the people who have it."),
        ("Observe", "We watch and ask how people use the service today."),
    ]:
        assertInHTML(_phase_step("done", "Done:", done, sentence), page)
    assertInHTML(
        _phase_step(
            "todo",
            "Still to come:",
            "Implement",
            "We build the solution for real and bring it into use.",
        ),
        page,
    )


def test_every_phase_is_explained_in_one_sentence():
    from marketplace.models import PHASE_DESCRIPTIONS, Phase

    assert set(PHASE_DESCRIPTIONS) == set(Phase.values)
    for sentence in PHASE_DESCRIPTIONS.values():
        text = str(sentence)
        assert text.endswith(".") and text.count(". ") == 0


def test_the_phase_control_offers_the_allowed_moves_with_the_next_step_preselected(
    client, project, lead
):
    page = page_for(client, lead, project).content.decode()
    phase_select = page.split('<select id="phase-choice" name="phase">')[1].split("</select>")[0]
    assertInHTML(
        '<option value="understand">Understand</option>'
        '<option value="observe">Observe</option>'
        '<option value="ideate" selected>Ideate</option>',
        phase_select,
    )


def test_the_status_control_offers_only_the_allowed_statuses(client, project, lead):
    page = page_for(client, lead, project).content.decode()
    status_select = page.split('<select id="status-choice" name="status" required>')[1]
    status_select = status_select.split("</select>")[0]
    assertInHTML(
        '<option value="" selected>– choose a status –</option>'
        '<option value="in_progress">In progress</option>'
        '<option value="paused">Paused</option>'
        '<option value="cancelled">Cancelled</option>',
        status_select,
    )


def test_open_roles_show_audience_hours_kind_seats_and_skills(client, project):
    employee_role = RoleFactory(project=project, title="UX researcher", hours_per_week=6, seats=2)
    employee_role.skills.add(SkillFactory(name_en="Interviewing"))
    PublicRoleFactory(project=project, title="Testers wanted", public_kind="testing", seats=15)
    RoleFactory(project=project, title="Closed role", is_open=False)
    page = page_for(client, None, project).content.decode()
    assertInHTML("<div><dt>Hours per week</dt><dd>6</dd></div>", page)
    assertInHTML("<div><dt>Taking part as</dt><dd>Tester</dd></div>", page)
    assertInHTML("<div><dt>Seats</dt><dd>15</dd></div>", page)
    assert "UX researcher" in page
    assert "Interviewing" in page
    assert "Closed role" not in page
    assert "/join/" in page  # every open role leads to joining it
    assert "<button" not in page.split('id="roles"')[1].split("</section>")[0]


def test_the_lead_also_sees_closed_roles_marked_as_closed(client, project, lead):
    RoleFactory(project=project, title="Closed role", is_open=False)
    page = page_for(client, lead, project).content.decode()
    closed = page.split('<h3 id="closed-roles-heading">Closed roles</h3>')[1]
    assert "Closed role" in closed.split("</ul>")[0]


def test_a_project_without_open_roles_says_so(client, project):
    page = page_for(client, None, project).content.decode()
    assert "This project has no open roles at the moment." in page


@pytest.mark.parametrize("visitor", ["outsider", "citizen", "anonymous"])
def test_a_draft_is_not_found_by_anyone_but_its_leads_and_administrators(client, lead, visitor):
    draft = ProjectFactory(status="draft", published_at=None, leads=[lead])
    user = {"outsider": EmployeeFactory, "citizen": CitizenFactory, "anonymous": lambda: None}
    assert page_for(client, user[visitor](), draft).status_code == 404


@pytest.mark.parametrize("viewer", ["lead", "administrator"])
def test_leads_and_administrators_see_a_draft_with_what_it_still_needs(client, lead, viewer):
    draft = ProjectFactory(status="draft", published_at=None, summary="", leads=[lead])
    response = page_for(client, lead if viewer == "lead" else AdminFactory(), draft)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This project is a draft." in page
    assert f'action="/projects/{draft.slug}/publish/"' in page
    assertInHTML("<li>a summary</li>", page)
    assertInHTML("<li>at least one open role</li>", page)


def internal_project(lead):
    return ProjectFactory(
        title="Interne Revision",
        summary="Geheime Zusammenfassung",
        description="Geheime Beschreibung",
        is_internal=True,
        internal_reason="Enthält Sicherheitsdetails.",
        leads=[lead],
    )


@pytest.mark.parametrize("visitor", ["citizen", "anonymous"])
def test_the_public_sees_of_an_internal_project_only_title_department_status_and_reason(
    client, lead, visitor
):
    project = internal_project(lead)
    RoleFactory(project=project, title="Geheime Rolle")
    response = page_for(client, CitizenFactory() if visitor == "citizen" else None, project)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Interne Revision" in page
    assert project.department.name in page
    assert "Open" in page
    assert "Enthält Sicherheitsdetails." in page
    for hidden in ["Geheime Zusammenfassung", "Geheime Beschreibung", "Geheime Rolle", "Lena"]:
        assert hidden not in page
    assert 'aria-current="step"' not in page


def test_employees_see_an_internal_project_in_full(client, lead):
    project = internal_project(lead)
    page = page_for(client, EmployeeFactory(), project).content.decode()
    assert "Geheime Zusammenfassung" in page
    assert "Geheime Beschreibung" in page


def _project_with_roles(lead, role_count: int):
    project = ProjectFactory(leads=[lead, EmployeeFactory()])
    project.topics.add(*[TopicFactory() for _ in range(role_count // 4 + 1)])
    for index in range(role_count):
        role = (PublicRoleFactory if index % 3 == 0 else RoleFactory)(project=project)
        role.skills.add(*[SkillFactory() for _ in range(3)])
    for index in range(role_count // 2 + 1):
        ProjectUpdate.objects.create(
            project=project, title=f"Neuigkeit {index}", text="Text", author=EmployeeFactory()
        )
    return project


def _queries_for_page(client, project) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["anonymous", "lead"])
def test_the_page_costs_the_same_queries_for_2_roles_as_for_40(client, lead, viewer):
    """Cold: right after a change (here: of the names every page shows); warm: again."""
    small, large = _project_with_roles(lead, 2), _project_with_roles(lead, 40)
    if viewer == "lead":
        client.force_login(lead)
    counted = {}
    for name, project in (("small", small), ("large", large)):
        _queries_for_page(client, project)  # the session and the like, once
        project_page_cache.invalidate_names()
        counted[name] = (_queries_for_page(client, project), _queries_for_page(client, project))
    assert counted["small"] == counted["large"] == PAGE_QUERIES[viewer]


def test_a_lead_sees_a_draft_in_a_fixed_number_of_queries(client, lead, django_assert_num_queries):
    draft = _project_with_roles(lead, 40)
    draft.status = "draft"
    draft.save()
    client.force_login(lead)
    client.get(draft.get_absolute_url())  # the session and the like, once
    with django_assert_num_queries(DRAFT_PAGE_QUERIES_FOR_A_LEAD):
        assert client.get(draft.get_absolute_url()).status_code == 200


def test_an_unknown_project_is_not_found(client, db):
    assert client.get("/projects/no-such-project/").status_code == 404


def test_the_project_page_only_answers_get(client, project):
    assert client.post(project.get_absolute_url()).status_code == 405
