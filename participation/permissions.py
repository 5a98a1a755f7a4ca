"""Who may decide, withdraw and end; used by views and templates alike."""

from marketplace.permissions import is_lead


def can_decide(user, application) -> bool:
    """Leads of the project and administrators decide on applications."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or is_lead(user, application.role.project)


def can_end_membership(user, membership) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.pk == membership.person_id or user.is_superuser or is_lead(user, membership.project)


def is_administrator(user) -> bool:
    """Administrators see the whole workload report and take snapshots by hand."""
    return user.is_authenticated and user.is_active and user.is_superuser
