"""Phones: the first results on the first screen, a navigation that folds, no sideways page.

On a 390 × 844 screen the browse filters and the navigation fold under disclosures
(``<details>``, so they work without JavaScript); at 320 px the open-data field dictionary
scrolls inside its own container, which the keyboard can reach.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.test_proposal_journey import speak_english
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def open_page(browser, live_server, viewport, path, javascript=True):
    context = browser.new_context(locale="de-DE", viewport=viewport, java_script_enabled=javascript)
    speak_english(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + path)
    return context, page


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_first_result_is_on_the_first_screen(browser, live_server, javascript):
    ProjectFactory.create_batch(3)
    context, page = open_page(browser, live_server, PHONE, "/projects/", javascript)
    try:
        first = page.locator(".result").first
        expect(first).to_be_visible()
        assert first.bounding_box()["y"] < PHONE["height"]
        # The filters are one click away, without JavaScript too.
        page.locator("#browse-disclosure > summary").click()
        expect(page.get_by_label("Sort by")).to_be_visible()
    finally:
        context.close()


def test_set_filters_start_unfolded(browser, live_server):
    ProjectFactory.create_batch(2)
    context, page = open_page(browser, live_server, PHONE, "/projects/?status=active")
    try:
        expect(page.get_by_label("Sort by")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_navigation_folds_into_a_menu(browser, live_server, javascript):
    context, page = open_page(browser, live_server, PHONE, "/", javascript)
    try:
        navigation = page.get_by_role("navigation", name="Main navigation")
        assert navigation.bounding_box()["height"] < 60  # one line, not four
        projects = navigation.get_by_role("link", name="Projects", exact=True)
        expect(projects).to_be_hidden()
        navigation.get_by_text("Menu").click()
        expect(projects).to_be_visible()
    finally:
        context.close()


def test_on_a_wide_screen_the_navigation_shows_its_links(browser, live_server):
    context, page = open_page(browser, live_server, DESKTOP, "/projects/", javascript=False)
    try:
        navigation = page.get_by_role("navigation", name="Main navigation")
        expect(navigation.get_by_role("link", name="Projects", exact=True)).to_be_visible()
        expect(navigation.get_by_text("Menu")).to_be_hidden()
    finally:
        context.close()


def test_at_320_px_the_field_dictionary_scrolls_in_its_own_container(browser, live_server):
    context, page = open_page(browser, live_server, NARROW, "/open-data/")
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW["width"], f"the page scrolls sideways: {width}px"
        region = page.locator(".dictionary-scroll").first
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("aria-labelledby") or region.get_attribute("aria-label")
        assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    finally:
        context.close()
