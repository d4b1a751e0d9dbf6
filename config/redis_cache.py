"""Django's Redis cache with one client per connection pool, kept for the process's life.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call; with
redis-py 8 that costs ~100 µs (its command-callback tables are rebuilt each time), more than
the round trip to Redis itself. Every signed-in request reads memo's "signin" token through
the cache, so with Redis configured that was a fifth of a bare request (bench/bench_platform.py,
the several-servers layout). A `redis.Redis` is safe to share between threads and across a
fork (its pool reconnects in the child), so one per pool is enough.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own attributes, which django-stubs does not declare.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
