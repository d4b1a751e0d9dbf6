"""Run every benchmark in bench/ one after the other and print their figures.

`make bench` calls this. Each benchmark builds its own temporary database; set
BENCH_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/linli_bench) to measure on
PostgreSQL as well. Benchmarks never gate the test suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        failed |= subprocess.call([sys.executable, str(script)]) != 0
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
