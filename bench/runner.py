"""``make bench``: seed, measure at 100 projects and at full size, compare, report.

The small measurement runs in a scratch database (``<name>_small``, created and dropped
here) so its query counts come from a database that really holds 100 projects; the full
one runs in the database of ``DATABASE_URL``. Each step is a ``manage.py`` process with
its own ``DATABASE_URL``, as a deployment would run it.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

from bench.seed import FULL_SIZE
from bench.server import BASE_DIR, database_url

RESULTS_PATH = BASE_DIR / "bench" / "results.json"
TARGETS = {
    "search_p99_ms": 150,
    "snapshot_s": 2.0,
    "browse_baseline_ratio": 0.10,
    "api_baseline_ratio": 0.20,  # issue 20: the read API's project list
    "mixed_p99_ms": 150,  # browse and search at one write a second
    "mixed_rps_share": 0.5,  # of the read-only run's rps
    "first_browse_after_change_ms": 200,
}


def run(
    settings_dict: dict,
    *,
    projects: int = FULL_SIZE,
    small: int = 100,
    duration: float = 10,
    concurrency: int = 8,
    client: str = "auto",
    workers: int = 0,
    output: Path = RESULTS_PATH,
    log=print,
) -> dict:
    measure_options = ["--concurrency", str(concurrency), "--client", client]
    measure_options += ["--workers", str(workers)]
    small_results = None
    if small:
        log(f"== {small} projects, scratch database: query counts ==")
        small_results = _measure_scratch(settings_dict, small, measure_options, log)
    log(f"== {projects:,} projects in {settings_dict['NAME']} ==")
    ensure_database(settings_dict)
    environment = {"DATABASE_URL": database_url(settings_dict)}
    manage(["migrate", "--noinput", "-v0"], environment)
    started = time.perf_counter()
    seeded = "Seeded" in manage(["bench_seed", "--projects", str(projects)], environment, log)
    seed = {"projects": projects, "seconds": round(time.perf_counter() - started, 1)}
    seed["written"] = seeded  # False: the data set was there already, the time is a check
    results = _measure(environment, ["--duration", str(duration), *measure_options], log)
    results["seed"] = seed
    combine(results, small_results)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    log("")
    log(format_report(results))
    log(f"\nWritten to {output}")
    return results


def _measure_scratch(settings_dict, projects, measure_options, log) -> dict:
    scratch = {**settings_dict, "NAME": f"{settings_dict['NAME']}_small"[:63]}
    drop_database(scratch)
    ensure_database(scratch)
    try:
        environment = {"DATABASE_URL": database_url(scratch)}
        manage(["migrate", "--noinput", "-v0"], environment)
        manage(["bench_seed", "--projects", str(projects)], environment)
        return _measure(environment, ["--duration", "0", *measure_options], log)
    finally:
        drop_database(scratch)


def _measure(environment, options, log) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "results.json"
        manage(["bench_measure", "--output", str(path), *options], environment, log)
        return json.loads(path.read_text())


def manage(arguments, environment, log=None) -> str:
    """Run ``manage.py`` with the given environment on top of ours; return its output."""
    process = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
    )
    if log and process.stdout.strip():
        log(process.stdout.rstrip())
    if process.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{process.stderr[-3000:]}")
    return process.stdout


# --- Databases ----------------------------------------------------------------------


def _maintenance_connection(settings_dict):
    return psycopg.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


def ensure_database(settings_dict) -> None:
    with _maintenance_connection(settings_dict) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [settings_dict["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings_dict["NAME"]))
            )


def drop_database(settings_dict) -> None:
    with _maintenance_connection(settings_dict) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(settings_dict["NAME"])
            )
        )


# --- Report -----------------------------------------------------------------------


def combine(results: dict, small: dict | None) -> None:
    """Put the small run's query counts beside the full run's, and check the targets."""
    small_rows = {row["key"]: row for row in (small or {}).get("scenarios", [])}
    for row in results["scenarios"]:
        other = small_rows.get(row["key"], {})
        row["queries_small"] = other.get("queries")
        row["queries_cold_small"] = other.get("queries_cold")
    results["small"] = (
        {
            "data": small["data"],
            "snapshot": small["snapshot"],
            "first_visits": small.get("first_visits"),
        }
        if small is not None
        else None
    )
    results["targets"] = check_targets(results)


def check_targets(results: dict) -> list[dict]:
    rows = {row["key"]: row for row in results["scenarios"]}
    checks = []
    measured = [row for row in rows.values() if row.get("queries") is not None]
    if any(row.get("queries_small") is not None for row in measured):
        differing = [
            row["key"]
            for row in measured
            if row.get("queries_small") != row.get("queries")
            or row.get("queries_cold_small") != row.get("queries_cold")
        ]
        checks.append(
            _check("queries per request the same at both sizes", not differing, differing or "")
        )
    search = rows.get("search", {}).get("p99_ms")
    if search is not None:
        checks.append(
            _check("search + filters p99 <= 150 ms", search <= TARGETS["search_p99_ms"], search)
        )
    snapshot = results.get("snapshot", {})
    if snapshot.get("status") == "ok":
        seconds = snapshot["seconds"]
        checks.append(_check("snapshot <= 2 s", seconds <= TARGETS["snapshot_s"], seconds))
    ratio = rows.get("browse", {}).get("baseline_ratio")
    if ratio is not None:
        met = ratio >= TARGETS["browse_baseline_ratio"]
        checks.append(_check("browse >= 10 % of baseline rps", met, ratio))
    ratio = rows.get("api_projects", {}).get("baseline_ratio")
    if ratio is not None:
        met = ratio >= TARGETS["api_baseline_ratio"]
        checks.append(_check("API project list >= 20 % of baseline rps", met, ratio))
    cold = rows.get("browse", {}).get("cold_ms")
    if cold is not None:
        limit = TARGETS["first_browse_after_change_ms"]
        checks.append(_check(f"first browse after a change <= {limit} ms", cold <= limit, cold))
    return checks + mixed_checks(results.get("mixed") or [])


def mixed_checks(rows: list[dict]) -> list[dict]:
    """At one write a second: p99, rps against the read-only run, nothing over a second."""
    checks = []
    read_only = {row["scenario"]: row for row in rows if row.get("write_interval_s") == 0}
    for row in rows:
        if row.get("writes_label") != "one write a second" or row.get("p99_ms") is None:
            continue
        name, base = row["scenario"], read_only.get(row["scenario"], {})
        checks.append(
            _check(f"{name} p99 <= 150 ms at a write a second", row["p99_ms"] <= 150, row["p99_ms"])
        )
        if base.get("rps"):
            share = round(row["rps"] / base["rps"], 3)
            met = share >= TARGETS["mixed_rps_share"]
            checks.append(
                _check(f"{name} rps >= half of read-only at a write a second", met, share)
            )
        checks.append(
            _check(f"{name}: no request over 1 s", row.get("over_1s") == 0, row.get("over_1s"))
        )
    return checks


def _check(name, met, value) -> dict:
    return {"target": name, "met": bool(met), "value": value}


def _number(value, digits=1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def format_mixed(results: dict) -> list[str]:
    """The working-day table (writes while reading) and the first visits."""
    rows = results.get("mixed") or []
    lines = []
    if rows:
        lines.append(
            "| mixed scenario | writes | rps | p50 ms | p99 ms | slowest ms | over 1 s | requests "
            "| server CPU ms per request |"
        )
        lines.append("|" + " --- |" * 9)
        for row in rows:
            lines.append(
                f"| {row.get('scenario', row['key'])} | {row.get('writes_label', 'none')} "
                f"| {_number(row.get('rps'))} | {_number(row.get('p50_ms'))} "
                f"| {_number(row.get('p99_ms'))} | {_number(row.get('slowest_ms'))} "
                f"| {row.get('over_1s', '–')} | {row.get('requests', '–')} "
                f"| {_number(row.get('server_cpu_ms_per_request'), 2)} |"
            )
    visits = results.get("first_visits")
    if visits and visits.get("status") == 200:
        lines.append(
            f"First visits of {visits['visitors']} employees right after a change: p50 "
            f"{visits['p50_ms']} ms, slowest {visits['slowest_ms']} ms, "
            f"{visits['over_1s']} over 1 s, queries {visits['queries_seen']}; the first "
            f"employee's visit before any count: {visits.get('first_ever_ms')} ms, "
            f"{visits.get('first_ever_queries')} queries."
        )
    keys = results.get("redis_keys")
    if keys:
        lines.append(
            f"Redis: {keys['written']} keys written under {keys['prefix']}, {keys['left']} left."
        )
    return lines


def format_report(results: dict) -> str:
    run, machine = results["run"], results["machine"]
    size = results["data"]["projects"]
    small = (results.get("small") or {}).get("data", {}).get("projects")
    header = (
        f"| scenario | status | rps | p50 ms | p99 ms | queries ({size:,} projects) "
        f"| queries ({small or '–'} projects) | rps / baseline | cold: ms "
        f"| cold: queries ({size:,}) | cold: queries ({small or '–'}) |"
    )
    lines = [header, "|" + " --- |" * 11]
    for row in results["scenarios"]:
        lines.append(
            f"| {row['title']} | {row['status']} | {_number(row.get('rps'))} "
            f"| {_number(row.get('p50_ms'))} | {_number(row.get('p99_ms'))} "
            f"| {_number(row.get('queries'), 0)} | {_number(row.get('queries_small'), 0)} "
            f"| {_number(row.get('baseline_ratio'), 3)} | {_number(row.get('cold_ms'))} "
            f"| {_number(row.get('queries_cold'), 0)} "
            f"| {_number(row.get('queries_cold_small'), 0)} |"
        )
    lines += ["", *format_mixed(results)]
    snapshot = results.get("snapshot", {})
    lines.append("")
    if snapshot.get("status") == "ok":
        lines.append(f"Workload snapshot: {snapshot['seconds']} s, {snapshot['queries']} queries.")
    else:
        lines.append(f"Workload snapshot: missing ({snapshot.get('function')}).")
    seed = results.get("seed")
    if seed:
        verb = "seeded" if seed["written"] else "already seeded, checked"
        lines.append(f"Data set: {seed['projects']:,} projects, {verb} in {seed['seconds']} s.")
    lines.append(
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB; "
        f"Python {machine['python']}, PostgreSQL {machine['postgresql']}, "
        f"Django {machine['django']}, gunicorn {machine['gunicorn']}; {machine['date']}."
    )
    lines.append(
        f"Load: {run['client']}, {run['duration_s']} s per scenario, concurrency "
        f"{run['concurrency']}, gunicorn {run['gunicorn_workers']} sync workers."
    )
    for check in results.get("targets", []):
        mark = "met" if check["met"] else "MISSED"
        lines.append(f"Target {mark}: {check['target']} ({check['value']})")
    return "\n".join(lines)
