"""Django admin for participation: applications, memberships, proposals and comments.

Status changes of proposals and moderation of comments go through the site
(``participation.services.proposals``, ``participation.services.comments``), which write the
history, the audit trail and the notifications; here those fields are read-only.
"""

from django.contrib import admin

from participation.models import (
    ActionItem,
    Application,
    Comment,
    CommentReport,
    Membership,
    Proposal,
    ProposalStatusChange,
    ProposalSupport,
    Retrospective,
)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "role", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["applicant", "role__project"]
    search_fields = ["applicant__email", "applicant__display_name", "role__title"]
    autocomplete_fields = ["role", "applicant", "decided_by"]
    readonly_fields = ["created_at", "decided_at", "withdrawn_at"]
    date_hierarchy = "created_at"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "project", "hours_per_week", "started_on", "ended_on"]
    list_filter = ["ended_on"]
    list_select_related = ["person", "role", "project"]
    search_fields = ["person__email", "person__display_name", "project__title", "role__title"]
    autocomplete_fields = ["project", "role", "person", "ended_by"]
    raw_id_fields = ["application"]


class ProposalStatusChangeInline(admin.TabularInline):
    model = ProposalStatusChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ("status", "by", "at", "reason")

    def has_add_permission(self, request, obj=None):
        return False


class ProposalSupportInline(admin.TabularInline):
    model = ProposalSupport
    extra = 0
    fields = ["supporter", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["supporter"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "topic", "proposer", "created_at"]
    list_filter = ["status", ("topic", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["topic", "proposer"]
    search_fields = ["title", "proposer__email", "proposer__display_name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["topic", "proposer", "project"]
    readonly_fields = ["status", "project", "created_at", "review_started_at", "decided_at"]
    inlines = [ProposalStatusChangeInline, ProposalSupportInline]


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    extra = 0
    fields = ["reporter", "reason", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["reporter"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "project", "proposal", "is_hidden", "created_at"]
    list_filter = ["is_hidden"]
    list_select_related = ["author", "project", "proposal"]
    search_fields = ["body", "author__email", "author__display_name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["author", "project", "proposal"]
    readonly_fields = ["is_hidden", "hidden_reason", "hidden_by", "hidden_at", "moderated_at"]
    inlines = [CommentReportInline]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    fields = ["text", "owner", "is_done", "done_at"]
    readonly_fields = ["done_at"]
    autocomplete_fields = ["owner"]


@admin.register(Retrospective)
class RetrospectiveAdmin(admin.ModelAdmin):
    """Administrators may see retrospectives; the anonymous team feedback stays off admin."""

    list_display = ["iteration", "project", "held_on"]
    list_select_related = ["project"]
    search_fields = ["iteration", "project__title"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["project"]
    readonly_fields = ["created_at"]
    inlines = [ActionItemInline]
