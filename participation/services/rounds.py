"""Test rounds and feedback rounds: drafting, opening, answering, closing. Views call these.

Every change writes an audit event. The answers of an anonymous round are
audited without an actor: the row that keeps a second answer out is the only
place that knows who answered, and the team never sees it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

import accounts
from accounts import audit, double_submit
from accounts.models import Notification, User
from participation.models import (
    CHOICE_KINDS,
    HIGHEST_RATING,
    LOWEST_RATING,
    ROUND_STATUS_TIMESTAMPS,
    ROUND_TRANSITIONS,
    Answer,
    Membership,
    Question,
    QuestionKind,
    Response,
    Round,
    RoundStatus,
    RoundTask,
    TaskOutcome,
)
from participation.permissions import can_answer_round, can_run_activities
from participation.services.applications import ParticipationError
from participation.services.round_results import results_of

SUS_ITEMS = 10


class RoundError(ParticipationError):
    """A request about a round that its state refuses (closed, still a draft, ...)."""


class AlreadyAnswered(RoundError):
    """The person has answered this round before: their first answers are kept."""


def sus_score(answers: list[int]) -> Decimal:
    """The System Usability Scale score (0-100) of ten answers from 1 to 5.

    Brooke's scoring: odd statements (positive) count answer - 1, even ones
    (negative) 5 - answer; the sum (0-40) times 2.5.
    """
    if len(answers) != SUS_ITEMS or any(
        not isinstance(value, int) or not LOWEST_RATING <= value <= HIGHEST_RATING
        for value in answers
    ):
        raise RoundError(_("Answer each of the ten statements with a value from 1 to 5."))
    total = sum(
        value - 1 if number % 2 == 1 else 5 - value for number, value in enumerate(answers, 1)
    )
    return Decimal(total) * Decimal("2.5")


# --- Drafting ------------------------------------------------------------------------


def _check_lead(user, round_or_project) -> None:
    project = getattr(round_or_project, "project", round_or_project)
    if not can_run_activities(user, project):
        raise PermissionDenied


def _check_draft(round_: Round) -> None:
    if round_.status != RoundStatus.DRAFT:
        raise RoundError(_("Tasks and questions can only be changed while the round is a draft."))


@transaction.atomic
def create_round(user, round_: Round) -> Round:
    """Save a validated, unsaved round as a draft; a double submit finds the first one."""
    _check_lead(user, round_.project)
    double_submit.lock_person(user)
    repeat = double_submit.find_repeat(
        Round.objects.filter(project=round_.project),
        created_by=user,
        kind=round_.kind,
        title=round_.title,
    )
    if repeat is not None:
        return repeat
    round_.created_by = user
    round_.status = RoundStatus.DRAFT
    round_.phase = round_.project.phase
    round_.save()
    audit.record(user, "round.created", round_, project=round_.project_id, kind=round_.kind)
    return round_


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def add_task(user, round_: Round, *, title: str, instructions: str = "") -> RoundTask:
    _check_lead(user, round_)
    round_ = Round.objects.select_for_update().select_related("project").get(pk=round_.pk)
    _check_draft(round_)
    if not round_.is_test:
        raise RoundError(_("Only test rounds have tasks."))
    repeat = double_submit.find_repeat(round_.tasks.all(), title=title, instructions=instructions)
    if repeat is not None:
        return repeat
    task = RoundTask.objects.create(
        round=round_,
        position=_next_position(round_.tasks.all()),
        title=title,
        instructions=instructions,
    )
    audit.record(user, "round.task_added", round_, task=task.pk)
    return task


@transaction.atomic
def add_question(
    user, round_: Round, *, text: str, kind: str, is_required: bool, options: list[str]
) -> Question:
    _check_lead(user, round_)
    round_ = Round.objects.select_for_update().select_related("project").get(pk=round_.pk)
    _check_draft(round_)
    if round_.is_test:
        raise RoundError(_("Only feedback rounds have a questionnaire."))
    if (kind in CHOICE_KINDS) != bool(options):
        raise RoundError(_("Choice questions need options; other questions take none."))
    repeat = double_submit.find_repeat(round_.questions.all(), text=text, kind=kind)
    if repeat is not None:
        return repeat
    question = Question.objects.create(
        round=round_,
        position=_next_position(round_.questions.all()),
        text=text,
        kind=kind,
        is_required=is_required,
        options=options,
    )
    audit.record(user, "round.question_added", round_, question=question.pk)
    return question


# --- Opening and closing -----------------------------------------------------------------


def _move(user, round_: Round, status: str) -> bool:
    """Apply one allowed transition (locked); False when the round is there already."""
    if round_.status == status:
        return False
    if status not in ROUND_TRANSITIONS[RoundStatus(round_.status)]:
        raise RoundError(_("This round cannot be moved to that state."))
    round_.status = status
    setattr(round_, ROUND_STATUS_TIMESTAMPS[RoundStatus(status)], timezone.now())
    return True


def _locked(round_: Round) -> Round:
    locked = Round.objects.select_for_update().select_related("project").get(pk=round_.pk)
    return locked


@transaction.atomic
def open_round(user, round_: Round) -> Round:
    """Open a draft for answers and tell the people it is for."""
    _check_lead(user, round_)
    round_ = _locked(round_)
    steps = round_.tasks if round_.is_test else round_.questions
    if round_.status == RoundStatus.DRAFT and not steps.exists():
        raise RoundError(
            _("Add at least one task before opening the round.")
            if round_.is_test
            else _("Add at least one question before opening the round.")
        )
    if round_.past_deadline:
        raise RoundError(_("The date until which the round is open has passed already."))
    if not _move(user, round_, RoundStatus.OPEN):
        return round_
    round_.save(update_fields=["status", "opened_at"])
    audit.record(user, "round.opened", round_)
    _notify_round(round_, Notification.Kind.ROUND_OPENED, _invited(round_), "opened")
    return round_


@transaction.atomic
def close_round(user, round_: Round) -> Round:
    """Close the round and publish its aggregates; those who answered hear of it."""
    _check_lead(user, round_)
    round_ = _locked(round_)
    if not _move(user, round_, RoundStatus.CLOSED):
        return round_
    round_.published_results = results_of(round_)
    round_.save(update_fields=["status", "closed_at", "published_results"])
    audit.record(user, "round.closed", round_, respondents=round_.published_results["respondents"])
    respondents = User.objects.filter(round_responses__round=round_)
    _notify_round(round_, Notification.Kind.ROUND_RESULTS, respondents, "results")
    return round_


def _invited(round_: Round):
    """The project's accepted members in the round's kind of role: those who are asked."""
    running = Membership.objects.active().filter(
        project=round_.project, role__public_kind=round_.role_kind
    )
    return User.objects.filter(pk__in=running.values("person"))


def _notify_round(round_: Round, kind: str, recipients, event: str) -> None:
    accounts.notify(
        recipients,
        kind,
        f"round:{round_.pk}:{event}",
        url=round_.get_absolute_url(),
        project=round_.project.title,
        round=round_.title,
        round_kind=round_.kind,
    )


# --- Answering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskAnswer:
    task_id: int
    outcome: str
    difficulty: int
    notes: str = ""


def _check_may_answer(user, round_: Round) -> None:
    if not can_answer_round(user, round_):
        raise PermissionDenied
    if not round_.accepts_answers:
        raise RoundError(_("This round is closed: it takes no more answers."))
    if Response.objects.filter(round=round_, respondent=user).exists():
        raise AlreadyAnswered(
            _("You have already answered this round. Your first answers are kept.")
        )


def _new_response(user, round_: Round, **fields) -> Response:
    try:
        with transaction.atomic():
            return Response.objects.create(round=round_, respondent=user, **fields)
    except IntegrityError:  # a parallel submit of the same person won
        raise AlreadyAnswered(
            _("You have already answered this round. Your first answers are kept.")
        ) from None


def _audit_answer(user, round_: Round, response: Response) -> None:
    actor = None if round_.is_anonymous else user
    audit.record(actor, "round.answered", round_, response=response.pk)


@transaction.atomic
def submit_test_response(user, round_: Round, outcomes: list[TaskAnswer], sus: list[int]):
    """Record a tester's outcome for every task of the round and their SUS answers."""
    round_ = _locked(round_)
    _check_may_answer(user, round_)
    task_ids = set(round_.tasks.values_list("pk", flat=True))
    if {answer.task_id for answer in outcomes} != task_ids or len(outcomes) != len(task_ids):
        raise RoundError(_("Record an outcome for every task of this round, and only for those."))
    for answer in outcomes:
        if answer.outcome not in TaskOutcome.Outcome.values:
            raise RoundError(_("Choose whether you managed the task."))
        if not LOWEST_RATING <= answer.difficulty <= HIGHEST_RATING:
            raise RoundError(_("Rate how hard the task was from 1 to 5."))
    score = sus_score(sus)
    response = _new_response(user, round_, sus_answers=sus, sus_score=score)
    TaskOutcome.objects.bulk_create(
        TaskOutcome(
            response=response,
            task_id=answer.task_id,
            outcome=answer.outcome,
            difficulty=answer.difficulty,
            notes=answer.notes,
        )
        for answer in outcomes
    )
    _audit_answer(user, round_, response)
    return response


def _answer_row(response: Response, question: Question, value) -> Answer | None:
    """The row for one answer, or None for an optional question left out."""
    empty = value in (None, "", [])
    if empty:
        if question.is_required:
            raise RoundError(_("Answer every required question."))
        return None
    if question.kind == QuestionKind.TEXT:
        return Answer(response=response, question=question, text=str(value))
    if question.kind == QuestionKind.RATING:
        if not isinstance(value, int) or not LOWEST_RATING <= value <= HIGHEST_RATING:
            raise RoundError(_("A rating goes from 1 to 5."))
        return Answer(response=response, question=question, rating=value)
    chosen = sorted(set(value if isinstance(value, list) else [value]))
    if question.kind == QuestionKind.SINGLE and len(chosen) != 1:
        raise RoundError(_("Choose one option."))
    if any(
        not isinstance(index, int) or not 0 <= index < len(question.options) for index in chosen
    ):
        raise RoundError(_("Choose among the options given."))
    return Answer(response=response, question=question, choices=chosen)


@transaction.atomic
def submit_feedback_response(user, round_: Round, values: dict[int, object]) -> Response:
    """Record the answers to a feedback round: ``values`` maps question ids to answers."""
    round_ = _locked(round_)
    _check_may_answer(user, round_)
    questions = list(round_.questions.all())
    if set(values) - {question.pk for question in questions}:
        raise RoundError(_("These answers belong to questions of another round."))
    response = _new_response(user, round_)
    rows = [_answer_row(response, question, values.get(question.pk)) for question in questions]
    Answer.objects.bulk_create(row for row in rows if row is not None)
    _audit_answer(user, round_, response)
    return response
