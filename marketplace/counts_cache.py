"""A short-lived cache for counts and lists that cost a scan over many projects.

The facet counts of the browse page and the figures of the home page are kept
for ``TIMEOUT`` seconds under a key that carries a version; so are the rendered
result lists of the browse and home pages (``fragment_key``, used with Django's
``{% cache %}`` tag). Any change to a project, a role or what they link to draws
a new version (see ``apps.py`` for the signals, ``services.refresh_search_vectors``
and ``participation.services`` for updates that send none), so a new project is
listed at once; the timeout only bounds what nothing reports.

Two tiers: the version and the counts live in the shared cache (Redis), so one
change reaches every process and one process's counting serves all; each
process also keeps what it read in its own memory (``LOCAL``), because a round
trip to Redis costs about as much as rendering a small page. A value there is
found only under the current version, so it is never staler than the shared one.
"""

import hashlib
import threading
import uuid

from django.core.cache import cache, caches
from django.core.signals import request_finished, request_started
from django.db import transaction

VERSION_KEY = "marketplace:counts:version"
# Every reported change draws a new version at once; the timeout only bounds what
# nothing reports. Short timeouts cost more than they buy: each expiry sends the next
# visitor of every list through the full count (about a second at 100,000 projects).
TIMEOUT = 300
LOCAL = "local"  # the alias of the per-process cache in settings.CACHES

_request = threading.local()  # the version, read once per request


def current_version() -> str:
    version = getattr(_request, "version", None)
    if version is None:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY, "")
        if getattr(_request, "active", False):
            _request.version = version
    return version


def invalidate() -> None:
    """Forget every cached count, now and again once the transaction has committed.

    The second time drops what another request cached from the old data while
    the change was not yet visible to it.
    """
    _new_version()
    transaction.on_commit(_new_version)


def _new_version(shared=None) -> None:
    """Draw a new version in ``shared`` (the default cache; the benchmark passes the server's)."""
    version = uuid.uuid4().hex
    (shared or cache).set(VERSION_KEY, version, timeout=None)
    _request.version = version if getattr(_request, "active", False) else None


def invalidate_in(shared) -> None:
    """``invalidate`` for another cache: drops the counts of the processes that use it."""
    _new_version(shared)


def fragment_key(name: str, parts) -> str:
    """A key for what is computed from the projects: it changes with the version.

    ``parts`` must name everything else the value depends on (visitor class,
    language, the query).
    """
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"marketplace:counts:{name}:{current_version()}:{digest}"


def cached(name: str, parts, compute):
    """``compute()``, kept under ``name`` and ``parts`` until the version changes."""
    key = fragment_key(name, parts)
    local = caches[LOCAL]
    value = local.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, TIMEOUT)
        local.set(key, value, TIMEOUT)
    return value


def invalidate_on_signal(sender, **kwargs) -> None:
    invalidate()


def _request_began(**kwargs) -> None:
    _request.active, _request.version = True, None


def _request_ended(**kwargs) -> None:
    # Outside a request (Celery, commands) every read asks the shared cache.
    _request.active, _request.version = False, None


request_started.connect(_request_began, dispatch_uid="marketplace-counts-request-began")
request_finished.connect(_request_ended, dispatch_uid="marketplace-counts-request-ended")
