"""The project's own wrappers of Django's database and cache backends (config/postgresql,
config/redis_cache), the Redis client's parser and the WSGI entry point's collector setting:
what they change, checked against the real services."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from linli.hotline.models import ServiceRequest


@pytest.mark.django_db
def test_psycopg_converts_a_request_row_insert_once_per_process():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (the PostgreSQL pass of CI)")
    from psycopg import _queries

    assert connection.settings_dict["ENGINE"] == "config.postgresql"

    from config.postgresql.base import WIDEST_ROW

    width = len(ServiceRequest._meta.concrete_fields)
    assert _queries.MAX_CACHED_STATEMENT_PARAMS >= WIDEST_ROW >= width
    # A statement as wide as a request row, run twice: converted once, remembered after.
    sql = "SELECT " + ", ".join(["%s::int"] * width)
    before = _queries._query2pg.cache_info()
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(sql, list(range(width)))
            assert cursor.fetchone() == tuple(range(width))
    after = _queries._query2pg.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


@pytest.mark.skipif("REDIS_URL" not in os.environ, reason="the Redis pass of CI")
def test_the_redis_cache_keeps_one_client_and_works_after_a_fork(settings):
    from config.redis_cache import RedisCache

    assert settings.CACHES["default"]["BACKEND"] == "config.redis_cache.RedisCache"

    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-backends"})
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client  # one server: one pool, one client
    cache.set("k", "before the fork")
    assert cache.get("k") == "before the fork"
    pid = os.fork()
    if pid == 0:  # a gunicorn worker forked from its master: its own connections
        ok = False
        try:
            ok = cache.get("k") == "before the fork" and cache.set("k", "child") is None
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.get("k") == "child"
    cache.delete("k")


@pytest.mark.skipif("REDIS_URL" not in os.environ, reason="the Redis pass of CI")
def test_the_redis_client_parses_replies_with_hiredis():
    # requirements.txt installs hiredis; redis-py takes it when it can import it (a token GET:
    # ~60 instead of ~88 µs of CPU, docs/operations.md).
    from linli.core import memo

    memo.redis_get("test-backends-parser")  # opens this thread's token connection
    assert type(memo._reader.conn._parser).__name__ == "_HiredisParser"


def test_the_wsgi_entry_point_leaves_what_it_loaded_to_no_collection():
    """gunicorn's `config.wsgi`: the app, its URLconf and its views are frozen out of the
    garbage collector's full collections."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import gc, sys; import config.wsgi; m = sys.modules; "
        "print(gc.get_freeze_count(), 'config.urls' in m, 'linli.hotline.api' in m)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    frozen, urls_loaded, views_loaded = int(out[0]), out[1], out[2]
    assert urls_loaded == views_loaded == "True"
    assert frozen > 100_000  # the whole app, not a handful
