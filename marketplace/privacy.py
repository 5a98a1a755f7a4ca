"""The marketplace's part of the personal-data export (see accounts.privacy)."""

from accounts.privacy import register_exporter
from marketplace.models import Project


@register_exporter("marketplace.project")
def export_projects(user) -> list[dict]:
    """Projects the person leads or created; they stay public after an account is deleted."""
    projects = Project.objects.filter(leads=user) | Project.objects.filter(created_by=user)
    return list(
        projects.distinct()
        .order_by("id")
        .values("title", "slug", "status", "created_at", "created_by")
    )
