"""The project page is kept rendered (``marketplace.project_page_cache``), yet always exact.

Every kind of change shows at once; nobody is served another visitor's personal
parts or CSRF token; German and English are kept apart; the page costs a fixed
number of queries, kept or not.
"""

import re

import pytest
from django.conf import settings
from django.test import Client

from marketplace import notifications, project_page_cache
from marketplace import services as marketplace_services
from marketplace.models import PHASE_ORDER, Phase, Role
from participation.models import Membership, Round
from participation.services import applications, comments
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    EmployeeFactory,
    ProjectFactory,
    RoleFactory,
    SkillFactory,
    TopicFactory,
)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


@pytest.fixture
def lead(db):
    return EmployeeFactory(display_name="Lena Lead")


@pytest.fixture
def project(lead):
    project = ProjectFactory(title="Digitale Bauakte", phase="define", leads=[lead])
    RoleFactory(project=project, title="Entwicklung", seats=1, auto_accept=True, hours_per_week=4)
    return project


def page(client, project, user=None) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def kept_page(client, project, user=None) -> str:
    """The page twice: the second answer comes from what the first one kept."""
    page(client, project, user)
    return page(client, project)


def _edit(project, lead):
    project.summary = "Neue Zusammenfassung für alle."
    marketplace_services.update_project(lead, project, ["summary"])
    return "Neue Zusammenfassung für alle."


def _phase(project, lead):
    target = PHASE_ORDER[PHASE_ORDER.index(project.phase) + 1]
    marketplace_services.change_phase(lead, project, target)
    label = re.escape(str(Phase(target).label))
    return re.compile(rf'aria-current="step">\s*<span[^>]*>[^<]*</span>\s*<span[^>]*>{label}<')


def _status(project, lead):
    marketplace_services.change_status(lead, project, "paused")
    return "status-paused"


def _role_added(project, lead):
    role = Role(project=project, title="Barrierefreiheitsprüfung", seats=2, hours_per_week=2)
    marketplace_services.save_role(lead, role, skills=[SkillFactory(name_en="Auditing")])
    return "Barrierefreiheitsprüfung"


def _skill_added(project, lead):
    project.roles.get().skills.add(SkillFactory(name_en="Kubernetes"))
    return "Kubernetes"


def _seat_taken(project, lead):
    applications.claim_role(EmployeeFactory(display_name="Mia Mitglied"), project.roles.get())
    return "Mia Mitglied"  # on the team, and the role is filled


def _membership_ended(project, lead):
    member = EmployeeFactory(display_name="Otto Ordentlich")
    applications.claim_role(member, project.roles.get())
    kept_page(Client(), project)
    applications.end_membership(member, Membership.objects.get(person=member))
    return "!Otto Ordentlich"  # "!" : no longer shown


def _update_posted(project, lead):
    marketplace_services.post_update(lead, project, title="Meilenstein erreicht", text="Ja.")
    return "Meilenstein erreicht"


def _comment_posted(project, lead):
    comments.post_comment(CitizenFactory(), project, "Eine sehr gute Idee, danke!")
    return "Eine sehr gute Idee, danke!"


def _comment_hidden(project, lead):
    comment = comments.post_comment(CitizenFactory(), project, "Ein Kommentar zum Verbergen.")
    kept_page(Client(), project)
    comments.hide_comment(AdminFactory(), comment, "Beleidigend.")
    return "This comment was hidden by a moderator."


def _lead_added(project, lead):
    project.leads.add(EmployeeFactory(display_name="Zweite Leitung"))
    return "Zweite Leitung"


def _topic_added(project, lead):
    project.topics.add(TopicFactory(name_en="Construction permits"))
    return "Construction permits"


def _name_changed(project, lead):
    lead.display_name = "Lena Neu-Lead"
    lead.save()
    return "Lena Neu-Lead"


def _department_renamed(project, lead):
    department = project.department
    department.name = "Senatsverwaltung für Umbenennung"
    department.save()
    return "Senatsverwaltung für Umbenennung"


def _round_opened(project, lead):
    Round.objects.create(
        project=project, kind="test", title="Testrunde eins", phase="develop",
        closes_on="2099-01-01", status="open",
    )  # fmt: skip
    return "Testrunde eins"


CHANGES = [
    _edit, _phase, _status, _role_added, _skill_added, _seat_taken, _membership_ended,
    _update_posted, _comment_posted, _comment_hidden, _lead_added, _topic_added,
    _name_changed, _department_renamed, _round_opened,
]  # fmt: skip


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
@pytest.mark.parametrize("visitor", ["anonymous", "employee"])
def test_every_change_shows_at_once(client, project, lead, change, visitor):
    user = EmployeeFactory() if visitor == "employee" else None
    before = kept_page(client, project, user)
    expected = change(project, lead)
    after = page(client, project)
    if isinstance(expected, re.Pattern):
        assert not expected.search(before)
        assert expected.search(after)
    elif expected.startswith("!"):
        assert expected[1:] not in after
    else:
        assert expected not in before
        assert expected in after


def test_a_filled_role_moves_under_its_heading_at_once(client, project):
    assert "Filled roles" not in kept_page(client, project)
    applications.claim_role(EmployeeFactory(), project.roles.get())
    assert "Filled roles" in page(client, project)


def test_anonymous_visitors_are_served_the_kept_page_without_a_query(
    client, project, django_assert_num_queries
):
    page(client, project)
    project_page_cache.invalidate_names()  # as after any change
    with django_assert_num_queries(10):  # the row, leads, topics and what the sections show
        page(client, project)
    with django_assert_num_queries(0):
        page(client, project)


def test_a_signed_in_visitor_pays_only_for_the_personal_parts(
    client, project, django_assert_num_queries
):
    page(client, project, EmployeeFactory())
    project_page_cache.invalidate_names()
    # The session, the user, the unread count, following, the roles with their skills,
    # the visitor's applications and memberships, the team space, the comments and
    # whether the visitor may write one; cold also the row with its leads and topics,
    # the team, the updates, the rounds and the ideas.
    with django_assert_num_queries(18):
        page(client, project)
    with django_assert_num_queries(11):
        page(client, project)


def test_nobody_sees_the_personal_parts_of_who_came_before(client, project, lead):
    member, outsider, citizen = EmployeeFactory(), EmployeeFactory(), CitizenFactory()
    applications.claim_role(member, project.roles.get())
    notifications.follow(member, project)
    shown = {}
    for name, user in (
        ("lead", lead), ("member", member), ("anonymous", None), ("outsider", outsider),
        ("citizen", citizen), ("lead again", lead),
    ):  # fmt: skip
        visitor = Client()
        visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        shown[name] = page(visitor, project, user)
    for name in ("lead", "lead again"):
        assert "Manage this project" in shown[name]
    for name in ("member", "anonymous", "outsider", "citizen"):
        assert "Manage this project" not in shown[name]
        assert "Review applications" not in shown[name]
    assert "You are a member" in shown["member"]
    assert "Following – stop following" in shown["member"]
    assert "Team space" in shown["member"]
    for name in ("anonymous", "outsider", "citizen"):
        assert "You are a member" not in shown[name]
        assert "Following – stop following" not in shown[name]
        assert "Team space" not in shown[name]
    assert "Sign in to follow" in shown["anonymous"]
    assert "Sign in to follow" not in shown["outsider"]
    assert "Sign in to comment" in shown["anonymous"]
    assert "Post the comment" in shown["citizen"]


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(project):
    tokens = {}
    for name in ("first", "second"):
        visitor = Client(enforce_csrf_checks=True)
        visitor.force_login(CitizenFactory())
        tokens[name] = set(TOKEN.findall(page(visitor, project)))
        assert tokens[name]  # the follow and comment forms
        follow = visitor.post(
            f"/projects/{project.slug}/follow/",
            {"action": "follow", "csrfmiddlewaretoken": next(iter(tokens[name]))},
        )
        assert follow.status_code in (200, 302)
    assert not tokens["first"] & tokens["second"]


def test_german_and_english_are_kept_apart(project):
    german, english = Client(), Client()
    german.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(2):
        assert "Offene Rollen" in page(german, project)
        assert "Open roles" in page(english, project)
    assert "Open roles" not in page(german, project)
    assert "Offene Rollen" not in page(english, project)


def test_a_draft_stays_secret_after_its_lead_has_seen_it(client, lead):
    draft = ProjectFactory(status="draft", published_at=None, leads=[lead])
    assert page(Client(), draft, lead)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(EmployeeFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert page(Client(), draft, AdminFactory())


def test_an_internal_project_shows_its_details_only_to_employees(client, lead):
    internal = ProjectFactory(is_internal=True, internal_reason="Sicherheit", leads=[lead])
    internal.roles.create(title="Geheime Rolle", seats=1, hours_per_week=2)
    assert "Geheime Rolle" in kept_page(Client(), internal, EmployeeFactory())
    assert "Geheime Rolle" not in kept_page(client, internal)
    assert "Geheime Rolle" not in page(Client(), internal, CitizenFactory())
