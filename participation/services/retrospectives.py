"""Retrospectives, action items and the anonymous feedback box. Views call these."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts import audit
from accounts.content_language import DEFAULT_CONTENT_LANGUAGE
from accounts.models import User
from participation.models import ActionItem, Membership, Retrospective, TeamFeedback
from participation.permissions import (
    can_run_retrospectives,
    can_send_team_feedback,
    can_tick_action_item,
)


def team_people(project):
    """The people of the project's team: its leads and everyone with a running membership."""
    running = Membership.objects.active().filter(project=project).values("person")
    return (
        User.objects.filter(Q(led_projects=project) | Q(pk__in=running))
        .distinct()
        .order_by("display_name", "id")
    )


@transaction.atomic
def create_retrospective(user, retrospective: Retrospective) -> Retrospective:
    """Save a validated, unsaved retrospective; a double submit finds the first one."""
    if not can_run_retrospectives(user, retrospective.project):
        raise PermissionDenied
    try:
        with transaction.atomic():
            retrospective.save()
    except IntegrityError:
        return Retrospective.objects.get(
            project=retrospective.project,
            iteration=retrospective.iteration,
            held_on=retrospective.held_on,
        )
    audit.record(user, "retrospective.created", retrospective, project=retrospective.project_id)
    return retrospective


@transaction.atomic
def add_action_item(user, retrospective: Retrospective, *, text: str, owner) -> ActionItem:
    if not can_run_retrospectives(user, retrospective.project):
        raise PermissionDenied
    # Lock the retrospective, so that a double submit finds the first item.
    Retrospective.objects.select_for_update().get(pk=retrospective.pk)
    item, created = ActionItem.objects.get_or_create(
        retrospective=retrospective, text=text, owner=owner
    )
    if created:
        audit.record(user, "action_item.created", item, retrospective=retrospective.pk)
    return item


@transaction.atomic
def set_action_item_done(user, item: ActionItem, done: bool) -> ActionItem:
    """Tick an item off or open it again; sending the same state twice changes nothing."""
    if not can_tick_action_item(user, item):
        raise PermissionDenied
    item = ActionItem.objects.select_for_update().select_related("retrospective").get(pk=item.pk)
    if item.is_done == done:
        return item
    item.is_done = done
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["is_done", "done_at"])
    audit.record(user, "action_item.done" if done else "action_item.reopened", item)
    return item


@transaction.atomic
def send_team_feedback(user, project, text: str, language: str = DEFAULT_CONTENT_LANGUAGE) -> None:
    """Store feedback for the leads without any trace of who sent it.

    ``user`` is asked only whether they belong to the team; it is not stored,
    not written to the audit trail (its event has no actor) and not logged.
    Returns nothing, so no caller can link the row to the person by accident.
    """
    if not can_send_team_feedback(user, project):
        raise PermissionDenied
    # The row lock makes a double submit wait for the first, then find its row.
    type(project).objects.select_for_update().get(pk=project.pk)
    today = timezone.localdate()
    if TeamFeedback.objects.filter(project=project, text=text, received_on=today).exists():
        return  # a double submit
    TeamFeedback.objects.create(project=project, text=text, received_on=today, language=language)
    audit.record(None, "team_feedback.received", project)
