"""How much of a person's week goes into projects, and what that means against the 3/4 rule.

``allocation_state`` is the one place that decides below / on / above the target
or over-allocated. The gauge on /me/, the review queue, the workload snapshots
(and so the report, its export and everything that reads a snapshot) all ask it,
so no two pages can call the same week by different names. It lives here rather
than in ``workload`` because participation shows the gauge and may not import
the layer above it (see ``tests/test_layering.py``).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AllocationState(models.TextChoices):
    BELOW = "below", _("Below target")
    ON = "on", _("On target")
    ABOVE = "above", _("Above target")
    OVER = "over", _("Over-allocated")


@dataclass(frozen=True)
class Thresholds:
    target: Decimal
    tolerance: Decimal

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(
            target=Decimal(str(settings.WORKLOAD_PROJECT_TARGET)),
            tolerance=Decimal(str(settings.WORKLOAD_TOLERANCE)),
        )


def allocation_state(
    share: Decimal, over_allocated: bool, thresholds: Thresholds | None = None
) -> AllocationState:
    """Below, on or above the target (the target give or take the tolerance), or over 100 %.

    Both edges of the tolerance count as on target; exactly 100 % is above, not over.
    """
    thresholds = thresholds or Thresholds.from_settings()
    if over_allocated:
        return AllocationState.OVER
    if share > thresholds.target + thresholds.tolerance:
        return AllocationState.ABOVE
    if share >= thresholds.target - thresholds.tolerance:
        return AllocationState.ON
    return AllocationState.BELOW


def allocation_for_hours(person, hours: int, thresholds: Thresholds | None = None) -> dict:
    """Project hours against weekly hours, the department's remainder and the state.

    ``person`` needs only ``weekly_hours``, so a list can pass light rows and
    needs no query per person. ``above_target`` is the bare comparison with the
    target (no tolerance): joining a role that crosses it asks for confirmation.
    """
    thresholds = thresholds or Thresholds.from_settings()
    share = Decimal(hours) / Decimal(person.weekly_hours or 1)
    over_allocated = hours > person.weekly_hours
    percent = round(share * 100)
    return {
        "project_hours": hours,
        "weekly_hours": person.weekly_hours,
        "share": share,
        "percent": percent,
        "department_percent": max(100 - percent, 0),
        "target_percent": round(thresholds.target * 100),
        "above_target": share > thresholds.target,
        "over_allocated": over_allocated,
        "free_hours": max(person.weekly_hours - hours, 0),
        "state": allocation_state(share, over_allocated, thresholds),
    }
