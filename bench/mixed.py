"""A working day: browse and search under load while people change things.

A writer in a process of its own (forked from the measuring one) claims a seat,
frees it and posts a project update, in turn, through the portal's own
services, at a fixed rate (one write a second, one every ten seconds). In its
own process its CPU time (services, ORM, notifications) does not hold the GIL
the measuring asyncio client needs to read answers and take their times: a
writer thread beside the client added its own pauses to the latencies. Its changes reach the server as
any change does: rows in the database, new counts versions in the server's
shared cache. Meanwhile browse and search run under load; each reports rps,
p50, p99, the slowest request and how many took over a second, beside a
read-only run measured the same way (the asyncio client keeps every latency).

Then 50 employees visit the browse page for the first time right after a
change, one after the other: what the first visit of each costs. One employee
visits before the change, as on any working day: the employees' counts exist
and are recounted; a count never made before (the first visitor of a class
after a deploy or a flushed Redis) waits for it, which ``first_ever_ms`` shows.

Everything the writer adds is removed afterwards; the role it used gets its
settings back.
"""

import multiprocessing
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.db.models import F
from django.test.utils import override_settings

from bench.load import fetch, run_load, warm_up_seconds
from bench.seed import EMAIL_DOMAIN, MARK
from config.celery import app as celery_app
from marketplace import counts_cache, project_page_cache
from marketplace.models import ProjectStatus, ProjectUpdate, Role
from marketplace.services import post_update
from participation.models import Application, Membership
from participation.services import ParticipationError, claim_role, end_membership

WRITE_INTERVALS = {"one write every 10 s": 10.0, "one write a second": 1.0}
MIXED_SCENARIOS = ("browse", "search")
FIRST_VISITS = 50
SLOW_MS = 1000


@dataclass
class WriterState:
    role: Role
    lead: object
    employees: list
    original: dict
    update_ids: list = field(default_factory=list)
    application_ids: list = field(default_factory=list)
    writes: int = 0
    errors: list = field(default_factory=list)


class Writer(threading.Thread):
    """Claim, free, post an update, in turn, every ``interval`` seconds, until stopped."""

    def __init__(self, state: WriterState, interval: float):
        super().__init__(name="bench-writer", daemon=True)
        self.state, self.interval, self.stopped = state, interval, threading.Event()
        self.membership = None

    def run(self):
        try:
            while not self.stopped.wait(self.interval):
                self.write_once()
        finally:
            connections.close_all()

    def write_once(self):
        state, step = self.state, self.state.writes % 3
        try:
            if step == 0:
                self._claim()
            elif step == 1 and self.membership is not None:
                end_membership(self.membership.person, self.membership)
                self.membership = None
            else:
                update = post_update(
                    state.lead,
                    state.role.project,
                    title=f"Stand {state.writes}",
                    text="Ein kurzer Zwischenstand aus dem Benchmark.",
                )
                state.update_ids.append(update.pk)
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            state.errors.append(repr(error))
        state.writes += 1

    def _claim(self):
        state = self.state
        for employee in state.employees:
            try:
                application = claim_role(employee, state.role, confirmed=True)
            except ParticipationError:
                continue  # no free hours left: the next one
            state.application_ids.append(application.pk)
            self.membership = Membership.objects.filter(application=application).first()
            return
        state.errors.append("no employee could claim")


class WriterProcess:
    """``Writer`` in a forked process; what it wrote comes back to ``state`` when it stops."""

    def __init__(self, state: WriterState, interval: float):
        context = multiprocessing.get_context("fork")
        self.state, self.interval = state, interval
        self.stopped = context.Event()
        self.running = context.Event()
        self.results = context.SimpleQueue()
        self.process = context.Process(target=self._run, name="bench-writer", daemon=True)

    def start(self) -> None:
        connections.close_all()  # the child opens connections of its own, never shares one
        self.process.start()
        # The load starts once the writer runs: on a busy machine a forked process can take
        # longer to be scheduled than a short run lasts, and the row would have no write.
        self.running.wait(30)

    def _run(self) -> None:
        self.running.set()
        state = self.state
        before = (len(state.update_ids), len(state.application_ids), len(state.errors))
        writer = Writer(state, self.interval)
        writer.stopped = self.stopped  # type: ignore[assignment]  # the same wait() and set()
        try:
            writer.run()
        finally:
            self.results.put(
                (
                    state.writes,
                    state.update_ids[before[0] :],
                    state.application_ids[before[1] :],
                    state.errors[before[2] :],
                )
            )

    def stop(self) -> None:
        self.stopped.set()
        self.process.join(60)
        if self.results.empty():
            self.state.errors.append("the writer process ended without a report")
            return
        writes, update_ids, application_ids, errors = self.results.get()
        self.state.writes = writes
        self.state.update_ids += update_ids
        self.state.application_ids += application_ids
        self.state.errors += errors


@contextmanager
def writing_to(shared):
    """Changes of this process reach the server: its cache, no broker, no real e-mail."""
    original = counts_cache.cache
    counts_cache.cache = shared
    project_page_cache.cache = shared  # the writes redraw the kept project pages too
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # no task left in Redis for a worker
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        counts_cache.cache = original
        project_page_cache.cache = original
        celery_app.conf.task_always_eager = eager


def prepare_writer() -> WriterState | None:
    """An open employee role of a bench project with a lead, made auto-accepting."""
    role = (
        Role.objects.filter(
            project__slug__startswith=MARK,
            project__status=ProjectStatus.OPEN,
            project__is_internal=False,
            project__leads__isnull=False,
            audience=Role.Audience.EMPLOYEES,
            is_open=True,
        )
        .select_related("project")
        .order_by("pk")
        .first()
    )
    if role is None:
        return None
    original = {"auto_accept": role.auto_accept, "seats": role.seats, "hours": role.hours_per_week}
    Role.objects.filter(pk=role.pk).update(
        auto_accept=True, seats=F("filled_seats") + 1000, hours_per_week=1
    )
    role.refresh_from_db()
    employees = list(
        get_user_model()
        .objects.employees()
        .filter(email__endswith=EMAIL_DOMAIN, is_superuser=False, is_active=True)
        .exclude(memberships__role=role)
        .order_by("pk")[:20]
    )
    return WriterState(role, role.project.leads.first(), employees, original)


def clean_up(state: WriterState) -> None:
    """Take out what the writer added and give the role its settings back."""
    with transaction.atomic():
        Membership.objects.filter(application_id__in=state.application_ids).delete()
        Application.objects.filter(pk__in=state.application_ids).delete()
        ProjectUpdate.objects.filter(pk__in=state.update_ids).delete()
        filled = Membership.objects.filter(role=state.role, ended_on__isnull=True).count()
        Role.objects.filter(pk=state.role.pk).update(
            auto_accept=state.original["auto_accept"],
            seats=state.original["seats"],
            hours_per_week=state.original["hours"],
            filled_seats=filled,
        )


def run_mixed(server, scenarios, shared, duration, concurrency, log) -> list[dict]:
    """Each of ``MIXED_SCENARIOS`` read-only and at each write rate, by the asyncio client."""
    state = prepare_writer()
    if state is None:
        return [{"key": "mixed", "status": "missing", "reason": "no open bench role with a lead"}]
    paths = {scenario.key: scenario.path for scenario in scenarios}
    rows = []
    try:
        with writing_to(shared):
            counts_cache.invalidate_in(shared)  # the role's new settings
            for key in MIXED_SCENARIOS:
                rows.append(_mixed_row(server, key, paths[key], None, 0, duration, concurrency))
                for label, interval in WRITE_INTERVALS.items():
                    interval, seconds = _timing(interval, duration)
                    row = _mixed_row(server, key, paths[key], state, interval, seconds, concurrency)
                    rows.append({**row, "writes_label": label})
                    log(f"  mixed {key:<7} {label:<22} {row}")
    finally:
        clean_up(state)
        counts_cache.invalidate_in(shared)
    return rows


def _timing(interval: float, duration: float) -> tuple[float, float]:
    """The write interval and the run's length: three writes at least at the slow rate.

    Short runs (the smoke test) scale the intervals down with them.
    """
    interval *= min(1.0, duration / 10)
    return interval, max(duration, 3 * interval)


def _mixed_row(server, key, path, state, interval, seconds, concurrency) -> dict:
    row = {"key": f"mixed_{key}", "scenario": key, "path": path, "write_interval_s": interval}
    # As for every scenario: a moment of the same load first, so each worker has served
    # the page since the last row's writes (and after a start with ``--only mixed``).
    run_load("python", server.port, path, {}, warm_up_seconds(seconds), concurrency)
    writer = WriterProcess(state, interval) if state is not None else None
    writes_before = state.writes if state is not None else 0
    if writer is not None:
        writer.start()
    cpu_before = server.cpu_seconds()
    try:
        load = run_load("python", server.port, path, {}, seconds, concurrency)
    finally:
        if writer is not None:
            writer.stop()
    cpu_after = server.cpu_seconds()
    row.update(load.as_dict())
    if cpu_before is not None and cpu_after is not None and load.requests:
        # What the portal spends per answer, writes included: less noisy than latencies.
        row["server_cpu_ms_per_request"] = round(1000 * (cpu_after - cpu_before) / load.requests, 2)
    if state is not None:
        row["writes"] = state.writes - writes_before
        row["write_errors"] = state.errors[-3:]
    return row


def first_visits(server, path: str, shared, make_cookie, cookie_name: str) -> dict:
    """``FIRST_VISITS`` employees, each visiting ``path`` once right after a change.

    One more employee visits before the change (its time: ``first_ever_ms``, what
    the first employee pays while the employees' counts were never made).
    """
    employees = list(
        get_user_model()
        .objects.employees()
        .filter(email__endswith=EMAIL_DOMAIN, is_superuser=False, is_active=True)
        .order_by("-pk")[: FIRST_VISITS + 1]
    )
    cookies = [make_cookie(employee) for employee in employees]
    try:
        first_ever, first_status = _timed_visit(server, path, cookie_name, cookies[-1])
        if first_status != 200:
            return {"key": "first_visits", "status": first_status}
        counts_cache.invalidate_in(shared)  # a change just before: nothing of it is cached
        visits = [_timed_visit(server, path, cookie_name, cookie) for cookie in cookies[:-1]]
    finally:
        Session.objects.filter(session_key__in=cookies).delete()
    failed = [status for (_ms, _count), status in visits if status != 200]
    if failed:
        return {"key": "first_visits", "status": failed[0]}
    latencies = sorted(ms for (ms, _count), _status in visits)
    return {
        "key": "first_visits",
        "status": 200,
        "visitors": len(visits),
        "p50_ms": round(latencies[len(latencies) // 2], 1),
        "slowest_ms": round(latencies[-1], 1),
        "over_1s": sum(latency > SLOW_MS for latency in latencies),
        "queries_seen": sorted({count for (_ms, count), _s in visits if count is not None}),
        "first_ever_ms": round(first_ever[0], 1),
        "first_ever_queries": first_ever[1],
    }


def _timed_visit(server, path, cookie_name, cookie):
    """((milliseconds, queries), status) of one visit with the session ``cookie``."""
    started = time.perf_counter()
    status, count = fetch(server.port, path, {"Cookie": f"{cookie_name}={cookie}"})
    return ((time.perf_counter() - started) * 1000, count), status


def leftover_keys(redis_url: str, prefix: str, *, delete: bool) -> int:
    """Keys under the server's prefix; with ``delete``, removed first (the run's own only)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if delete and keys:
            client.delete(*keys)
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        return len(keys)
    finally:
        client.close()
