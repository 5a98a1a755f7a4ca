"""Counting what a person or an address did within the last window, in the shared cache.

A fixed window (only the current minute's count) lets twice the limit through around its
boundary: five comments at 12:00:59 and five more at 12:01:00. Here the previous window's
count is added, weighted by the share of it that still lies within the last window length,
the usual sliding-window approximation. Every web worker counts together; while the cache
is away nothing is counted and nobody is refused (the tolerant cache answers a miss).
"""

import time

from django.core.cache import cache


def count_within_window(name: str, window_seconds: int) -> float:
    """Count one more for ``name`` and return the count within the last ``window_seconds``."""
    window, elapsed = divmod(time.time(), window_seconds)
    current = _increment(f"{name}:{int(window)}", window_seconds)
    if current is None:
        return 0
    previous = cache.get(f"{name}:{int(window) - 1}") or 0
    return current + previous * (1 - elapsed / window_seconds)


def _increment(key: str, window_seconds: int) -> int | None:
    try:
        return cache.incr(key)
    except ValueError:  # the window's first count, or the cache is away
        # Kept for two windows: the next window still reads this one as its previous.
        if cache.add(key, 1, timeout=window_seconds * 2):
            return 1
        try:
            return cache.incr(key)  # another request started the window meanwhile
        except ValueError:
            return None
