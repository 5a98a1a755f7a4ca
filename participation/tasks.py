"""Celery tasks of participation; the logic lives in the modules they name."""

from celery import shared_task

from participation.services import reminders


@shared_task(name="participation.remind_pending_applications", acks_late=True)
def remind_pending_applications() -> int:
    """Daily: leads hear about applications waiting more than seven days."""
    return reminders.remind_pending_applications()
