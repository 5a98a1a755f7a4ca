"""Django admin for the workload report: snapshots are read, never edited."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workload import snapshots
from workload.models import WorkloadDepartmentFigure, WorkloadRow, WorkloadSnapshot
from workload.permissions import is_administrator


class ReadOnlyAdminMixin:
    """History: nobody adds, changes or deletes a row here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WorkloadDepartmentFigureInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WorkloadDepartmentFigure
    extra = 0
    fields = readonly_fields = (
        "department_code",
        "department_name",
        "employee_count",
        "project_share",
    )


@admin.register(WorkloadSnapshot)
class WorkloadSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference_date",
        "origin",
        "employee_count",
        "project_share",
        "over_count",
        "taken_at",
        "created_by",
    ]
    list_filter = ["origin"]
    list_select_related = ["created_by"]
    date_hierarchy = "reference_date"
    inlines = [WorkloadDepartmentFigureInline]
    actions = ["take_snapshot_now"]
    show_full_result_count = False  # keeps the action offered while the list is still empty

    def changelist_view(self, request, extra_context=None):
        # Django runs an action only on selected rows; this one needs none (and the
        # list is empty before the first snapshot), so it runs with an empty selection.
        if request.method == "POST" and request.POST.get("action") == "take_snapshot_now":
            post = request.POST.copy()
            if not post.getlist(helpers.ACTION_CHECKBOX_NAME):
                post.setlist(helpers.ACTION_CHECKBOX_NAME, ["0"])
            request.POST = post
        return super().changelist_view(request, extra_context)

    def has_take_snapshot_permission(self, request):
        return is_administrator(request.user)

    @admin.action(description=gettext_lazy("Take a snapshot now"), permissions=["take_snapshot"])
    def take_snapshot_now(self, request, queryset):
        snapshot = snapshots.take_snapshot(
            timezone.localdate(), created_by=request.user, origin=WorkloadSnapshot.Origin.ADMIN
        )
        self.message_user(
            request,
            _("The snapshot of %(date)s is ready.")
            % {"date": date_format(snapshot.reference_date)},
            messages.SUCCESS,
        )


@admin.register(WorkloadRow)
class WorkloadRowAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "employee_name",
        "snapshot",
        "department_code",
        "weekly_hours",
        "project_hours",
        "project_share",
        "state",
    ]
    list_filter = ["state", "snapshot"]
    list_select_related = ["snapshot"]
    search_fields = ["employee_name", "department_code", "department_name"]
