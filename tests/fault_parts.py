"""Real parts the fault tests break on purpose: a redis-server, an SMTP server, workers.

Each part runs on a free port of its own, so the tests can stop and restart it
without touching the Redis other test runs share.
"""

import asyncio
import shutil
import socket
import subprocess
import threading
import time

import redis
from aiosmtpd.controller import Controller
from django.conf import settings

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
WAIT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, what: str, seconds: float = WAIT_SECONDS, every=None):
    """Poll ``condition``; ``every`` (if given) is called between polls, as beat would."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if every is not None:
            every()
        time.sleep(0.5)
    raise AssertionError(f"gave up waiting for {what}")


class RedisServer:
    """A ``redis-server`` process without persistence, stoppable and restartable on its port."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        wait_until(lambda: self._answers(client), "redis-server to start", seconds=10)

    @staticmethod
    def _answers(client) -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class ScriptedInbox:
    """aiosmtpd handler that answers as the test says and keeps what it accepted.

    ``deferring``: every recipient gets 451 (try later); ``refused``: addresses
    that get 550 (no such mailbox) always; ``stall_next``: the next message is
    held in DATA until ``release`` is set, then deferred with 451 (nothing kept).
    """

    def __init__(self):
        self.messages = []
        self.deferring = False
        self.refused: set[str] = set()
        self.stall_next = False
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.delay = 0.0  # seconds each accepted message takes

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        if self.deferring:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall_next:
            self.stall_next = False
            self.stalled.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
            return "451 4.3.0 Try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(envelope)
        return "250 OK"

    @property
    def recipients(self) -> list[str]:
        return sorted(address for message in self.messages for address in message.rcpt_tos)


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.inbox = ScriptedInbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.inbox.release.set()
        self.controller.stop()


def worker_environment(smtp_port: int, queue: str, **extra: str) -> dict[str, str]:
    """What a `celery worker` needs to read the test database and send through ``smtp_port``."""
    database = settings.DATABASES["default"]
    return {
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "CELERY_QUEUE": queue,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "5",
        # Pauses of a second or two: the tests play days of retrying in seconds.
        "NOTIFICATION_RETRY_FIRST_PAUSE": "1",
        "NOTIFICATION_RETRY_MAX_PAUSE": "2",
        **extra,
    }


def point_broker_at(app, url: str) -> None:
    """Make this process publish to ``url`` from now on (workers are not touched)."""
    from kombu import pools

    app.conf.broker_url = url
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def settled(redis_url: str, queue: str) -> bool:
    """Every task published to ``queue`` was taken and acknowledged (acks_late: finished)."""
    client = redis.Redis.from_url(redis_url)
    return client.llen(queue) == 0 and client.hlen("unacked") == 0
