"""Search across modules and the resident hub on the full Wenchang demo.

Builds the demo into a fresh database (`migrate`, `seed_demo`) and times, 25 runs each:
`hub.selectors.search` for a community admin and a grid worker with typical queries (a name,
pinyin initials, a room code, a request number, words of a request, a volunteer, an
organisation), and the demo resident's hub page (`GET /` through the test client).

Run: .venv/bin/python bench/bench_search_all.py
     (BENCH_DEMO_DIR=<dir holding bench.sqlite3 and local/ of a seeded demo> reuses a copy of
     it instead of building one: SQLite only)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_hub \\
         .venv/bin/python bench/bench_search_all.py
Targets: search under 150 ms median per query, the hub under 50 ms median, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP, REUSE = benchdb.setup_or_reuse("search-all")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from linli.accounts.models import User  # noqa: E402
from linli.accounts.selectors import actor_for_user  # noqa: E402
from linli.core import hooks  # noqa: E402
from linli.hotline.models import ServiceRequest  # noqa: E402
from linli.hub import selectors  # noqa: E402
from linli.registry.models import Household, Resident  # noqa: E402
from linli.volunteers.models import Volunteer  # noqa: E402

RUNS = 25


def median_ms(fn: object) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    benchdb.serve_pages_without_collectstatic()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not REUSE:
        call_command("seed_demo", verbosity=0)
    print(f"demo ready in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    print(f"load average: {os.getloadavg()}")
    admin = actor_for_user(User.objects.get(username="wenchang_admin"))
    worker = actor_for_user(User.objects.get(username="grid1"))
    resident = Resident.objects.filter(household__building__grid__number=1).order_by("id").first()
    household = Household.objects.filter(building__grid__number=1).order_by("id").first()
    request = (
        ServiceRequest.objects.filter(grid__number=1, community__code="wenchang")
        .order_by("-id")
        .first()
    )
    volunteer = Volunteer.objects.filter(community__code="wenchang").order_by("id").first()
    assert resident and household and request and volunteer
    queries = {
        "name": resident.name,
        "initials": resident.name_initials[:3],
        "room": household.address,
        "request number": request.number,
        "request words": "漏水",
        "volunteer": volunteer.name,
    }
    worst = 0.0
    for who, actor in (("admin", admin), ("grid1", worker)):
        for label, q in queries.items():
            hits = sum(len(g.hits) for g in selectors.search(actor, q))
            ms = median_ms(lambda actor=actor, q=q: selectors.search(actor, q))
            with CaptureQueriesContext(connection) as ctx:
                selectors.search(actor, q)
            worst = max(worst, ms)
            print(
                f"search {who:6} {label:15} {q!r:14} {hits:3} hits {ms:7.1f} ms "
                f"{len(ctx.captured_queries)} queries"
            )
    for label, q in queries.items():
        parts = []
        for provider in hooks.search_providers_for(admin):
            ms = median_ms(lambda p=provider, q=q: p.search(admin, q, selectors.HITS_PER_PROVIDER))
            parts.append(f"{provider.domain} {ms:.1f}")
        print(f"  per provider (admin, {label}): " + ", ".join(parts) + " ms")
    for q in ("", "张", " "):
        assert selectors.search(admin, q) == [], q  # nobody asked, no error
    print(
        f"search: worst median {worst:.1f} ms "
        f"(target < 150 ms: {'OK' if worst < 150 else 'MISSED'})"
    )

    client = Client()
    client.force_login(User.objects.get(username="resident"))
    assert client.get("/", secure=True).status_code == 200
    hub = median_ms(lambda: client.get("/", secure=True))
    with CaptureQueriesContext(connection) as ctx:
        client.get("/", secure=True)
    print(
        f"resident hub: median {hub:.1f} ms, {len(ctx.captured_queries)} queries "
        f"(target < 50 ms: {'OK' if hub < 50 else 'MISSED'})"
    )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
