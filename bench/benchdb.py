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


def setup_or_reuse(prefix: str) -> tuple[Path, bool]:
    """`setup(prefix)`, or, when BENCH_DEMO_DIR names a folder holding `bench.sqlite3` and
    `local/` of a seeded demo (and BENCH_DATABASE_URL is unset), a copy of that demo instead
    of a fresh database. Returns (temporary folder, True when the demo was copied)."""
    import shutil

    demo = os.environ.get("BENCH_DEMO_DIR")
    if not demo or os.environ.get("BENCH_DATABASE_URL"):
        return setup(prefix), False
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix=f"linli-bench-{prefix}-"))
    shutil.copy(Path(demo) / "bench.sqlite3", tmp / "bench.sqlite3")
    shutil.copytree(Path(demo) / "local", tmp / "local")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        LINLI_LOCAL_DIR=str(tmp / "local"),
        LINLI_SQLITE_PATH=str(tmp / "bench.sqlite3"),
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    return tmp, True


def serve_pages_without_collectstatic() -> None:
    """Let the test client render pages (static URLs) without collectstatic's manifest."""
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
