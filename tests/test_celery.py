"""Celery against the real broker: a task goes through Redis to a worker process and back."""

import uuid

import pytest
from django.conf import settings

from config.celery import app, ping
from tests.celery_worker import running_worker


@pytest.fixture(scope="module")
def celery_worker_process():
    """A real `celery worker` process, listening on a queue of its own."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no broker to send tasks through")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with running_worker(queue):
        yield queue


def test_tasks_run_eagerly_without_a_broker(settings):
    if settings.REDIS_URL:
        assert app.conf.task_always_eager is False
    else:
        assert ping.delay().get(timeout=5) == "pong"


@pytest.mark.celery_worker
def test_a_task_travels_through_redis_to_a_real_worker(celery_worker_process):
    assert app.conf.broker_url.startswith("redis://")
    result = ping.apply_async(queue=celery_worker_process)
    assert result.get(timeout=60) == "pong"
    assert result.successful()


def test_the_beat_schedule_runs_sweep_digest_and_reminders_in_berlin_time():
    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert app.conf.timezone == "Europe/Berlin"
    assert schedule["sweep-undelivered-notifications"]["schedule"] == 60.0
    digest = schedule["notification-digests"]["schedule"]
    assert (digest.hour, digest.minute) == ({7}, {0})
    for name in ("application-reminders", "overdue-project-reminders"):
        daily = schedule[name]["schedule"]
        assert len(daily.hour) == 1 and len(daily.minute) == 1 and len(daily.day_of_month) == 31
    monthly = schedule["take-monthly-workload-snapshot"]
    assert monthly["task"] == "workload.take_monthly_workload_snapshot"
    assert (monthly["schedule"].hour, monthly["schedule"].day_of_month) == ({5}, {1})
    for entry in schedule.values():
        assert entry["task"] in app.tasks, f"{entry['task']} is not a registered task"
