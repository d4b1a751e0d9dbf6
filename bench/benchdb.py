"""Shared start of the benchmarks that build their own database: a throw-away SQLite file (and
local secrets) in a temporary folder, or a fresh PostgreSQL database when BENCH_DATABASE_URL is
set. Call `setup(prefix)` before importing anything from Django or Linli."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(prefix: str) -> Path:
    """Point Django at a fresh database, run `django.setup()` and return the temporary folder."""
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix=f"linli-bench-{prefix}-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LINLI_LOCAL_DIR"] = str(tmp / "local")
    os.environ["LINLI_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        import psycopg

        os.environ["DATABASE_URL"] = url
        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    return tmp
