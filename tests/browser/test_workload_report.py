"""The workload report in Chromium: axe-clean for every kind of reader, charts and tables open."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from participation.models import Membership
from tests.conftest import assert_accessible, log_in_browser
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    DepartmentFactory,
    ProjectFactory,
    RoleFactory,
)
from tests.workload.workload_factories import PersonFactory
from workload import snapshots


def build_report():
    """Two divisions of six under one department, two monthly snapshots, someone over 100 %."""
    project = ProjectFactory(leads=[])
    senate = DepartmentFactory(code="SEN", name="Senatsverwaltung")
    head = PersonFactory(display_name="Helga Head")
    divisions = [
        DepartmentFactory(
            code=f"SEN-{n}", name=f"Abteilung {n}", parent=senate, head=head if n == 1 else None
        )
        for n in (1, 2)
    ]
    today = timezone.localdate()
    for number, person in enumerate(
        [
            PersonFactory(department=divisions[n % 2], weekly_hours=[40, 30, 20][n % 3])
            for n in range(12)
        ]
    ):
        hours = [0, 8, 16, 24, 30, 44][number % 6]
        if hours:
            role = RoleFactory(project=project, hours_per_week=hours)
            Membership.objects.create(
                project=project,
                role=role,
                person=person,
                hours_per_week=hours,
                started_on=today - timedelta(days=10 * number),
            )
    snapshots.take_scheduled_snapshot(today - timedelta(days=60))
    snapshots.take_snapshot(today)
    return head, divisions[0], PersonFactory(department=divisions[1])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("reader", ["anonymous", "citizen", "employee", "head", "administrator"])
def test_the_report_is_accessible_for_every_reader(reader, live_server, browser_context, page):
    head, division, employee = build_report()
    user = {
        "anonymous": None,
        "citizen": CitizenFactory(),
        "employee": employee,
        "head": head,
        "administrator": AdminFactory(),
    }[reader]
    if user is not None:
        log_in_browser(browser_context, live_server.url, user)
    urls = ["/workload/"]
    if reader in {"head", "administrator"}:
        urls.append(f"/workload/departments/{division.pk}/")
    for url in urls:
        page.goto(live_server.url + url)
        assert page.locator("svg[role=img]").count() >= 1
        for details in page.locator("details.chart-data").all():
            details.locator("summary").click()  # the tables are checked too
        assert_accessible(page)


BAR_BOXES = """() => [...document.querySelectorAll("svg.chart-svg")].map((svg) => {
  const frame = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("rect")].map((bar) => {
    const box = bar.getBoundingClientRect();
    return [box.x - frame.x, box.y - frame.y, box.width, box.height].map(Math.round);
  });
})"""


def bar_boxes(page) -> list[list]:
    """Each chart's bars as boxes relative to their chart (the text above differs in length)."""
    return page.evaluate(BAR_BOXES)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_bars_have_the_same_geometry_in_german_and_english(live_server, browser_context, page):
    """A decimal comma once made Chromium drop the German bars; both languages draw alike."""
    build_report()
    log_in_browser(browser_context, live_server.url, AdminFactory())
    page.set_viewport_size({"width": 1280, "height": 900})
    boxes = {}
    for language in ("de", "en"):
        browser_context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page.goto(live_server.url + "/workload/")
        assert page.locator("html").get_attribute("lang") == language
        boxes[language] = bar_boxes(page)
    drawn = [box for chart in boxes["en"] for box in chart if box[2] > 0 and box[3] > 0]
    assert len(drawn) >= 5  # department bars and histogram bars (empty buckets are flat)
    assert boxes["de"] == boxes["en"]
