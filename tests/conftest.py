import functools
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import AdminFactory, CitizenFactory, EmployeeFactory, OrganisationFactory

# Playwright's sync API runs an event loop in the test thread; Django would then
# refuse ORM calls from that thread although nothing runs concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The page sweep also holds every page to axe-core's best practices (issue 18).
AXE_TAGS_WITH_BEST_PRACTICE = [*AXE_TAGS, "best-practice"]


# Debian's chromium-headless-shell first: the same Chromium, built for headless use only. A
# sweep group costs the machine about a fifth less CPU in it than in the full browser (51-52 s
# against 66-67 s for administrator-admin-1, twice each, read from /proc/stat).
CHROMIUM_CANDIDATES = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"]


def chromium_path() -> str | None:
    """CHROMIUM_PATH if set, else the first Debian Chromium found (None: none is installed)."""
    if override := os.environ.get("CHROMIUM_PATH"):
        return override if Path(override).exists() else None
    found = (Path(candidate) for candidate in CHROMIUM_CANDIDATES)
    return next((str(path) for path in found if path.exists()), None) or shutil.which("chromium")


def pytest_collection_modifyitems(items):
    """The long tests first. xdist's worksteal hands out the rest as workers come free, so
    the run ends with short tests on both workers, not one long test on one of them."""
    items.sort(key=lambda item: item.get_closest_marker("long_running") is None)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skipped (or failed with REQUIRE_BROWSER=1)."""
    path = chromium_path()
    if path is None:
        reason = "Chromium not found (set CHROMIUM_PATH or install Debian's chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; REQUIRE_BROWSER=1 makes this an error")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def html_checker():
    """The Nu Html Checker: a function from {name: HTML} to its errors; skipped (or failed
    with REQUIRE_BROWSER=1, as CI sets) where Java or ``node_modules/vnu-jar`` is missing."""
    from tests.html_checker import html_errors, missing_checker

    reason = missing_checker()
    if reason is not None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; REQUIRE_BROWSER=1 makes this an error")
        pytest.skip(reason)
    return html_errors


@pytest.fixture
def browser_context(browser):
    context = context_with_axe(browser, locale="de-DE")
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    from playwright.sync_api import expect

    page = browser_context.new_page()
    page.set_default_timeout(15_000)
    # expect() keeps its own 5 s default: too short for a busy CI machine (htmx swaps).
    expect.set_options(timeout=15_000)
    return page


def log_in_browser(context, live_server_url: str, user) -> None:
    """Give the browser context a signed-in session of ``user`` without typing a password."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server_url, "httpOnly": True}]
    )


@functools.cache
def axe_script() -> str:
    """axe-core as the axe-playwright-python package ships it (its version is locked)."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text()


def context_with_axe(browser, **options):
    """A browser context whose every document holds axe-core from its start.

    Chromium keeps the script and compiles it for each document; sending its 570 kB with
    each check instead cost 30-50 ms more a page. Without JavaScript no script runs,
    and axe-core cannot either (see ``AccessibilityInspector``).
    """
    context = browser.new_context(**options)
    context.add_init_script(axe_script())
    return context


def axe_violations(page, tags: list[str] = AXE_TAGS) -> list[dict]:
    """Run axe-core on the page for WCAG 2.1 A and AA (or ``tags``); return the violations.

    Only the violations come back from the browser: axe-core's full results also list every
    node that passed, megabytes on an admin page, and serialising them took two thirds of
    the time (30 admin pages: 19.7 s with them, 5.6 s without).
    """
    page.wait_for_load_state("load")  # a just-clicked link's page may not be parsed yet
    if not page.evaluate("() => typeof axe === 'object'"):  # not a context_with_axe
        page.evaluate(axe_script())
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    return page.evaluate(
        "options => axe.run(document, options).then(results => results.violations)", options
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


class AccessibilityInspector:
    """Runs axe-core on what a page without JavaScript shows.

    axe-core needs JavaScript and waits forever in a page without it. So the
    HTML of such a page (also the answer to a POST, which cannot be fetched
    again) is served once more, at the same address, to a page that runs
    scripts, and checked there with the site's real stylesheet.
    """

    def __init__(self, browser):
        self.context = context_with_axe(browser, locale="de-DE")
        self.page = self.context.new_page()

    def __call__(self, page) -> None:
        # A click on a link returns once the next page's navigation commits,
        # before its document is parsed: wait for it, or axe sees an empty page.
        page.wait_for_load_state("load")
        html, address = page.content(), page.url.split("#")[0]
        self.page.route(
            address, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")
        )
        self.page.goto(address)
        self.page.unroute(address)
        assert_accessible(self.page)

    def close(self) -> None:
        self.context.close()


@pytest.fixture(autouse=True)
def forget_rate_limits():
    """allauth counts attempts in the cache; each test starts with a clean count."""
    clear_cache()
    yield


def clear_cache() -> None:
    from django.core.cache import cache, caches

    caches["local"].clear()  # the per-process copies (marketplace.counts_cache)

    if settings.REDIS_URL:
        # FLUSHDB would also drop the Celery queues that share the server: delete our keys only.
        client = cache._cache.get_client()
        prefix = settings.CACHES["default"]["KEY_PREFIX"]
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
    else:
        cache.clear()


@pytest.fixture
def citizen(db):
    return CitizenFactory()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def employee(db):
    return EmployeeFactory()


@pytest.fixture
def administrator(db):
    return AdminFactory()


@pytest.fixture
def english(client):
    """The test client asks for English: the assertions read English, whatever German
    translations come. A module takes it with ``pytest.mark.usefixtures("english")``."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
