"""A short-lived cache for counts that cost a scan over many projects.

The facet counts of the browse page and the figures of the home page are kept
for ``TIMEOUT`` seconds under a key that carries a version. Any change to a
project, a role or what they link to draws a new version (see ``apps.py`` for
the signals, ``services.refresh_search_vectors`` for bulk updates), so a new
project is counted at once; the timeout only bounds what no signal reports.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "marketplace:counts:version"
TIMEOUT = 60


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY, "")
    return version


def invalidate() -> None:
    """Forget every cached count, now and again once the transaction has committed.

    The second time drops what another request cached from the old data while
    the change was not yet visible to it.
    """
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def cached(name: str, parts, compute):
    """``compute()``, kept under ``name`` and ``parts`` until the version changes."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"marketplace:counts:{name}:{current_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def invalidate_on_signal(sender, **kwargs) -> None:
    invalidate()
