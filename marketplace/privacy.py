"""The marketplace's part of the personal-data export (see accounts.privacy)."""

from accounts.privacy import Rows, register_eraser, register_exporter
from marketplace.models import Project, ProjectFollow, ProjectUpdate


@register_exporter("marketplace.project")
def export_projects(user) -> Rows:
    """Projects the person leads or created; they stay public after an account is deleted."""
    projects = Project.objects.filter(leads=user) | Project.objects.filter(created_by=user)
    return list(
        projects.distinct()
        .order_by("id")
        .values("title", "slug", "status", "created_at", "created_by")
    )


@register_exporter("marketplace.projectfollow")
def export_project_follows(user) -> Rows:
    rows = ProjectFollow.objects.filter(follower=user).order_by("id")
    return list(rows.values("project__title", "created_at"))


@register_eraser("marketplace.projectfollow")
def erase_project_follows(user) -> None:
    # A deleted account hears nothing any more; following says nothing public.
    ProjectFollow.objects.filter(follower=user).delete()


@register_exporter("marketplace.projectupdate")
def export_project_updates(user) -> Rows:
    """Updates the person posted; they stay public after an account is deleted."""
    rows = ProjectUpdate.objects.filter(author=user).order_by("id")
    return list(rows.values("project__title", "title", "text", "phase", "created_at"))
