"""Keyset pagination by id: ``?after=<id of the last record seen>``.

Offsets get slower the deeper they go and skip or repeat records when rows are
added meanwhile; a keyset page costs one index range scan wherever it starts.
"""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass
class KeysetPage:
    ids: list[int]
    next_after: int | None  # the ``after`` of the next page; None on the last


def keyset_page(queryset: QuerySet, after: int | None, limit: int) -> KeysetPage:
    """The ids of the ``limit`` records after ``after``, in id order, and whether more follow."""
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: limit + 1])
    more = len(ids) > limit
    ids = ids[:limit]
    return KeysetPage(ids=ids, next_after=ids[-1] if more else None)
