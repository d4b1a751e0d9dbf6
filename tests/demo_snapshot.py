"""One SQLite build of the Wenchang demo shared by the tools that serve it (CI builds it once).

The browser tests (tests/e2e) and the API fuzz (tests/fuzz) each serve the full demo from a
temporary directory of their own: `db.sqlite3`, the keys in `local/`, uploads in `media/`. A
build (`migrate`, then `seed_demo`) takes minutes. When LINLI_DEMO_SNAPSHOT names a directory,
the first of them builds the demo there and every later one copies that directory instead of
building again; without it, each builds its own. The copy is the same file the build wrote, so
every tool still sees exactly what `make demo` makes; each writes only into its own copy.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

BUILT = ".built"  # written last: a snapshot without it is half-built and is built again


def demo_environment(tmp: Path) -> dict[str, str]:
    """The variables that put a demo's database, keys and uploads under `tmp`."""
    return {
        "LINLI_SQLITE_PATH": str(tmp / "db.sqlite3"),
        "LINLI_LOCAL_DIR": str(tmp / "local"),
        "LINLI_MEDIA_ROOT": str(tmp / "media"),
    }


def build_sqlite_demo(tmp: Path, env: dict[str, str], run: Callable[[list[str]], object]) -> None:
    """Make `tmp` hold a built demo (env must already carry `demo_environment(tmp)`): copied
    from LINLI_DEMO_SNAPSHOT when that holds a finished build, else built (and, when the
    variable is set, saved there for the next tool). `run(args)` runs one manage.py command."""
    python = sys.executable
    snapshot = os.environ.get("LINLI_DEMO_SNAPSHOT")
    if snapshot and (Path(snapshot) / BUILT).exists():
        shutil.copytree(snapshot, tmp, dirs_exist_ok=True)
        (tmp / BUILT).unlink()
        print(f"  demo copied from {snapshot}", flush=True)
        return
    run([python, "manage.py", "migrate", "--noinput", "-v", "0"])
    run([python, "manage.py", "seed_demo"])
    if snapshot:
        shutil.rmtree(snapshot, ignore_errors=True)
        shutil.copytree(tmp, snapshot)
        (Path(snapshot) / BUILT).touch()
