"""The participation part of the personal-data export (see accounts.privacy)."""

from functools import reduce
from operator import or_

from django.db.models import Q

from accounts.models import Notification
from accounts.privacy import Rows, register_eraser, register_exporter
from participation.models import (
    ActionItem,
    Application,
    Comment,
    CommentReport,
    Membership,
    Proposal,
    ProposalFollow,
    ProposalStatusChange,
    ProposalSupport,
)


@register_exporter("participation.application")
def export_applications(user) -> Rows:
    """Applications the person made or decided on."""
    rows = Application.objects.filter(Q(applicant=user) | Q(decided_by=user)).order_by("id")
    return list(
        rows.values(
            "role__project__title",
            "role__title",
            "message",
            "conflict_of_interest",
            "status",
            "decision_reason",
            "decision_note",
            "created_at",
            "decided_at",
            "withdrawn_at",
        )
    )


@register_eraser("participation.application")
def refer_to_applicants_by_reference(user) -> None:
    """Leads' notifications written before people were stored by reference hold the
    applicant's name (``"applicant": "Ada"``): they point at the account instead,
    which reads "deleted account" from now on. The event key names the application.
    """
    own = Application.objects.filter(applicant=user).values_list("pk", flat=True)
    prefixes = [Q(event_key__startswith=f"application:{pk}:") for pk in own]
    if not prefixes:
        return
    about_them = Notification.objects.filter(reduce(or_, prefixes), data__has_key="applicant")
    for notification in about_them:
        notification.data.pop("applicant")
        notification.data["applicant_id"] = user.pk
        notification.save(update_fields=["data"])


@register_exporter("participation.membership")
def export_memberships(user) -> Rows:
    rows = Membership.objects.filter(Q(person=user) | Q(ended_by=user)).order_by("id")
    return list(
        rows.values("project__title", "role__title", "hours_per_week", "started_on", "ended_on")
    )


@register_exporter("participation.proposal")
def export_proposals(user) -> Rows:
    rows = Proposal.objects.filter(proposer=user).order_by("id")
    return list(
        rows.values(
            "title",
            "topic__slug",
            "problem",
            "idea",
            "beneficiaries",
            "status",
            "project__title",
            "created_at",
            "decided_at",
        )
    )


@register_exporter("participation.proposalsupport")
def export_proposal_supports(user) -> Rows:
    rows = ProposalSupport.objects.filter(supporter=user).order_by("id")
    return list(rows.values("proposal__title", "created_at"))


@register_exporter("participation.proposalstatuschange")
def export_proposal_status_changes(user) -> Rows:
    """Status changes the person made: submissions, and decisions as a reviewer."""
    rows = ProposalStatusChange.objects.filter(by=user).order_by("id")
    return list(rows.values("proposal__title", "status", "reason", "at"))


@register_exporter("participation.comment")
def export_comments(user) -> Rows:
    """Comments the person wrote, and comments they hid as a moderator (without the text:
    that belongs to its author)."""
    written = Comment.objects.filter(author=user).order_by("id")
    hidden = Comment.objects.filter(hidden_by=user).order_by("id")
    return [
        *(
            {"relation": "author", **row}
            for row in written.values(
                "id",
                "project__title",
                "proposal__title",
                "body",
                "created_at",
                "is_hidden",
                "hidden_reason",
            )
        ),
        *(
            {"relation": "hidden_by", **row}
            for row in hidden.values("id", "hidden_reason", "hidden_at")
        ),
    ]


@register_exporter("participation.commentreport")
def export_comment_reports(user) -> Rows:
    rows = CommentReport.objects.filter(reporter=user).order_by("id")
    return list(rows.values("comment_id", "reason", "created_at"))


@register_exporter("participation.proposalfollow")
def export_proposal_follows(user) -> Rows:
    rows = ProposalFollow.objects.filter(follower=user).order_by("id")
    return list(rows.values("proposal__title", "created_at"))


@register_eraser("participation.proposalfollow")
def erase_proposal_follows(user) -> None:
    ProposalFollow.objects.filter(follower=user).delete()


@register_exporter("participation.actionitem")
def export_action_items(user) -> Rows:
    """Action items the person owns. Team feedback has no author, so there is none to export."""
    rows = ActionItem.objects.filter(owner=user).order_by("id")
    return list(
        rows.values(
            "retrospective__project__title",
            "retrospective__iteration",
            "text",
            "is_done",
            "done_at",
            "created_at",
        )
    )
