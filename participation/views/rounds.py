"""A project's test and feedback rounds: the list, a round's page, and what leads do.

Drafts exist only for the project's leads (and administrators): anyone else
gets 404, as for a round of another project. The public sees open rounds and
the published aggregates of closed ones, never a person's answers.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from marketplace.models import Project
from marketplace.permissions import can_view_project, sees_full_project
from participation.forms.rounds import QuestionForm, RoundForm, TaskForm
from participation.models import Response, Round, RoundStatus
from participation.permissions import can_answer_round, can_run_activities
from participation.round_presentation import present
from participation.services import rounds as services
from participation.services.rounds import RoundError

LIST_TEMPLATE = "participation/rounds/round_list.html"
DETAIL_TEMPLATE = "participation/rounds/round_detail.html"
FORM_TEMPLATE = "participation/rounds/round_form.html"
ROUNDS_SHOWN = 50
CONFLICT = 409
UNPROCESSABLE = 422


def get_project(request, slug) -> Project:
    """The project, if the visitor may see its full page: else 404."""
    project = Project.objects.prefetch_related("leads").filter(slug=slug).first()
    if project is None or not can_view_project(request.user, project):
        raise Http404
    if not sees_full_project(request.user, project):
        raise Http404
    return project


def get_round(request, project, round_id) -> Round:
    """The round of this project; another project's id, or a draft for a non-lead, is 404."""
    round_ = Round.objects.filter(pk=round_id, project=project).first()
    if round_ is None:
        raise Http404
    if round_.status == RoundStatus.DRAFT and not can_run_activities(request.user, project):
        raise Http404
    round_.project = project
    return round_


def refuse(request, project, round_, error: RoundError, status=CONFLICT):
    """A request the round's state refuses: the round's page with the reason, and a 4xx."""
    messages.error(request, error.message)
    return _render_detail(request, project, round_, status=status)


@require_safe
def round_list(request, slug):
    project = get_project(request, slug)
    can_run = can_run_activities(request.user, project)
    queryset = Round.objects.filter(project=project)
    if not can_run:
        queryset = queryset.visible()
    rounds = list(queryset[:ROUNDS_SHOWN])
    for round_ in rounds:
        round_.project = project
    context = {
        "project": project,
        "open_rounds": [r for r in rounds if r.status == RoundStatus.OPEN],
        "closed_rounds": [r for r in rounds if r.status == RoundStatus.CLOSED],
        "draft_rounds": [r for r in rounds if r.status == RoundStatus.DRAFT],
        "can_run": can_run,
    }
    return render(request, LIST_TEMPLATE, context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_create(request, slug):
    project = get_project(request, slug)
    if not can_run_activities(request.user, project):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    initial = {"kind": request.GET.get("kind", "test")}
    form = RoundForm(data, instance=Round(project=project), initial=initial)
    if form.is_bound and form.is_valid():
        round_ = services.create_round(request.user, form.save(commit=False))
        messages.success(request, _("The round is saved as a draft. Add its steps below."))
        return redirect(round_)
    status = UNPROCESSABLE if form.is_bound else 200
    return render(request, FORM_TEMPLATE, {"form": form, "project": project}, status=status)


def _own_response(user, round_):
    if not user.is_authenticated:
        return None
    return (
        Response.objects.filter(round=round_, respondent=user)
        .prefetch_related("outcomes__task", "answers__question")
        .first()
    )


def _render_detail(request, project, round_, *, step_form=None, status=200):
    user = request.user
    can_run = can_run_activities(user, project)
    steps = list(round_.tasks.all() if round_.is_test else round_.questions.all())
    own = _own_response(user, round_)
    if can_run and round_.status == RoundStatus.DRAFT and step_form is None:
        step_form = TaskForm() if round_.is_test else QuestionForm()
    published = round_.published_results
    context = {
        "project": project,
        "round": round_,
        "steps": steps,
        "can_run": can_run,
        "step_form": step_form,
        "own": own,
        "may_answer": own is None and round_.accepts_answers and can_answer_round(user, round_),
        "results": present(round_, published) if published else None,
    }
    return render(request, DETAIL_TEMPLATE, context, status=status)


@require_safe
def round_detail(request, slug, round_id):
    project = get_project(request, slug)
    return _render_detail(request, project, get_round(request, project, round_id))


def _lead_round(request, slug, round_id):
    project = get_project(request, slug)
    round_ = get_round(request, project, round_id)
    if not can_run_activities(request.user, project):
        raise PermissionDenied
    return project, round_


@require_POST
@login_required
def task_add(request, slug, round_id):
    project, round_ = _lead_round(request, slug, round_id)
    form = TaskForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, project, round_, step_form=form, status=UNPROCESSABLE)
    try:
        services.add_task(request.user, round_, **form.cleaned_data)
    except RoundError as error:
        return refuse(request, project, round_, error)
    messages.success(request, _("The task is added."))
    return redirect(round_)


@require_POST
@login_required
def question_add(request, slug, round_id):
    project, round_ = _lead_round(request, slug, round_id)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, project, round_, step_form=form, status=UNPROCESSABLE)
    try:
        services.add_question(request.user, round_, **form.cleaned_data)
    except RoundError as error:
        return refuse(request, project, round_, error)
    messages.success(request, _("The question is added."))
    return redirect(round_)


@require_POST
@login_required
def round_open(request, slug, round_id):
    project, round_ = _lead_round(request, slug, round_id)
    try:
        services.open_round(request.user, round_)
    except RoundError as error:
        return refuse(request, project, round_, error)
    messages.success(request, _("The round is open. Its participants have been told."))
    return redirect(round_)


@require_POST
@login_required
def round_close(request, slug, round_id):
    project, round_ = _lead_round(request, slug, round_id)
    try:
        services.close_round(request.user, round_)
    except RoundError as error:
        return refuse(request, project, round_, error)
    messages.success(request, _("The round is closed and its results are published."))
    return redirect(round_)
