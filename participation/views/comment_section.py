"""The comment section of a project or a proposal: what it shows, and to whom.

Both the pages that show the section (the proposal page, the project page
through ``marketplace.project_sections``) and the views that answer its forms
(``participation.views.comments``) build its context here, so neither kind of
view needs the other's module.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from accounts.query_numbers import parse_whole_number
from participation.forms.comments import CommentForm
from participation.models import Comment, CommentReport, Proposal
from participation.services import comments as services

SECTION_TEMPLATE = "participation/includes/comments.html"
# Newest first, this many at a time: a page with hundreds of comments costs as one with twenty.
COMMENTS_PER_PAGE = 20
PAGE_PARAMETER = "comments"


def _comments_of(user, target, moderating: bool, number) -> "CommentPage":
    """One page of comments, newest first, with what the section shows of each.

    A fixed number of queries: the page with the total (a window count), and for
    moderators its reports.
    The reports are counted per row of the page (a subquery), not by a join over all.
    """
    report_count = (
        CommentReport.objects.filter(comment=OuterRef("pk"))
        .order_by()
        .values("comment")
        .annotate(total=Count("pk"))
        .values("total")
    )
    comments = (
        Comment.objects.on(target)
        .select_related("author", "hidden_by")
        .annotate(report_count=Coalesce(Subquery(report_count, output_field=IntegerField()), 0))
        .order_by("-created_at", "-pk")
    )
    if user.is_authenticated:
        mine = CommentReport.objects.filter(comment=OuterRef("pk"), reporter=user)
        comments = comments.annotate(reported_by_me=Exists(mine))
    if moderating:
        # Moderators read why people reported; who reported stays private.
        reports = CommentReport.objects.only("comment_id", "reason", "created_at")
        comments = comments.prefetch_related(Prefetch("reports", queryset=reports))
    comments = comments.annotate(total=Window(Count("pk")))  # all of them, in the same query
    number = 1 if number in (None, "") else parse_whole_number(number)
    if not number:
        raise Http404  # as every numeric parameter: plain digits, a page that exists
    rows = _slice(comments, number)
    if not rows and number > 1:
        raise Http404
    # ``total`` is the window count annotated above.
    return CommentPage(rows, number, rows[0].total if rows else 0)  # type: ignore[attr-defined]


def _slice(comments, number: int) -> list[Comment]:
    start = (number - 1) * COMMENTS_PER_PAGE
    return list(comments[start : start + COMMENTS_PER_PAGE])


@dataclass(frozen=True)
class CommentPage:
    rows: list[Comment]
    number: int
    total: int

    @property
    def has_older(self) -> bool:
        return self.number * COMMENTS_PER_PAGE < self.total


def _post_url(target) -> str:
    if isinstance(target, Proposal):
        return reverse("proposal-comment", kwargs={"pk": target.pk})
    return reverse("project-comment", kwargs={"slug": target.slug})


def comments_context(user, target, form=None, notice: str = "", error: str = "", page=None) -> dict:
    """Everything ``participation/includes/comments.html`` needs to show the comments of
    ``target`` (a project or a proposal) to ``user``.

    ``form`` is a bound comment form to show again; ``notice`` and ``error`` a
    message at the top of the section; ``page`` the number of the page of
    comments (``?comments=2``: the older ones).
    """
    if not services.can_view_comments(user, target):
        return {"target": target, "comments_visible": False}
    moderating = services.can_moderate(user, target)
    return {
        "target": target,
        "comments_visible": True,
        **_page_context(_comments_of(user, target, moderating, page), target),
        "comment_form": form or CommentForm(),
        "comment_post_url": _post_url(target),
        "can_comment": services.can_comment(user, target),
        "can_moderate_comments": moderating,
        "comments_notice": notice,
        "comments_error": error,
    }


def _page_context(page: CommentPage, target) -> dict:
    def link(number):
        return f"{target.get_absolute_url()}?{PAGE_PARAMETER}={number}#comments"

    return {
        "comments": page.rows,
        "comments_total": page.total,
        "comments_older_url": link(page.number + 1) if page.has_older else "",
        "comments_newer_url": link(page.number - 1) if page.number > 1 else "",
    }
