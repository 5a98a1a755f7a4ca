"""/participate/: the explanation, and the projects that welcome help now; the role actions."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from marketplace.models import Project, Role
from participation import services
from participation.views.applications import participation_context_for_project
from tests.factories import (
    CitizenFactory,
    EmployeeFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
    TopicFactory,
)

URL = "/participate/"


@pytest.fixture(autouse=True)
def english(client, db):
    """The assertions read English; German translations may come at any time."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def welcoming(title="Willkommen", **fields):
    project = ProjectFactory(title=title, **fields)
    PublicRoleFactory(project=project, title=f"{title}: testen", public_kind="testing")
    return project


def listed_titles(response):
    return [project.title for project in response.context["projects"]]


def test_the_explanation_stays_in_plain_words(client):
    page = client.get(URL).content.decode()
    assert "Three ways to take part" in page
    assert "How to start" in page
    assert 'href="/accounts/signup/"' in page


def test_projects_with_a_free_public_seat_are_listed(client):
    project = welcoming("Bürgeramt online", summary="Termine ohne Warten.")
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert listed_titles(response) == ["Bürgeramt online"]
    assert f'href="{project.get_absolute_url()}"' in page
    assert "Termine ohne Warten." in page
    assert "Tester" in page


def test_projects_that_cannot_take_the_public_are_not_listed(client):
    welcoming("Offen")
    welcoming("In Arbeit", status="in_progress")
    welcoming("Entwurf", status="draft", published_at=None)
    welcoming("Pausiert", status="paused")
    welcoming("Fertig", status="completed")
    welcoming("Ohne Beteiligung", open_for_participation=False)
    welcoming("Intern", is_internal=True, internal_reason="Sicherheit")
    RoleFactory(project=ProjectFactory(title="Nur Mitarbeitende"))
    PublicRoleFactory(project=ProjectFactory(title="Rolle geschlossen"), is_open=False)
    PublicRoleFactory(project=ProjectFactory(title="Rolle voll"), seats=2, filled_seats=2)
    assert sorted(listed_titles(client.get(URL))) == ["In Arbeit", "Offen"]


def test_only_the_free_public_roles_of_a_project_are_shown(client):
    project = welcoming("Gemischt")
    RoleFactory(project=project, title="Interne Entwicklung")
    PublicRoleFactory(project=project, title="Volle Rolle", seats=1, filled_seats=1)
    page = client.get(URL).content.decode()
    assert "Gemischt: testen" in page
    assert "Interne Entwicklung" not in page
    assert "Volle Rolle" not in page


def test_the_topic_filter_works_without_javascript(client):
    mobility, health = (
        TopicFactory(slug="mobilitaet", name_en="Mobility"),
        TopicFactory(slug="gesundheit"),
    )
    welcoming("Radwege").topics.add(mobility)
    welcoming("Impftermine").topics.add(health)
    page = client.get(URL).content.decode()
    assert '<form method="get" action="/participate/#projects"' in page
    assert '<option value="mobilitaet">Mobility</option>' in page
    response = client.get(URL, {"topic": "mobilitaet"})
    assert response.status_code == 200
    assert listed_titles(response) == ["Radwege"]
    assert '<option value="mobilitaet" selected>' in response.content.decode()


def test_an_empty_topic_shows_all(client):
    welcoming("A"), welcoming("B")
    assert len(listed_titles(client.get(URL, {"topic": ""}))) == 2


def test_an_unknown_topic_is_a_400_with_a_message(client):
    welcoming("A")
    response = client.get(URL, {"topic": "gibt-es-nicht"})
    assert response.status_code == 400
    assert "There is no such topic." in response.content.decode()


def test_a_topic_without_projects_says_so(client):
    TopicFactory(slug="leer")
    welcoming("A")
    response = client.get(URL, {"topic": "leer"})
    assert listed_titles(response) == []
    assert "no project looks for help on this topic" in response.content.decode()


def test_pages_keep_the_topic_and_a_missing_page_is_404(client):
    topic = TopicFactory(slug="viel")
    for number in range(25):
        welcoming(f"Projekt {number:02}").topics.add(topic)
    first = client.get(URL, {"topic": "viel"})
    assert len(listed_titles(first)) == 20
    assert 'href="?topic=viel&amp;page=2#projects"' in first.content.decode()
    assert len(listed_titles(client.get(URL, {"topic": "viel", "page": 2}))) == 5
    assert client.get(URL, {"page": 9}).status_code == 404
    assert client.get(URL, {"page": "x"}).status_code == 404


def test_anonymous_visitors_are_led_to_sign_in_or_sign_up(client):
    project = welcoming("Anmelden")
    role = project.roles.get()
    page = client.get(URL).content.decode()
    join = f"/projects/{project.slug}/roles/{role.pk}/join/"
    assert f'href="/accounts/login/?next={join}"' in page
    assert f'href="/accounts/signup/?next={join}"' in page


def test_a_signed_in_citizen_offers_help_or_sees_the_application(client):
    citizen = CitizenFactory()
    first, second = welcoming("Erstes"), welcoming("Zweites")
    services.apply_for_public_role(citizen, first.roles.get(), message="Gern")
    client.force_login(citizen)
    page = client.get(URL).content.decode()
    assert "You have applied" in page
    assert f'href="/projects/{second.slug}/roles/{second.roles.get().pk}/join/"' in page


def bulk_welcoming(count, topic, start=0):
    projects = Project.objects.bulk_create(
        Project(title=f"Viele {n}", slug=f"viele-{n}", status="open")
        for n in range(start, start + count)
    )
    Role.objects.bulk_create(
        Role(project=project, title="Testen", audience="public", public_kind="testing", seats=5)
        for project in projects
    )
    topic.projects.add(*projects)


@pytest.mark.parametrize(("visitor", "expected"), [("anonymous", 6), ("citizen", 11)])
def test_the_page_costs_the_same_queries_for_few_and_many(
    client, django_assert_num_queries, visitor, expected
):
    """Topics for the select, the chosen topic, the count, the page, its topics and roles;
    signed in also the session, the user and the person's applications and memberships."""
    topic = TopicFactory(slug="alles")
    if visitor == "citizen":
        client.force_login(CitizenFactory())
    bulk_welcoming(3, topic)
    with django_assert_num_queries(expected):
        assert len(listed_titles(client.get(URL, {"topic": "alles"}))) == 3
    bulk_welcoming(300, topic, start=3)
    with django_assert_num_queries(expected):
        assert len(listed_titles(client.get(URL, {"topic": "alles"}))) == 20


# --- The role actions beside each role ------------------------------------------------------


def actions(role, user, **context):
    return render_to_string(
        "participation/includes/role_actions.html", {"role": role, "user": user, **context}
    )


def test_the_context_helper_costs_two_queries(django_assert_num_queries):
    citizen, employee = CitizenFactory(), EmployeeFactory()
    project = ProjectFactory()
    applied = PublicRoleFactory(project=project)
    member_role = RoleFactory(project=project, auto_accept=True)
    services.apply_for_public_role(citizen, applied)
    services.claim_role(employee, member_role)
    with django_assert_num_queries(2):
        assert participation_context_for_project(citizen, project) == {
            "my_pending_role_ids": {applied.pk},
            "my_member_role_ids": set(),
        }
    assert participation_context_for_project(employee, project)["my_member_role_ids"] == {
        member_role.pk
    }
    with django_assert_num_queries(0):
        assert participation_context_for_project(AnonymousUser(), project) == {
            "my_pending_role_ids": set(),
            "my_member_role_ids": set(),
        }


def test_the_actions_fit_the_person_and_the_role():
    public, internal = PublicRoleFactory(title="Testen"), RoleFactory(title="Bauen")
    citizen, employee = CitizenFactory(), EmployeeFactory()
    assert "Sign in to take part" in actions(public, AnonymousUser())
    assert "Sign in to take part" in actions(internal, AnonymousUser())
    assert "Offer help" in actions(public, citizen)
    assert "Claim this role" in actions(internal, employee)
    assert "For employees of the administration" in actions(internal, citizen)
    assert f'href="/projects/{internal.project.slug}/roles/{internal.pk}/join/"' in actions(
        internal, employee
    )


def test_the_actions_say_what_already_stands():
    role = PublicRoleFactory()
    citizen = CitizenFactory()
    pending = actions(role, citizen, my_pending_role_ids={role.pk}, my_member_role_ids=set())
    assert "You have applied" in pending and "Offer help" not in pending
    member = actions(role, citizen, my_pending_role_ids=set(), my_member_role_ids={role.pk})
    assert "You are a member" in member and "Offer help" not in member


def test_a_full_or_closed_role_offers_nothing():
    full = PublicRoleFactory(seats=1, filled_seats=1)
    closed = PublicRoleFactory(is_open=False)
    for role in (full, closed):
        page = actions(role, CitizenFactory())
        assert "All seats are taken" in page
        assert "/join/" not in page
