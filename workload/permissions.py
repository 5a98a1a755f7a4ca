"""Who may do what in the workload report; used by views, admin and templates."""


def is_administrator(user) -> bool:
    """Administrators see the whole workload report and take snapshots by hand."""
    return user.is_authenticated and user.is_active and user.is_superuser
