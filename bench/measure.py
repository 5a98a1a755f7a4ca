"""One measurement of the database Django is connected to: every scenario under load.

For each scenario: one request to see that it answers 200 (a pending one that answers
404 is "missing"), a warm-up, the load run, then probe requests whose ``X-Query-Count``
headers give the queries per request. Then one cold probe: the cached counts and
rendered lists are dropped (a new ``counts_cache`` version, as after any change to a
project), as are the kept project pages and workload report (new versions of
``project_page_cache`` and ``workload.report_cache``), and one request is timed and
counted: what the first visitor after a change pays. All against the same gunicorn, in the same run.
"""

import datetime
import importlib
import inspect
import os
import platform
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import django
import gunicorn
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.middleware import has_totp
from accounts.models import Department, User
from bench.load import choose_client, fetch, run_load, warm_up_seconds
from bench.mixed import first_visits, leftover_keys, run_mixed
from bench.scenarios import Scenario, scenarios
from bench.seed import EMAIL_DOMAIN
from bench.server import GunicornServer, database_url, default_workers
from marketplace import counts_cache, project_page_cache
from marketplace.models import Project, Role
from participation.models import Comment, Membership, Proposal, ProposalSupport
from workload import report_cache

SNAPSHOT_FUNCTION = "workload.snapshots.take_snapshot"
ADMIN_EMAIL = f"admin@{EMAIL_DOMAIN}"
PROBES = 3


def measure(
    *,
    duration: float,
    concurrency: int,
    client: str = "auto",
    workers: int | None = None,
    var_dir: Path | None = None,
    only: list[str] | None = None,
    log=print,
) -> dict:
    client = choose_client(client)
    workers = workers or default_workers()
    var_dir = Path(var_dir or Path(settings.VAR_DIR) / "bench")
    results: dict[str, Any] = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "machine": machine_facts(),
        "run": {
            "client": client,
            "duration_s": duration,
            "concurrency": concurrency,
            "gunicorn_workers": workers,
            "gunicorn_worker_class": "sync",
        },
        "data": data_counts(),
        "snapshot": time_snapshot(),
        "scenarios": [],
    }
    log(f"Snapshot: {results['snapshot']}")
    cookie = admin_session_cookie()
    public = Project.objects.visible_to(AnonymousUser()).count()
    url = database_url(connection.settings_dict)
    listed = scenarios(public)
    with GunicornServer(url, workers=workers, var_dir=var_dir) as server:
        for scenario in listed:
            if only and scenario.key not in only:
                continue
            row = run_scenario(server, scenario, cookie, client, duration, concurrency, workers)
            log(f"  {scenario.key:<10} {row}")
            results["scenarios"].append(row)
        if settings.REDIS_URL and (not only or "mixed" in only):
            results.update(_working_day(server, listed, duration, concurrency, log))
    add_ratios(results["scenarios"])
    if settings.REDIS_URL:
        results["redis_keys"] = _remove_keys(server)
    return results


def server_cache(server) -> RedisCache:
    """The server's shared cache, as its processes see it (its own key prefix)."""
    prefix = server.environment["CACHE_KEY_PREFIX"]
    return RedisCache(str(settings.REDIS_URL), {"KEY_PREFIX": prefix})


def _working_day(server, listed, duration, concurrency, log) -> dict:
    """The mixed runs (writes while reading) and 50 employees' first visits."""
    shared = server_cache(server)
    found: dict[str, Any] = {}
    if duration > 0:
        found["mixed"] = run_mixed(server, listed, shared, duration, concurrency, log)
    visits = first_visits(
        server, "/projects/", shared, session_cookie, settings.SESSION_COOKIE_NAME
    )
    log(f"  first visits {visits}")
    found["first_visits"] = visits
    return found


def _remove_keys(server) -> dict:
    """The run leaves nothing in Redis: every key under the server's prefix goes."""
    prefix = server.environment["CACHE_KEY_PREFIX"]
    written = leftover_keys(str(settings.REDIS_URL), prefix, delete=False)
    return {
        "prefix": prefix,
        "written": written,
        "left": leftover_keys(str(settings.REDIS_URL), prefix, delete=True),
    }


def run_scenario(server, scenario: Scenario, cookie, client, duration, concurrency, workers):
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if scenario.as_admin else {}
    row: dict[str, Any] = {"key": scenario.key, "title": scenario.title, "path": scenario.path}
    status, _count = fetch(server.port, scenario.path, headers)
    if status == 404 and scenario.pending:
        return {**row, "status": "missing"}
    row["status"] = status
    if status != 200:
        return row  # an error page is not what the scenario measures
    warm_up(server.port, scenario.path, headers, workers)
    if duration > 0:
        # The same load for a moment first: every worker has served the page and
        # filled its own caches, so the run measures the steady state.
        run_load(
            client, server.port, scenario.path, headers, warm_up_seconds(duration), concurrency
        )
        load = run_load(client, server.port, scenario.path, headers, duration, concurrency)
        row.update(load.as_dict())
    counts = [fetch(server.port, scenario.path, headers)[1] for _ in range(PROBES)]
    row["queries"] = Counter(counts).most_common(1)[0][0]
    row["queries_seen"] = sorted(set(counts), key=lambda count: (count is None, count))
    row.update(cold_probe(server, scenario.path, headers))
    return row


def warm_up(port, path, headers, workers) -> None:
    """As many requests at once as there are workers, twice: each worker has most likely
    served the page (and filled its per-process caches) before anything is counted."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda _: fetch(port, path, headers), range(2 * workers)))


def cold_probe(server, path, headers) -> dict:
    """One request right after the cached counts, lists, project pages and report were dropped.

    The drop reaches the server through its shared cache (Redis, under the server's
    key prefix): without ``REDIS_URL`` each process has its own, and there is no
    cold figure to take.
    """
    if not settings.REDIS_URL:
        return {"cold_ms": None, "queries_cold": None}
    counts_cache.invalidate_in(server_cache(server))
    project_page_cache.invalidate_all_in(server_cache(server))
    report_cache.invalidate_in(server_cache(server))
    started = time.perf_counter()
    _status, count = fetch(server.port, path, headers)
    cold_ms = round((time.perf_counter() - started) * 1000, 1)
    fetch(server.port, path, headers)  # leave the caches filled for whatever comes next
    return {"cold_ms": cold_ms, "queries_cold": count}


def add_ratios(rows: list[dict]) -> None:
    baseline = next((row.get("rps") for row in rows if row["key"] == "baseline"), None)
    for row in rows:
        if baseline and row.get("rps") is not None:
            row["baseline_ratio"] = round(row["rps"] / baseline, 3)


def admin_session_cookie() -> str:
    """A signed-in session of the bench administrator, as after password and TOTP.

    The administrator has TOTP, as the portal demands of administrators; the session
    records both steps the way allauth does after a real sign-in, so whatever checks
    for the second factor sees it. No password is typed: this is the test client's
    ``force_login`` against the measured database.
    """
    admin, _created = User.objects.get_or_create(
        email=ADMIN_EMAIL,
        defaults={
            "kind": User.Kind.EMPLOYEE,
            "display_name": "Bench Administrator",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if not has_totp(admin):
        TOTP.activate(admin, generate_totp_secret())
    return session_cookie(admin, second_factor=True)


def session_cookie(user, *, second_factor: bool = False) -> str:
    """The key of a session of ``user``, signed in as allauth records it."""
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    now = time.time()
    methods: list[dict] = [{"method": "password", "at": now, "email": user.email}]
    if second_factor:
        methods.append({"method": "mfa", "at": now, "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = methods
    session.save()
    assert session.session_key is not None  # save() gave the session its key
    return session.session_key


def time_snapshot(function_path: str = SNAPSHOT_FUNCTION) -> dict:
    """Seconds and queries of one workload snapshot, or "missing" before that branch is merged."""
    module_name, _, name = function_path.rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return {"function": function_path, "status": "missing"}
    arguments = []
    required = [
        parameter
        for parameter in inspect.signature(function).parameters.values()
        if parameter.default is inspect.Parameter.empty
        and parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
    ]
    if required:
        arguments.append(timezone.localdate())  # take_snapshot(reference_date, ...)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        function(*arguments)
        seconds = time.perf_counter() - started
    return {
        "function": function_path,
        "status": "ok",
        "seconds": round(seconds, 3),
        "queries": len(queries),
    }


def data_counts() -> dict:
    models = {
        "projects": Project,
        "roles": Role,
        "departments": Department,
        "employees": User.objects.employees(),
        "citizens_and_organisations": User.objects.exclude(kind=User.Kind.EMPLOYEE),
        "memberships": Membership,
        "proposals": Proposal,
        "supports": ProposalSupport,
        "comments": Comment,
    }
    return {
        name: (source.count() if hasattr(source, "count") else source.objects.count())
        for name, source in models.items()
    }


def machine_facts() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": postgres,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None
