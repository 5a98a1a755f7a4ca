"""Celery tasks of the marketplace; the logic lives in ``marketplace.notifications``."""

from celery import shared_task

from marketplace import notifications


@shared_task(name="marketplace.remind_overdue_projects", acks_late=True)
def remind_overdue_projects() -> int:
    """Daily: leads of projects past their end date and still running hear about it."""
    return notifications.remind_overdue_projects()
