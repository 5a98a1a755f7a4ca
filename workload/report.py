"""Reading the workload report: who sees which figures of a snapshot.

- Administrators see everything.
- Heads of department see the departments they head (with everything below)
  and the people in them by name.
- Everyone else, the public included, sees the organisation-wide share and the
  figures of departments with at least ``K_ANONYMITY`` people, so no one can be
  singled out; employees see their own row besides.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workload.models import WorkloadRow, WorkloadState
from workload.permissions import is_administrator
from workload.snapshots import HISTOGRAM_BUCKETS, Totals, subtree_ids

K_ANONYMITY = 5
TREND_LENGTH = 24


@dataclass
class Audience:
    """The reader of the report and what they may see."""

    is_admin: bool = False
    headed: set[int] = field(default_factory=set)  # departments the reader heads now
    scope: set[int] = field(default_factory=set)  # those and everything below them

    @property
    def sees_people(self) -> bool:
        return self.is_admin or bool(self.headed)

    def may_see_department(self, pk: int) -> bool:
        return self.is_admin or pk in self.scope


def audience_for(user, tree) -> Audience:
    if is_administrator(user):
        return Audience(is_admin=True, scope=set(tree))
    if not (user.is_authenticated and user.is_active and user.is_employee):
        return Audience()
    headed = {pk for pk, node in tree.items() if node.head_id == user.pk and node.is_active}
    return Audience(headed=headed, scope=subtree_ids(tree, headed))


def lineage_ids(key: str) -> tuple[int, ...]:
    return tuple(int(part) for part in key.strip("/").split("/") if part)


# --- Which department figures a reader gets -----------------------------------------


def visible_figures(figures, snapshot, audience: Audience, within: int | None = None) -> list:
    """The department figures of a snapshot that ``audience`` may see, in tree order.

    ``within`` keeps only a department and what lies below it.
    """
    if audience.is_admin:
        shown = list(figures)
    elif audience.headed:
        shown = [f for f in figures if audience.headed.intersection(lineage_ids(f.lineage))]
    else:
        shown = publishable_figures(figures, snapshot.employee_count)
    if within is not None:
        shown = [f for f in shown if within in lineage_ids(f.lineage)]
    return in_tree_order(shown)


def in_tree_order(figures) -> list:
    """Parents before their children, siblings by short code."""
    codes = {lineage_ids(f.lineage): f.department_code for f in figures}

    def path(figure):
        ids = lineage_ids(figure.lineage)
        return tuple(codes.get(ids[: depth + 1], "") for depth in range(len(ids)))

    return sorted(figures, key=path)


def publishable_figures(figures, organisation_count: int, k: int = K_ANONYMITY) -> list:
    """Figures of departments with at least ``k`` people, safe against subtraction.

    A parent's figure minus its shown sub-departments describes the people left
    over; if they are fewer than ``k`` (but not none), the smallest shown
    sub-department is withheld too, until every remainder is zero or at least
    ``k``. The organisation is the parent of the top departments; its
    remainder includes the employees without a department.
    """
    if organisation_count < k:
        return []
    nodes = {lineage_ids(f.lineage): f for f in figures}
    counts = {ids: f.employee_count for ids, f in nodes.items()}
    counts[()] = organisation_count
    shown = {ids for ids, count in counts.items() if ids and count >= k}
    while (withheld := _first_small_remainder(shown, counts, k)) is not None:
        shown.discard(withheld)
    return [figure for ids, figure in nodes.items() if ids in shown]


def _first_small_remainder(shown: set, counts: dict, k: int):
    """The shown department to withhold next, or None when every remainder is safe."""
    nearest_below: dict[tuple, list] = {}
    for ids in shown:
        ancestors = [ids[:length] for length in range(len(ids) - 1, 0, -1)]
        parent = next((a for a in ancestors if a in shown), ())
        nearest_below.setdefault(parent, []).append(ids)
    for parent, children in sorted(nearest_below.items()):
        remainder = counts[parent] - sum(counts[child] for child in children)
        if 0 < remainder < k:
            return min(children, key=lambda child: (counts[child], child))
    return None


def combined_figures(figures):
    """The figures of the topmost departments among ``figures``, added up (for a head's overview)."""
    keys = {lineage_ids(f.lineage) for f in figures}
    totals = Totals()
    for figure in figures:
        ids = lineage_ids(figure.lineage)
        if any(ids[:length] in keys for length in range(1, len(ids))):
            continue  # already counted in a department above
        totals.employee_count += figure.employee_count
        totals.weekly_hours += figure.weekly_hours
        totals.project_hours += figure.project_hours
        for state in WorkloadState.values:
            totals.states[state] += getattr(figure, f"{state}_count")
        for index, count in enumerate(figure.histogram[:HISTOGRAM_BUCKETS]):
            totals.histogram[index] += count
    return totals


# --- People ---------------------------------------------------------------------------


def rows_within(snapshot, department_ids) -> QuerySet[WorkloadRow]:
    """The rows of people who belonged to one of ``department_ids`` (or below) on the day."""
    rows = WorkloadRow.objects.filter(snapshot=snapshot)
    if not department_ids:
        return rows.none()
    matches = (Q(department_lineage__contains=f"/{pk}/") for pk in sorted(department_ids))
    return rows.filter(reduce(or_, matches))


def rows_for(snapshot, audience: Audience, department: int | None = None):
    """The rows ``audience`` may read by name: all for administrators, a head's departments."""
    if department is not None:
        return rows_within(snapshot, {department})
    if audience.is_admin:
        return WorkloadRow.objects.filter(snapshot=snapshot)
    return rows_within(snapshot, audience.headed)


# --- Words for the charts -------------------------------------------------------------


def histogram_labels() -> list[dict]:
    labels = []
    for bucket in range(HISTOGRAM_BUCKETS - 1):
        low, high = bucket * 10, bucket * 10 + 10
        if bucket == HISTOGRAM_BUCKETS - 2:
            long = _("from %(low)s %% to 100 %%") % {"low": low}
        else:
            long = _("from %(low)s %% to under %(high)s %%") % {"low": low, "high": high}
        labels.append({"short": f"{low}–{high}", "long": long})
    labels.append({"short": ">100", "long": _("over 100 %")})
    return labels


def trend_summary(points: list[tuple], target_percent: int) -> str:
    """``points`` are (reference date, share) pairs, oldest first."""
    points = [(day, share) for day, share in points if share is not None]
    if not points:
        return _("There are no figures to show yet.")
    first_day, first = points[0]
    last_day, last = points[-1]
    if len(points) == 1:
        return _("One snapshot so far: %(percent)s %% on %(date)s (target %(target)s %%).") % {
            "percent": round(last * 100),
            "date": date_format(last_day),
            "target": target_percent,
        }
    return _(
        "From %(first_date)s to %(last_date)s the share of working time in projects went "
        "from %(first)s %% to %(last)s %% (target %(target)s %%)."
    ) % {
        "first_date": date_format(first_day),
        "last_date": date_format(last_day),
        "first": round(first * 100),
        "last": round(last * 100),
        "target": target_percent,
    }


def departments_summary(figures, target_percent: int) -> str:
    if not figures:
        return _("No department figures can be shown for this snapshot.")
    highest = max(figures, key=lambda f: f.project_share)
    lowest = min(figures, key=lambda f: f.project_share)
    above = sum(1 for f in figures if f.project_percent > target_percent)
    return _(
        "%(count)s departments shown. The highest share is %(high_name)s with %(high)s %%, "
        "the lowest %(low_name)s with %(low)s %%; %(above)s are above the target of "
        "%(target)s %%."
    ) % {
        "count": len(figures),
        "high_name": highest.department_name,
        "high": highest.project_percent,
        "low_name": lowest.department_name,
        "low": lowest.project_percent,
        "above": above,
        "target": target_percent,
    }


def distribution_summary(totals: Totals) -> str:
    states = totals.states
    return _(
        "Of %(count)s employees, %(below)s are below the target, %(on)s on target, "
        "%(above)s above the target and %(over)s over-allocated."
    ) % {
        "count": totals.employee_count,
        "below": states[WorkloadState.BELOW],
        "on": states[WorkloadState.ON],
        "above": states[WorkloadState.ABOVE],
        "over": states[WorkloadState.OVER],
    }
