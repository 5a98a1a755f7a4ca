"""/me/ and the workload report call the same week by the same name, in German and English.

/me/ once said "within the target" in green at 0 % and 50 % against the 75 %
target, while the report said "below target" for the same person. Both now
ask ``participation.allocation.allocation_state``.
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from participation.allocation import AllocationState
from participation.models import Membership
from tests.factories import ProjectFactory, RoleFactory
from tests.workload.workload_factories import PersonFactory
from workload import snapshots

pytestmark = pytest.mark.django_db

VERDICT = re.compile(r'<p id="allocation-verdict" class="flag flag-(\w+)"><strong>(.*?):</strong>')
OWN_STATE = re.compile(r'<span class="workload-state workload-state-(\w+)">(.*?)</span>')
DEPARTMENT_SHARE = {"de": "%s %% für Ihre Organisationseinheit", "en": "%s %% for your department"}


def employee_with(hours: int):
    """A 40-hour employee with ``hours`` a week in projects (written directly: the service
    would refuse more than 40)."""
    person = PersonFactory(weekly_hours=40)
    if hours:
        project = ProjectFactory(leads=[])
        role = RoleFactory(project=project, hours_per_week=hours)
        Membership.objects.create(
            project=project,
            role=role,
            person=person,
            hours_per_week=hours,
            started_on=timezone.localdate(),
        )
    return person


def read(person, language: str) -> tuple[str, str]:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(person)
    dashboard = client.get("/me/").content.decode()
    report = client.get("/workload/").content.decode()
    return dashboard, report


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    ("hours", "state"),
    [
        (0, AllocationState.BELOW),  # 0 %
        (20, AllocationState.BELOW),  # 50 %
        (27, AllocationState.BELOW),  # 67.5 %: just outside the tolerance
        (28, AllocationState.ON),  # 70 %: the lower edge of the tolerance
        (30, AllocationState.ON),  # 75 %: the target
        (32, AllocationState.ON),  # 80 %: the upper edge
        (33, AllocationState.ABOVE),  # 82.5 %
        (40, AllocationState.ABOVE),  # 100 % is full, not over
        (44, AllocationState.OVER),  # 110 %
    ],
)
def test_the_dashboard_and_the_report_say_the_same(hours, state, language):
    person = employee_with(hours)
    snapshots.take_snapshot(timezone.localdate())
    dashboard, report = read(person, language)
    with translation.override(language):
        label = str(state.label)
    assert VERDICT.search(dashboard).groups() == (state.value, label)
    assert OWN_STATE.search(report).groups() == (state.value, label)
    assert DEPARTMENT_SHARE[language] % max(100 - round(hours * 100 / 40), 0) in dashboard


def test_the_verdict_follows_the_tolerance_setting(settings):
    """A wider tolerance moves the edge on both pages alike."""
    settings.WORKLOAD_TOLERANCE = 0.1
    person = employee_with(26)  # 65 %: on target within ten points
    snapshots.take_snapshot(timezone.localdate())
    dashboard, report = read(person, "en")
    assert VERDICT.search(dashboard).groups() == ("on", "On target")
    assert OWN_STATE.search(report).groups() == ("on", "On target")
