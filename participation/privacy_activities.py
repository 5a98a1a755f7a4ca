"""The personal-data export and erasure of test rounds, feedback rounds and ideas.

A person's answers are exported in full. Erasing the account blanks what they
wrote in their own words (task notes, free-text answers), which might name
them; their choices, ratings and SUS answers stay, unlinked from any name, so
the aggregates already published do not change after the fact.
"""

from django.db.models import Q

from accounts.privacy import Rows, register_eraser, register_exporter
from participation.models import (
    Answer,
    Idea,
    IdeaQuestion,
    IdeaSupport,
    Response,
    Round,
    TaskOutcome,
)


@register_exporter("participation.round")
def export_rounds(user) -> Rows:
    """Rounds the person planned as a lead."""
    rows = Round.objects.filter(created_by=user).order_by("id")
    return list(rows.values("project__title", "kind", "title", "status", "created_at"))


@register_exporter("participation.response")
def export_responses(user) -> Rows:
    """Every answer the person gave, with the round it belongs to."""
    responses = (
        Response.objects.filter(respondent=user)
        .select_related("round__project")
        .prefetch_related("outcomes__task", "answers__question")
        .order_by("id")
    )
    return [
        {
            "project": response.round.project.title,
            "round": response.round.title,
            "answered_at": response.created_at,
            "sus_answers": response.sus_answers,
            "sus_score": response.sus_score,
            "tasks": [
                {
                    "task": outcome.task.title,
                    "outcome": outcome.outcome,
                    "difficulty": outcome.difficulty,
                    "notes": outcome.notes,
                }
                for outcome in response.outcomes.all()
            ],
            "answers": [
                {
                    "question": answer.question.text,
                    "text": answer.text,
                    "rating": answer.rating,
                    "choices": answer.chosen_options,
                }
                for answer in response.answers.all()
            ],
        }
        for response in responses
    ]


@register_eraser("participation.response")
def erase_own_words_in_responses(user) -> None:
    TaskOutcome.objects.filter(response__respondent=user).update(notes="")
    Answer.objects.filter(response__respondent=user).update(text="")
    Response.objects.filter(respondent=user).update(respondent=None)


@register_exporter("participation.ideaquestion")
def export_idea_questions(user) -> Rows:
    rows = IdeaQuestion.objects.filter(created_by=user).order_by("id")
    return list(rows.values("project__title", "title", "description", "created_at"))


@register_exporter("participation.idea")
def export_ideas(user) -> Rows:
    """Ideas the person posted, and ideas they answered as a lead."""
    rows = Idea.objects.filter(Q(author=user) | Q(answered_by=user)).order_by("id")
    return list(
        rows.values(
            "question__project__title",
            "question__title",
            "title",
            "text",
            "status",
            "reason",
            "created_at",
            "answered_at",
        )
    )


@register_exporter("participation.ideasupport")
def export_idea_supports(user) -> Rows:
    rows = IdeaSupport.objects.filter(supporter=user).order_by("id")
    return list(rows.values("idea__title", "created_at"))
