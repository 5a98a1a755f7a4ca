"""Comments on projects and proposals: posting, reporting and moderation.

Views call these functions; each one writes in a transaction and leaves an
audit event. The predicates at the top are used by views and templates alike.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import accounts
from accounts import audit, double_submit, rate_limit
from accounts.content_language import DEFAULT_CONTENT_LANGUAGE
from accounts.models import User
from accounts.permissions import can_participate
from marketplace.permissions import can_view_project, is_lead, sees_full_project
from participation.models import Comment, CommentReport, Proposal
from participation.services.proposals import can_review_proposals

COMMENTS_PER_WINDOW = 5
RATE_WINDOW_SECONDS = 60
REPORTS_TO_HIDE = 3


class CommentError(ValidationError):
    """A request that the rules refuse; its message is shown to the person."""


class CommentRateLimited(CommentError):
    """Too many comments in a short time."""


# --- Who may do what ------------------------------------------------------------------


def can_view_comments(user, target) -> bool:
    """Proposals are public; a project's comments follow what the visitor may see of it."""
    if isinstance(target, Proposal):
        return True
    return can_view_project(user, target) and sees_full_project(user, target)


def can_comment(user, target) -> bool:
    return can_participate(user) and can_view_comments(user, target)


def can_moderate(user, target) -> bool:
    """Administrators everywhere; project leads on their project; proposal reviewers on proposals."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if isinstance(target, Proposal):
        return can_review_proposals(user)
    return is_lead(user, target)


# --- Posting --------------------------------------------------------------------------


def _count_towards_rate_limit(author: User) -> None:
    count = rate_limit.count_within_window(f"comment-rate:{author.pk}", RATE_WINDOW_SECONDS)
    if count > COMMENTS_PER_WINDOW:
        raise CommentRateLimited(
            _(
                "You have written %(count)s comments within a minute. Please wait a moment "
                "before you write the next one."
            )
            % {"count": COMMENTS_PER_WINDOW}
        )


@transaction.atomic
def post_comment(
    author: User, target, body: str, language: str = DEFAULT_CONTENT_LANGUAGE
) -> Comment:
    """Write a validated comment on a project or a proposal.

    The same comment sent again (a double submit) returns the first one and
    does not count towards the rate limit.
    """
    if not can_comment(author, target):
        raise PermissionDenied
    target_field = "proposal" if isinstance(target, Proposal) else "project"
    double_submit.lock_person(author)
    repeat = double_submit.find_repeat(
        Comment.objects.all(), author=author, body=body, **{target_field: target}
    )
    if repeat is not None:
        return repeat
    _count_towards_rate_limit(author)
    comment = Comment.objects.create(
        author=author, body=body, language=language, **{target_field: target}
    )
    audit.record(author, "comment.posted", comment, **{target_field: target.pk})
    return comment


def _required_reason(reason: str) -> str:
    """Reports and moderation decisions always say why; forms check this first."""
    reason = reason.strip()
    if not reason:
        raise CommentError(_("Please give a reason."))
    return reason


# --- Reporting ------------------------------------------------------------------------


def _lock(comment: Comment) -> Comment:
    # Only the comment row: PostgreSQL cannot lock the nullable side of the target joins.
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("project", "proposal", "author")
        .get(pk=comment.pk)
    )


def _check_reportable(reporter: User, comment: Comment) -> None:
    if comment.author_id == reporter.pk:
        raise CommentError(_("You cannot report your own comment."))
    if CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
        raise CommentError(_("You have already reported this comment. Thank you."))
    if comment.is_hidden:
        raise CommentError(_("This comment is already hidden."))


@transaction.atomic
def report_comment(reporter: User, comment: Comment, reason: str) -> CommentReport:
    """Report a comment; the third open report hides it until a moderator looks at it."""
    if not reporter.is_authenticated:
        raise PermissionDenied
    reason = _required_reason(reason)
    comment = _lock(comment)  # serialises reports, so the third one is counted exactly once
    _check_reportable(reporter, comment)
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)
    except IntegrityError:
        raise CommentError(_("You have already reported this comment. Thank you.")) from None
    audit.record(reporter, "comment.reported", comment)
    _hide_when_reported_enough(comment)
    return report


def _hide_when_reported_enough(comment: Comment) -> None:
    reports = comment.reports.all()
    if comment.moderated_at is not None:
        reports = reports.filter(created_at__gt=comment.moderated_at)
    count = reports.count()
    if count < REPORTS_TO_HIDE:
        return
    comment.is_hidden = True
    comment.hidden_at = timezone.now()
    comment.hidden_by = None
    comment.hidden_reason = ""
    comment.save()
    audit.record(None, "comment.hidden_by_reports", comment, reports=count)


# --- Moderation -----------------------------------------------------------------------


@transaction.atomic
def hide_comment(moderator: User, comment: Comment, reason: str) -> Comment:
    """Hide a comment with a reason the author is told; also confirms one hidden by reports."""
    reason = _required_reason(reason)
    comment = _lock(comment)
    if not can_moderate(moderator, comment.target):
        raise PermissionDenied
    if comment.is_hidden and comment.hidden_by_id is not None:
        raise CommentError(_("A moderator has already hidden this comment."))
    now = timezone.now()
    comment.is_hidden = True
    comment.hidden_reason = reason
    comment.hidden_by = moderator
    comment.hidden_at = now
    comment.moderated_at = now
    comment.save()
    event = audit.record(moderator, "comment.hidden", comment, reason=comment.hidden_reason)
    accounts.notify(
        [comment.author],
        "comment_hidden",
        f"comment:{comment.pk}:hidden:{event.pk}",  # each hiding is news, also a second one
        url=comment_url(comment),
        reason=comment.hidden_reason,
    )
    return comment


@transaction.atomic
def restore_comment(moderator: User, comment: Comment, reason: str) -> Comment:
    """Show a hidden comment again; the reports so far count as settled."""
    reason = _required_reason(reason)
    comment = _lock(comment)
    if not can_moderate(moderator, comment.target):
        raise PermissionDenied
    if not comment.is_hidden:
        raise CommentError(_("This comment is not hidden."))
    comment.is_hidden = False
    comment.hidden_reason = ""
    comment.hidden_by = None
    comment.hidden_at = None
    comment.moderated_at = timezone.now()
    comment.save()
    audit.record(moderator, "comment.restored", comment, reason=reason)
    return comment


def comment_url(comment: Comment) -> str:
    return f"{comment.target.get_absolute_url()}#comment-{comment.pk}"
