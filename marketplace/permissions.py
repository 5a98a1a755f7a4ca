"""Who may see and change projects; used by views and templates alike."""

from accounts.permissions import has_verified_email
from marketplace.models import ProjectStatus


def is_lead(user, project) -> bool:
    """Whether ``user`` leads ``project``; uses prefetched leads when there are any."""
    if not user.is_authenticated:
        return False
    return any(lead.pk == user.pk for lead in project.leads.all())


def can_create_project(user) -> bool:
    """Any verified employee may create a project and becomes its lead."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_employee or user.is_superuser)
        and has_verified_email(user)
    )


def can_view_project(user, project) -> bool:
    if project.status != ProjectStatus.DRAFT:
        return True
    return user.is_authenticated and (user.is_superuser or is_lead(user, project))


def can_edit_project(user, project) -> bool:
    """Leads and administrators edit; nobody else."""
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or is_lead(user, project))
    )


def sees_full_project(user, project) -> bool:
    """Internal projects show the public only title, department, status and the reason."""
    if not project.is_internal:
        return True
    return user.is_authenticated and (user.is_employee or user.is_superuser)
