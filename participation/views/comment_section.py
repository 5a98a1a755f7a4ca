"""The comment section of a project or a proposal: what it shows, and to whom.

Both the pages that show the section (the proposal page, the project page
through ``marketplace.project_sections``) and the views that answer its forms
(``participation.views.comments``) build its context here, so neither kind of
view needs the other's module.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.urls import reverse

from participation.forms.comments import CommentForm
from participation.models import Comment, CommentReport, Proposal
from participation.services import comments as services

SECTION_TEMPLATE = "participation/includes/comments.html"


def _comments_of(user, target, moderating: bool) -> list[Comment]:
    """The comments with what the section shows of each, in a fixed number of queries."""
    comments = (
        Comment.objects.on(target)
        .select_related("author", "hidden_by")
        .annotate(report_count=Count("reports", distinct=True))
    )
    if user.is_authenticated:
        mine = CommentReport.objects.filter(comment=OuterRef("pk"), reporter=user)
        comments = comments.annotate(reported_by_me=Exists(mine))
    if moderating:
        # Moderators read why people reported; who reported stays private.
        reports = CommentReport.objects.only("comment_id", "reason", "created_at")
        comments = comments.prefetch_related(Prefetch("reports", queryset=reports))
    return list(comments)


def _post_url(target) -> str:
    if isinstance(target, Proposal):
        return reverse("proposal-comment", kwargs={"pk": target.pk})
    return reverse("project-comment", kwargs={"slug": target.slug})


def comments_context(user, target, form=None, notice: str = "", error: str = "") -> dict:
    """Everything ``participation/includes/comments.html`` needs to show the comments of
    ``target`` (a project or a proposal) to ``user``.

    ``form`` is a bound comment form to show again; ``notice`` and ``error`` a
    message at the top of the section.
    """
    if not services.can_view_comments(user, target):
        return {"target": target, "comments_visible": False}
    moderating = services.can_moderate(user, target)
    return {
        "target": target,
        "comments_visible": True,
        "comments": _comments_of(user, target, moderating),
        "comment_form": form or CommentForm(),
        "comment_post_url": _post_url(target),
        "can_comment": services.can_comment(user, target),
        "can_moderate_comments": moderating,
        "comments_notice": notice,
        "comments_error": error,
    }
