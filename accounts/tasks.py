"""Celery tasks that email notifications; the logic lives in ``accounts.delivery``.

Every task is idempotent: it sends only rows still due, under a row lock, so a
task delivered twice (``acks_late`` redelivers after a lost worker) or running
beside the sweep sends each email once.
"""

from datetime import timedelta
from typing import Any

from celery import shared_task

from accounts import delivery

# Exponential backoff: about 1, 2, 4 … seconds, at most ten minutes, with jitter.
RETRYING: dict[str, Any] = {
    "autoretry_for": (delivery.DeliveryFailed,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}

# The task sent on commit normally wins; the sweep leaves fresh rows to it.
SWEEP_GRACE = timedelta(seconds=30)


@shared_task(name="accounts.deliver_event", **RETRYING)
def deliver_event(event_key: str) -> int:
    """Email everyone due for the event ``event_key``; called on commit by ``notify``."""
    return delivery.deliver(delivery.due_ids(event_key=event_key))


@shared_task(name="accounts.sweep_undelivered_notifications", acks_late=True)
def sweep_undelivered_notifications() -> int:
    """Every minute: send what is still due (the broker was away, SMTP failed, a worker died).

    A failure here is not retried by Celery: the next sweep is a minute away.
    """
    try:
        return delivery.deliver(delivery.due_ids(older_than=SWEEP_GRACE))
    except delivery.DeliveryFailed:
        return 0


@shared_task(name="accounts.send_notification_digests", **RETRYING)
def send_notification_digests() -> int:
    """Daily at 07:00 Europe/Berlin: one email per person with what waited for the digest."""
    return delivery.send_digests()
