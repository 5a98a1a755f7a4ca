from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.admin_actions import service_action
from accounts.admin_widgets import LabelledAutocompleteMixin
from marketplace import services
from marketplace.models import (
    Project,
    ProjectStatus,
    ProjectUpdate,
    Role,
    SignLanguageVideo,
    next_phase_after,
)
from marketplace.services import TransitionNotAllowed


def _to_status(target):
    return lambda user, project: services.change_status(user, project, target)


def _next_phase(user, project):
    target = next_phase_after(project.phase)
    if not target:
        raise TransitionNotAllowed(_("The project is already in its last phase."))
    services.change_phase(user, project, target)


DONE = _("%(count)s project(s) changed.")
PROJECT_ACTIONS = [
    service_action("publish", _("Publish the selected drafts"), services.publish_project, DONE),
    service_action(
        "start", _("Start the selected projects"), _to_status(ProjectStatus.IN_PROGRESS), DONE
    ),
    service_action(
        "pause", _("Pause the selected projects"), _to_status(ProjectStatus.PAUSED), DONE
    ),
    service_action(
        "reopen", _("Reopen the selected projects"), _to_status(ProjectStatus.OPEN), DONE
    ),
    service_action(
        "complete", _("Complete the selected projects"), _to_status(ProjectStatus.COMPLETED), DONE
    ),
    service_action(
        "cancel", _("Cancel the selected projects"), _to_status(ProjectStatus.CANCELLED), DONE
    ),
    service_action(
        "next_phase", _("Move the selected projects to their next phase"), _next_phase, DONE
    ),
]


class RoleInline(LabelledAutocompleteMixin, admin.StackedInline):
    model = Role
    extra = 0
    fields = [
        "title",
        "description",
        "language",
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
class ProjectAdmin(LabelledAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "status", "phase", "department", "published_at"]
    list_filter = [
        "status",
        "phase",
        "language",
        ("department", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["department"]
    search_fields = ["title", "title_en", "slug", "summary", "summary_en"]
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
    actions = PROJECT_ACTIONS
    # Django 6 makes https the default scheme for typed addresses; take it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        """Status and phase move only through the actions, which use the site's services.

        A new project starts as a draft (status read-only) in the phase chosen, as on the site.
        """
        fields = [*self.readonly_fields, "status"]
        return fields if obj is None else [*fields, "phase"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Role titles and skills are searched beside the project: keep that copy current.
        services.refresh_search_document(form.instance)


@admin.register(Role)
class RoleAdmin(LabelledAutocompleteMixin, admin.ModelAdmin):
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
class ProjectUpdateAdmin(LabelledAutocompleteMixin, admin.ModelAdmin):
    """For corrections; leads post updates on the project page, which notifies followers."""

    list_display = ["title", "project", "phase", "created_at"]
    list_select_related = ["project"]
    search_fields = ["title", "project__title"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["project", "author"]
    readonly_fields = ["phase", "created_at"]


@admin.register(SignLanguageVideo)
class SignLanguageVideoAdmin(admin.ModelAdmin):
    """The videos of the sign-language page: each with captions and a transcript."""

    list_display = ["title_de", "title_en", "position", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title_de", "title_en", "transcript"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title_de", "title_en"]}),
        (
            _("Video in German Sign Language"),
            {
                "description": _(
                    "The page plays the video in the browser's own player, with the captions"
                    " switched on and the transcript below it."
                ),
                "fields": ["video", "captions", "transcript"],
            },
        ),
        (_("Publishing"), {"fields": ["position", "is_published", "created_at", "updated_at"]}),
    ]
