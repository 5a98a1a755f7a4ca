"""The workload models moved from participation to workload without moving a row.

The database is taken back to the last state in which participation owned the
models, filled through the historical models of that state, and migrated
forward: the new ``workload.models`` read the same rows from the same tables,
and a permission given before the move still holds after it.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from workload.models import WorkloadDepartmentFigure, WorkloadRow, WorkloadSnapshot

# The last migrations before the move; workload had none yet.
BEFORE_THE_MOVE = [
    ("accounts", "0003_notification_delivery"),
    ("marketplace", "0005_browse_indexes"),
    ("participation", "0005_workload"),
]
TABLES = {
    WorkloadSnapshot: "participation_workloadsnapshot",
    WorkloadRow: "participation_workloadrow",
    WorkloadDepartmentFigure: "participation_workloaddepartmentfigure",
}


def migrate_to(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()  # the migration relabelled rows behind the cache's back


def fill_before_the_move(old_apps) -> dict:
    """A snapshot with a row and a department figure, and a permission on the old label."""
    department = old_apps.get_model("accounts", "Department").objects.create(
        name="Digitale Verwaltung", code="DV"
    )
    employee = old_apps.get_model("accounts", "User").objects.create(
        email="erika@example.org",
        display_name="Erika Muster",
        kind="employee",
        department=department,
        weekly_hours=40,
    )
    snapshot = old_apps.get_model("participation", "WorkloadSnapshot").objects.create(
        reference_date=date(2026, 11, 1),
        origin="scheduled",
        target=Decimal("0.750"),
        tolerance=Decimal("0.050"),
        employee_count=1,
        weekly_hours=40,
        project_hours=30,
        project_share=Decimal("0.7500"),
        on_count=1,
        histogram=[0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
    )
    row = old_apps.get_model("participation", "WorkloadRow").objects.create(
        snapshot=snapshot,
        employee=employee,
        employee_name="Erika Muster",
        department=department,
        department_code="DV",
        department_name="Digitale Verwaltung",
        department_lineage=f"/{department.pk}/",
        weekly_hours=40,
        project_hours=30,
        project_share=Decimal("0.7500"),
        state="on",
    )
    figure = old_apps.get_model("participation", "WorkloadDepartmentFigure").objects.create(
        snapshot=snapshot,
        department=department,
        department_code="DV",
        department_name="Digitale Verwaltung",
        lineage=f"/{department.pk}/",
        employee_count=1,
        weekly_hours=40,
        project_hours=30,
        project_share=Decimal("0.7500"),
        on_count=1,
    )
    content_type, _ = old_apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="participation", model="workloadsnapshot"
    )
    permission, _ = old_apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type,
        codename="view_workloadsnapshot",
        defaults={"name": "Can view workload snapshot"},
    )
    employee.user_permissions.add(permission)
    return {"snapshot": snapshot.pk, "row": row.pk, "figure": figure.pk, "employee": employee.pk}


@pytest.mark.django_db(transaction=True)
def test_the_rows_stay_where_they_were_and_the_new_models_read_them():
    try:
        executor = migrate_to([*BEFORE_THE_MOVE, ("workload", None)])
        old_apps = executor.loader.project_state(BEFORE_THE_MOVE).apps
        with pytest.raises(LookupError):
            old_apps.get_model("workload", "WorkloadSnapshot")  # participation owned them then
        ids = fill_before_the_move(old_apps)
    finally:
        migrate_to_latest()

    snapshot = WorkloadSnapshot.objects.get(pk=ids["snapshot"])
    assert snapshot.reference_date == date(2026, 11, 1)
    assert snapshot.origin == WorkloadSnapshot.Origin.SCHEDULED
    assert snapshot.project_percent == 75
    assert snapshot.histogram[7] == 1
    row = snapshot.rows.get()
    assert row.pk == ids["row"]
    assert (row.employee_id, row.employee_name, row.project_hours) == (
        ids["employee"],
        "Erika Muster",
        30,
    )
    assert row.state == "on"
    figure = snapshot.department_figures.get()
    assert figure.pk == ids["figure"]
    assert (figure.department_code, figure.employee_count, figure.project_percent) == ("DV", 1, 75)

    for model, table in TABLES.items():
        assert model._meta.app_label == "workload"
        assert model._meta.db_table == table
    tables = set(connection.introspection.table_names())
    assert set(TABLES.values()) <= tables
    assert not any(name.startswith("workload_") for name in tables)

    # The content type was relabelled in place: the permission given before still holds.
    assert ContentType.objects.get_for_model(WorkloadSnapshot).app_label == "workload"
    assert not ContentType.objects.filter(
        app_label="participation", model="workloadsnapshot"
    ).exists()
    assert User.objects.get(pk=ids["employee"]).has_perm("workload.view_workloadsnapshot")
