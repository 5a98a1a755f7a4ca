"""Participation's sections on the marketplace's project page.

Registered in ``ParticipationConfig.ready`` (see ``marketplace.project_sections``):
the team's members and the link to its team space, what the visitor can do
about each role, and the comments. Each context costs a fixed number of queries.
"""

from marketplace.project_sections import ProjectSection, register_section
from participation.models import Idea, Membership, Round
from participation.permissions import sees_team_space
from participation.round_presentation import present
from participation.views.applications import participation_context_for_project
from participation.views.comment_section import SECTION_TEMPLATE, comments_context


def team_context(request, project) -> dict:
    """The running memberships, people and roles loaded (one query); alike for everyone."""
    members = list(
        Membership.objects.active()
        .filter(project=project)
        .select_related("person", "role")
        .order_by("role__title", "id")
    )
    return {"members": members}


def team_space_context(request, project) -> dict:
    """Whether the visitor may open the team space.

    No query for anonymous visitors, leads and administrators; one for the others
    (are they on the team?).
    """
    user = request.user
    if not user.is_authenticated or sees_team_space(user, project, members=[]):
        return {"team_space": user.is_authenticated}
    own = list(Membership.objects.active().filter(project=project, person=user))
    return {"team_space": sees_team_space(user, project, own)}


def joining_context(request, project) -> dict:
    """The roles the visitor has applied for or holds (two queries at most)."""
    return participation_context_for_project(request.user, project)


ROUNDS_ON_PAGE = 5
IDEAS_ON_PAGE = 5


def activities_context(request, project) -> dict:
    """The latest open and closed rounds and the latest answered ideas (two queries)."""
    rounds = list(Round.objects.filter(project=project).visible()[:ROUNDS_ON_PAGE])
    for round_ in rounds:
        round_.project = project
        if round_.published_results:
            round_.public_summary = _one_line(round_)
    ideas = list(
        Idea.objects.answered()
        .filter(question__project=project)
        .order_by("-answered_at", "-id")[:IDEAS_ON_PAGE]
    )
    return {"activity_rounds": rounds, "answered_ideas": ideas}


def _one_line(round_) -> str:
    """The results in a sentence: who took part, and the SUS score of a test round."""
    presented = present(round_, round_.published_results)
    first = presented["items"][0]["summary"] if round_.is_test and presented["items"] else ""
    return f"{presented['summary']} {first}".strip()


def comment_context(request, project) -> dict:
    return comments_context(request.user, project, page=request.GET.get("comments"))


register_section(
    ProjectSection(
        name="participation-team",
        templates={"team": "participation/project_sections/team_members.html"},
        context=team_context,
        order=10,
    )
)
register_section(
    ProjectSection(
        name="participation-team-space",
        templates={"after_team": "participation/project_sections/team_space.html"},
        context=team_space_context,
        order=10,
        personal=True,
    )
)
register_section(
    ProjectSection(
        name="participation-joining",
        templates={"role": "participation/includes/role_actions.html"},
        context=joining_context,
        order=10,
        personal=True,
    )
)
register_section(
    ProjectSection(
        name="participation-activities",
        templates={"end": "participation/project_sections/activities.html"},
        context=activities_context,
        order=5,
    )
)
register_section(
    ProjectSection(
        name="participation-comments",
        templates={"end": SECTION_TEMPLATE},
        context=comment_context,
        order=10,
        personal=True,
    )
)
