"""The workload report: how much of each employee's week goes into projects.

``take_snapshot`` freezes the workload of every active employee on a reference
date, with a constant number of queries however many people there are: one for
the departments, one for the employees, one aggregate over the memberships
running on that date, one insert each for the snapshot, its rows and its
department figures, one for the heads to notify. The per-person share comes
from ``participation.allocation``, the same formula and verdict as the gauge
on /me/.

The employee list is the one of the day the snapshot is taken (people have no
history); the memberships are read as they ran on the reference date.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum

import accounts
from accounts import audit
from accounts.models import Department, Notification, User
from participation.allocation import Thresholds, allocation_for_hours
from participation.models import Membership
from workload.models import (
    WorkloadDepartmentFigure,
    WorkloadRow,
    WorkloadSnapshot,
    WorkloadState,
)

SHARE_PLACES = Decimal("0.0001")
# Ten buckets of a tenth of the week each (the tenth includes 100 %), then "over 100 %".
HISTOGRAM_BUCKETS = 11
MAX_DEPARTMENT_DEPTH = 10  # the tree has three levels; this only stops a cycle


def histogram_bucket(share: Decimal) -> int:
    if share > 1:
        return HISTOGRAM_BUCKETS - 1
    return min(int(share * 10), HISTOGRAM_BUCKETS - 2)


def weighted_share(project_hours: int, weekly_hours: int) -> Decimal:
    """A group's share, weighted by hours: a full-time person counts more than a part-timer."""
    if not weekly_hours:
        return Decimal(0)
    return (Decimal(project_hours) / Decimal(weekly_hours)).quantize(SHARE_PLACES)


# --- The department tree ------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentNode:
    pk: int
    parent_id: int | None
    code: str
    name: str
    lineage: tuple[int, ...]  # the root first, this department last
    head_id: int | None = None
    is_active: bool = True

    @property
    def lineage_key(self) -> str:
        return lineage_key(self.lineage)

    @property
    def depth(self) -> int:
        return len(self.lineage) - 1


def lineage_key(ids) -> str:
    """``/1/5/9/``: a department id matches with ``__contains="/5/"``."""
    return "/" + "".join(f"{pk}/" for pk in ids) if ids else ""


def department_tree() -> dict[int, DepartmentNode]:
    """Every department with its lineage, from one query."""
    rows = list(
        Department.objects.order_by().values(
            "pk", "parent_id", "code", "name", "head_id", "is_active"
        )
    )
    parents = {row["pk"]: row["parent_id"] for row in rows}
    nodes = {}
    for row in rows:
        lineage, node = [row["pk"]], row["parent_id"]
        while node is not None and node not in lineage and len(lineage) < MAX_DEPARTMENT_DEPTH:
            lineage.insert(0, node)
            node = parents.get(node)
        nodes[row["pk"]] = DepartmentNode(lineage=tuple(lineage), **row)
    return nodes


def subtree_ids(tree: dict[int, DepartmentNode], roots) -> set[int]:
    """The departments in ``roots`` and every department below them."""
    roots = set(roots)
    return {pk for pk, node in tree.items() if roots.intersection(node.lineage)}


# --- Computing a snapshot -----------------------------------------------------------


@dataclass
class Totals:
    """Figures of a group, summed row by row."""

    employee_count: int = 0
    weekly_hours: int = 0
    project_hours: int = 0
    states: dict = field(default_factory=lambda: dict.fromkeys(WorkloadState.values, 0))
    histogram: list = field(default_factory=lambda: [0] * HISTOGRAM_BUCKETS)

    def add(self, allocation: dict, state: str) -> None:
        self.employee_count += 1
        self.weekly_hours += allocation["weekly_hours"]
        self.project_hours += allocation["project_hours"]
        self.states[state] += 1
        self.histogram[histogram_bucket(allocation["share"])] += 1

    def as_fields(self) -> dict:
        return {
            "employee_count": self.employee_count,
            "weekly_hours": self.weekly_hours,
            "project_hours": self.project_hours,
            "project_share": weighted_share(self.project_hours, self.weekly_hours),
            **{f"{state}_count": count for state, count in self.states.items()},
            "histogram": self.histogram,
        }


@dataclass(frozen=True, slots=True)
class Employee:
    """What a snapshot needs of a person; lighter than 10,000 model instances."""

    pk: int
    name: str
    weekly_hours: int
    department_id: int | None


def active_employees() -> list[Employee]:
    rows = (
        User.objects.employees()
        .filter(is_active=True, deleted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "display_name", "email", "weekly_hours", "department_id")
    )
    return [
        Employee(pk, (display_name or email)[:200], weekly_hours, department_id)
        for pk, display_name, email, weekly_hours, department_id in rows
    ]


def project_hours_by_employee(reference_date: date) -> dict[int, int]:
    """Hours per week of the memberships running on ``reference_date``, per person (one query)."""
    rows = (
        Membership.objects.active(reference_date)
        .order_by()
        .values("person_id")
        .annotate(total=Sum("hours_per_week", default=0))
    )
    return {row["person_id"]: row["total"] for row in rows}


def _row_for(employee: Employee, hours: int, tree, thresholds) -> tuple[WorkloadRow, dict, str]:
    # The same formula and the same verdict as the gauge on /me/.
    allocation = allocation_for_hours(employee, hours, thresholds)
    state = allocation["state"]
    node = tree.get(employee.department_id)
    row = WorkloadRow(
        employee_id=employee.pk,
        employee_name=employee.name,
        department_id=employee.department_id,
        department_code=node.code if node else "",
        department_name=node.name if node else "",
        department_lineage=node.lineage_key if node else "",
        weekly_hours=employee.weekly_hours,
        project_hours=hours,
        project_share=allocation["share"].quantize(SHARE_PLACES),
        state=state,
    )
    return row, allocation, state


def compute_rows(reference_date: date, tree, thresholds):
    """The rows of a snapshot (not saved), the organisation's totals and each department's."""
    hours = project_hours_by_employee(reference_date)
    organisation = Totals()
    departments: defaultdict[int | None, Totals] = defaultdict(Totals)
    rows = []
    for employee in active_employees():
        row, allocation, state = _row_for(employee, hours.get(employee.pk, 0), tree, thresholds)
        rows.append(row)
        organisation.add(allocation, state)
        node = tree.get(employee.department_id)
        for pk in node.lineage if node else ():
            departments[pk].add(allocation, state)
    return rows, organisation, departments


def _department_figures(snapshot, tree, departments) -> list[WorkloadDepartmentFigure]:
    return [
        WorkloadDepartmentFigure(
            snapshot=snapshot,
            department_id=pk,
            department_code=tree[pk].code,
            department_name=tree[pk].name,
            lineage=tree[pk].lineage_key,
            depth=tree[pk].depth,
            **totals.as_fields(),
        )
        for pk, totals in departments.items()
    ]


@transaction.atomic
def take_snapshot(
    reference_date: date,
    created_by: User | None = None,
    origin: str = WorkloadSnapshot.Origin.BUTTON,
) -> WorkloadSnapshot:
    """Freeze the workload of every active employee on ``reference_date``; tell the heads."""
    thresholds = Thresholds.from_settings()
    tree = department_tree()
    rows, organisation, departments = compute_rows(reference_date, tree, thresholds)
    snapshot = WorkloadSnapshot.objects.create(
        reference_date=reference_date,
        origin=origin,
        created_by=created_by,
        target=thresholds.target,
        tolerance=thresholds.tolerance,
        **organisation.as_fields(),
    )
    for row in rows:
        row.snapshot = snapshot
    # No batch size: PostgreSQL takes all rows in one statement, so the count of
    # queries stays the same for 30 or 30,000 employees.
    WorkloadRow.objects.bulk_create(rows)
    WorkloadDepartmentFigure.objects.bulk_create(_department_figures(snapshot, tree, departments))
    audit.record(created_by, "workload.snapshot_taken", snapshot, origin=origin)
    _tell_heads(snapshot)
    return snapshot


def _tell_heads(snapshot: WorkloadSnapshot) -> None:
    heads = User.objects.filter(
        headed_departments__is_active=True, is_active=True, deleted_at__isnull=True
    ).distinct()
    accounts.notify(
        heads,
        Notification.Kind.WORKLOAD_REPORT,
        f"workload-snapshot:{snapshot.pk}",
        url=snapshot.get_absolute_url(),
        date=snapshot.reference_date.isoformat(),
    )


def take_scheduled_snapshot(reference_date: date) -> tuple[WorkloadSnapshot, bool]:
    """The monthly snapshot; a second run for the same date finds the first and takes none.

    Returns the snapshot and whether this call took it.
    """
    scheduled = WorkloadSnapshot.objects.filter(
        origin=WorkloadSnapshot.Origin.SCHEDULED, reference_date=reference_date
    )
    existing = scheduled.first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return take_snapshot(reference_date, origin=WorkloadSnapshot.Origin.SCHEDULED), True
    except IntegrityError:
        # A parallel run won the race; the unique constraint kept it to one snapshot.
        return scheduled.get(), False
