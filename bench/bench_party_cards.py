"""Warm service cards for the whole Wenchang Garden demo: all 4,219 households in one batch,
through the same page an organiser prints from (households, contacts, QR codes, the HTML).

Run: .venv/bin/python bench/bench_party_cards.py            (SQLite, a temporary file)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_bench_party \
         .venv/bin/python bench/bench_party_cards.py
Target: all cards in under 60 s. Prints cards per second for a cold run (QR codes drawn) and a
warm one (QR codes cached in the process), the query count of the batch, and the page size.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

os.environ.setdefault("LINLI_PLAIN_STATIC", "1")  # render templates without a collected manifest
os.environ.setdefault("LINLI_SECURE", "0")
TMP = benchdb.setup("party")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from linli.accounts.models import User  # noqa: E402
from linli.demo.builder import build_demo  # noqa: E402
from linli.registry.models import Household  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_demo()
    print(f"demo built in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    households = Household.objects.filter(community__code="wenchang", status="active").count()
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username="party"))
    for label in ("cold (QR codes drawn)", "warm (QR codes cached)"):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get("/party/cards/print/?all=1")
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        body = response.content
        printed = body.count(b'data-testid="service-card"')
        assert printed == households, (printed, households)
        print(
            f"{label}: {printed} cards in {elapsed:.1f} s = {printed / elapsed:.0f} cards/s; "
            f"{len(ctx.captured_queries)} queries; page {len(body) / 1e6:.1f} MB"
        )
    print(f"target: under 60 s for all {households} cards")


if __name__ == "__main__":
    main()
