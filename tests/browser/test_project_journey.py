"""An employee creates a project, adds two roles inline, publishes it, and the public sees it.

The same journey runs twice in Chromium: with JavaScript (roles are added by
htmx inside the project page) and without (every step is a whole page).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from playwright.sync_api import expect

from marketplace.models import Project
from tests.conftest import (
    AccessibilityInspector,
    assert_accessible,
    context_with_axe,
    log_in_browser,
)
from tests.factories import DepartmentFactory, EmployeeFactory, SkillFactory, TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT_PATH = "/projects/digitale-bauakte/"


@dataclass
class Journey:
    page: object
    base_url: str
    javascript: bool
    check_accessible: Callable

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)


def speak_english(context, live_server_url: str) -> None:
    """The assertions read English; German translations may come at any time."""
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server_url}]
    )


def watch_for_csp_violations(page) -> list[str]:
    blocked: list[str] = []

    def collect(message):
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", collect)
    return blocked


def create_project(journey: Journey, department) -> None:
    page = journey.page
    journey.goto("/projects/new/")
    journey.check_accessible(page)
    page.get_by_label("Title:", exact=True).fill("Digitale Bauakte")
    page.get_by_label("Summary:", exact=True).fill("Bauanträge digital stellen und verfolgen.")
    page.get_by_label("Description:", exact=True).fill("Erster Absatz.\n\n- eins\n- zwei")
    page.get_by_label("Building").check()
    page.get_by_label("Department:", exact=True).select_option(str(department.pk))
    page.get_by_label("Start date:", exact=True).fill("2027-06-01")
    page.get_by_label("End date:", exact=True).fill("2027-01-01")
    page.get_by_role("button", name="Create the draft").click()
    # The end before the start is refused with a clear message; the page stays accessible.
    expect(
        page.get_by_text("The end date cannot be before the start date.", exact=True)
    ).to_be_visible()
    journey.check_accessible(page)
    page.get_by_label("End date:", exact=True).fill("2027-12-31")
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_url(journey.base_url + PROJECT_PATH)
    expect(page.get_by_text("The draft has been created.")).to_be_visible()
    journey.check_accessible(page)


def open_role_form(journey: Journey) -> None:
    page = journey.page
    page.get_by_role("link", name="Add a role").click()
    if journey.javascript:  # htmx loaded the form into the roles section of the same page
        expect(page.locator("#roles form.role-form")).to_be_visible()
        expect(page.get_by_role("heading", name="Add a role", level=3)).to_be_focused()
        assert page.url == journey.base_url + PROJECT_PATH
    else:
        page.wait_for_url(re.compile(r"/roles/new/$"))
        expect(page.get_by_role("heading", name="Add a role", level=1)).to_be_visible()
    journey.check_accessible(page)


def submit_role(journey: Journey, title: str) -> None:
    page = journey.page
    page.get_by_role("button", name="Add the role").click()
    expect(page.get_by_text(f"The role “{title}” has been added.")).to_be_visible()
    expect(page.locator("#roles h4", has_text=title)).to_be_visible()
    expect(page.locator("form.role-form")).to_have_count(0)
    assert page.url.split("#")[0] == journey.base_url + PROJECT_PATH
    journey.check_accessible(page)


def add_employee_role(journey: Journey) -> None:
    page = journey.page
    open_role_form(journey)
    page.get_by_label("Title:", exact=True).fill("Backend developer")
    page.get_by_label("Employees", exact=True).check()
    page.get_by_label("Hours per week:", exact=True).fill("8")
    page.get_by_label("Seats:", exact=True).fill("2")
    page.get_by_label("Python").check()
    submit_role(journey, "Backend developer")


def add_public_role(journey: Journey) -> None:
    page = journey.page
    open_role_form(journey)
    page.get_by_label("Title:", exact=True).fill("Testers from Berlin")
    page.get_by_label("The public", exact=True).check()
    page.get_by_label("Seats:", exact=True).fill("20")
    page.get_by_role("button", name="Add the role").click()
    # The kind of participation is missing: the form comes back with the error, in place.
    expect(
        page.get_by_text("Choose how the public takes part in this role.", exact=True)
    ).to_be_visible()
    if journey.javascript:
        expect(page.locator("#roles form.role-form")).to_have_count(1)
        assert page.url == journey.base_url + PROJECT_PATH
    journey.check_accessible(page)
    page.get_by_label("Kind of participation:", exact=True).select_option("testing")
    submit_role(journey, "Testers from Berlin")


def publish(journey: Journey) -> None:
    page = journey.page
    page.get_by_role("button", name="Publish the project").click()
    expect(page.get_by_text("The project is published: everyone can see it now.")).to_be_visible()
    expect(page.locator(".status-badge")).to_have_text("Open")
    journey.check_accessible(page)


def edit_the_details(journey: Journey) -> None:
    page = journey.page
    page.get_by_role("link", name="Edit the project details").click()
    page.wait_for_url(journey.base_url + PROJECT_PATH + "edit/")
    journey.check_accessible(page)
    page.get_by_label("Summary:", exact=True).fill(
        "Bauanträge digital stellen, verfolgen, bekommen."
    )
    page.get_by_role("button", name="Save the project").click()
    page.wait_for_url(journey.base_url + PROJECT_PATH)
    expect(page.get_by_text("The project has been saved.")).to_be_visible()


def edit_a_role(journey: Journey) -> None:
    page = journey.page
    page.get_by_role("link", name="Edit the role “Backend developer”").click()
    heading = "Edit the role “Backend developer”"
    if journey.javascript:
        expect(page.get_by_role("heading", name=heading, level=3)).to_be_focused()
    else:
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    journey.check_accessible(page)
    page.get_by_label("Seats:", exact=True).fill("3")
    page.get_by_role("button", name="Save the role").click()
    expect(page.get_by_text("The role “Backend developer” has been saved.")).to_be_visible()
    expect(page.locator("#roles li", has_text="Backend developer")).to_contain_text("3")


def think_twice_about_deleting_a_role(journey: Journey) -> None:
    page = journey.page
    page.get_by_role("link", name="Delete the role “Testers from Berlin”").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    journey.check_accessible(page)
    page.locator("form.role-form").get_by_role("link", name="Cancel").click()
    page.wait_for_url(re.compile(re.escape(journey.base_url + PROJECT_PATH) + "(#roles)?$"))
    expect(page.locator("form.role-form")).to_have_count(0)
    expect(page.locator("#roles h4")).to_have_count(2)


def see_it_open_as_the_public(browser, journey: Journey) -> None:
    context = context_with_axe(browser, locale="de-DE", java_script_enabled=journey.javascript)
    try:
        speak_english(context, journey.base_url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(journey.base_url + PROJECT_PATH)
        expect(page.locator(".status-badge")).to_have_text("Open")
        expect(page.locator("#roles h4")).to_have_text(["Backend developer", "Testers from Berlin"])
        expect(page.get_by_role("link", name="Add a role")).to_have_count(0)
        expect(page.locator('[aria-current="step"]')).to_contain_text("Understand")
        journey.check_accessible(page)
    finally:
        context.close()


def run_journey(browser, journey: Journey) -> None:
    department = DepartmentFactory(name="Referat Digitale Verwaltung")
    TopicFactory(name_en="Building")
    SkillFactory(name_en="Python")
    blocked = watch_for_csp_violations(journey.page)

    create_project(journey, department)
    add_employee_role(journey)
    add_public_role(journey)
    publish(journey)
    edit_the_details(journey)
    edit_a_role(journey)
    think_twice_about_deleting_a_role(journey)

    project = Project.objects.get()
    assert project.status == "open"
    assert project.summary == "Bauanträge digital stellen, verfolgen, bekommen."
    assert project.roles.get(title="Backend developer").seats == 3
    assert sorted(project.roles.values_list("title", flat=True)) == [
        "Backend developer",
        "Testers from Berlin",
    ]
    assert [topic.name_en for topic in project.topics.all()] == ["Building"]
    see_it_open_as_the_public(browser, journey)
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def test_an_employee_creates_fills_and_publishes_a_project_with_htmx(
    live_server, browser, browser_context, page
):
    log_in_browser(browser_context, live_server.url, EmployeeFactory())
    speak_english(browser_context, live_server.url)
    journey = Journey(page, live_server.url, javascript=True, check_accessible=assert_accessible)
    run_journey(browser, journey)


def test_the_same_journey_works_without_javascript(live_server, browser):
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    inspector = AccessibilityInspector(browser)
    try:
        log_in_browser(context, live_server.url, EmployeeFactory())
        speak_english(context, live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        journey = Journey(page, live_server.url, javascript=False, check_accessible=inspector)
        run_journey(browser, journey)
    finally:
        inspector.close()
        context.close()
