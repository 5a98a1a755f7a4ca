"""The workload dataset of ``/open-data/`` (machinery: ``marketplace.open_data``).

It holds the organisation-wide figures of each snapshot only, the same the
public report shows: no person, no department.
"""

from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue import CatalogueEntry, Extent, describe_dataset
from marketplace.open_data import (
    DATE,
    DECIMAL,
    INTEGER,
    TIMESTAMP,
    Dataset,
    Field,
    register_dataset,
)
from workload.models import WorkloadSnapshot


def workload_snapshots():
    return WorkloadSnapshot.objects.order_by("reference_date", "id")


def workload_row(snapshot: WorkloadSnapshot) -> dict:
    return {
        "id": snapshot.pk,
        "reference_date": snapshot.reference_date,
        "employees": snapshot.employee_count,
        "weekly_hours": snapshot.weekly_hours,
        "project_hours": snapshot.project_hours,
        "project_share": str(snapshot.project_share),
        "department_share": str(snapshot.department_share),
        "target": str(snapshot.target),
        "tolerance": str(snapshot.tolerance),
        "taken_at": snapshot.taken_at,
    }


register_dataset(
    Dataset(
        slug="workload",
        title=_("Workload of the organisation"),
        description=_(
            "For each snapshot of the workload report: how much of the employees' working "
            "time went into marketplace projects, for the whole organisation. No person and "
            "no department appears."
        ),
        fields=[
            Field("id", INTEGER, _("Number of the snapshot; it never changes.")),
            Field("reference_date", DATE, _("The day the figures describe.")),
            Field("employees", INTEGER, _("How many active employees were counted.")),
            Field("weekly_hours", INTEGER, _("Their contract hours per week, added up.")),
            Field("project_hours", INTEGER, _("Their hours per week in projects, added up.")),
            Field("project_share", DECIMAL, _("project_hours divided by weekly_hours.")),
            Field(
                "department_share",
                DECIMAL,
                _("The rest of the week, for the departments: 1 − project_share, at least 0."),
            ),
            Field("target", DECIMAL, _("The share of the week meant for projects (0.75).")),
            Field("tolerance", DECIMAL, _("How far from the target still counts as on target.")),
            Field("taken_at", TIMESTAMP, _("When the snapshot was taken.")),
        ],
        records=workload_snapshots,
        row=workload_row,
        modified_at=lambda snapshot: snapshot.taken_at,
    )
)


def _workload_extent() -> Extent:
    figures = WorkloadSnapshot.objects.aggregate(
        start=Min("reference_date"), end=Max("reference_date"), modified=Max("taken_at")
    )
    return Extent(**figures)


describe_dataset(
    "workload",
    CatalogueEntry(
        keywords=(_("working time"), _("project work"), _("administration")),
        themes=("GOVE",),
        extent=_workload_extent,
    ),
)
