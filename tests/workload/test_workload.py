"""The workload report's figures: shares, states, snapshots, departments, k-anonymity."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Notification, User
from accounts.privacy import delete_account, export_personal_data
from config.celery import app
from participation.allocation import Thresholds, allocation_for_hours
from participation.models import Membership
from tests.factories import (
    CitizenFactory,
    DepartmentFactory,
    ProjectFactory,
    RoleFactory,
)
from tests.workload.workload_factories import PersonFactory
from workload import snapshots
from workload.models import (
    WorkloadDepartmentFigure,
    WorkloadRow,
    WorkloadSnapshot,
    WorkloadState,
)
from workload.report import lineage_ids, publishable_figures
from workload.tasks import take_monthly_workload_snapshot

DAY = date(2026, 3, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    """A project without leads, so that no employee comes with it."""
    return ProjectFactory(leads=[])


def member(person, project, hours, started_on=DAY - timedelta(days=30), ended_on=None):
    role = RoleFactory(project=project, hours_per_week=hours)
    return Membership.objects.create(
        project=project,
        role=role,
        person=person,
        hours_per_week=hours,
        started_on=started_on,
        ended_on=ended_on,
    )


def row_of(snapshot, person) -> WorkloadRow:
    return WorkloadRow.objects.get(snapshot=snapshot, employee=person)


def figure_of(snapshot, department) -> WorkloadDepartmentFigure:
    return WorkloadDepartmentFigure.objects.get(snapshot=snapshot, department=department)


# --- Pure functions ---------------------------------------------------------------------


THRESHOLDS = Thresholds(target=Decimal("0.75"), tolerance=Decimal("0.05"))


@pytest.mark.parametrize(
    ("hours", "weekly", "state"),
    [
        (0, 40, WorkloadState.BELOW),
        (27, 40, WorkloadState.BELOW),  # 67.5 %
        (28, 40, WorkloadState.ON),  # 70 %: the lower edge of the tolerance
        (30, 40, WorkloadState.ON),
        (32, 40, WorkloadState.ON),  # 80 %: the upper edge
        (33, 40, WorkloadState.ABOVE),  # 82.5 %: the department quarter is at risk
        (40, 40, WorkloadState.ABOVE),  # exactly 100 % is full, not over
        (41, 40, WorkloadState.OVER),
        (15, 20, WorkloadState.ON),  # part-time: 15 of 20 hours is 75 %
        (17, 20, WorkloadState.ABOVE),
    ],
)
def test_states_follow_target_and_tolerance(hours, weekly, state):
    person = User(kind=User.Kind.EMPLOYEE, weekly_hours=weekly)
    assert allocation_for_hours(person, hours, THRESHOLDS)["state"] == state


def test_target_and_tolerance_come_from_the_settings(settings):
    settings.WORKLOAD_PROJECT_TARGET = 0.5
    settings.WORKLOAD_TOLERANCE = 0.1
    thresholds = Thresholds.from_settings()
    person = User(kind=User.Kind.EMPLOYEE, weekly_hours=40)
    assert thresholds == Thresholds(Decimal("0.5"), Decimal("0.1"))
    assert allocation_for_hours(person, 24, thresholds)["state"] == WorkloadState.ON
    assert allocation_for_hours(person, 30, thresholds)["state"] == WorkloadState.ABOVE


@pytest.mark.parametrize(
    ("share", "bucket"),
    [("0", 0), ("0.099", 0), ("0.1", 1), ("0.75", 7), ("0.99", 9), ("1", 9), ("1.01", 10)],
)
def test_histogram_buckets(share, bucket):
    assert snapshots.histogram_bucket(Decimal(share)) == bucket


def test_weighted_share_counts_hours_not_heads():
    # A full-timer at 100 % and a part-timer (10 h) at 0 %: 40 of 50 hours, not the mean 50 %.
    assert snapshots.weighted_share(40, 50) == Decimal("0.8")
    assert snapshots.weighted_share(0, 0) == 0


# --- Snapshots --------------------------------------------------------------------------


def test_memberships_count_on_the_days_they_run(project):
    person = PersonFactory(weekly_hours=40)
    member(person, project, 1, started_on=DAY)  # starts on the day: counts
    member(person, project, 2, started_on=DAY + timedelta(days=1))  # starts the day after
    member(person, project, 4, started_on=DAY - timedelta(days=9), ended_on=DAY)  # ended that day
    member(person, project, 8, started_on=DAY - timedelta(days=9), ended_on=DAY + timedelta(1))
    member(person, project, 16, started_on=DAY - timedelta(days=9), ended_on=DAY - timedelta(1))
    member(person, project, 32, started_on=DAY - timedelta(days=400))  # long running: counts

    snapshot = snapshots.take_snapshot(DAY)

    assert row_of(snapshot, person).project_hours == 1 + 8 + 32


def test_a_snapshot_freezes_shares_and_states(project):
    full_time = PersonFactory(weekly_hours=40, display_name="Full Time")
    part_time = PersonFactory(weekly_hours=20, display_name="Part Time")
    idle = PersonFactory(weekly_hours=40, display_name="Idle")
    over = PersonFactory(weekly_hours=30)
    member(full_time, project, 30)
    member(part_time, project, 15)
    member(over, project, 34)

    snapshot = snapshots.take_snapshot(DAY)

    assert snapshot.employee_count == 4
    part = row_of(snapshot, part_time)
    assert (part.weekly_hours, part.project_hours, part.project_share) == (20, 15, Decimal("0.75"))
    assert part.state == WorkloadState.ON and part.employee_name == "Part Time"
    zero = row_of(snapshot, idle)
    assert (zero.project_share, zero.department_share, zero.state) == (0, 1, WorkloadState.BELOW)
    too_much = row_of(snapshot, over)
    assert too_much.state == WorkloadState.OVER
    assert too_much.department_share == 0  # never below zero
    assert snapshot.project_share == Decimal("0.6077")  # 79 of 130 hours
    assert snapshot.state_counts == {"below": 1, "on": 2, "above": 0, "over": 1}
    assert sum(snapshot.histogram) == 4 and snapshot.histogram[10] == 1


def test_only_active_employees_are_in_a_snapshot(project):
    PersonFactory(is_active=False)
    PersonFactory(deleted_at=timezone.now())
    CitizenFactory()
    present = PersonFactory()

    snapshot = snapshots.take_snapshot(DAY)

    assert list(snapshot.rows.values_list("employee", flat=True)) == [present.pk]


def test_employees_without_a_department_count_for_the_organisation_only(project):
    loner = PersonFactory(department=None, weekly_hours=40)
    member(loner, project, 20)
    placed = PersonFactory(weekly_hours=40)

    snapshot = snapshots.take_snapshot(DAY)

    row = row_of(snapshot, loner)
    assert (row.department_id, row.department_code, row.department_lineage) == (None, "", "")
    assert snapshot.employee_count == 2 and snapshot.project_hours == 20
    assert list(snapshot.department_figures.values_list("department", flat=True)) == [
        placed.department_id
    ]


def test_nested_departments_add_up_weighted_by_hours(project):
    senate = DepartmentFactory(code="S")
    division = DepartmentFactory(code="S-I", parent=senate)
    unit = DepartmentFactory(code="S-I-A", parent=division)
    in_unit = PersonFactory(department=unit, weekly_hours=40)
    in_division = PersonFactory(department=division, weekly_hours=20)
    PersonFactory(department=senate, weekly_hours=40)
    member(in_unit, project, 30)
    member(in_division, project, 10)

    snapshot = snapshots.take_snapshot(DAY)

    assert figure_of(snapshot, unit).project_share == Decimal("0.75")
    assert figure_of(snapshot, division).project_share == Decimal("0.6667")  # 40 of 60 hours
    assert figure_of(snapshot, division).employee_count == 2
    top = figure_of(snapshot, senate)
    assert (top.employee_count, top.project_hours, top.weekly_hours) == (3, 40, 100)
    assert top.project_share == Decimal("0.4")
    assert lineage_ids(row_of(snapshot, in_unit).department_lineage) == (
        senate.pk,
        division.pk,
        unit.pk,
    )
    assert (top.depth, figure_of(snapshot, unit).depth) == (0, 2)


def test_people_who_move_keep_their_old_department_in_history(project):
    old, new = DepartmentFactory(code="OLD"), DepartmentFactory(code="NEW")
    mover = PersonFactory(department=old, weekly_hours=40)
    member(mover, project, 20)
    before = snapshots.take_snapshot(DAY)

    mover.department = new
    mover.save()
    after = snapshots.take_snapshot(DAY + timedelta(days=31))

    assert row_of(before, mover).department_code == "OLD"
    assert row_of(after, mover).department_code == "NEW"
    assert figure_of(before, old).project_hours == 20
    assert not before.department_figures.filter(department=new).exists()
    assert figure_of(after, new).project_hours == 20
    assert not after.department_figures.filter(department=old).exists()


def test_snapshots_are_never_changed():
    PersonFactory()
    snapshot = snapshots.take_snapshot(DAY)
    row = snapshot.rows.get()
    snapshot.employee_count = 99
    row.project_hours = 99
    with pytest.raises(TypeError):
        snapshot.save()
    with pytest.raises(TypeError):
        row.save()


def test_heads_of_departments_are_told_when_a_snapshot_is_ready():
    head = PersonFactory()
    DepartmentFactory(head=head)
    DepartmentFactory(head=head)  # two departments, one notification
    DepartmentFactory(head=PersonFactory(), is_active=False)
    PersonFactory()

    snapshot = snapshots.take_snapshot(DAY)

    notification = Notification.objects.get()
    assert notification.recipient == head
    assert notification.kind == Notification.Kind.WORKLOAD_REPORT
    assert notification.data == {"date": "2026-03-01"}
    assert notification.url == f"/workload/?snapshot={snapshot.pk}"


def test_a_snapshot_costs_the_same_queries_for_3_or_30_employees(project):
    def queries_for(count):
        department = DepartmentFactory(head=PersonFactory())
        for person in PersonFactory.create_batch(count, department=department):
            member(person, project, 10)
        snapshots.take_snapshot(DAY)  # warms the content type cache of the audit trail
        with CaptureQueriesContext(connection) as queries:
            snapshots.take_snapshot(DAY)
        return len(queries)

    assert queries_for(3) == queries_for(30)


# --- The monthly task -------------------------------------------------------------------


def test_the_monthly_task_takes_one_snapshot_per_date_however_often_it_runs():
    PersonFactory()
    first = take_monthly_workload_snapshot.apply(args=["2026-03-01"]).get()
    second = take_monthly_workload_snapshot.apply(args=["2026-03-01"]).get()
    snapshots.take_snapshot(DAY)  # a snapshot by hand on the same day is still possible

    assert first == second
    assert WorkloadSnapshot.objects.filter(origin="scheduled").count() == 1
    assert WorkloadSnapshot.objects.count() == 2


def test_the_monthly_task_runs_on_the_first_of_each_month():
    entry = settings.CELERY_BEAT_SCHEDULE["take-monthly-workload-snapshot"]
    assert entry["task"] == take_monthly_workload_snapshot.name
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert (schedule.day_of_month, schedule.hour, schedule.minute) == ({1}, {5}, {0})


# --- k-anonymity for the public ---------------------------------------------------------


def people_in(department, count):
    return PersonFactory.create_batch(count, department=department)


def public_codes(snapshot) -> set[str]:
    figures = snapshot.department_figures.all()
    return {f.department_code for f in publishable_figures(figures, snapshot.employee_count)}


def test_the_public_sees_departments_of_five_or_more_only():
    people_in(DepartmentFactory(code="FOUR"), 4)
    people_in(DepartmentFactory(code="FIVE"), 5)
    people_in(DepartmentFactory(code="TEN"), 10)

    snapshot = snapshots.take_snapshot(DAY)

    # The organisation (19) minus FIVE and TEN leaves the 4 of FOUR: at least 5 stay hidden.
    assert public_codes(snapshot) == {"TEN"}


def test_a_department_is_withheld_when_subtraction_would_single_someone_out():
    parent = DepartmentFactory(code="P")
    people_in(DepartmentFactory(code="P-BIG", parent=parent), 5)
    people_in(DepartmentFactory(code="P-SMALL", parent=parent), 1)
    people_in(DepartmentFactory(code="OTHER"), 6)
    people_in(None, 5)  # the organisation's remainder: five without a department

    snapshot = snapshots.take_snapshot(DAY)

    # P (6) minus P-BIG (5) would show the one person of P-SMALL: P-BIG is withheld.
    assert public_codes(snapshot) == {"P", "OTHER"}


def test_nothing_is_public_in_an_organisation_of_fewer_than_five():
    people_in(DepartmentFactory(code="TINY"), 4)
    snapshot = snapshots.take_snapshot(DAY)
    assert public_codes(snapshot) == set()


# --- Privacy and the benchmark ----------------------------------------------------------


def test_the_export_holds_the_persons_rows_and_deletion_anonymises_them(project):
    person = PersonFactory(display_name="Erika Muster", weekly_hours=40)
    member(person, project, 20)
    snapshot = snapshots.take_snapshot(DAY)

    export = export_personal_data(person)
    assert export["workload.workloadrow"][0]["employee_name"] == "Erika Muster"
    assert export["workload.workloadrow"][0]["project_hours"] == 20

    delete_account(person)

    row = snapshot.rows.get()
    assert (row.employee_id, row.employee_name) == (None, "deleted account")
    assert row.project_hours == 20  # the history still adds up
    assert WorkloadSnapshot.objects.get().project_hours == 20


def test_the_benchmark_command_runs_and_leaves_nothing_behind():
    out = io.StringIO()
    call_command("bench_workload", employees=30, memberships=90, projects=4, slice=10, stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("30 employees / 90 memberships: snapshot in") for line in lines)
    assert WorkloadSnapshot.objects.count() == 0
    assert Membership.objects.count() == 0
