"""The portal under gunicorn with production settings, on the loopback, for one measurement."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import gunicorn
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
READY_PATH = "/bench/baseline/"
START_TIMEOUT = 60


def default_workers() -> int:
    """gunicorn's own advice for sync workers: two per core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


def database_url(settings_dict: dict) -> str:
    """A ``DATABASE_URL`` for the database Django is connected to (in tests: the test one)."""
    user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
    credentials = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    options = settings_dict.get("OPTIONS") or {}
    query = f"?{urlencode(options)}" if options else ""
    at = "@" if credentials else ""
    return (
        f"postgres://{credentials}{at}{host}{port}/{quote(settings_dict['NAME'], safe='')}{query}"
    )


def production_environment(database: str, var_dir: Path) -> dict:
    """The environment of a production start: DEBUG off, manifest static files, plain HTTP.

    HTTPS is off only because the load generator talks plain HTTP on the loopback (in
    production a TLS proxy sits in front). ``BENCH_QUERY_COUNT`` adds the query header.
    """
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PYTEST") and name != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(
        DEBUG="0",
        SECRET_KEY=settings.SECRET_KEY,  # sessions made by the measuring process must verify
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database,
        VAR_DIR=str(var_dir),
        BENCHMARK="1",
        BENCH_QUERY_COUNT="1",
        LOG_LEVEL="WARNING",
        CACHE_KEY_PREFIX=f"pm-bench-{os.getpid()}",
        # The load comes from one address: the read API's rate limit would refuse most of it.
        API_REQUESTS_PER_MINUTE=str(10**9),
    )
    environment.pop("SECRET_KEY_FILE", None)
    return environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornServer:
    """``with GunicornServer(...) as server:`` serves on ``server.port`` until the block ends."""

    def __init__(self, database: str, *, workers: int, var_dir: Path):
        self.workers = workers
        self.var_dir = Path(var_dir)
        self.environment = production_environment(database, self.var_dir)
        self.port = free_port()
        self.log_path = self.var_dir / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self):
        self.var_dir.mkdir(parents=True, exist_ok=True)
        collect_static(self.environment)
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--config", "python:config.gunicorn",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "--chdir", str(BASE_DIR), "--log-level", "warning", "--graceful-timeout", "5",
        ]  # fmt: skip
        if int(gunicorn.version_info[0]) >= 24:
            command.append("--no-control-socket")  # parallel runs must not share one socket
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=BASE_DIR, env=self.environment, stdout=log, stderr=log
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def cpu_seconds(self) -> float | None:
        """CPU time (user and system) the workers have used so far, from ``/proc`` (Linux).

        On a shared machine the latencies also carry the other sessions' load; the
        CPU the workers spend per request does not.
        """
        if self.process is None:
            return None
        try:
            master = self.process.pid
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
            return sum(_process_cpu_seconds(int(pid)) for pid in children)
        except OSError:
            return None

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        assert self.process is not None, "start the server first"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", READY_PATH)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        tail = self.log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"gunicorn did not come up on port {self.port}:\n{tail}")


def collect_static(environment: dict) -> None:
    """Production serves hashed, compressed files from a manifest: build it as deploys do."""
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
    )


def _process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0  # the worker ended in between
    # utime and stime are the 14th and 15th fields, the 12th and 13th after the name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
