"""Keyset pagination: the rows after a known id, at the same cost on every page.

``OFFSET`` makes the database produce and throw away every row before the page
(page 950 of the projects took 5.4 s), and a page count needs a full count. A
keyset page asks for ``pk > after ... LIMIT n`` instead: an index range scan,
whatever the page. Reusable by any list that is ordered by primary key (open
data here; the read API too)::

    page = keyset.page(queryset, keyset.parse_after(request.GET.get("after")), 100)
    page.rows, page.next_after  # None on the last page

``chunks`` walks a whole queryset that way, for downloads that stream.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.query_numbers import is_whole_number

# Ids are PostgreSQL bigints at most: a larger "after" can never match and is refused.
LARGEST_ID = 2**63 - 1


@dataclass(frozen=True)
class KeysetPage:
    rows: list
    next_after: int | None  # the ``after`` of the next page; None on the last


class BadAfter(ValueError):
    """``after`` is not a whole number of an id's size."""


def parse_after(value: str | None) -> int | None:
    """The ``after`` parameter as an id; None when absent. Raises ``BadAfter``."""
    if value is None:
        return None
    # Length first: int() refuses more than 4,300 digits with an error of its own.
    if not is_whole_number(value) or len(value) > len(str(LARGEST_ID)) or int(value) > LARGEST_ID:
        raise BadAfter(value)
    return int(value)


def page(records: QuerySet | Sequence, after: int | None, size: int) -> KeysetPage:
    """Up to ``size`` records with a primary key above ``after``, in primary-key order.

    One more is asked for than shown: it tells whether a next page exists
    without counting.
    """
    if isinstance(records, QuerySet):
        queryset = records.order_by("pk")
        if after is not None:
            queryset = queryset.filter(pk__gt=after)
        rows = list(queryset[: size + 1])
    else:
        rows = [row for row in sorted(records, key=_pk) if after is None or _pk(row) > after]
        rows = rows[: size + 1]
    shown = rows[:size]
    return KeysetPage(shown, _pk(shown[-1]) if len(rows) > size else None)


def chunks(records: QuerySet | Sequence, size: int = 1000) -> Iterator[list]:
    """Every record, ``size`` at a time in primary-key order: constant memory, no OFFSET."""
    after = None
    while True:
        current = page(records, after, size)
        if current.rows:
            yield current.rows
        if current.next_after is None:
            return
        after = current.next_after


def _pk(row) -> int:
    return row.pk
