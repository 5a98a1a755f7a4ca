"""A page loads in Chromium without a single console error (a missing favicon is one)."""

import pytest

from tests.factories import ProjectFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_load_without_console_errors_and_with_their_icon(live_server, page):
    ProjectFactory(slug="radweg")
    errors, failed = [], []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    for path in ["/", "/projects/", "/projects/radweg/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        icon = page.locator('link[rel="icon"]').get_attribute("href")
        assert page.request.get(live_server.url + icon).ok
    # Headless Chromium does not fetch icons by itself; browsers that do ask here first.
    response = page.request.get(live_server.url + "/favicon.ico")
    assert response.ok
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert not errors, errors
    assert not failed, failed
