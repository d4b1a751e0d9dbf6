"""Registry search among 100,000 residents: median time of the resident list (count + first
page of 50) for typical searches, as a community admin and as a grid worker.

Run: .venv/bin/python bench/bench_search.py            (SQLite, a temporary file)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_bench \
         .venv/bin/python bench/bench_search.py
Target: under 100 ms median on SQLite and on PostgreSQL. Also prints the query count of the
list for page sizes 20 and 200 (it must not change).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP = benchdb.setup("search")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from faker import Faker  # noqa: E402

from linli.accounts.models import RoleAssignment, User  # noqa: E402
from linli.accounts.selectors import actor_for_user  # noqa: E402
from linli.core import pii  # noqa: E402
from linli.core.roles import Role  # noqa: E402
from linli.registry.models import Building, Community, Grid, Household, Resident, Unit  # noqa: E402
from linli.registry.names import pinyin_forms  # noqa: E402
from linli.registry.selectors import ResidentFilters, resident_list  # noqa: E402

N_RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "100000"))
RUNS = 25


def build() -> tuple[Community, Grid, str, str]:
    rng = random.Random(7)
    fake = Faker("zh_CN")
    fake.seed_instance(7)
    names = [fake.name() for _ in range(3000)]
    forms = {n: pinyin_forms(n) for n in names}
    with transaction.atomic():
        c = Community.objects.create(
            name="基准社区", code="bench", subdistrict="曲江街道", district="广陵区", city="扬州市"
        )
        grids = [Grid.objects.create(community=c, number=i, name=f"网格{i}") for i in range(1, 21)]
        households: list[Household] = []
        for b in range(1, 401):
            building = Building.objects.create(
                community=c, grid=grids[b % 20], number=str(b), floors=6
            )
            for u in (1, 2, 3):
                unit = Unit.objects.create(building=building, number=u)
                for floor in range(1, 7):
                    for door in (1, 2):
                        households.append(
                            Household(
                                community=c,
                                building=building,
                                unit=unit,
                                room=f"{floor}0{door}",
                                floor=floor,
                                tenure="owner",
                            )
                        )
        Household.objects.bulk_create(households, batch_size=2000)
        households = list(Household.objects.filter(community=c))
        residents = []
        # Hashes and masks are real; the ciphertext is one shared token (encryption is not
        # what this benchmark measures and 200,000 Fernet calls would dominate the build).
        token = pii.encrypt("x")
        for i in range(N_RESIDENTS):
            name = names[i % len(names)]
            full, initials = forms[name]
            phone = f"139{i:08d}"
            residents.append(
                Resident(
                    community=c,
                    household=households[i % len(households)],
                    name=name,
                    name_pinyin=full,
                    name_initials=initials,
                    gender="M" if i % 2 else "F",
                    birth_date=f"{1940 + i % 80}-0{1 + i % 9}-1{i % 9}",
                    relation="head",
                    phone_encrypted=token,
                    phone_hash=pii.lookup_hash("phone", phone),
                    phone_masked=pii.mask_phone(phone),
                )
            )
        Resident.objects.bulk_create(residents, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    sample = rng.choice(names)
    return c, grids[3], sample, forms[sample][1]


def timed(actor, filters: ResidentFilters) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        qs = resident_list(actor, filters)
        qs.count()
        list(qs[:50])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    community, grid, name, initials = build()
    print(
        f"built {N_RESIDENTS} residents on {connection.vendor} in {time.perf_counter() - t0:.1f} s"
    )
    admin = User.objects.create(username="bench_admin")
    RoleAssignment.objects.create(user=admin, role=Role.COMMUNITY_ADMIN, community=community)
    worker = User.objects.create(username="bench_worker")
    RoleAssignment.objects.create(
        user=worker, role=Role.GRID_WORKER, community=community, grid=grid
    )
    cases = [
        ("name part", ResidentFilters(q=name[1:])),
        ("pinyin initials", ResidentFilters(q=initials)),
        ("phone", ResidentFilters(q="13900012345")),
        ("room 12-2-301", ResidentFilters(q="12-2-301")),
        ("tag 80+", ResidentFilters(tag="over_80")),
        ("no filter", ResidentFilters()),
    ]
    print(f"{'search':<18}{'admin (ms)':>12}{'grid worker (ms)':>18}   target < 100 ms median")
    worst = 0.0
    for label, filters in cases:
        a = timed(actor_for_user(admin), filters)
        w = timed(actor_for_user(worker), filters)
        worst = max(worst, a, w)
        print(f"{label:<18}{a:>12.1f}{w:>18.1f}")
    counts = []
    for size in (20, 200):
        with CaptureQueriesContext(connection) as ctx:
            qs = resident_list(actor_for_user(admin), ResidentFilters())
            qs.count()
            for r in qs[:size]:
                _ = (r.household.address, r.household.building.grid.name, r.tags)
        counts.append(len(ctx.captured_queries))
    print(f"queries for page size 20 / 200: {counts[0]} / {counts[1]}")
    print(f"worst median: {worst:.1f} ms ({'OK' if worst < 100 else 'OVER TARGET'})")


if __name__ == "__main__":
    main()
