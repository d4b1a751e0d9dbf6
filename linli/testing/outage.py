"""Services that are down, for tests of what Linli does without them."""

from __future__ import annotations

from typing import Any

import pytest


class RedisDown:
    """A Redis client (or Django's cache) when Redis cannot be reached: every call raises, as
    the Redis client does."""

    def get(self, *args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down")

    def set(self, *args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down")


def redis_down(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, the memo tokens live in Redis and Redis cannot be reached (nor Django's
    cache, which is Redis too in that layout)."""
    settings.MEMO_TOKENS = "redis"
    monkeypatch.setattr("linli.core.memo.redis_client", RedisDown)
    monkeypatch.setattr("linli.core.memo.redis_get", RedisDown().get)
    monkeypatch.setattr("django.core.cache.cache", RedisDown())


def queue_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, every enqueue of a huey task fails as the Redis client does when Redis
    cannot be reached."""
    from huey.contrib.djhuey import HUEY

    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(HUEY, "enqueue", refuse)
