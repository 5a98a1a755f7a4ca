"""A project's team space: retrospectives, action items and the anonymous feedback box.

Only the team (leads and running memberships) and administrators get in;
everyone else is refused with 403, whether the retrospective exists or not.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.query_numbers import page_or_404
from marketplace.models import Project
from marketplace.permissions import can_view_project
from participation.forms.retrospectives import ActionItemForm, RetrospectiveForm, TeamFeedbackForm
from participation.models import ActionItem, Retrospective, TeamFeedback
from participation.permissions import (
    can_read_team_feedback,
    can_run_retrospectives,
    can_send_team_feedback,
    can_tick_action_item,
    can_view_retrospectives,
)
from participation.services import retrospectives as services

LIST_TEMPLATE = "participation/retrospective_list.html"
DETAIL_TEMPLATE = "participation/retrospective_detail.html"
FORM_TEMPLATE = "participation/retrospective_form.html"
RETROSPECTIVES_PER_PAGE = 20
FEEDBACK_SHOWN = 50
OPEN_ITEMS_SHOWN = 100
BAD_REQUEST = 400
UNPROCESSABLE = 422


class DoneForm(forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )


def _get_project_for_team(request, slug) -> Project:
    project = Project.objects.prefetch_related("leads").filter(slug=slug).first()
    if project is None or not can_view_project(request.user, project):
        raise Http404
    if not can_view_retrospectives(request.user, project):
        raise PermissionDenied
    return project


def _get_retrospective(project, retrospective_id) -> Retrospective:
    """The retrospective of this project: another project's id is 404."""
    retrospective = get_object_or_404(Retrospective, pk=retrospective_id, project=project)
    retrospective.project = project
    return retrospective


def _safe_next(request) -> str | None:
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


# --- The team space ----------------------------------------------------------------


def _render_list(request, project, feedback_form=None, status=200):
    user = request.user
    paginator = Paginator(Retrospective.objects.filter(project=project), RETROSPECTIVES_PER_PAGE)
    page = page_or_404(paginator, request.GET.get("page"))
    open_items = list(
        ActionItem.objects.open()
        .filter(retrospective__project=project)
        .select_related("owner", "retrospective")[:OPEN_ITEMS_SHOWN]
    )
    for item in open_items:
        item.retrospective.project = project
        item.tickable = can_tick_action_item(user, item)
    can_send = can_send_team_feedback(user, project)
    context = {
        "project": project,
        "page_obj": page,
        "open_items": open_items,
        "can_run": can_run_retrospectives(user, project),
        "can_send_feedback": can_send,
        "feedback_form": feedback_form or (TeamFeedbackForm() if can_send else None),
        "feedback": (
            TeamFeedback.objects.filter(project=project)[:FEEDBACK_SHOWN]
            if can_read_team_feedback(user, project)
            else None
        ),
        "next": reverse("retrospective-list", args=[project.slug]),
    }
    return render(request, LIST_TEMPLATE, context, status=status)


@require_safe
@login_required
def retrospective_list(request, slug):
    return _render_list(request, _get_project_for_team(request, slug))


@require_POST
@login_required
def team_feedback(request, slug):
    project = _get_project_for_team(request, slug)
    if not can_send_team_feedback(request.user, project):
        raise PermissionDenied
    form = TeamFeedbackForm(request.POST)
    if not form.is_valid():
        return _render_list(request, project, feedback_form=form, status=UNPROCESSABLE)
    services.send_team_feedback(
        request.user, project, form.cleaned_data["text"], form.cleaned_data["language"]
    )
    messages.success(
        request, _("Thank you. Your feedback was sent to the leads without your name.")
    )
    return redirect("retrospective-list", slug=project.slug)


# --- Retrospectives ------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def retrospective_create(request, slug):
    project = _get_project_for_team(request, slug)
    if not can_run_retrospectives(request.user, project):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = RetrospectiveForm(data, project=project, instance=Retrospective(project=project))
    if form.is_bound and form.is_valid():
        retrospective = services.create_retrospective(request.user, form.save(commit=False))
        messages.success(request, _("The retrospective is saved. Add its action items below."))
        return redirect(retrospective)
    status = UNPROCESSABLE if form.is_bound else 200
    return render(request, FORM_TEMPLATE, {"form": form, "project": project}, status=status)


def _render_detail(request, project, retrospective, action_form=None, status=200):
    user = request.user
    can_run = can_run_retrospectives(user, project)
    if can_run and action_form is None:
        action_form = ActionItemForm(team=services.team_people(project))
    items = list(retrospective.action_items.select_related("owner"))
    for item in items:
        item.retrospective = retrospective
        item.tickable = can_tick_action_item(user, item)
    context = {
        "project": project,
        "retrospective": retrospective,
        "items": items,
        "can_run": can_run,
        "action_form": action_form,
        "next": retrospective.get_absolute_url(),
    }
    return render(request, DETAIL_TEMPLATE, context, status=status)


@require_safe
@login_required
def retrospective_detail(request, slug, retrospective_id):
    project = _get_project_for_team(request, slug)
    return _render_detail(request, project, _get_retrospective(project, retrospective_id))


@require_POST
@login_required
def action_item_create(request, slug, retrospective_id):
    project = _get_project_for_team(request, slug)
    retrospective = _get_retrospective(project, retrospective_id)
    if not can_run_retrospectives(request.user, project):
        raise PermissionDenied
    form = ActionItemForm(request.POST, team=services.team_people(project))
    if not form.is_valid():
        return _render_detail(request, project, retrospective, form, status=UNPROCESSABLE)
    services.add_action_item(
        request.user,
        retrospective,
        text=form.cleaned_data["text"],
        owner=form.cleaned_data["owner"],
    )
    messages.success(request, _("The action item is added."))
    return redirect(retrospective)


@require_POST
@login_required
def action_item_done(request, pk):
    item = get_object_or_404(
        ActionItem.objects.select_related("retrospective__project").prefetch_related(
            "retrospective__project__leads"
        ),
        pk=pk,
    )
    if not can_tick_action_item(request.user, item):
        raise PermissionDenied
    form = DoneForm(request.POST)
    if not form.is_valid():
        return render(request, "400.html", status=BAD_REQUEST)
    item = services.set_action_item_done(request.user, item, form.cleaned_data["done"])
    if item.is_done:
        messages.success(request, _("The action item is done."))
    else:
        messages.success(request, _("The action item is open again."))
    return redirect(_safe_next(request) or item.retrospective.get_absolute_url())


# --- On the dashboard ------------------------------------------------------------------


def dashboard_action_items(user) -> dict:
    """The open action items of every team ``user`` belongs to, for ``/me/`` (two queries)."""
    items = list(
        ActionItem.objects.open()
        .in_teams_of(user)
        .select_related("owner", "retrospective__project")
        .prefetch_related("retrospective__project__leads")
        .order_by("retrospective__project__title", "created_at", "id")[:OPEN_ITEMS_SHOWN]
    )
    for item in items:
        item.tickable = can_tick_action_item(user, item)
    return {"team_action_items": items}
