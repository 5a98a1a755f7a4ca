"""Load generators: wrk (Debian's package) when installed, else a small asyncio client.

Both run a closed loop: ``concurrency`` connections, each sending its next request as
soon as the previous answer is read, for ``duration`` seconds. Latency runs from writing
the request to reading the last byte of the answer (connecting is not included, as in
wrk); percentiles are taken over every request, not sampled. gunicorn's sync workers
close the connection after each answer, so both clients reconnect for every request.

wrk is the default because it is written in C and takes little of the CPU the server
needs on a small machine; the asyncio client needs nothing installed, so the smoke test
in ``make test`` uses it. ``results.json`` names the client used.
"""

import asyncio
import concurrent.futures
import http.client
import json
import math
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.middleware import HEADER as QUERY_COUNT_HEADER

WRK_SCRIPT = Path(__file__).with_name("report.lua")
USER_AGENT = "projektmarktplatz-bench"


@dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failed: int  # answers other than 200, and socket errors
    slowest_ms: float | None = None
    over_1s: int | None = None  # requests slower than a second (the asyncio client counts them)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        figures = {
            **asdict(self),
            "seconds": round(self.seconds, 3),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "rps": round(self.rps, 1),
            "slowest_ms": None if self.slowest_ms is None else round(self.slowest_ms, 2),
        }
        if not self.requests:  # nothing came back in time: there is no latency to report
            figures.update(p50_ms=None, p99_ms=None)
        return figures


def choose_client(requested: str) -> str:
    if requested == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if requested == "wrk" and not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (apt-get install wrk), use --client python")
    return requested


WARM_UP_SECONDS = 2.0


def warm_up_seconds(duration: float) -> float:
    """How long the same load runs before a row is measured: every worker has served the page
    and filled its own caches. A fifth of the row, at most 2 s: the full run's rows (10 s and
    more) warm up for 2 s as before, the smoke test's one-second rows for a fifth of one."""
    return min(WARM_UP_SECONDS, duration / 5)


def run_load(client, port, path, headers, duration, concurrency) -> Load:
    if client == "wrk":
        return _wrk(port, path, headers, duration, concurrency)
    return _run_in_own_loop(_python_load(port, path, headers, duration, concurrency))


def _run_in_own_loop(coroutine):
    """``asyncio.run`` in a thread of its own: the caller may already run an event loop
    (Playwright's sync API does, in the test session)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()


def fetch(port: int, path: str, headers: dict) -> tuple[int, int | None]:
    """One plain request: the status and the server's query count for it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        response.read()
        count = response.getheader(QUERY_COUNT_HEADER)
        return response.status, int(count) if count is not None else None
    finally:
        connection.close()


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of values sorted ascending."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(share / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


# --- wrk ---------------------------------------------------------------------------


def _wrk(port, path, headers, duration, concurrency) -> Load:
    seconds = max(1, round(duration))
    command = ["wrk", "-t", "1", "-c", str(concurrency), "-d", f"{seconds}s", "--timeout", "30s"]
    command += ["-s", str(WRK_SCRIPT)]
    for name, value in {"User-Agent": USER_AGENT, **headers}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(  # noqa: S603 - wrk with our own arguments
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    report = json.loads(line.removeprefix("BENCH_JSON "))
    return Load(
        requests=report["requests"],
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        failed=report["socket_errors"] + report["non_2xx_3xx"],
        slowest_ms=report["max_us"] / 1000,
    )


# --- asyncio ---------------------------------------------------------------------


async def _python_load(port, path, headers, duration, concurrency) -> Load:
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"User-Agent: {USER_AGENT}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    latencies: list[float] = []
    failed = [0]
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(_connection_loop(port, request, deadline, latencies, failed) for _ in range(concurrency))
    )
    seconds = time.perf_counter() - started
    latencies.sort()
    return Load(
        requests=len(latencies),
        seconds=seconds,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        failed=failed[0],
        slowest_ms=latencies[-1] * 1000 if latencies else None,
        over_1s=sum(latency > 1 for latency in latencies),
    )


async def _connection_loop(port, request, deadline, latencies, failed) -> None:
    reader = writer = None
    while time.perf_counter() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            started = time.perf_counter()
            writer.write(request)
            status, keep_alive = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failed[0] += 1
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            failed[0] += 1
            keep_alive = False
        if not keep_alive and writer is not None:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _read_response(reader) -> tuple[int, bool]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    status_line, *header_lines = head.split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    fields = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip().lower()
    keep_alive = fields.get("connection") != "close"
    if "content-length" in fields:
        await reader.readexactly(int(fields["content-length"]))
    elif fields.get("transfer-encoding") == "chunked":
        await _read_chunks(reader)
    else:
        await reader.read()  # the body runs to the end of the connection
        keep_alive = False
    return status, keep_alive


async def _read_chunks(reader) -> None:
    while True:
        size = int((await reader.readline()).split(b";")[0], 16)
        await reader.readexactly(size + 2)  # the chunk and its CRLF
        if size == 0:
            return
