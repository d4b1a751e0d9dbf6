"""Fan-out of one community notice to every resident's inbox on the full Wenchang demo.

Builds the demo into a fresh database (`migrate`, `seed_demo`), gives every active resident an
account (as if all 12,618 had activated), publishes a notice to the whole community and times
`notice_fan_out`: the total, and the longest batch (each batch is one transaction: on SQLite
the write lock is held for one batch at a time). Runs it a second time (must add nothing).

Run: .venv/bin/python bench/bench_notify.py
     (BENCH_DEMO_DIR=<dir holding bench.sqlite3 and local/ of a seeded demo> reuses a copy of
     it instead of building one: SQLite only)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_hub \\
         .venv/bin/python bench/bench_notify.py
Targets: under 10 s in total, no batch over 1 s, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP, REUSE = benchdb.setup_or_reuse("notify")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from linli.accounts.models import RoleAssignment, User  # noqa: E402
from linli.accounts.selectors import actor_for_user  # noqa: E402
from linli.core.roles import Role  # noqa: E402
from linli.notify import services  # noqa: E402
from linli.notify.models import Notification  # noqa: E402
from linli.registry.choices import ResidentStatus  # noqa: E402
from linli.registry.models import Community, Resident  # noqa: E402


def main() -> None:
    started = time.perf_counter()
    print(f"load average before: {os.getloadavg()}")
    call_command("migrate", verbosity=0)
    if not REUSE:
        call_command("seed_demo", verbosity=0)
    print(f"demo ready in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    community = Community.objects.order_by("id").first()
    assert community is not None
    have = set(User.objects.exclude(resident=None).values_list("resident_id", flat=True))
    residents = list(
        Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE)
        .exclude(pk__in=have)
        .values_list("pk", "household_id")
    )
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(username=f"bench-r{pk}", resident_id=pk, password="!", is_active=True)
                for pk, _household in residents
            ],
            batch_size=2000,
        )
        if not users or users[0].pk is None:  # backends without RETURNING
            users = list(User.objects.filter(username__startswith="bench-r").order_by("pk"))
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    user_id=u.pk,
                    role=Role.RESIDENT,
                    household_id=household,
                    community_id=community.pk,
                )
                for u, (_pk, household) in zip(users, residents, strict=True)
            ],
            batch_size=2000,
        )
    admin = User.objects.filter(username="wenchang_admin").first()
    assert admin is not None
    notice = services.notice_publish(
        actor=actor_for_user(admin),
        community_id=community.pk,
        audience="community",
        title="全社区停水通知",
        body="明天 9:00–12:00 全社区停水。",
    )
    timings: list[float] = []
    started = time.perf_counter()
    reached = services.notice_fan_out(notice.pk, timings=timings)
    total = time.perf_counter() - started
    again = time.perf_counter()
    services.notice_fan_out(notice.pk)
    second = time.perf_counter() - again
    rows = Notification.objects.filter(key=services.notice_key(notice.pk)).count()
    print(f"recipients: {reached} (inbox rows: {rows}, duplicates: {rows - reached})")
    print(
        f"fan-out ({connection.vendor}): {total:.2f} s in {len(timings)} batches of "
        f"{services.FAN_OUT_BATCH}; write transaction (lock held) per batch: "
        f"max {max(timings):.3f} s, median {statistics.median(timings):.3f} s"
    )
    print(f"load average after: {os.getloadavg()}")
    print(f"second run (adds nothing): {second:.2f} s")
    print(
        f"targets: total < 10 s {'OK' if total < 10 else 'MISSED'}; "
        f"batch < 1 s {'OK' if max(timings) < 1 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
