"""Celery tasks that email notifications; the logic lives in ``accounts.delivery``.

Every task is idempotent: it sends only rows still due, under a row lock, so a
task delivered twice (``acks_late`` redelivers after a lost worker) or running
beside the sweep sends each email once. Nobody reads their results
(``ignore_result``): the rows are the truth.

A failed email is not retried by Celery: the row records when it is due again
(``accounts.delivery_retries``), and the sweep, every minute, sends what is due.
So a retry survives a restart of Redis or of every worker, and retries go on
for days, not for the few minutes a task's backoff would last.
"""

import logging
from datetime import timedelta
from typing import Any

from celery import shared_task

from accounts import delivery

logger = logging.getLogger(__name__)

# The task sent on commit normally wins; the sweep leaves fresh rows to it.
SWEEP_GRACE = timedelta(seconds=30)

BACKGROUND: dict[str, Any] = {"acks_late": True, "ignore_result": True}


@shared_task(name="accounts.deliver_event", **BACKGROUND)
def deliver_event(event_key: str) -> int:
    """Email everyone due for the event ``event_key``; called on commit by ``notify``."""
    try:
        return delivery.deliver(delivery.due_ids(event_key=event_key))
    except delivery.DeliveryFailed as failure:
        logger.warning("Event %s: %s; the sweep tries again", event_key, failure)
        return 0


@shared_task(name="accounts.sweep_undelivered_notifications", **BACKGROUND)
def sweep_undelivered_notifications() -> int:
    """Every minute: send what is still due (broker away, SMTP failed, a worker died).

    Also retries the digests that failed. Returns how many emails went out.
    """
    sent = 0
    try:
        sent += delivery.deliver(delivery.due_ids(older_than=SWEEP_GRACE))
    except delivery.DeliveryFailed as failure:
        logger.warning("Sweep: %s", failure)
    try:
        sent += delivery.send_digests(retrying=True)
    except delivery.DeliveryFailed as failure:
        logger.warning("Sweep, digests: %s", failure)
    return sent


@shared_task(name="accounts.send_notification_digests", **BACKGROUND)
def send_notification_digests() -> int:
    """Daily at 07:00 Europe/Berlin: one email per person with what waited for the digest.

    Two beats sending this at once send each digest once: each person's rows are
    taken under a lock (``skip_locked``) and marked sent in the same transaction.
    A digest that fails is retried by the sweep.
    """
    try:
        return delivery.send_digests()
    except delivery.DeliveryFailed as failure:
        logger.warning("Digests: %s; the sweep tries again", failure)
        return 0
