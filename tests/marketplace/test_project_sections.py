"""The registry through which apps above the marketplace add sections to a project page."""

import pytest

from marketplace import project_sections
from marketplace.project_sections import ProjectSection, register_section, sections_for


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(project_sections, "SECTIONS", {})
    return project_sections.SECTIONS


def test_participation_fills_the_places_of_the_project_page():
    shown = sections_for(request=None, project=None)
    assert [section.name for section in shown["team"]] == ["participation-team"]
    assert [section.name for section in shown["after_team"]] == ["participation-team-space"]
    assert [section.name for section in shown["role"]] == ["participation-joining"]
    assert [section.name for section in shown["end"]] == [
        "participation-activities",
        "participation-comments",
    ]
    # What differs between visitors is rendered per request, the rest kept for all.
    personal = {section.name for place in shown.values() for section in place if section.personal}
    assert personal == {
        "participation-team-space",
        "participation-joining",
        "participation-comments",
    }


def test_the_team_list_takes_no_personal_section(registry):
    with pytest.raises(ValueError, match="kept for everyone"):
        ProjectSection(name="x", templates={"team": "t.html"}, context=dict, personal=True)


def test_a_context_is_built_once_and_only_when_shown(registry):
    calls = []

    def context(request, project):
        calls.append(project)
        return {"answer": 42}

    register_section(
        ProjectSection(
            name="two-places", templates={"team": "a.html", "end": "b.html"}, context=context
        )
    )
    shown = sections_for(request=None, project="the project")
    assert calls == []  # nothing loaded for a page that shows no section
    assert shown["team"][0].context == shown["end"][0].context == {"answer": 42}
    assert calls == ["the project"]


def test_sections_come_in_their_order_within_a_place(registry):
    for name, order in [("late", 20), ("early", 5), ("middle", 10)]:
        register_section(
            ProjectSection(
                name=name,
                templates={"end": "x.html"},
                context=lambda request, project: {},
                order=order,
            )
        )
    assert [section.name for section in sections_for(None, None)["end"]] == [
        "early",
        "middle",
        "late",
    ]


def test_a_place_the_page_does_not_have_is_refused():
    with pytest.raises(ValueError, match="no such place"):
        ProjectSection(
            name="lost", templates={"sidebar": "x.html"}, context=lambda request, project: {}
        )
