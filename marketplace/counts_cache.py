"""Counts and lists that cost a scan over many projects, kept so no visitor waits for them.

What is cached depends on *scopes*, each with a version in the shared cache:
``PROJECTS`` changes with anything a list shows or a facet counts (a project, a
role, what they link to; see ``apps.py`` for the signals, ``services`` and
``participation.services`` for updates that send none), ``SEATS`` only with a
taken or freed seat, which no facet counts, ``UPDATES`` only with a project
update posted or removed, which only open data and the read API show (the
latest update). A seat change therefore refreshes the result lists (their free
seats) but recounts nothing; an update refreshes neither.

Counts (``cached``) are kept *stale-while-revalidate*: each value remembers the
versions it was computed under and when. A value whose versions are current and
that is younger than ``MAX_AGE`` is served as is; an older one is served too,
and a recount starts beside the request (a thread; the visitor does not wait).
One recount per value runs at a time in all processes (*single flight*: a lock
in the shared cache), so a change under load costs one count, not one per
worker. Only when nothing was ever counted does a visitor wait, and then for
the one computation running anywhere.

Rendered lists (``fragment_key``) carry the current versions in their key: they
are cheap to redo (twenty rows) and always current.

Two tiers: the versions and values live in the shared cache (Redis); each
process also keeps what it read in its own memory (``LOCAL``), because a round
trip to Redis costs about as much as rendering a small page. Redis is an
accelerator only: without it every process counts for itself, and changing a
version never raises (``_bump``).
"""

import hashlib
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.signals import request_finished, request_started
from django.db import connections, transaction

logger = logging.getLogger(__name__)

PROJECTS, SEATS, UPDATES = "projects", "seats", "updates"
VERSION_KEYS = {
    PROJECTS: "marketplace:counts:version",
    SEATS: "marketplace:counts:seats",
    UPDATES: "marketplace:counts:updates",
}
VERSION_KEY = VERSION_KEYS[PROJECTS]
# Counts younger than this are served without a recount when nothing was reported;
# it only bounds what no signal reports (every reported change starts a recount).
MAX_AGE = 300
# Stale counts older than this carry their age on the page. A recount takes about
# a second at 100,000 projects (4-5 s on a loaded machine), so counts older than
# half a minute mean the recount lags: the visitor is told, not misled.
AGE_SHOWN_AFTER = 30
KEEP = 24 * 3600  # how long a counted value may still be served stale
# Rendered lists and remembered values: their key changes with every version, and the
# timeout bounds what a version can miss (a change made while Redis was unreachable
# leaves the shared version as it was).
TIMEOUT = MAX_AGE
LOCK_SECONDS = 120  # a recount killed with its worker frees its lock after this
WAIT_SECONDS = 10.0  # the longest a first visitor waits for another's first count
WAIT_STEP = 0.05
LOCAL = "local"  # the alias of the per-process cache in settings.CACHES

_request = threading.local()  # the versions, read once per request
_running: set[str] = set()  # recounts under way in this process
_running_lock = threading.Lock()


@dataclass(frozen=True)
class Counted:
    """A cached value with what it was computed under."""

    value: Any
    versions: tuple
    counted_at: float
    stale: bool = False  # served while a recount runs

    @property
    def age(self) -> float:
        return time.time() - self.counted_at

    @property
    def stamp(self) -> str:
        """Names this very computation (for keys of what is rendered from it)."""
        return f"{'-'.join(self.versions)}-{self.counted_at:.3f}"

    def is_current(self, versions) -> bool:
        return self.versions == tuple(versions) and self.age < MAX_AGE

    @property
    def shown_age(self) -> float | None:
        """The age in seconds if the page should tell it, else None."""
        return self.age if self.age > AGE_SHOWN_AFTER and self.stale else None


def current_version(scope: str = PROJECTS) -> str:
    memo = getattr(_request, "versions", None)
    if memo is not None and scope in memo:
        return memo[scope]
    key = VERSION_KEYS[scope]
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        # Without Redis there is no shared version: each process keeps one of its own.
        version = cache.get(key) or _process_version(scope)
    if getattr(_request, "active", False):
        _request.versions = {**(memo or {}), scope: version}
    return version


_own_versions: dict[str, str] = {}


def _process_version(scope: str) -> str:
    return _own_versions.setdefault(scope, uuid.uuid4().hex)


def versions(scopes) -> tuple:
    return tuple(current_version(scope) for scope in scopes)


def invalidate(scope: str = PROJECTS) -> None:
    """Mark what depends on ``scope`` stale, now and again once the transaction has committed.

    The second time drops what another request cached from the old data while
    the change was not yet visible to it.
    """
    _bump(scope)
    transaction.on_commit(lambda: _bump(scope))


def invalidate_seats(project_id: int | None = None) -> None:
    """A seat was taken or freed: the lists show it, no facet counts it.

    With the project, a page of the browse list is refreshed only if it lists that
    project (``project_seat_stamps``); what shows seats of every project (a list
    sorted by open seats, open data, the API) follows the shared seats version.
    """
    invalidate(SEATS)
    if project_id is not None:
        _bump_project_seats(project_id)
        transaction.on_commit(lambda: _bump_project_seats(project_id))


def _project_seats_key(project_id: int) -> str:
    return f"marketplace:counts:seats:{project_id}"


_own_project_seats: dict[int, str] = {}
OWN_PROJECT_SEATS = 10_000


def _bump_project_seats(project_id: int) -> None:
    version = uuid.uuid4().hex
    if len(_own_project_seats) > OWN_PROJECT_SEATS:
        _own_project_seats.clear()  # only a process without Redis relies on them
    _own_project_seats[project_id] = version  # seen here even without Redis
    try:
        cache.set(_project_seats_key(project_id), version, timeout=KEEP)
    except Exception:  # any backend error: the change itself must not fail
        logger.warning("Could not store a new seats version", exc_info=True)


def project_seat_stamps(project_ids) -> str:
    """One string naming the seat versions of ``project_ids``: one round trip to Redis.

    A project whose seats never changed (or not for a day) has none; its rows
    are then as the projects version says.
    """
    ids = list(project_ids)
    if not ids:
        return ""
    found = cache.get_many([_project_seats_key(pk) for pk in ids])
    stamps = [found.get(_project_seats_key(pk)) or _own_project_seats.get(pk) or "-" for pk in ids]
    return _digest(stamps)


def invalidate_updates() -> None:
    """An update was posted or removed: open data and the API show the latest one."""
    invalidate(UPDATES)


def _bump(scope: str, shared=None) -> None:
    """Draw a new version in ``shared`` (the default cache; the benchmark passes the server's).

    A change must succeed without Redis: a failure is logged and the change
    stands; this process at least sees its own new version.
    """
    version = uuid.uuid4().hex
    _own_versions[scope] = version
    try:
        (shared or cache).set(VERSION_KEYS[scope], version, timeout=None)
    except Exception:  # any backend error: the change itself must not fail
        logger.warning("Could not store a new counts version", exc_info=True)
    memo = getattr(_request, "versions", None)
    if getattr(_request, "active", False):
        _request.versions = {**(memo or {}), scope: version}


def invalidate_in(shared, scope: str = PROJECTS) -> None:
    """``invalidate`` for another cache: drops the counts of the processes that use it."""
    _bump(scope, shared)


def fragment_key(name: str, parts, scopes=(PROJECTS, SEATS)) -> str:
    """A key for what is rendered from the projects: it changes with the versions.

    ``parts`` must name everything else the value depends on (visitor class,
    language, the query).
    """
    return f"marketplace:counts:{name}:{'-'.join(versions(scopes))}:{_digest(parts)}"


def remembered(name: str, parts, compute, scopes=(PROJECTS, SEATS), timeout=TIMEOUT):
    """A value kept in this process's memory until the versions change (or ``timeout``)."""
    key = fragment_key(name, parts, scopes)
    local = caches[LOCAL]
    value = local.get(key)
    if value is None:
        value = compute()
        local.set(key, value, timeout)
    return value


def _digest(parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def cached(name: str, parts, compute, scopes=(PROJECTS,)) -> Any:
    """``compute()``, kept under ``name`` and ``parts``; stale values are served while recounting."""
    return counted(name, parts, compute, scopes).value


def counted(name: str, parts, compute, scopes=(PROJECTS,)) -> Counted:
    """Like ``cached``, with the age of what is served (see the module's docstring)."""
    key = f"marketplace:counts:{name}:{_digest(parts)}"
    wanted = versions(scopes)
    local = caches[LOCAL]
    found = local.get(key)
    if found is not None and found.is_current(wanted):
        return found
    shared = cache.get(key)
    if shared is not None and (found is None or shared.counted_at > found.counted_at):
        found = shared
        local.set(key, found, KEEP)
    if found is not None and found.is_current(wanted):
        return found
    if found is not None:
        fresh = _recount_beside(key, scopes, compute)
        return fresh or Counted(found.value, found.versions, found.counted_at, stale=True)
    return _count_once(key, scopes, compute)


def _compute_and_store(key: str, scopes, compute) -> Counted:
    # The versions are read before counting: a change during the count leaves it stale.
    wanted = tuple(_fresh_version(scope) for scope in scopes)
    value = Counted(compute(), wanted, time.time())
    cache.set(key, value, KEEP)
    caches[LOCAL].set(key, value, KEEP)
    return value


def _fresh_version(scope: str) -> str:
    """The version as the shared cache has it now, not as this request first read it."""
    return cache.get(VERSION_KEYS[scope]) or _process_version(scope)


def _take_lock(key: str) -> bool:
    """Whether this process may compute ``key``: no one else is, here or elsewhere."""
    with _running_lock:
        if key in _running:
            return False
        _running.add(key)
    lock = f"{key}:lock"
    if cache.add(lock, 1, LOCK_SECONDS) or cache.get(lock) is None:
        return True  # ours, or no shared cache to hold a lock: count here
    with _running_lock:
        _running.discard(key)
    return False


def _release_lock(key: str) -> None:
    try:
        cache.delete(f"{key}:lock")
    finally:
        with _running_lock:
            _running.discard(key)


def _recount_beside(key: str, scopes, compute) -> Counted | None:
    """Start one recount of ``key`` unless one runs; the inline runner returns its result."""
    if not _take_lock(key):
        return None

    def job():
        try:
            return _compute_and_store(key, scopes, compute)
        except Exception:
            logger.exception("Recounting %s failed; the previous counts stay", key)
            return None
        finally:
            _release_lock(key)
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()  # this thread's own connections only

    return run_recount(job)


def run_recount(job):
    """Run ``job`` beside the request; tests set ``COUNTS_RECOUNT_INLINE`` to run it at once."""
    if getattr(settings, "COUNTS_RECOUNT_INLINE", False):
        return job()
    threading.Thread(target=job, name="counts-recount", daemon=True).start()
    return None


def _count_once(key: str, scopes, compute) -> Counted:
    """Nothing was ever counted: compute, or wait for the one computing elsewhere."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not _take_lock(key):
        if time.monotonic() > deadline:
            return Counted(compute(), versions(scopes), time.time())
        time.sleep(WAIT_STEP)
        found = cache.get(key) or caches[LOCAL].get(key)
        if found is not None:
            return found
    try:
        return _compute_and_store(key, scopes, compute)
    finally:
        _release_lock(key)


def invalidate_on_signal(sender, **kwargs) -> None:
    invalidate()


def invalidate_updates_on_signal(sender, **kwargs) -> None:
    invalidate_updates()


def _request_began(**kwargs) -> None:
    _request.active, _request.versions = True, None


def _request_ended(**kwargs) -> None:
    # Outside a request (Celery, commands) every read asks the shared cache.
    _request.active, _request.versions = False, None


request_started.connect(_request_began, dispatch_uid="marketplace-counts-request-began")
request_finished.connect(_request_ended, dispatch_uid="marketplace-counts-request-ended")
