"""The workload report: immutable monthly snapshots of how the employees' week is spent.

The tables were created by participation (migration 0005) and keep their names:
the models moved here without moving a row (see ``workload/migrations/0001``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.allocation import AllocationState

# A snapshot stores the state that participation.allocation decided; one set of names for both.
WorkloadState = AllocationState


class WorkloadFigures(models.Model):
    """What the report shows for a group of employees (the organisation or one department).

    The share is weighted by hours: project hours of all over weekly hours of all.
    ``histogram`` counts the employees per tenth of a week in projects, the last
    bucket those above 100 % (see ``workload.snapshots.HISTOGRAM_BUCKETS``).
    """

    employee_count = models.PositiveIntegerField(_("employees"), default=0)
    weekly_hours = models.PositiveIntegerField(_("weekly hours"), default=0)
    project_hours = models.PositiveIntegerField(_("project hours"), default=0)
    project_share = models.DecimalField(
        _("share in projects"), max_digits=7, decimal_places=4, default=0
    )
    below_count = models.PositiveIntegerField(_("below target"), default=0)
    on_count = models.PositiveIntegerField(_("on target"), default=0)
    above_count = models.PositiveIntegerField(_("above target"), default=0)
    over_count = models.PositiveIntegerField(_("over-allocated"), default=0)
    histogram = models.JSONField(_("distribution of shares"), default=list, blank=True)

    class Meta:
        abstract = True

    @property
    def project_percent(self) -> int:
        return round(self.project_share * 100)

    @property
    def department_share(self):
        return max(1 - self.project_share, 0)

    @property
    def department_percent(self) -> int:
        return round(self.department_share * 100)

    @property
    def state_counts(self) -> dict[str, int]:
        return {state: getattr(self, f"{state}_count") for state in WorkloadState.values}


class ImmutableModel(models.Model):
    """Written once with ``bulk_create``/``create``: history that is never edited.

    The only exception is erasure on account deletion (a queryset update of the
    copied name), which the privacy law demands.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{self._meta.verbose_name} is never changed once taken.")
        super().save(*args, **kwargs)


class WorkloadSnapshot(ImmutableModel, WorkloadFigures):
    """The workload of every active employee on ``reference_date``, frozen."""

    class Origin(models.TextChoices):
        SCHEDULED = "scheduled", _("Monthly schedule")
        ADMIN = "admin", _("Admin action")
        BUTTON = "button", _("Button on the report")

    reference_date = models.DateField(_("reference date"))
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    origin = models.CharField(_("taken by"), max_length=20, choices=Origin.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workload_snapshots",
    )
    target = models.DecimalField(_("target share"), max_digits=4, decimal_places=3)
    tolerance = models.DecimalField(_("tolerance"), max_digits=4, decimal_places=3)

    class Meta:
        ordering = ["-reference_date", "-taken_at", "-id"]
        # The tables participation created keep their names: the rows never moved.
        db_table = "participation_workloadsnapshot"
        verbose_name = _("workload snapshot")
        verbose_name_plural = _("workload snapshots")
        constraints = [
            # The monthly task may run twice (retries, a second beat): one snapshot per date.
            models.UniqueConstraint(
                fields=["reference_date"],
                condition=Q(origin="scheduled"),
                name="one_scheduled_workload_snapshot_per_date",
            ),
        ]

    def __str__(self):
        return f"{self.reference_date.isoformat()} ({self.get_origin_display()})"

    def get_absolute_url(self):
        return f"{reverse('workload-report')}?snapshot={self.pk}"

    @property
    def target_percent(self) -> int:
        return round(self.target * 100)


class WorkloadDepartmentFigure(ImmutableModel, WorkloadFigures):
    """A department's figures in a snapshot, its sub-departments included.

    ``lineage`` holds the ids of the department and its parents at the time,
    as ``/1/5/9/``, so the history keeps the tree of its day.
    """

    snapshot = models.ForeignKey(
        WorkloadSnapshot,
        verbose_name=_("snapshot"),
        on_delete=models.CASCADE,
        related_name="department_figures",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="workload_figures",
    )
    department_code = models.CharField(_("short code"), max_length=20)
    department_name = models.CharField(_("department"), max_length=200)
    lineage = models.CharField(_("lineage"), max_length=200)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)

    class Meta:
        ordering = ["snapshot_id", "department_code"]
        db_table = "participation_workloaddepartmentfigure"
        verbose_name = _("department figure")
        verbose_name_plural = _("department figures")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "department"], name="one_figure_per_department_and_snapshot"
            ),
        ]

    def __str__(self):
        return f"{self.department_code}: {self.project_percent} %"


class WorkloadRow(ImmutableModel):
    """One employee in one snapshot, with the department they belonged to then."""

    snapshot = models.ForeignKey(
        WorkloadSnapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="rows"
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="workload_rows",
    )
    employee_name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="workload_rows",
    )
    department_code = models.CharField(_("short code"), max_length=20, blank=True)
    department_name = models.CharField(_("department"), max_length=200, blank=True)
    department_lineage = models.CharField(_("lineage"), max_length=200, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(_("weekly hours"))
    project_hours = models.PositiveIntegerField(_("project hours"))
    project_share = models.DecimalField(_("share in projects"), max_digits=7, decimal_places=4)
    state = models.CharField(_("state"), max_length=10, choices=WorkloadState.choices)

    class Meta:
        ordering = ["snapshot_id", "department_code", "employee_name", "id"]
        db_table = "participation_workloadrow"
        verbose_name = _("workload row")
        verbose_name_plural = _("workload rows")
        indexes = [
            models.Index(fields=["employee", "snapshot"]),
            # The people table's order: a page of 50 reads the index, not a sort of 10,000.
            models.Index(
                fields=["snapshot", "department_code", "employee_name", "id"],
                name="workload_row_listing",
            ),
        ]

    def __str__(self):
        return f"{self.employee_name}: {self.project_percent} %"

    @property
    def project_percent(self) -> int:
        return round(self.project_share * 100)

    @property
    def department_share(self):
        return max(1 - self.project_share, 0)

    @property
    def department_percent(self) -> int:
        return round(self.department_share * 100)
