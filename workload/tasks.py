"""Celery tasks of the workload report; the logic lives in ``workload.snapshots``."""

from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from workload import snapshots


@shared_task(
    name="workload.take_monthly_workload_snapshot",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
    ignore_result=True,
)
def take_monthly_workload_snapshot(reference_date: str | None = None) -> int:
    """Take the scheduled snapshot of ``reference_date`` (ISO, default today); safe to run twice."""
    day = date.fromisoformat(reference_date) if reference_date else timezone.localdate()
    snapshot, _taken = snapshots.take_scheduled_snapshot(day)
    return snapshot.pk
