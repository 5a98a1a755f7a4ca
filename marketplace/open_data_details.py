"""What the public page of a project shows of its roles and updates, as records.

The read API answers for one project with its row of open data
(``open_data.project_row``) and these. The same rules hold: nothing of an
internal project beyond its row, and of people only the public display name
that the page shows beside an update.
"""

from django.db.models import Prefetch

from marketplace.models import Project, ProjectUpdate, Role
from marketplace.open_data import project_row, public_projects
from marketplace.text import plain_text

UPDATES_SHOWN = 20  # as many as the project page's timeline


def public_project_with_details(slug: str) -> Project | None:
    """The published project with ``slug`` and what its page shows, in a fixed number of queries."""
    roles = Role.objects.prefetch_related("skills").order_by("created_at", "id")
    updates = ProjectUpdate.objects.select_related("author").order_by("-created_at", "-id")
    return (
        public_projects()
        .prefetch_related(
            Prefetch("roles", queryset=roles),
            Prefetch("updates", queryset=updates[:UPDATES_SHOWN], to_attr="recent_updates"),
        )
        .filter(slug=slug)
        .first()
    )


def role_state(role: Role) -> str:
    if not role.is_open:
        return "closed"
    return "filled" if role.filled_seats >= role.seats else "open"


def role_row(role: Role) -> dict:
    for_employees = role.audience == Role.Audience.EMPLOYEES
    return {
        "id": role.pk,
        "title": role.title,
        "language": role.language,
        "description": plain_text(role.description),
        "audience": role.audience,
        "hours_per_week": role.hours_per_week if for_employees else None,
        "public_kind": None if for_employees else role.public_kind,
        "seats": role.seats,
        "state": role_state(role),
        "skills": sorted(skill.slug for skill in role.skills.all()),
    }


def update_row(update: ProjectUpdate) -> dict:
    return {
        "id": update.pk,
        "title": update.title,
        "language": update.language,
        "text": plain_text(update.text),
        "phase": update.phase or None,
        "author": str(update.author.public_name) if update.author else None,
        "posted_at": update.created_at,
    }


def project_details_row(project: Project) -> dict:
    """The open-data row, and for a project that is not internal its roles and updates."""
    row = project_row(project)
    if project.is_internal:
        return {**row, "roles": None, "updates": None}
    return {
        **row,
        "roles": [role_row(role) for role in project.roles.all()],
        # ``recent_updates`` is the prefetch of ``public_project_with_details``.
        "updates": [update_row(update) for update in getattr(project, "recent_updates", [])],
    }
