"""Resident import from Excel: a 20,000-row ledger, dry run and commit timed separately, then
the same file again (every row unchanged) and an export of everything.

Run: .venv/bin/python bench/bench_import.py            (SQLite, a temporary file)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_bench \
         .venv/bin/python bench/bench_import.py
Target: at least 300 rows/s for dry run + commit together. BENCH_ROWS changes the size.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP = benchdb.setup("import")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from faker import Faker  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from linli.accounts.models import RoleAssignment, User  # noqa: E402
from linli.accounts.selectors import actor_for_user  # noqa: E402
from linli.core.permissions import Actor  # noqa: E402
from linli.core.roles import Role  # noqa: E402
from linli.registry.exporting import export_residents  # noqa: E402
from linli.registry.importing import COLUMNS, import_commit, import_dry_run  # noqa: E402
from linli.registry.models import Building, Community, Grid, ImportBatch, Unit  # noqa: E402
from linli.registry.selectors import ResidentFilters  # noqa: E402
from linli.registry.validators import id_check_char  # noqa: E402

N_ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
TARGET = 300.0
BUILDINGS, UNITS, FLOORS, DOORS = 100, 3, 12, 2  # 7,200 rooms
RELATIONS = ["户主", "配偶", "子女", "父母", "孙子女"]


def build() -> tuple[Community, Actor]:
    with transaction.atomic():
        c = Community.objects.create(
            name="基准社区", code="bench", subdistrict="曲江街道", district="广陵区", city="扬州市"
        )
        grids = [Grid.objects.create(community=c, number=i, name=f"网格{i}") for i in range(1, 11)]
        for b in range(1, BUILDINGS + 1):
            building = Building.objects.create(
                community=c, grid=grids[b % 10], number=str(b), floors=FLOORS
            )
            Unit.objects.bulk_create(Unit(building=building, number=u) for u in range(1, UNITS + 1))
        user = User.objects.create_user(username="bench-admin", password="x" * 20)
        RoleAssignment.objects.create(user=user, role=Role.COMMUNITY_ADMIN, community=c)
    return c, actor_for_user(user)


def ledger(n: int) -> bytes:
    """n valid rows, about three people per room, unique ID numbers and phones."""
    rng = random.Random(11)
    fake = Faker("zh_CN")
    fake.seed_instance(11)
    names = [fake.name() for _ in range(4000)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民信息")
    ws.append([c.header for c in COLUMNS])
    start = dt.date(1950, 1, 1)
    rooms = [
        (b, u, f"{f}{d:02d}")
        for b in range(1, BUILDINGS + 1)
        for u in range(1, UNITS + 1)
        for f in range(1, FLOORS + 1)
        for d in range(1, DOORS + 1)
    ]
    for i in range(n):
        building, unit, room = rooms[i // 3 % len(rooms)]
        # Unique numbers: 500 per birth date (2-digit serial + gender digit).
        birth = start + dt.timedelta(days=(i // 500) * 300 + i % 7)
        k = i % 500
        male = i % 2 == 0
        first17 = f"321002{birth:%Y%m%d}{k // 5:02d}{(k % 5) * 2 + int(male)}"
        values = {
            "building": str(building),
            "unit": unit,
            "room": room,
            "area": round(rng.uniform(50, 140), 1) if i % 3 == 0 else None,
            "tenure": "业主" if building % 4 else "租户",
            "name": rng.choice(names),
            "citizen_id": first17 + id_check_char(first17),
            "phone": f"138{i:08d}" if i % 4 else "",
            "relation": RELATIONS[i % 3 if i % 3 else 0] if i % 3 else "户主",
            "disability": "二级" if i % 97 == 0 else "",
            "low_income": "是" if i % 31 == 0 else "否",
            "party_member": "是" if i % 13 == 0 else "",
        }
        ws.append([values.get(c.key) for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(actor: Actor, data: bytes, label: str) -> tuple[float, float, ImportBatch]:
    t0 = time.perf_counter()
    batch = import_dry_run(actor=actor, file=io.BytesIO(data), file_name=f"{label}.xlsx")
    t1 = time.perf_counter()
    if batch.errors:
        print("  unexpected errors:", batch.errors[:5])
        raise SystemExit(1)
    batch = import_commit(actor=actor, batch_public_id=batch.public_id)
    t2 = time.perf_counter()
    assert batch.status == ImportBatch.Status.COMMITTED, batch.errors[:5]
    dry, commit = t1 - t0, t2 - t1
    n = batch.total_rows
    print(
        f"{label}: {n} rows, {batch.new_households} new households, "
        f"{batch.new_residents} new residents, {batch.unchanged_rows} unchanged"
    )
    print(f"  dry run  {dry:6.2f} s  {n / dry:8.0f} rows/s")
    print(f"  commit   {commit:6.2f} s  {n / commit:8.0f} rows/s")
    overall = n / (dry + commit)
    verdict = "OK" if overall >= TARGET else "BELOW TARGET"
    print(
        f"  overall  {dry + commit:6.2f} s  {overall:8.0f} rows/s  (target {TARGET:.0f}) {verdict}"
    )
    return dry, commit, batch


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; rows: {N_ROWS}")
    _community, actor = build()
    t = time.perf_counter()
    data = ledger(N_ROWS)
    print(f"generated the ledger in {time.perf_counter() - t:.1f} s ({len(data) // 1024} KiB)")
    run(actor, data, "first import")
    run(actor, data, "same file again")
    t = time.perf_counter()
    exported = export_residents(actor=actor, filters=ResidentFilters())
    count = exported.rows
    took = time.perf_counter() - t
    print(
        f"export: {count} rows in {took:.2f} s "
        f"({count / took:.0f} rows/s, {len(exported.content) // 1024} KiB)"
    )


if __name__ == "__main__":
    main()
