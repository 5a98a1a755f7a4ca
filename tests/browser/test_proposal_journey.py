"""A citizen proposes, two people support it with htmx, a reviewer accepts it into a draft project."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from marketplace.models import ProjectStatus
from participation.models import Membership, Proposal, ProposalStatus, ProposalSupport
from tests.conftest import assert_accessible, context_with_axe, log_in_browser
from tests.factories import CitizenFactory, OrganisationFactory, TopicFactory
from tests.factories_participation import ReviewerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def speak_english(context, live_server_url: str) -> None:
    """The assertions read English; German translations may come at any time."""
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server_url}]
    )


def watch_for_csp_violations(page) -> list[str]:
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return blocked


def submit_proposal(page, live_server) -> str:
    page.goto(live_server.url + "/proposals/")
    assert_accessible(page)
    page.get_by_role("link", name="Submit a proposal").click()
    page.wait_for_url("**/proposals/new/")
    assert_accessible(page)

    page.get_by_role("button", name="Submit the proposal").click()  # empty: refused, stays
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)

    page.get_by_label("Title").fill("Shade trees at tram stops")
    page.get_by_label("Topic").select_option(label="Climate")
    page.get_by_label("The problem").fill("Waiting in the summer heat is hard.")
    page.get_by_label("The idea").fill("Plant trees next to every tram stop.")
    page.get_by_label("Who benefits").fill("Everyone who takes the tram.")
    page.get_by_role("button", name="Submit the proposal").click()
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Shade trees at tram stops")
    assert_accessible(page)
    return page.url


def support_with_htmx(browser, live_server, url: str, supporter, expected_count: str) -> None:
    context = context_with_axe(browser, locale="de-DE")
    try:
        speak_english(context, live_server.url)
        log_in_browser(context, live_server.url, supporter)
        page = context.new_page()
        blocked = watch_for_csp_violations(page)
        page.goto(url)
        page.get_by_role("button", name="Support this proposal").click()
        expect(page.get_by_role("button", name="Withdraw my support")).to_be_focused()
        expect(page.locator("#support")).to_contain_text(expected_count)
        assert page.url == url  # swapped in place by htmx, no redirect to "#support"
        assert_accessible(page)

        page.get_by_label("Your comment").fill(f"{supporter.public_name}: I would love this.")
        page.get_by_role("button", name="Post the comment").click()
        expect(page.locator("#comments")).to_contain_text("Your comment has been posted.")
        assert page.url == url
        assert_accessible(page)
        report_the_others(page)
        assert not blocked, blocked
    finally:
        context.close()


def report_the_others(page) -> None:
    """Open the report form on every comment someone else wrote, and check it with axe."""
    for summary in page.locator("#comments summary").all():
        summary.click()
    if page.locator("#comments summary").count():
        assert_accessible(page)


def hide_first_comment(page) -> None:
    first = page.locator("#comments article").first
    first.get_by_text("Moderate").click()
    first.get_by_label("Reason").fill("Off topic.")
    first.get_by_role("button", name="Hide").click()
    expect(page.locator("#comments")).to_contain_text("The comment is hidden")
    expect(page.locator("#comments")).to_contain_text("Hidden by Rita Reviewer: Off topic.")
    assert_accessible(page)


def review(page, status: str, reason: str = "") -> None:
    page.get_by_label("New status").select_option(label=status)
    if reason:
        page.get_by_label("Public reason").fill(reason)
    page.get_by_role("button", name="Change the status").click()
    expect(page.get_by_role("status")).to_contain_text(f"The proposal is now “{status}”.")
    assert_accessible(page)


def test_a_proposal_is_supported_and_accepted_into_a_draft_project(
    live_server, browser, browser_context, page
):
    TopicFactory(name_en="Climate", name_de="Klima")
    citizen = CitizenFactory(display_name="Clara Citizen")
    speak_english(browser_context, live_server.url)
    log_in_browser(browser_context, live_server.url, citizen)
    blocked = watch_for_csp_violations(page)

    url = submit_proposal(page, live_server)
    expect(page.locator("#support")).to_contain_text("This is your proposal")

    support_with_htmx(browser, live_server, url, CitizenFactory(), "1 person supports")
    support_with_htmx(browser, live_server, url, OrganisationFactory(), "2 people support")
    assert ProposalSupport.objects.count() == 2

    reviewer = ReviewerFactory(display_name="Rita Reviewer")
    browser_context.clear_cookies()
    speak_english(browser_context, live_server.url)
    log_in_browser(browser_context, live_server.url, reviewer)
    page.goto(url)
    assert_accessible(page)
    hide_first_comment(page)
    review(page, "In review")
    review(page, "Accepted")

    page.get_by_role("link", name="“Shade trees at tram stops”").click()
    page.wait_for_url("**/projects/shade-trees-at-tram-stops/")
    assert_accessible(page)
    assert not blocked, blocked

    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.project.status == ProjectStatus.DRAFT
    idea_giver = Membership.objects.get(project=proposal.project)
    assert (idea_giver.person, idea_giver.role.public_kind) == (citizen, "ideas")
