"""What the report reads on every visit, kept: the snapshots, the department tree, own rows.

A snapshot never changes once taken, so nearly all the report shows can be kept.
What can change is kept under a *version* in the shared cache, drawn anew when a
snapshot is taken or deleted, a department changes (name, head, place in the
tree) or a person's rows are erased (``invalidate``; see ``workload.apps`` and
``workload.privacy``). The version is read once per request, before anything
is loaded, and names every kept value, the report's rendered parts too.

The snapshot list, the tree and the readers' own rows are kept in each
process's memory as they are (unpickling them from a cache cost more than the
query for a row). Own rows sit apart from what all readers share, so readers by
the thousand cannot push that out, and are only ever looked up by the reader's
own id. Redis is an accelerator: without it each process keeps a version of
its own, and ``TIMEOUT`` bounds what a version misses.
"""

import logging
import time
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction

from workload.models import WorkloadRow, WorkloadSnapshot
from workload.snapshots import department_tree

logger = logging.getLogger(__name__)

VERSION_KEY = "workload:report:version"
TIMEOUT = 300

_own_version: dict[str, str] = {}


def version() -> str:
    found = cache.get(VERSION_KEY)
    if found is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        found = cache.get(VERSION_KEY) or _own_version.setdefault("v", uuid.uuid4().hex)
    return found


def _bump() -> None:
    new = uuid.uuid4().hex
    _own_version["v"] = new
    try:
        cache.set(VERSION_KEY, new, timeout=None)
    except Exception:  # any backend error: the change itself must not fail
        logger.warning("Could not store a new workload report version", exc_info=True)


def invalidate_in(shared) -> None:
    """Drop what the processes that use ``shared`` keep (the benchmark's cold probe)."""
    shared.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate(**kwargs) -> None:
    """Something the report keeps has changed: now, and again once the change is committed."""
    _bump()
    transaction.on_commit(_bump)


class _Kept:
    """Values of one version in this process's memory, as they are (no copy, no pickling).

    Used only for what the report reads and never changes. A new version drops
    the old values; ``limit`` bounds how many are kept and ``TIMEOUT`` how long
    (then it starts afresh).
    """

    def __init__(self, limit: int):
        self.limit, self.version, self.since = limit, "", 0.0
        self.values: dict[Any, Any] = {}

    def get(self, current: str, key, compute):
        now = time.monotonic()
        if current != self.version or len(self.values) >= self.limit or now > self.since + TIMEOUT:
            self.version, self.values, self.since = current, {}, now
        if key not in self.values:
            self.values[key] = compute()
        return self.values[key]


_basics = _Kept(limit=4)
_own_rows = _Kept(limit=2000)  # one row (or None) per reader and snapshot


def snapshots_and_tree(current: str, with_tree: bool) -> tuple[list, dict]:
    """Every snapshot, newest first, and (if asked for) the department tree."""
    return _basics.get(
        current,
        with_tree,
        lambda: (list(WorkloadSnapshot.objects.all()), department_tree() if with_tree else {}),
    )


def own_row(current: str, user, snapshot) -> WorkloadRow | None:
    """The reader's row in ``snapshot``, if the reader is an employee and has one.

    Kept only for the same reader (the key is the person's id), in this process.
    """
    if not (user.is_authenticated and user.is_employee):
        return None
    return _own_rows.get(
        current,
        (snapshot.pk, user.pk),
        lambda: WorkloadRow.objects.filter(snapshot=snapshot, employee=user).first(),
    )
