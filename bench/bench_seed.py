"""How long does `manage.py seed_demo --reset` take? Target: under 30 s on a 2-core laptop.

    .venv/bin/python bench/bench_seed.py                 # SQLite only
    export BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_bench
    .venv/bin/python bench/bench_seed.py                 # SQLite, then PostgreSQL

Runs on a throw-away SQLite file and, when BENCH_DATABASE_URL is set, also on that PostgreSQL
database (created if missing; its tables are replaced). Each database is measured in its own
process because Django reads its settings once per process. Prints figures; the exit status
says only whether the runs worked, never whether they were fast enough.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30.0
CHILD_FLAG = "--measure"


def measure() -> None:
    """In the child process: migrate, then time the seed on the configured database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from linli.registry.models import Resident

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    seconds = time.perf_counter() - started
    residents = Resident.objects.filter(community__code="wenchang").count()
    others = Resident.objects.count() - residents
    print(json.dumps({"residents": residents, "others": others, "seconds": seconds}))


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark database when it does not exist (local trust auth assumed)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run(label: str, env: dict[str, str]) -> bool:
    child_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    if "DATABASE_URL" not in env:
        child_env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, __file__, CHILD_FLAG],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(f"seed_demo ({label}): failed\n{result.stderr.strip()}")
        return False
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    verdict = "" if figures["seconds"] < TARGET_SECONDS else "  SLOWER THAN TARGET"
    print(
        f"seed_demo ({label}): {figures['residents']} residents in {figures['seconds']:.1f} s "
        f"(target < {TARGET_SECONDS:.0f} s; plus {figures['others']} in the second "
        f"community){verdict}"
    )
    return True


def main() -> int:
    ok = True
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as tmp:
        ok &= run("SQLite", {"LINLI_SQLITE_PATH": str(Path(tmp) / "bench.sqlite3")})
    postgres_url = os.environ.get("BENCH_DATABASE_URL")
    if postgres_url:
        ensure_postgres_database(postgres_url)
        ok &= run("PostgreSQL", {"DATABASE_URL": postgres_url})
    return 0 if ok else 1


if __name__ == "__main__":
    if CHILD_FLAG in sys.argv:
        measure()
    else:
        sys.exit(main())
