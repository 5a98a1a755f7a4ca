"""Comments on projects and proposals, with reports and moderation.

The comment section is ``participation/includes/comments.html``; a page that
shows it adds ``comment_section.comments_context(user, target)`` to its context.
With htmx the forms in the section answer with the updated section. Without
JavaScript they redirect back to the page, or show it again with the refusal
and a 4xx status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import double_submit
from accounts.permissions import participant_required
from marketplace.models import Project
from marketplace.permissions import can_view_project
from marketplace.views.projects import get_project_for_viewing, render_project_page
from participation.forms.comments import CommentForm, CommentModerationForm, CommentReportForm
from participation.models import Comment, Proposal
from participation.services import comments as services
from participation.views.comment_section import SECTION_TEMPLATE, comments_context
from participation.views.proposals import get_proposal, render_proposal_page

BAD_REQUEST = 400
UNPROCESSABLE = 422
TOO_MANY_REQUESTS = 429


# --- Loading what the URL names -----------------------------------------------------------


def _get_project(request, slug) -> Project:
    """404 also for a draft the visitor may not see: its existence stays secret."""
    project = get_object_or_404(Project.objects.prefetch_related("leads"), slug=slug)
    if not can_view_project(request.user, project):
        raise Http404
    return project


def _get_comment(request, pk) -> Comment:
    """A comment on something the visitor may see; anything else answers 404."""
    comment = get_object_or_404(
        Comment.objects.select_related("project", "proposal", "author").prefetch_related(
            "project__leads"
        ),
        pk=pk,
    )
    if not services.can_view_comments(request.user, comment.target):
        raise Http404
    return comment


# --- Answers ----------------------------------------------------------------------------


def _section(request, target, **section):
    return render(request, SECTION_TEMPLATE, comments_context(request.user, target, **section))


def _changed(request, target, notice: str, anchor: str = "comments"):
    if request.htmx:
        return _section(request, target, notice=notice)
    messages.success(request, notice)
    return redirect(f"{target.get_absolute_url()}#{anchor}")


def _refused(request, target, status: int, error: str = "", form=None):
    """The refusal in the section (htmx) or on the page it belongs to, with a 4xx status."""
    if request.htmx:
        # htmx 2 swaps no 4xx answer: the section with the message comes back as 200.
        return _section(request, target, form=form, error=error)
    if error:
        messages.error(request, error)
    return _render_target_page(request, target, status, form)


def _render_target_page(request, target, status, form):
    if isinstance(target, Proposal):
        overrides = {"comment_form": form} if form is not None else {}
        return render_proposal_page(request, get_proposal(request, target.pk), status, **overrides)
    if form is not None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return render_project_page(request, get_project_for_viewing(request, target.slug), status)


# --- Posting ----------------------------------------------------------------------------


@vary_on_headers("HX-Request")
@require_POST
@participant_required
def project_comment(request, slug):
    return _post_comment(request, _get_project(request, slug))


@vary_on_headers("HX-Request")
@require_POST
@participant_required
def proposal_comment(request, pk):
    return _post_comment(request, get_object_or_404(Proposal, pk=pk))


def _post_comment(request, target):
    if not services.can_view_comments(request.user, target):
        raise PermissionDenied  # an internal project: its details are for employees
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, target, UNPROCESSABLE, form=form)
    try:
        comment = services.post_comment(
            request.user, target, form.cleaned_data["body"], form.cleaned_data["language"]
        )
    except services.CommentRateLimited as refusal:
        return _refused(request, target, TOO_MANY_REQUESTS, error=refusal.messages[0], form=form)
    notice = double_submit.notice(comment, _("Your comment has been posted."))
    return _changed(request, target, notice, f"comment-{comment.pk}")


# --- Reporting and moderation -----------------------------------------------------------


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


@vary_on_headers("HX-Request")
@require_POST
@login_required
def comment_report(request, pk):
    comment = _get_comment(request, pk)
    form = CommentReportForm(request.POST)
    if not form.is_valid():
        return _refused(request, comment.target, UNPROCESSABLE, error=_first_error(form))
    try:
        services.report_comment(request.user, comment, form.cleaned_data["reason"])
    except services.CommentError as refusal:
        return _refused(request, comment.target, BAD_REQUEST, error=refusal.messages[0])
    notice = _("Thank you for your report. A moderator will look at the comment.")
    return _changed(request, comment.target, notice, f"comment-{comment.pk}")


MODERATION_ACTIONS = {
    "hide": (
        services.hide_comment,
        gettext_lazy("The comment is hidden; its author has been told why."),
    ),
    "restore": (services.restore_comment, gettext_lazy("The comment is shown again.")),
}


@vary_on_headers("HX-Request")
@require_POST
@login_required
def comment_moderate(request, pk):
    comment = _get_comment(request, pk)
    if not services.can_moderate(request.user, comment.target):
        raise PermissionDenied
    form = CommentModerationForm(request.POST)
    if not form.is_valid():
        return _refused(request, comment.target, UNPROCESSABLE, error=_first_error(form))
    moderate, notice = MODERATION_ACTIONS[form.cleaned_data["action"]]
    try:
        moderate(request.user, comment, form.cleaned_data["reason"])
    except services.CommentError as refusal:
        return _refused(request, comment.target, BAD_REQUEST, error=refusal.messages[0])
    return _changed(request, comment.target, str(notice), f"comment-{comment.pk}")
