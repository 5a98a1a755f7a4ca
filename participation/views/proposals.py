"""Proposals from the public: the list, the page of one, submitting, supporting, reviewing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts import double_submit, following
from accounts.permissions import participant_required
from accounts.query_numbers import page_or_none
from marketplace.permissions import can_view_project
from participation.forms.proposals import (
    ProposalFilterForm,
    ProposalForm,
    ProposalReviewForm,
    SupportForm,
)
from participation.models import Proposal, ProposalStatusChange
from participation.services import proposals as services
from participation.views.comment_section import comments_context

LIST_TEMPLATE = "participation/proposal_list.html"
DETAIL_TEMPLATE = "participation/proposal_detail.html"
FORM_TEMPLATE = "participation/proposal_form.html"
PROPOSALS_PER_PAGE = 20
BAD_REQUEST = 400
UNPROCESSABLE = 422


# --- The list -------------------------------------------------------------------------


@require_safe
def proposal_list(request):
    filter_form = ProposalFilterForm(request.GET)
    filters_valid = filter_form.is_valid()
    proposals = Proposal.objects.select_related("topic", "proposer").with_support_count()
    paginator = Paginator(filter_form.filter(proposals), PROPOSALS_PER_PAGE)
    page = page_or_none(paginator, request.GET.get("page"))
    context = {
        "filter_form": filter_form,
        "paginator": paginator,
        "page_obj": page,
        "page_missing": page is None,
    }
    status = BAD_REQUEST if not filters_valid else 404 if page is None else 200
    return _render_list(request, context, status)


def _render_list(request, context, status):
    """The results fragment for htmx, the whole page otherwise (also for history restores)."""
    template = LIST_TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        template = f"{LIST_TEMPLATE}#results"
        context["oob"] = True  # the fragment also brings the new count
    response = render(request, template, context, status=status)
    # The same URL answers with a fragment or a page: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


# --- One proposal -----------------------------------------------------------------------


def proposal_page_queryset(user):
    """Everything the proposal page shows, in a fixed number of queries however long its history."""
    history = ProposalStatusChange.objects.select_related("by")
    return (
        Proposal.objects.select_related("topic", "proposer", "project")
        .with_support_count()
        .with_supported_by_me(user)
        .prefetch_related(Prefetch("status_changes", queryset=history), "project__leads")
    )


def get_proposal(request, pk) -> Proposal:
    return get_object_or_404(proposal_page_queryset(request.user), pk=pk)


def support_context(request, proposal, notice: str = "", error: str = "") -> dict:
    """What the support box needs; shared by the page and the htmx answer of the support view."""
    return {
        "proposal": proposal,
        "can_support": services.can_support(request.user, proposal),
        "support_notice": notice,
        "support_error": error,
    }


def render_proposal_page(request, proposal, status=200, **overrides):
    """The proposal page; ``overrides`` carry a bound form or a message after a refused POST."""
    user = request.user
    can_review = services.can_review_proposals(user)
    context = {
        **support_context(request, proposal),
        **comments_context(user, proposal, page=request.GET.get("comments")),
        "can_review": can_review,
        "review_form": ProposalReviewForm(proposal=proposal) if can_review else None,
        "project_visible": proposal.project is not None
        and can_view_project(user, proposal.project),
        "following": services.is_following_proposal(user, proposal),
        "follow_url": reverse("proposal-follow", kwargs={"pk": proposal.pk}),
    }
    context.update(overrides)
    return render(request, DETAIL_TEMPLATE, context, status=status)


@require_safe
def proposal_detail(request, pk):
    return render_proposal_page(request, get_proposal(request, pk))


@require_http_methods(["GET", "HEAD", "POST"])
@participant_required
def proposal_create(request):
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        proposal = services.submit_proposal(request.user, form.save(commit=False))
        thanks = _("Thank you! Your proposal has been submitted.")
        messages.success(request, double_submit.notice(proposal, thanks))
        return redirect(proposal)
    status = UNPROCESSABLE if form.is_bound else 200
    return render(request, FORM_TEMPLATE, {"form": form}, status=status)


# --- Support ----------------------------------------------------------------------------

SUPPORT_ACTIONS = {
    "support": (services.support_proposal, gettext_lazy("You now support this proposal.")),
    "withdraw": (services.withdraw_support, gettext_lazy("You no longer support this proposal.")),
}


@vary_on_headers("HX-Request")
@require_POST
@participant_required
def proposal_support(request, pk):
    """Support or withdraw. The action is explicit, so a double submit changes nothing twice."""
    proposal = get_object_or_404(Proposal, pk=pk)
    form = SupportForm(request.POST)
    if not form.is_valid():
        return _support_answer(request, pk, error=_("Please choose to support or to withdraw."))
    change, notice = SUPPORT_ACTIONS[form.cleaned_data["action"]]
    try:
        change(request.user, proposal)
    except services.ProposalError as refusal:
        return _support_answer(request, pk, error=refusal.messages[0])
    return _support_answer(request, pk, notice=str(notice))


def _support_answer(request, pk, notice: str = "", error: str = ""):
    """The updated support box for htmx; otherwise back to the page (or the page with a 400)."""
    proposal = get_proposal(request, pk)
    if request.htmx:
        # htmx 2 swaps no 4xx answer: a refusal comes back as 200 with its message in the box.
        context = support_context(request, proposal, notice=notice, error=error)
        return render(request, f"{DETAIL_TEMPLATE}#support", context)
    if error:
        messages.error(request, error)
        return render_proposal_page(request, proposal, status=BAD_REQUEST)
    messages.success(request, notice)
    return redirect(proposal.get_absolute_url() + "#support")


# --- Following --------------------------------------------------------------------------


FOLLOW_NOTICES = {
    "follow": gettext_lazy(
        "You follow this proposal. You will be notified when its status changes."
    ),
    "unfollow": gettext_lazy("You no longer follow this proposal."),
}


@vary_on_headers("HX-Request")
@require_POST
@login_required
def proposal_follow(request, pk):
    """Follow a proposal to hear when its status changes; anyone with an account may."""
    return following.handle_follow(
        request,
        get_proposal(request, pk),
        follow=services.follow_proposal,
        unfollow=services.unfollow_proposal,
        is_following=services.is_following_proposal,
        follow_url=reverse("proposal-follow", kwargs={"pk": pk}),
        notices=FOLLOW_NOTICES,
    )


# --- Review -----------------------------------------------------------------------------


@require_POST
@participant_required
def proposal_review(request, pk):
    proposal = get_proposal(request, pk)
    if not services.can_review_proposals(request.user):
        raise PermissionDenied
    form = ProposalReviewForm(request.POST, proposal=proposal)
    if not form.is_valid():
        return render_proposal_page(request, proposal, UNPROCESSABLE, review_form=form)
    try:
        services.change_proposal_status(
            request.user, proposal, form.cleaned_data["status"], form.cleaned_data["reason"]
        )
    except services.ProposalError as refusal:
        form.add_error(None, refusal)
        return render_proposal_page(request, proposal, BAD_REQUEST, review_form=form)
    proposal = get_proposal(request, pk)
    messages.success(
        request,
        _("The proposal is now “%(status)s”.") % {"status": proposal.get_status_display()},
    )
    return redirect(proposal)
