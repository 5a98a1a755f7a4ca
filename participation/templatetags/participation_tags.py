"""Participation on pages of other apps.

The marketplace never imports participation in Python; its project page loads
these tags instead, so joining and comments appear where people look for them.
"""

from django import template

from marketplace.permissions import is_lead
from participation.models import Membership
from participation.views.applications import participation_context_for_project
from participation.views.comments import comments_context

register = template.Library()


@register.simple_tag(takes_context=True)
def joining_state(context, project) -> dict:
    """The roles the visitor has applied for or is a member in (two queries at most)."""
    return participation_context_for_project(context["user"], project)


@register.simple_tag
def team_members(project) -> list:
    """The running memberships of ``project``, people and roles loaded (one query)."""
    return list(
        Membership.objects.active()
        .filter(project=project)
        .select_related("person", "role")
        .order_by("role__title", "id")
    )


@register.inclusion_tag("participation/includes/comments.html", takes_context=True)
def comment_section(context, target):
    return {
        **comments_context(context["user"], target),
        "request": context.get("request"),
        "user": context["user"],
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def sees_team_space(context, project, members) -> bool:
    """Whether the visitor may open the team space; ``members`` from ``team_members`` (no query)."""
    user = context["user"]
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        user.is_superuser
        or is_lead(user, project)
        or any(membership.person_id == user.pk for membership in members)
    )
