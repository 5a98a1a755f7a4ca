"""Who may decide, withdraw, end and take part in retrospectives; used by views and templates."""

from marketplace.permissions import is_lead
from participation.models import Membership


def can_decide(user, application) -> bool:
    """Leads of the project and administrators decide on applications."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or is_lead(user, application.role.project)


def can_end_membership(user, membership) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.pk == membership.person_id or user.is_superuser or is_lead(user, membership.project)


# --- Retrospectives and team feedback ----------------------------------------------


def is_team_member(user, project) -> bool:
    """Leads and people with a running membership form the team."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_lead(user, project):
        return True
    return Membership.objects.active().filter(project=project, person=user).exists()


def sees_team_space(user, project, members) -> bool:
    """Whether ``user`` may open the team space; ``members`` the project's running
    memberships, already loaded (no query). The same people as ``can_view_retrospectives``.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        user.is_superuser
        or is_lead(user, project)
        or any(membership.person_id == user.pk for membership in members)
    )


def can_view_retrospectives(user, project) -> bool:
    """The team and administrators; nobody else, not even other employees."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or is_team_member(user, project)


def can_run_retrospectives(user, project) -> bool:
    """Leads (and administrators) record retrospectives and their action items."""
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or is_lead(user, project))
    )


def can_send_team_feedback(user, project) -> bool:
    return is_team_member(user, project)


def can_read_team_feedback(user, project) -> bool:
    """The feedback is for the leads."""
    return user.is_authenticated and user.is_active and is_lead(user, project)


def can_tick_action_item(user, item) -> bool:
    """The owner ticks off their own item; leads and administrators any of the project's."""
    if not (user.is_authenticated and user.is_active):
        return False
    return item.owner_id == user.pk or can_run_retrospectives(user, item.retrospective.project)


# --- Test rounds, feedback rounds and ideas -------------------------------------------


def can_run_activities(user, project) -> bool:
    """Leads (and administrators) open, close and read the raw results of rounds and ideas."""
    return can_run_retrospectives(user, project)


def holds_public_role(user, project, public_kind: str) -> bool:
    """Whether ``user`` is an accepted (running) member of the project in a role of that kind."""
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        Membership.objects.active()
        .filter(project=project, person=user, role__public_kind=public_kind)
        .exists()
    )


def may_take_part(user, project, audience: str, public_kind: str) -> bool:
    """Everyone signed in where the audience is open, else the accepted members of that kind."""
    if not (user.is_authenticated and user.is_active):
        return False
    if audience == "signed_in":
        return True
    return holds_public_role(user, project, public_kind)


def can_answer_round(user, round_) -> bool:
    return may_take_part(user, round_.project, round_.audience, round_.role_kind)


def can_post_idea(user, question) -> bool:
    return may_take_part(user, question.project, question.audience, "ideas")
