"""Answering a round, and the team's view of the raw results (page and CSV)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from participation.forms.rounds import FeedbackResponseForm, TestResponseForm
from participation.models import Answer, Response, RoundStatus, TaskOutcome
from participation.permissions import can_answer_round, can_run_activities
from participation.round_presentation import present
from participation.services import rounds as services
from participation.services.round_results import results_of, team_details
from participation.services.rounds import AlreadyAnswered, RoundError
from participation.views.rounds import CONFLICT, UNPROCESSABLE, get_project, get_round, refuse

ANSWER_TEMPLATE = "participation/rounds/round_answer.html"
RESULTS_TEMPLATE = "participation/rounds/round_results.html"
GONE = 410


def _form(round_, steps, data=None):
    if round_.is_test:
        return TestResponseForm(data, tasks=steps)
    return FeedbackResponseForm(data, questions=steps)


def _refusal_status(error: RoundError) -> int:
    return CONFLICT if isinstance(error, AlreadyAnswered) else GONE


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_answer(request, slug, round_id):
    project = get_project(request, slug)
    round_ = get_round(request, project, round_id)
    if not can_answer_round(request.user, round_):
        raise PermissionDenied
    steps = list(round_.tasks.all() if round_.is_test else round_.questions.all())
    form = _form(round_, steps, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            if round_.is_test:
                services.submit_test_response(
                    request.user, round_, form.outcomes(), form.sus_answers()
                )
            else:
                services.submit_feedback_response(request.user, round_, form.values())
        except RoundError as error:
            return refuse(request, project, round_, error, status=_refusal_status(error))
        messages.success(request, _("Thank you. Your answers are saved."))
        return redirect(round_)
    if not form.is_bound and not round_.accepts_answers:
        closed = RoundError(_("This round is closed: it takes no more answers."))
        return refuse(request, project, round_, closed, status=GONE)
    if not form.is_bound and Response.objects.filter(round=round_, respondent=request.user):
        messages.info(request, _("You have already answered this round; your answers are below."))
        return redirect(round_)
    status = UNPROCESSABLE if form.is_bound else 200
    context = {"project": project, "round": round_, "form": form}
    return render(request, ANSWER_TEMPLATE, context, status=status)


def _team_round(request, slug, round_id):
    project = get_project(request, slug)
    round_ = get_round(request, project, round_id)
    if not can_run_activities(request.user, project):
        raise PermissionDenied
    return project, round_


@require_safe
@login_required
def round_results(request, slug, round_id):
    """The team's live results: aggregates, comments per task, texts per question."""
    project, round_ = _team_round(request, slug, round_id)
    results = round_.published_results or results_of(round_)
    details = team_details(round_)
    presented = present(round_, results)
    steps = results["tasks"] if round_.is_test else results["questions"]
    for item, step in zip(presented["items"][1 if round_.is_test else 0 :], steps, strict=True):
        item["details"] = details.get(step["id"], [])
    context = {
        "project": project,
        "round": round_,
        "results": presented,
        "is_live": round_.status != RoundStatus.CLOSED,
    }
    return render(request, RESULTS_TEMPLATE, context)


class _Echo:
    def write(self, value):
        return value


def _test_rows(round_):
    yield ["response", "person", "task", "outcome", "difficulty", "notes", "sus_score"]
    outcomes = (
        TaskOutcome.objects.filter(response__round=round_)
        .select_related("task", "response__respondent")
        .order_by("response_id", "task__position")
        .iterator(chunk_size=500)
    )
    for outcome in outcomes:
        response = outcome.response
        yield [
            response.pk,
            _person(round_, response),
            outcome.task.title,
            outcome.outcome,
            outcome.difficulty,
            outcome.notes,
            response.sus_score,
        ]


def _feedback_rows(round_):
    yield ["response", "person", "question", "text", "rating", "choices"]
    answers = (
        Answer.objects.filter(response__round=round_)
        .select_related("question", "response__respondent")
        .order_by("response_id", "question__position")
        .iterator(chunk_size=500)
    )
    for answer in answers:
        options = answer.question.options
        chosen = [options[index] for index in answer.choices if index < len(options)]
        yield [
            answer.response_id,
            _person(round_, answer.response),
            answer.question.text,
            answer.text,
            answer.rating or "",
            " | ".join(chosen),
        ]


def _person(round_, response: Response) -> str:
    if not round_.names_shown or response.respondent is None:
        return ""
    return str(response.respondent.public_name)


@require_safe
@login_required
def round_results_csv(request, slug, round_id):
    """Every answer as a row, for the team; names only where the round is not anonymous."""
    _project, round_ = _team_round(request, slug, round_id)
    rows = _test_rows(round_) if round_.is_test else _feedback_rows(round_)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}.csv"'
    return response
