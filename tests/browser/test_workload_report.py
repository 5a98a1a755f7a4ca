"""The workload report in Chromium: axe-clean for every kind of reader, charts and tables open."""

from datetime import timedelta

import pytest
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
