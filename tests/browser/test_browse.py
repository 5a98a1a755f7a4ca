"""Browsing projects in Chromium: with htmx swapping results in place, and without JavaScript."""

import re

import pytest

from marketplace.services import refresh_search_document
from tests.conftest import assert_accessible, log_in_browser
from tests.factories import EmployeeFactory, ProjectFactory, RoleFactory

RESULT_TITLES = "#browse-results h2"


def create_projects() -> None:
    for title, status in [
        ("Radweg Pankow", "open"),
        ("Radweg Mitte", "in_progress"),
        ("Schule digital", "open"),
    ]:
        project = ProjectFactory(title=title, status=status, leads=[])
        RoleFactory(project=project)
        refresh_search_document(project)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_results_update_in_place_and_the_back_button_restores_them(live_server, page):
    from playwright.sync_api import expect

    create_projects()
    page.goto(live_server.url + "/projects/")
    expect(page.locator(RESULT_TITLES)).to_have_count(3)
    assert_accessible(page)
    # A full page load would forget this; an htmx swap keeps it.
    page.evaluate("window.sameDocument = true")

    page.locator("#id_q").press_sequentially("Radweg", delay=30)
    expect(page.locator(RESULT_TITLES)).to_have_count(2)
    expect(page.locator("#result-count")).to_contain_text("2")
    expect(page.locator("#id_q")).to_be_focused()
    expect(page).to_have_url(re.compile(r"[?&]q=Radweg"))
    assert page.evaluate("window.sameDocument") is True
    assert_accessible(page)

    page.locator("#id_status_in_progress").focus()
    page.keyboard.press("Space")
    expect(page.locator(RESULT_TITLES)).to_have_text(["Radweg Mitte"])
    expect(page).to_have_url(re.compile(r"[?&]status=in_progress"))
    expect(page.locator("#id_status_in_progress")).to_be_checked()
    expect(page.locator("#id_status_in_progress")).to_be_focused()
    assert page.evaluate("window.sameDocument") is True
    assert_accessible(page)

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"status=in_progress"))
    expect(page.locator(RESULT_TITLES)).to_have_count(2)
    expect(page.locator("#id_status_in_progress")).not_to_be_checked()
    expect(page.locator("#id_q")).to_have_value("Radweg")
    assert_accessible(page)

    # A bad value is answered with 400; the message must still reach the page.
    page.locator("#id_hours_min").fill("0")
    page.keyboard.press("Tab")
    expect(page.locator("#browse-facets [role=alert]")).to_be_visible()
    expect(page.locator("#id_hours_min")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def assert_accessible_with_javascript(checker, url: str) -> None:
    """axe-core needs JavaScript (its timers never fire without it): check the same URL.

    The server sends the same markup either way; htmx only adds behaviour.
    """
    checker.goto(url)
    assert_accessible(checker)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_form_works_without_javascript(live_server, browser, page):
    from playwright.sync_api import expect

    create_projects()
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    no_script = context.new_page()
    no_script.set_default_timeout(15_000)
    try:
        no_script.goto(live_server.url + "/projects/")
        expect(no_script.locator(RESULT_TITLES)).to_have_count(3)
        assert_accessible_with_javascript(page, no_script.url)

        no_script.locator("#id_q").fill("Radweg")
        no_script.locator("#id_status_in_progress").check()
        no_script.locator("#browse-form button[type=submit]").click()

        no_script.wait_for_url(re.compile(r"status=in_progress"))
        expect(no_script).to_have_url(re.compile(r"[?&]q=Radweg"))
        expect(no_script.locator(RESULT_TITLES)).to_have_text(["Radweg Mitte"])
        expect(no_script.locator("#id_status_in_progress")).to_be_checked()
        assert_accessible_with_javascript(page, no_script.url)

        no_script.go_back()
        expect(no_script.locator(RESULT_TITLES)).to_have_count(3)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("visitor", ["anonymous", "employee"])
def test_every_state_of_the_page_passes_axe(live_server, browser_context, page, visitor):
    """Paged results, an internal project, errors, a missing page and nothing found."""
    create_projects()
    for number in range(21):
        ProjectFactory(title=f"Weiteres Projekt {number}", leads=[])
    ProjectFactory(title="Intern", is_internal=True, internal_reason="Personalsache", leads=[])
    if visitor == "employee":
        log_in_browser(browser_context, live_server.url, EmployeeFactory())

    states = {"": 200, "?page=2": 200, "?hours_min=0&status=foo": 400, "?page=99": 404}
    for query, status in {**states, "?q=Nirgendwo": 200}.items():
        response = page.goto(live_server.url + "/projects/" + query)
        assert response.status == status, query
        assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_leaving_the_search_field_does_not_ask_for_the_same_results_again(live_server, page):
    """The search asks as one types; leaving the field used to ask again (its change event).

    That second answer replaced the filters a moment later, under the next key press: a
    Space on a status box pressed while it arrived was lost (a CI run saw it).
    """
    from playwright.sync_api import expect

    create_projects()
    page.goto(live_server.url + "/projects/")
    asked = []
    page.on(
        "request",
        lambda request: asked.append(request.url) if "/projects/" in request.url else None,
    )

    page.locator("#id_q").press_sequentially("Radweg", delay=30)
    expect(page.locator(RESULT_TITLES)).to_have_count(2)
    assert len(asked) == 1, asked
    # Leave the field by keyboard, then tick a box: a request from leaving would come first.
    page.keyboard.press("Tab")
    page.locator("#id_status_in_progress").check()
    expect(page.locator(RESULT_TITLES)).to_have_text(["Radweg Mitte"])
    assert len(asked) == 2, asked
    assert "status=in_progress" in asked[1]
