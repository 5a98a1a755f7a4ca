"""Focus after a submit and after htmx swaps: never lost to <body>.

An invalid form opens with its error summary focused; its links lead to the fields. After
htmx replaces the Follow button or a comment form, focus is on the new content, and what
changed is read out through the page's live region.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_proposal_journey import speak_english, watch_for_csp_violations
from tests.conftest import log_in_browser
from tests.factories import CitizenFactory, ProjectFactory
from tests.factories_participation import ProposalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in_page(browser, live_server):
    context = browser.new_context(locale="de-DE")
    speak_english(context, live_server.url)
    log_in_browser(context, live_server.url, CitizenFactory())
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_an_invalid_form_focuses_its_error_summary_whose_links_reach_the_fields(
    browser, live_server, javascript
):
    context = browser.new_context(locale="de-DE", java_script_enabled=javascript)
    try:
        speak_english(context, live_server.url)
        log_in_browser(context, live_server.url, CitizenFactory())
        page = context.new_page()
        page.goto(live_server.url + "/proposals/new/")
        page.get_by_role("button", name="Submit the proposal").click()
        summary = page.locator(".error-summary")
        expect(summary).to_be_focused()
        expect(page).to_have_title(re.compile(r"^Error: "))
        summary.get_by_role("link").first.click()
        expect(page.locator("#id_title")).to_be_focused()
    finally:
        context.close()


def test_following_with_htmx_keeps_focus_on_the_button_and_announces_it(
    signed_in_page, live_server
):
    page = signed_in_page
    blocked = watch_for_csp_violations(page)
    project = ProjectFactory()
    page.goto(live_server.url + project.get_absolute_url())
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.get_by_role("button", name="Following – stop following")).to_be_focused()
    expect(page.locator("#announcer")).not_to_be_empty()
    assert page.url == live_server.url + project.get_absolute_url()  # swapped, no reload
    assert not blocked


def test_an_empty_comment_with_htmx_moves_focus_to_its_error_summary(signed_in_page, live_server):
    page = signed_in_page
    proposal = ProposalFactory()
    page.goto(live_server.url + proposal.get_absolute_url())
    page.get_by_role("button", name="Post the comment").click()
    summary = page.locator("#error-summary-comment")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_body")).to_be_focused()
