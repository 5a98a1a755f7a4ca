"""The aggregates of a round: what the team reads live and what closing publishes.

``results_of`` returns plain JSON values (no names, no texts), so closing a
round can store them as they are and the public pages, the project page and
open data read them back without touching a single answer. What only the team
sees, the comments and free texts, comes from ``team_details``.
"""

from collections import Counter
from decimal import Decimal
from statistics import median
from typing import Any

from participation.models import (
    HIGHEST_RATING,
    LOWEST_RATING,
    Answer,
    QuestionKind,
    Response,
    Round,
    TaskOutcome,
)

RATINGS = range(LOWEST_RATING, HIGHEST_RATING + 1)
# SUS scores fall into tenths of the scale: 0-9.9, 10-19.9, ..., 90-100.
SUS_BUCKETS = 10


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _one_decimal(value) -> float | None:
    return None if value is None else float(round(Decimal(str(value)), 1))


def sus_bucket(score: Decimal) -> int:
    return min(int(score // 10), SUS_BUCKETS - 1)


def _sus_summary(scores: list[Decimal]) -> dict:
    counts = Counter(sus_bucket(score) for score in scores)
    return {
        "count": len(scores),
        "mean": _one_decimal(sum(scores) / len(scores)) if scores else None,
        "median": _one_decimal(median(scores)) if scores else None,
        "distribution": [counts.get(bucket, 0) for bucket in range(SUS_BUCKETS)],
    }


def _task_summary(task, outcomes: list[dict]) -> dict:
    counts = Counter(row["outcome"] for row in outcomes)
    answered = len(outcomes)
    managed = counts["yes"] + counts["difficult"]
    difficulties = [row["difficulty"] for row in outcomes]
    return {
        "id": task.pk,
        "position": task.position,
        "title": task.title,
        "answers": answered,
        "yes": counts["yes"],
        "difficult": counts["difficult"],
        "no": counts["no"],
        "success_rate": _percent(managed, answered),
        "median_difficulty": _one_decimal(median(difficulties)) if difficulties else None,
    }


def _test_results(round_: Round) -> dict:
    tasks = list(round_.tasks.all())
    by_task: dict[int, list[Any]] = {task.pk: [] for task in tasks}
    for row in TaskOutcome.objects.filter(response__round=round_).values(
        "task_id", "outcome", "difficulty"
    ):
        by_task.setdefault(row["task_id"], []).append(row)
    scores = [
        score
        for score in Response.objects.filter(round=round_).values_list("sus_score", flat=True)
        if score is not None
    ]
    return {
        "tasks": [_task_summary(task, by_task[task.pk]) for task in tasks],
        "sus": _sus_summary(scores),
    }


def _question_summary(question, answers: list[dict]) -> dict:
    summary: dict = {
        "id": question.pk,
        "position": question.position,
        "text": question.text,
        "kind": question.kind,
        "answers": len(answers),
    }
    if question.kind == QuestionKind.RATING:
        ratings = [row["rating"] for row in answers]
        counts = Counter(ratings)
        summary["counts"] = [counts.get(value, 0) for value in RATINGS]
        summary["mean"] = _one_decimal(sum(ratings) / len(ratings)) if ratings else None
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        counts = Counter(index for row in answers for index in row["choices"])
        summary["options"] = list(question.options)
        summary["counts"] = [counts.get(index, 0) for index in range(len(question.options))]
    return summary


def _feedback_results(round_: Round) -> dict:
    questions = list(round_.questions.all())
    by_question: dict[int, list[Any]] = {question.pk: [] for question in questions}
    for row in Answer.objects.filter(response__round=round_).values(
        "question_id", "rating", "choices"
    ):
        by_question.setdefault(row["question_id"], []).append(row)
    return {
        "questions": [
            _question_summary(question, by_question[question.pk]) for question in questions
        ]
    }


def results_of(round_: Round) -> dict:
    """The aggregates of the round as they stand (four queries)."""
    results = _test_results(round_) if round_.is_test else _feedback_results(round_)
    results["respondents"] = Response.objects.filter(round=round_).count()
    return results


def team_details(round_: Round) -> dict:
    """What the team reads beside the aggregates: comments per task, texts per question.

    Names only where the round is not anonymous (one query).
    """
    by_step: dict[int, list[dict]] = {}
    if round_.is_test:
        rows = (
            TaskOutcome.objects.filter(response__round=round_)
            .exclude(notes="")
            .select_related("response__respondent")
            .order_by("task__position", "id")
        )
        for outcome in rows:
            by_step.setdefault(outcome.task_id, []).append(_detail(round_, outcome, outcome.notes))
    else:
        answers = (
            Answer.objects.filter(response__round=round_, question__kind=QuestionKind.TEXT)
            .exclude(text="")
            .select_related("response__respondent")
            .order_by("question__position", "id")
        )
        for answer in answers:
            by_step.setdefault(answer.question_id, []).append(_detail(round_, answer, answer.text))
    return by_step


def _detail(round_: Round, row, text: str) -> dict:
    person = row.response.respondent if round_.names_shown else None
    return {"text": text, "by": person.public_name if person else None}
