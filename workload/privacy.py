"""The workload part of the personal-data export and erasure (see accounts.privacy)."""

from accounts.privacy import DELETED_NAME, Rows, register_eraser, register_exporter
from workload import report_cache
from workload.models import WorkloadRow, WorkloadSnapshot


@register_exporter("workload.workloadrow")
def export_workload_rows(user) -> Rows:
    """The person's own rows in the workload report."""
    rows = WorkloadRow.objects.filter(employee=user).order_by("snapshot__reference_date", "id")
    return list(
        rows.values(
            "snapshot__reference_date",
            "employee_name",
            "department_code",
            "department_name",
            "weekly_hours",
            "project_hours",
            "project_share",
            "state",
        )
    )


@register_exporter("workload.workloadsnapshot")
def export_workload_snapshots(user) -> Rows:
    """Snapshots the person took by hand as an administrator."""
    snapshots = WorkloadSnapshot.objects.filter(created_by=user).order_by("id")
    return list(snapshots.values("reference_date", "taken_at", "origin"))


@register_eraser("workload.workloadrow")
def erase_workload_rows(user) -> None:
    """Keep the hours (the history of departments must still add up) but not who it was.

    The one change ever made to a snapshot's rows: the law requires it.
    """
    WorkloadRow.objects.filter(employee=user).update(employee=None, employee_name=DELETED_NAME)
    report_cache.invalidate()  # the report's kept parts show the name: drop them
