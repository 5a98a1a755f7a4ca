"""Celery tasks of participation; the logic lives in the modules they name."""

from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from participation import workload
from participation.services import reminders


@shared_task(
    name="participation.take_monthly_workload_snapshot",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def take_monthly_workload_snapshot(reference_date: str | None = None) -> int:
    """Take the scheduled snapshot of ``reference_date`` (ISO, default today); safe to run twice."""
    day = date.fromisoformat(reference_date) if reference_date else timezone.localdate()
    snapshot, _taken = workload.take_scheduled_snapshot(day)
    return snapshot.pk


@shared_task(name="participation.remind_pending_applications", acks_late=True)
def remind_pending_applications() -> int:
    """Daily: leads hear about applications waiting more than seven days."""
    return reminders.remind_pending_applications()
