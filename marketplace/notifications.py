"""Who hears about what happens in the marketplace: followers, matching employees, leads."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

import accounts
from accounts import following
from accounts.models import Notification
from marketplace.models import Project, ProjectFollow, ProjectStatus, Role

Kind = Notification.Kind
# A project still running this many days after its end date is worth a weekly reminder.
REMINDER_INTERVAL_DAYS = 7
STILL_RUNNING = [ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS, ProjectStatus.PAUSED]


# --- Following ---------------------------------------------------------------


def follow(user, project: Project) -> bool:
    """Start following; True if this call did it (a double submit changes nothing)."""
    return following.start_following(ProjectFollow, user, project, project=project)


def unfollow(user, project: Project) -> bool:
    return following.stop_following(ProjectFollow, user, project, project=project)


def is_following(user, project: Project) -> bool:
    if not user.is_authenticated:
        return False
    return ProjectFollow.objects.filter(project=project, follower=user).exists()


def followers(project: Project):
    return get_user_model().objects.filter(project_follows__project=project, is_active=True)


# --- Roles that match someone's skills or interests --------------------------


def matching_employees(role: Role):
    """Active employees whose skills or wished-for skills meet the role's, leads excepted."""
    skills = list(role.skills.values_list("pk", flat=True))
    if not skills:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(kind="employee", is_active=True, deleted_at__isnull=True)
        .filter(Q(skills__in=skills) | Q(interests__in=skills))
        .exclude(led_projects=role.project_id)
        .distinct()
    )


def announce_role(role: Role) -> None:
    """Tell matching employees about an open employee role of a published project, once."""
    project = role.project
    if project.status == ProjectStatus.DRAFT or not role.is_open or not role.is_for_employees:
        return
    accounts.notify(
        matching_employees(role),
        Kind.ROLE_MATCH,
        f"role-match:{role.pk}",
        url=project.get_absolute_url(),
        role=role.title,
        project=project.title,
    )


def announce_roles(project: Project) -> None:
    for role in project.roles.filter(is_open=True).for_employees():
        announce_role(role)


# --- Reminders -----------------------------------------------------------------


def remind_overdue_projects(today: date | None = None) -> int:
    """Tell the leads of every project past its end date that is still running.

    Once a week per project: the week number since the end date is part of the
    event key, so running this twice a day repeats nothing.
    """
    today = today or timezone.localdate()
    overdue = (
        Project.objects.filter(status__in=STILL_RUNNING, ends_on__lt=today)
        .prefetch_related("leads")
        .order_by("pk")
    )
    reminded = 0
    for project in overdue.iterator(chunk_size=500):
        week = (today - project.ends_on).days // REMINDER_INTERVAL_DAYS
        reminded += accounts.notify(
            project.leads.all(),
            Kind.PROJECT_OVERDUE,
            f"project-overdue:{project.pk}:{project.ends_on.isoformat()}:{week}",
            url=reverse("project-detail", kwargs={"slug": project.slug}),
            project=project.title,
        )
    return reminded
