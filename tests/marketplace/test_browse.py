"""The browse page /projects/: filters, search, facets, sorting, paging, bad input, htmx."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.filters import ProjectFilter
from marketplace.models import Project, Role
from marketplace.services import refresh_search_document, refresh_search_vectors
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

URL = reverse("project-list")
ON_POSTGRES = connection.vendor == "postgresql"


def browse(client, params=None, **headers):
    """GET the browse page in English (the source language), whatever gets translated later."""
    return client.get(URL, params or {}, HTTP_ACCEPT_LANGUAGE="en", **headers)


def listed(response) -> list[str]:
    return [project.title for project in response.context["page_obj"].object_list]


def facet_counts(response, param) -> dict[str, int]:
    facet = next(facet for facet in response.context["facets"] if facet.param == param)
    return {option.value: option.count for option in facet.options}


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def project_with(topics=(), leads=(), **fields):
    """ProjectFactory with topics, and without a new lead each (hashing passwords is slow)."""
    project = ProjectFactory(leads=list(leads), **fields)
    project.topics.set(topics)
    return project


def indexed(project):
    """Search reads search_extra and search_vector, which services fill in."""
    refresh_search_document(project)
    return project


# --- Visibility --------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_published_projects_for_anonymous_visitors(client):
    project_with(title="Offenes Projekt")
    project_with(title="Entwurf", status="draft", published_at=None)

    response = browse(client)

    assert response.status_code == 200
    assert listed(response) == ["Offenes Projekt"]


@pytest.mark.django_db
def test_a_draft_is_listed_for_its_lead_and_administrators_only(client):
    lead, outsider = EmployeeFactory(), EmployeeFactory()
    ProjectFactory(title="Entwurf", status="draft", published_at=None, leads=[lead])
    project_with(title="Offen")

    client.force_login(outsider)
    assert listed(browse(client)) == ["Offen"]
    client.force_login(CitizenFactory())
    assert listed(browse(client)) == ["Offen"]
    client.force_login(lead)
    assert set(listed(browse(client))) == {"Entwurf", "Offen"}
    client.force_login(AdminFactory())
    assert set(listed(browse(client))) == {"Entwurf", "Offen"}


@pytest.mark.django_db
def test_the_draft_status_is_offered_only_to_those_who_have_drafts(client):
    lead = EmployeeFactory()
    ProjectFactory(status="draft", published_at=None, leads=[lead])

    assert "draft" not in facet_counts(browse(client), "status")
    client.force_login(lead)
    assert facet_counts(browse(client), "status")["draft"] == 1


@pytest.mark.django_db
def test_a_project_with_several_leads_is_listed_once_with_true_seat_counts(client):
    lead, co_lead = EmployeeFactory(), EmployeeFactory()
    project = ProjectFactory(title="Doppelt geleitet", leads=[lead, co_lead])
    RoleFactory(project=project, seats=3)

    client.force_login(lead)
    response = browse(client)

    assert listed(response) == ["Doppelt geleitet"]
    assert response.context["page_obj"].object_list[0].open_seats == 3


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", ["anonymous", "citizen"])
def test_an_internal_project_shows_the_public_only_title_department_status_and_reason(
    client, visitor
):
    project_with(
        title="Internes Vorhaben",
        summary="Geheime Zusammenfassung",
        is_internal=True,
        internal_reason="Sicherheitsrelevant",
        topics=[TopicFactory(name_en="Security")],
    )
    if visitor == "citizen":
        client.force_login(CitizenFactory())

    html = browse(client).content.decode()

    assert "Internes Vorhaben" in html
    assert "Sicherheitsrelevant" in html
    assert "Internal project" in html
    assert "Geheime Zusammenfassung" not in html
    assert "Security" not in html


@pytest.mark.django_db
def test_an_internal_project_shows_employees_everything(client):
    project_with(
        title="Internes Vorhaben",
        summary="Geheime Zusammenfassung",
        is_internal=True,
        internal_reason="Sicherheitsrelevant",
    )
    client.force_login(EmployeeFactory())

    html = browse(client).content.decode()

    assert "Geheime Zusammenfassung" in html
    assert "Sicherheitsrelevant" in html


@pytest.mark.django_db
def test_hidden_details_of_internal_projects_do_not_find_them_for_the_public(client):
    topic = TopicFactory()
    internal = indexed(
        project_with(
            title="Internes Vorhaben",
            description="Das Codewort lautet Zauberberg.",
            is_internal=True,
            internal_reason="Sicherheitsrelevant",
        )
    )
    internal.topics.add(topic)

    assert listed(browse(client, {"q": "Zauberberg"})) == []
    assert listed(browse(client, {"topic": topic.pk})) == []
    assert facet_counts(browse(client), "topic") == {}
    assert listed(browse(client, {"q": "Vorhaben"})) == ["Internes Vorhaben"]
    client.force_login(EmployeeFactory())
    assert listed(browse(client, {"q": "Zauberberg"})) == ["Internes Vorhaben"]
    assert listed(browse(client, {"topic": topic.pk})) == ["Internes Vorhaben"]


# --- Search ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "query"),
    [
        ("title", "Radverkehr"),
        ("summary", "Radverkehr"),
        ("description", "Radverkehr"),
        ("role title", "Kartografie"),
        ("skill", "Geoinformatik"),
    ],
)
def test_search_finds_words_in_title_summary_description_roles_and_skills(client, field, query):
    project = project_with(title="Gesuchtes Projekt")
    project_with(title="Anderes Projekt")
    if field in ("title", "summary", "description"):
        setattr(project, field, f"{getattr(project, field)} Radverkehr")
        project.save()
    elif field == "role title":
        RoleFactory(project=project, title="Kartografie")
    else:
        role = RoleFactory(project=project)
        role.skills.add(SkillFactory(name_de="Geoinformatik", name_en="Geoinformatics"))
    for each in Project.objects.all():
        indexed(each)

    assert listed(browse(client, {"q": query})) == [project.title]


@pytest.mark.django_db
def test_search_needs_every_word_and_a_minus_excludes_one(client):
    indexed(project_with(title="Radverkehr in Pankow"))
    indexed(project_with(title="Radverkehr in Mitte"))

    assert listed(browse(client, {"q": "Radverkehr Pankow"})) == ["Radverkehr in Pankow"]
    assert listed(browse(client, {"q": "Radverkehr -Pankow"})) == ["Radverkehr in Mitte"]


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRES, reason="ranking uses PostgreSQL's weighted tsvector")
def test_a_title_match_ranks_above_a_description_only_match(client):
    indexed(project_with(title="Stadtbäume zählen", published_at=days_ago(10)))
    indexed(
        project_with(
            title="Grünflächen",
            description="Wir zählen auch Stadtbäume.",
            published_at=days_ago(1),
        )
    )

    assert listed(browse(client, {"q": "Stadtbäume"})) == ["Stadtbäume zählen", "Grünflächen"]
    assert listed(browse(client, {"q": "Stadtbäume", "sort": "newest"})) == [
        "Grünflächen",
        "Stadtbäume zählen",
    ]


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRES, reason="German stemming exists only in PostgreSQL")
def test_search_matches_german_word_forms(client):
    indexed(project_with(title="Digitale Anträge für Bürgerämter"))

    assert listed(browse(client, {"q": "Antrag"})) == ["Digitale Anträge für Bürgerämter"]


# --- Filters -----------------------------------------------------------------


@pytest.mark.django_db
def test_status_takes_several_values(client):
    project_with(title="Offen", status="open")
    project_with(title="Läuft", status="in_progress")
    project_with(title="Fertig", status="completed")

    response = browse(client, {"status": ["open", "in_progress"]})

    assert set(listed(response)) == {"Offen", "Läuft"}


@pytest.mark.django_db
def test_department_includes_its_divisions_and_units(client):
    senate = DepartmentFactory(name="Senatsverwaltung")
    division = DepartmentFactory(name="Abteilung", parent=senate)
    unit = DepartmentFactory(name="Referat", parent=division)
    project_with(title="Oben", department=senate)
    project_with(title="Mitte", department=division)
    project_with(title="Unten", department=unit)
    project_with(title="Woanders")

    assert set(listed(browse(client, {"department": senate.pk}))) == {"Oben", "Mitte", "Unten"}
    assert set(listed(browse(client, {"department": division.pk}))) == {"Mitte", "Unten"}
    assert set(listed(browse(client, {"department": unit.pk}))) == {"Unten"}


@pytest.mark.django_db
def test_topic_filter(client):
    mobility = TopicFactory()
    project_with(title="Mobil", topics=[mobility])
    project_with(title="Anders", topics=[TopicFactory()])

    assert listed(browse(client, {"topic": mobility.pk})) == ["Mobil"]


@pytest.mark.django_db
def test_skill_filter_looks_at_the_roles(client):
    design = SkillFactory()
    with_skill, without = project_with(title="Mit"), project_with(title="Ohne")
    RoleFactory(project=with_skill).skills.add(design)
    RoleFactory(project=with_skill).skills.add(design)  # two roles: still listed once
    RoleFactory(project=without)

    assert listed(browse(client, {"skill": design.pk})) == ["Mit"]


@pytest.mark.django_db
def test_phase_filter(client):
    project_with(title="Prototyp", phase="prototype")
    project_with(title="Verstehen", phase="understand")

    assert listed(browse(client, {"phase": "prototype"})) == ["Prototyp"]


@pytest.mark.django_db
def test_roles_filter_needs_an_open_role_for_that_audience(client):
    RoleFactory(project=project_with(title="Intern"))
    PublicRoleFactory(project=project_with(title="Öffentlich"))
    PublicRoleFactory(project=project_with(title="Geschlossen"), is_open=False)

    assert listed(browse(client, {"roles": "employees"})) == ["Intern"]
    assert listed(browse(client, {"roles": "public"})) == ["Öffentlich"]


@pytest.mark.django_db
def test_hours_bound_one_open_employee_role(client):
    RoleFactory(project=project_with(title="Vier"), hours_per_week=4)
    RoleFactory(project=project_with(title="Zwölf"), hours_per_week=12)
    RoleFactory(project=project_with(title="Zwölf zu"), hours_per_week=12, is_open=False)
    split = project_with(title="Zwei und dreißig")
    RoleFactory(project=split, hours_per_week=2)
    RoleFactory(project=split, hours_per_week=30)

    assert listed(browse(client, {"hours_min": 10, "hours_max": 20})) == ["Zwölf"]
    assert set(listed(browse(client, {"hours_min": 10}))) == {"Zwölf", "Zwei und dreißig"}
    assert set(listed(browse(client, {"hours_max": 5}))) == {"Vier", "Zwei und dreißig"}


@pytest.mark.django_db
def test_matches_finds_open_employee_roles_needing_my_skills_or_interests(client):
    known, wanted, other = SkillFactory(), SkillFactory(), SkillFactory()
    employee = EmployeeFactory()
    employee.skills.add(known)
    employee.interests.add(wanted)
    RoleFactory(project=project_with(title="Kann ich")).skills.add(known)
    RoleFactory(project=project_with(title="Will ich")).skills.add(wanted)
    RoleFactory(project=project_with(title="Fremd")).skills.add(other)
    RoleFactory(project=project_with(title="Besetzt"), is_open=False).skills.add(known)

    client.force_login(employee)

    assert set(listed(browse(client, {"matches": "on"}))) == {"Kann ich", "Will ich"}


@pytest.mark.django_db
def test_fits_hours_compares_roles_with_my_free_hours(client):
    employee = EmployeeFactory(weekly_hours=10)
    RoleFactory(project=project_with(title="Passt"), hours_per_week=10)
    RoleFactory(project=project_with(title="Zu viel"), hours_per_week=11)
    client.force_login(employee)

    response = browse(client, {"fits_hours": "on"})

    assert listed(response) == ["Passt"]
    assert "10 hours a week" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", ["anonymous", "citizen"])
def test_employee_only_filters_are_hidden_and_ignored_for_others(client, visitor):
    RoleFactory(project=project_with(title="A"), hours_per_week=40)
    if visitor == "citizen":
        client.force_login(CitizenFactory())

    response = browse(client, {"matches": "on", "fits_hours": "on"})

    assert response.status_code == 200
    assert listed(response) == ["A"]
    assert 'id="id_matching"' not in response.content.decode()
    assert 'id="id_fits_hours"' not in response.content.decode()


@pytest.mark.django_db
def test_filters_combine(client):
    topic, skill, department = TopicFactory(), SkillFactory(), DepartmentFactory()
    alike = {"department": department, "phase": "test", "topics": [topic], "status": "open"}
    near_misses = {
        "Anderes Referat": {"department": DepartmentFactory()},
        "Andere Phase": {"phase": "define"},
        "Anderes Thema": {"topics": [TopicFactory()]},
        "Pausiert": {"status": "paused"},
    }
    for title, changes in {"Treffer": {}, **near_misses}.items():
        project = project_with(title=f"{title} Radweg", **{**alike, **changes})
        RoleFactory(project=project, hours_per_week=8).skills.add(skill)
        PublicRoleFactory(project=project)
        indexed(project)
    employee = EmployeeFactory()
    employee.skills.add(skill)
    client.force_login(employee)

    everything = {
        "q": "Radweg",
        "status": ["open", "in_progress"],
        "department": department.pk,
        "topic": topic.pk,
        "skill": skill.pk,
        "phase": "test",
        "roles": "public",
        "hours_min": 8,
        "hours_max": 8,
        "matches": "on",
        "fits_hours": "on",
    }
    assert listed(browse(client, everything)) == ["Treffer Radweg"]
    two = browse(client, {"department": department.pk, "topic": topic.pk})
    assert set(listed(two)) == {"Treffer Radweg", "Andere Phase Radweg", "Pausiert Radweg"}


# --- Facets ------------------------------------------------------------------


@pytest.mark.django_db
def test_each_facet_counts_with_all_other_filters_applied(client):
    department, elsewhere = DepartmentFactory(), DepartmentFactory()
    project_with(status="open", department=department)
    project_with(status="open", department=department)
    project_with(status="in_progress", department=department)
    project_with(status="in_progress", department=elsewhere)

    response = browse(client, {"status": "open", "department": department.pk})

    assert len(listed(response)) == 2
    # Status counts ignore the chosen status but respect the department ...
    assert facet_counts(response, "status")["open"] == 2
    assert facet_counts(response, "status")["in_progress"] == 1
    # ... and department counts ignore the chosen department but respect the status.
    departments = facet_counts(response, "department")
    assert departments[str(department.pk)] == 2
    assert str(elsewhere.pk) not in departments  # nothing open there


@pytest.mark.django_db
def test_department_counts_include_divisions_and_units(client):
    senate = DepartmentFactory(name="Senatsverwaltung")
    division = DepartmentFactory(name="Abteilung", parent=senate)
    unit = DepartmentFactory(name="Referat", parent=division)
    project_with(department=senate)
    project_with(department=unit)
    project_with(department=unit)

    counts = facet_counts(browse(client), "department")

    assert counts[str(senate.pk)] == 3
    assert counts[str(division.pk)] == 2
    assert counts[str(unit.pk)] == 2
    facet = next(f for f in browse(client).context["facets"] if f.param == "department")
    labels = [option.label for option in facet.options]
    assert labels == ["Senatsverwaltung", "\u00a0" * 3 + "Abteilung", "\u00a0" * 6 + "Referat"]


@pytest.mark.django_db
def test_topic_skill_phase_and_roles_counts(client):
    topic, skill = TopicFactory(), SkillFactory()
    first = project_with(phase="ideate", topics=[topic])
    RoleFactory(project=first).skills.add(skill)
    RoleFactory(project=first).skills.add(skill)
    second = project_with(phase="ideate", topics=[topic])
    PublicRoleFactory(project=second)
    PublicRoleFactory(project=project_with(phase="test"), is_open=False)

    response = browse(client)

    assert facet_counts(response, "topic") == {str(topic.pk): 2}
    assert facet_counts(response, "skill") == {str(skill.pk): 1}
    assert facet_counts(response, "phase")["ideate"] == 2
    assert facet_counts(response, "phase")["test"] == 1
    assert facet_counts(response, "roles") == {"employees": 1, "public": 1}


@pytest.mark.django_db
def test_a_chosen_option_stays_offered_when_nothing_matches(client):
    topic = TopicFactory()

    response = browse(client, {"topic": topic.pk})

    assert facet_counts(response, "topic") == {str(topic.pk): 0}
    assert f'<option value="{topic.pk}" selected>' in response.content.decode()


# --- Sorting -----------------------------------------------------------------


@pytest.mark.django_db
def test_newest_first_is_the_default_without_search(client):
    project_with(title="Alt", published_at=days_ago(9))
    project_with(title="Neu", published_at=days_ago(1))
    project_with(title="Mittel", published_at=days_ago(5))

    assert listed(browse(client)) == ["Neu", "Mittel", "Alt"]
    assert listed(browse(client, {"sort": "relevance"})) == ["Neu", "Mittel", "Alt"]
    assert listed(browse(client, {"sort": "newest"})) == ["Neu", "Mittel", "Alt"]


@pytest.mark.django_db
def test_ending_soonest_puts_open_ended_projects_last(client):
    today = datetime.date.today()
    project_with(title="Ohne Ende", ends_on=None)
    project_with(title="Später", ends_on=today + datetime.timedelta(days=90))
    project_with(title="Bald", ends_on=today + datetime.timedelta(days=3))

    assert listed(browse(client, {"sort": "ending"})) == ["Bald", "Später", "Ohne Ende"]


@pytest.mark.django_db
def test_most_open_seats_counts_open_roles_only(client):
    few = project_with(title="Wenige")
    RoleFactory(project=few, seats=2)
    RoleFactory(project=few, seats=50, is_open=False)
    many = project_with(title="Viele")
    RoleFactory(project=many, seats=2)
    PublicRoleFactory(project=many, seats=5)
    project_with(title="Keine")

    response = browse(client, {"sort": "seats"})

    assert listed(response) == ["Viele", "Wenige", "Keine"]
    assert [p.open_seats for p in response.context["page_obj"].object_list] == [7, 2, 0]
    assert "2 roles, 7 seats" in response.content.decode()


# --- Paging ------------------------------------------------------------------


@pytest.mark.django_db
def test_twenty_per_page_and_page_two_has_the_rest(client):
    for day in range(25):
        project_with(title=f"Projekt {day:02}", published_at=days_ago(day))

    first, second = browse(client), browse(client, {"page": 2})

    assert len(listed(first)) == 20
    assert listed(second) == [f"Projekt {day:02}" for day in range(20, 25)]
    assert 'rel="next"' in first.content.decode()
    assert 'aria-label="Result pages"' in first.content.decode()
    assert "25 projects found" in first.content.decode()


@pytest.mark.django_db
def test_paging_keeps_the_filters(client):
    for day in range(21):
        project_with(status="paused", published_at=days_ago(day))

    html = browse(client, {"status": "paused"}).content.decode()

    assert 'href="/projects/?status=paused&amp;page=2"' in html


# --- Bad input ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "foo"}, "Status: Select a valid choice. foo is not one of"),
        ({"hours_min": "-1"}, "Hours per week, from: Ensure this value is greater than"),
        ({"hours_max": "61"}, "Hours per week, to: Ensure this value is less than"),
        ({"hours_min": "abc"}, "Hours per week, from: Enter a whole number."),
        ({"hours_min": "20", "hours_max": "10"}, "must not be below the lowest"),
        ({"q": "x" * 10_000}, "Search: Ensure this value has at most 200 characters"),
        ({"q": "null\x00byte"}, "Search: Null characters are not allowed."),
        ({"department": "abc"}, "Department: Select a valid choice."),
        ({"topic": "999999"}, "Topic: Select a valid choice."),
        ({"phase": "sleeping"}, "Phase: Select a valid choice."),
        ({"roles": "robots"}, "Open roles for: Select a valid choice."),
        ({"sort": "random"}, "Sort by: Select a valid choice."),
    ],
)
def test_a_bad_filter_value_gets_400_and_a_message_near_the_filters(client, params, message):
    RoleFactory(project=project_with(title="Trotzdem da"), hours_per_week=30)

    response = browse(client, params)

    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert message in html
    assert listed(response) == ["Trotzdem da"]  # the bad filter is left out


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["99999", "abc", "0", "-1", "1.5"])
def test_a_missing_page_gets_404_with_a_way_back_to_page_one(client, page):
    project_with()

    response = browse(client, {"status": "open", "page": page})

    html = response.content.decode()
    assert response.status_code == 404
    assert 'role="alert"' in html
    assert "There is no page" in html
    assert 'href="/projects/?status=open"' in html
    assert "<h1>Projects</h1>" in html


@pytest.mark.django_db
def test_unknown_parameters_are_ignored(client):
    project_with(title="Da")

    response = browse(client, {"utm_source": "newsletter", "colour": "blue"})

    assert response.status_code == 200
    assert listed(response) == ["Da"]
    assert 'role="alert"' not in response.content.decode()


@pytest.mark.django_db
def test_nothing_found_says_so_and_offers_to_widen_the_search(client):
    project_with(status="open")

    # The form also sends the filters left at "any", as empty values.
    response = browse(client, {"status": "completed", "q": "Nirgendwo", "phase": "", "topic": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "No project matches your search and filters." in html
    assert "0 projects found" in html
    assert "Remove “Status”" in html
    assert "Remove “Phase”" not in html
    assert 'href="/projects/?q=Nirgendwo"' in html
    assert "Show all projects" in html


@pytest.mark.django_db
def test_only_get_and_head_are_allowed(client):
    assert client.post(URL).status_code == 405


# --- htmx and the page without JavaScript ------------------------------------


@pytest.mark.django_db
def test_an_htmx_request_gets_the_results_fragment_with_facets_and_count(client):
    project_with(title="Fragment")

    response = browse(client, {"status": "open"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="browse-results"')
    assert "Fragment" in html
    assert '<div id="browse-facets" class="browse-facets" data-hx-swap-oob="true">' in html
    assert 'id="result-count"' in html and 'hx-swap-oob="innerHTML"' in html
    assert 'id="id_q"' not in html  # the search field keeps focus while one types
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_an_htmx_request_with_a_bad_value_gets_the_fragment_with_the_message(client):
    response = browse(client, {"status": "foo"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert "<html" not in response.content.decode()
    assert 'role="alert"' in response.content.decode()


@pytest.mark.django_db
def test_a_history_restore_gets_the_whole_page(client):
    response = browse(
        client, {"status": "open"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "hx-swap-oob" not in html


@pytest.mark.django_db
def test_the_page_is_a_search_form_that_works_without_javascript(client):
    html = browse(client).content.decode()

    assert 'role="search"' in html
    assert 'method="get" action="/projects/"' in html
    assert '<button type="submit">Apply filters</button>' in html
    assert 'hx-get="/projects/"' in html
    assert 'hx-target="#browse-results"' in html
    assert 'hx-push-url="true"' in html
    assert "input from:#id_q delay:400ms" in html
    assert 'aria-live="polite"' in html
    assert "<legend>Status</legend>" in html
    assert 'style="' not in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_a_signed_in_employee_gets_the_personal_filters(client):
    client.force_login(EmployeeFactory())

    html = browse(client).content.decode()

    assert 'id="id_matching"' in html
    assert 'id="id_fits_hours"' in html


# --- Fixed number of queries -------------------------------------------------


def bulk_projects(count, department, topic, skill, start=0):
    """``count`` open projects with an employee and a public role each, quickly."""
    now = timezone.now()
    projects = Project.objects.bulk_create(
        Project(
            title=f"Massenprojekt {number}",
            slug=f"massenprojekt-{number}",
            summary="Viele Projekte für den Test der Abfragen.",
            department=department,
            status="open",
            published_at=now - datetime.timedelta(minutes=number),
            search_extra="Entwicklung Feedback",
        )
        for number in range(start, start + count)
    )
    roles = Role.objects.bulk_create(
        role
        for project in projects
        for role in (
            Role(project=project, title="Entwicklung", hours_per_week=8, seats=2),
            Role(project=project, title="Feedback", audience="public", public_kind="feedback"),
        )
    )
    Project.topics.through.objects.bulk_create(
        Project.topics.through(project=project, topic=topic) for project in projects
    )
    Role.skills.through.objects.bulk_create(
        Role.skills.through(role=role, skill=skill) for role in roles if role.hours_per_week
    )
    refresh_search_vectors(Project.objects.filter(pk__in=[p.pk for p in projects]))


def count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = browse(client, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("visitor", "expected_queries"),
    # Both requests follow a change (the bulk load draws a new version): the topics,
    # skills and departments are read once each beside their counts, and a kept list
    # fetches its page's ids before its rows (the seats of those projects name it).
    [("anonymous", 16), ("employee", 19)],
)
def test_the_page_costs_the_same_queries_for_20_and_2000_projects(
    client, django_assert_num_queries, visitor, expected_queries
):
    department, topic, skill = DepartmentFactory(), TopicFactory(), SkillFactory()
    params = {
        "q": "Massenprojekt",
        "status": ["open", "in_progress"],
        "department": department.pk,
        "topic": topic.pk,
        "skill": skill.pk,
        "phase": "understand",
        "roles": "employees",
        "hours_min": 4,
        "hours_max": 20,
        "sort": "seats",
    }
    if visitor == "employee":
        employee = EmployeeFactory()
        employee.skills.add(skill)
        client.force_login(employee)
        params |= {"matches": "on", "fits_hours": "on"}

    bulk_projects(20, department, topic, skill)
    with django_assert_num_queries(expected_queries):
        assert len(listed(browse(client, params))) == 20
    bulk_projects(1980, department, topic, skill, start=20)
    with django_assert_num_queries(expected_queries):
        response = browse(client, params)
    assert len(listed(response)) == 20
    assert response.context["paginator"].count == 2000
    assert facet_counts(response, "status")["open"] == 2000


@pytest.mark.django_db
def test_the_filterset_defaults_to_what_the_visitor_may_see(rf):
    project_with(status="draft", published_at=None)
    request = rf.get(URL)
    request.user = AnonymousUser()

    assert ProjectFilter(request.GET, request=request).qs.count() == 0


def test_the_former_name_of_the_skills_filter_still_filters(client, db):
    """The control is named "matching": one named "matches" hides form.matches() (htmx, axe)."""
    client.force_login(EmployeeFactory())
    html = browse(client, {"matches": "on"}).content.decode()
    assert 'name="matching" id="id_matching" value="on" checked' in html
    assert 'name="matches"' not in html
