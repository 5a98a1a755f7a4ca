"""Django's Redis cache, made to miss instead of failing while Redis is away.

Redis makes pages faster; its absence must break none. So every cache call that
cannot reach Redis answers as a miss (reads give the default, writes do nothing)
and is logged, and for ``PAUSE`` seconds after such a failure the process does
not even try, so a dead Redis costs a request nothing, not one connect per call.
"""

import logging
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

PAUSE = 5.0  # seconds without trying after a failure
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` around the pool for every cache call: a get cost
    twice the CPU (about 400 instead of 200 us), and a page makes several calls. A ``redis.Redis`` is safe to share
    between threads (each command takes a connection from the pool), so one is kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, redis.Redis] = {}

    def get_client(self, key=None, *, write=False):
        # Django's own private helpers, which django-stubs does not declare.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        if id(pool) not in self._clients:  # the pools live as long as this client
            self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return self._clients[id(pool)]


class TolerantRedisCache(RedisCache):
    """A ``RedisCache`` whose calls fall back to a miss while Redis is unreachable."""

    _down_until: float = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def _attempt(self, call, fallback):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call()
        except UNREACHABLE as error:
            self._down_until = time.monotonic() + PAUSE
            logger.warning("Redis cache unreachable, working without it: %r", error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(
            lambda: super(TolerantRedisCache, self).add(key, value, timeout, version), False
        )

    def get(self, key, default=None, version=None):
        return self._attempt(
            lambda: super(TolerantRedisCache, self).get(key, default, version), default
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._attempt(
            lambda: super(TolerantRedisCache, self).set(key, value, timeout, version), None
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(
            lambda: super(TolerantRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key, version=None):
        return self._attempt(lambda: super(TolerantRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._attempt(lambda: super(TolerantRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._attempt(lambda: super(TolerantRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read counts as missing, as Django's own incr reports it.
        result = self._attempt(
            lambda: super(TolerantRedisCache, self).incr(key, delta, version), None
        )
        if result is None:
            raise ValueError(f"Key '{key}' not found (Redis unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(
            lambda: super(TolerantRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        self._attempt(lambda: super(TolerantRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._attempt(lambda: super(TolerantRedisCache, self).clear(), False)
