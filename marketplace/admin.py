from django.contrib import admin
from django.db import models

from marketplace import services
from marketplace.models import Project, ProjectUpdate, Role


class RoleInline(admin.StackedInline):
    model = Role
    extra = 0
    fields = [
        "title",
        "description",
        "audience",
        "seats",
        "hours_per_week",
        "auto_accept",
        "public_kind",
        "skills",
        "is_open",
    ]
    autocomplete_fields = ["skills"]
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "phase", "department", "published_at"]
    list_filter = ["status", "phase", ("department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["department"]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["department", "leads", "topics"]
    exclude = ["search_vector", "search_extra"]
    readonly_fields = [
        "created_by",
        "created_at",
        "updated_at",
        "published_at",
        "started_at",
        "paused_at",
        "completed_at",
        "cancelled_at",
        "phase_changed_at",
    ]
    inlines = [RoleInline]
    # Django 6 makes https the default scheme for typed addresses; take it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Role titles and skills are searched beside the project: keep that copy current.
        services.refresh_search_document(form.instance)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "audience", "seats", "hours_per_week", "is_open"]
    list_filter = ["audience", "is_open", "public_kind"]
    list_select_related = ["project"]
    search_fields = ["title", "project__title"]
    autocomplete_fields = ["project", "skills"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_search_document(form.instance.project)

    def delete_model(self, request, obj):
        project = obj.project
        super().delete_model(request, obj)
        services.refresh_search_document(project)


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(admin.ModelAdmin):
    """For corrections; leads post updates on the project page, which notifies followers."""

    list_display = ["title", "project", "phase", "created_at"]
    list_select_related = ["project"]
    search_fields = ["title", "project__title"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["project", "author"]
    readonly_fields = ["phase", "created_at"]
