"""Full and closed roles are listed apart from the open ones, and cards say so in words."""

import pytest
from django.conf import settings
from django.core.cache import caches

from tests.factories import EmployeeFactory, ProjectFactory, PublicRoleFactory, RoleFactory

HEADINGS = {
    "en": ("Open roles", "Filled roles", "Closed roles", "All roles are filled at the moment."),
    "de": (
        "Offene Rollen",
        "Besetzte Rollen",
        "Geschlossene Rollen",
        "Zurzeit sind alle Rollen besetzt.",
    ),
}


@pytest.fixture
def lead(db):
    return EmployeeFactory()


@pytest.fixture
def project(lead):
    project = ProjectFactory(title="Digitale Bauakte", leads=[lead])
    RoleFactory(project=project, title="Frei", seats=2, filled_seats=1)
    RoleFactory(project=project, title="Voll", seats=2, filled_seats=2)
    PublicRoleFactory(project=project, title="Zu", is_open=False)
    return project


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def role_heading(title: str, language: str) -> str:
    """A German role title's heading: marked as German on an English page (WCAG 3.1.2)."""
    return f"<h4>{title}</h4>" if language == "de" else f'<h4><span lang="de">{title}</span></h4>'


def group(page: str, heading: str) -> str:
    """The list under ``heading`` in the roles section."""
    return page.split(f">{heading}</h3>")[1].split("</ul>")[0]


@pytest.mark.parametrize("language", ["en", "de"])
def test_open_filled_and_closed_roles_are_listed_apart(client, project, lead, language):
    open_heading, filled_heading, closed_heading, _all_filled = HEADINGS[language]
    client.force_login(lead)
    page = in_language(client, language).get(project.get_absolute_url()).content.decode()
    assert role_heading("Frei", language) in group(page, open_heading)
    assert "Voll" not in group(page, open_heading)
    assert role_heading("Voll", language) in group(page, filled_heading)
    assert role_heading("Zu", language) in group(page, closed_heading)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_public_sees_filled_roles_apart_and_no_closed_ones(client, project, language):
    open_heading, filled_heading, closed_heading, _all_filled = HEADINGS[language]
    page = in_language(client, language).get(project.get_absolute_url()).content.decode()
    assert "Voll" not in group(page, open_heading)
    assert role_heading("Voll", language) in group(page, filled_heading)
    assert closed_heading not in page
    assert "Zu</h4>" not in page


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_project_whose_roles_are_all_filled_says_so(client, lead, language):
    project = ProjectFactory(leads=[lead])
    RoleFactory(project=project, title="Voll", seats=1, filled_seats=1)
    page = in_language(client, language).get(project.get_absolute_url()).content.decode()
    assert HEADINGS[language][3] in page


CARD_TEXT = {
    "en": {
        "filled": "None – all roles are filled",
        "none": "None at the moment",
        "open": "1 role, 1 seat",
    },
    "de": {
        "filled": "Keine – alle Rollen besetzt",
        "none": "Zurzeit keine",
        "open": "1 Rolle, 1 Platz",
    },
}


@pytest.mark.parametrize("language", ["en", "de"])
def test_browse_cards_say_in_words_when_no_role_is_on_offer(client, db, language):
    filled = ProjectFactory(title="Besetzt")
    RoleFactory(project=filled, seats=2, filled_seats=2)
    closed = ProjectFactory(title="Geschlossen")
    RoleFactory(project=closed, is_open=False)
    offered = ProjectFactory(title="Angebot")
    RoleFactory(project=offered, seats=2, filled_seats=1)
    RoleFactory(project=offered, seats=3, filled_seats=3)
    page = in_language(client, language).get("/projects/").content.decode()
    cards = {
        title: page.split(f">{title}</")[1].split("</dl>")[0]
        for title in ("Besetzt", "Geschlossen", "Angebot")
    }
    text = CARD_TEXT[language]
    assert text["filled"] in cards["Besetzt"]
    assert text["none"] in cards["Geschlossen"]
    assert text["open"] in cards["Angebot"]
    for card in cards.values():
        assert "0 " not in card.split("</dt>")[-1]


@pytest.mark.parametrize(
    ("language", "words"), [("en", "All roles filled"), ("de", "Alle Rollen besetzt")]
)
def test_home_cards_say_when_all_roles_are_filled(client, db, language, words):
    caches["local"].clear()  # the newest projects are cached per process
    project = ProjectFactory(title="Besetzt")
    RoleFactory(project=project, seats=1, filled_seats=1)
    page = in_language(client, language).get("/").content.decode()
    card = page.split(">Besetzt</")[1].split("</li>")[0]
    assert words in card
