"""Django admin for participation: applications, memberships, proposals and comments.

Status changes of proposals and moderation of comments go through the site
(``participation.services.proposals``, ``participation.services.comments``), which write the
history, the audit trail and the notifications; here those fields are read-only.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_actions import service_action
from accounts.admin_widgets import LabelledAutocompleteMixin
from participation import services
from participation.models import (
    ActionItem,
    Application,
    Comment,
    CommentReport,
    DeclineReason,
    Membership,
    Proposal,
    ProposalStatus,
    ProposalStatusChange,
    ProposalSupport,
    Retrospective,
)
from participation.services import proposals as proposal_services


def _decline_as_filled(user, application):
    services.decline_application(user, application, DeclineReason.ROLE_FILLED)


def _to_proposal_status(target):
    return lambda user, proposal: proposal_services.change_proposal_status(user, proposal, target)


DECIDED = _("%(count)s application(s) decided.")


@admin.register(Application)
class ApplicationAdmin(LabelledAutocompleteMixin, admin.ModelAdmin):
    list_display = ["applicant", "role", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["applicant", "role__project"]
    search_fields = ["applicant__email", "applicant__display_name", "role__title"]
    autocomplete_fields = ["role", "applicant", "decided_by"]
    # Decisions go through the actions (the site's services): seats, memberships,
    # notifications and the audit trail follow them.
    readonly_fields = [
        "status",
        "decision_reason",
        "decision_note",
        "decided_by",
        "created_at",
        "decided_at",
        "withdrawn_at",
    ]
    date_hierarchy = "created_at"
    actions = [
        service_action(
            "accept", _("Accept the selected applications"), services.accept_application, DECIDED
        ),
        service_action(
            "decline_as_filled",
            _("Decline the selected applications: the role is filled"),
            _decline_as_filled,
            DECIDED,
        ),
    ]


@admin.register(Membership)
class MembershipAdmin(LabelledAutocompleteMixin, admin.ModelAdmin):
    list_display = ["person", "role", "project", "hours_per_week", "started_on", "ended_on"]
    list_filter = ["ended_on"]
    list_select_related = ["person", "role", "project"]
    search_fields = ["person__email", "person__display_name", "project__title", "role__title"]
    autocomplete_fields = ["project", "role", "person", "ended_by"]
    raw_id_fields = ["application"]
    actions = [
        service_action(
            "end",
            _("End the selected memberships"),
            services.end_membership,
            _("%(count)s membership(s) ended."),
        )
    ]

    def get_readonly_fields(self, request, obj=None):
        # Ending frees the seat: only the action (the site's service) does both.
        return ["ended_on", "ended_by"] if obj is not None else []


class ProposalStatusChangeInline(admin.TabularInline):
    model = ProposalStatusChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ("status", "by", "at", "reason")

    def has_add_permission(self, request, obj=None):
        return False


class ProposalSupportInline(LabelledAutocompleteMixin, admin.TabularInline):
    model = ProposalSupport
    extra = 0
    fields = ["supporter", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["supporter"]


@admin.register(Proposal)
class ProposalAdmin(LabelledAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "status", "topic", "proposer", "created_at"]
    list_filter = ["status", ("topic", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["topic", "proposer"]
    search_fields = ["title", "proposer__email", "proposer__display_name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["topic", "proposer", "project"]
    readonly_fields = ["status", "project", "created_at", "review_started_at", "decided_at"]
    inlines = [ProposalStatusChangeInline, ProposalSupportInline]
    # Declining needs a public reason: that is done on the proposal's page.
    actions = [
        service_action(
            "start_review",
            _("Start the review of the selected proposals"),
            _to_proposal_status(ProposalStatus.IN_REVIEW),
            _("%(count)s proposal(s) changed."),
        ),
        service_action(
            "accept",
            _("Accept the selected proposals (each becomes a draft project)"),
            _to_proposal_status(ProposalStatus.ACCEPTED),
            _("%(count)s proposal(s) changed."),
        ),
    ]


class CommentReportInline(LabelledAutocompleteMixin, admin.TabularInline):
    model = CommentReport
    extra = 0
    fields = ["reporter", "reason", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["reporter"]


@admin.register(Comment)
class CommentAdmin(LabelledAutocompleteMixin, admin.ModelAdmin):
    list_display = ["__str__", "author", "project", "proposal", "is_hidden", "created_at"]
    list_filter = ["is_hidden"]
    list_select_related = ["author", "project", "proposal"]
    search_fields = ["body", "author__email", "author__display_name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["author", "project", "proposal"]
    readonly_fields = ["is_hidden", "hidden_reason", "hidden_by", "hidden_at", "moderated_at"]
    inlines = [CommentReportInline]


class ActionItemInline(LabelledAutocompleteMixin, admin.TabularInline):
    model = ActionItem
    extra = 0
    fields = ["text", "owner", "is_done", "done_at"]
    readonly_fields = ["done_at"]
    autocomplete_fields = ["owner"]


@admin.register(Retrospective)
class RetrospectiveAdmin(LabelledAutocompleteMixin, admin.ModelAdmin):
    """Administrators may see retrospectives; the anonymous team feedback stays off admin."""

    list_display = ["iteration", "project", "held_on"]
    list_select_related = ["project"]
    search_fields = ["iteration", "project__title"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["project"]
    readonly_fields = ["created_at"]
    inlines = [ActionItemInline]
