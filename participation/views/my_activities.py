"""On ``/me/``: the rounds a person answered and the ideas they posted, with their outcome."""

from participation.models import Idea, Response

SHOWN = 50


def dashboard_activities(user) -> dict:
    """Two queries, however many rounds and ideas there are."""
    responses = list(
        Response.objects.filter(respondent=user)
        .select_related("round__project")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    ideas = list(
        Idea.objects.filter(author=user)
        .select_related("question__project")
        .with_support_count()
        .order_by("-created_at", "-id")[:SHOWN]
    )
    return {"my_responses": responses, "my_ideas": ideas}
