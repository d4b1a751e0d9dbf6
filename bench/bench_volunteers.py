"""The points store under contention and the monthly leaderboard at scale.

1. Redemptions: 16 client threads, each a different resident with enough points, redeem the
   same item as fast as they can for a few seconds (every redemption locks the resident's
   account, takes stock with a conditional UPDATE, appends the ledger entry and the pickup
   code in one transaction). Prints successful redemptions per second and checks afterwards that
   stock + redeemed = initial stock and every balance = the sum of its entries.
2. Leaderboard: 1,200 volunteers and 100,000 ledger entries over a year (plus 30,000 confirmed
   sign-ups); median time of the month's leaderboard by points and by hours, and the query
   count for 20 and for 100 rows (it must not change).

Run: .venv/bin/python bench/bench_volunteers.py            (SQLite WAL, a temporary file)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_bench_vol \
         .venv/bin/python bench/bench_volunteers.py
Targets: leaderboard under 100 ms median; redemptions never overdraw stock or balance.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP = benchdb.setup("volunteers")

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.models import RoleAssignment, User  # noqa: E402
from linli.accounts.selectors import actor_for_user  # noqa: E402
from linli.core.errors import DomainError  # noqa: E402
from linli.core.roles import Role  # noqa: E402
from linli.registry.models import Building, Community, Grid, Household, Resident, Unit  # noqa: E402
from linli.volunteers import points, selectors  # noqa: E402
from linli.volunteers.models import (  # noqa: E402
    Activity,
    PointsAccount,
    PointsEntry,
    Redemption,
    Signup,
    StoreItem,
    Volunteer,
)

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = 5.0
VOLUNTEERS = 1200
ENTRIES = 100_000
SIGNUPS = 30_000
RUNS = 25


def place() -> tuple[Community, Household]:
    community = Community.objects.create(
        name="基准社区", code="bench", subdistrict="曲江街道", district="广陵区", city="扬州市"
    )
    grid = Grid.objects.create(community=community, number=1, name="一网格")
    building = Building.objects.create(community=community, grid=grid, number="1", floors=6)
    unit = Unit.objects.create(building=building, number=1)
    household = Household.objects.create(
        community=community, building=building, unit=unit, room="101", floor=1, tenure="owner"
    )
    return community, household


def resident(community: Community, household: Household, i: int) -> Resident:
    return Resident(
        community=community,
        household=household,
        name=f"居民{i}",
        name_pinyin="jumin",
        name_initials="jm",
        gender="M",
        birth_date=dt.date(1980, 1, 1),
        relation="other",
    )


def bench_redemptions(community: Community, household: Household) -> None:
    people = Resident.objects.bulk_create(
        [resident(community, household, i) for i in range(CLIENTS)]
    )
    actors = []
    for i, person in enumerate(people):
        user = User.objects.create_user(username=f"bench{i}", password="x", resident=person)
        RoleAssignment.objects.create(
            user=user, role=Role.RESIDENT, household=household, community=community
        )
        account = points.account_for_resident(
            community_id=community.id, resident_id=person.id, name=person.name
        )
        with transaction.atomic():
            points.credit(
                points.lock_account(account.pk),
                kind="rule",
                points=1_000_000,
                actor=points.SYSTEM,
            )
        actors.append(actor_for_user(user))
    stock = 1_000_000
    item = StoreItem.objects.create(community=community, name="毛巾", price=10, stock=stock)
    # Clients are processes (as gunicorn workers would be), each with its own connection;
    # threads would measure Python's GIL rather than the database.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 1.0
    processes = [
        context.Process(target=_client, args=(actors[i], item.id, start_at, results))
        for i in range(CLIENTS)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get() for _ in processes]
    for process in processes:
        process.join()
    elapsed = SECONDS
    ok = [o[0] for o in outcomes]
    refused = [o[1] for o in outcomes]
    item.refresh_from_db()
    redeemed = Redemption.objects.filter(item=item).count()
    assert item.stock + redeemed == stock, "stock and redemptions disagree"
    for account in PointsAccount.objects.filter(community=community):
        total = PointsEntry.objects.filter(account=account).aggregate(s=Sum("points"))["s"] or 0
        assert account.balance == total >= 0, "a balance disagrees with its ledger"
    print(
        f"redemptions, {CLIENTS} concurrent clients on {connection.vendor}: "
        f"{sum(ok)} in {elapsed:.1f} s = {sum(ok) / elapsed:.0f} redemptions/s "
        f"(refused: {sum(refused)}; stock and balances consistent)"
    )


def _client(actor: object, item_id: int, start_at: float, results: object) -> None:
    """One client: redeem as fast as it can for SECONDS from a common start."""
    while time.time() < start_at:
        time.sleep(0.001)
    ok = refused = 0
    deadline = time.time() + SECONDS
    while time.time() < deadline:
        try:
            points.points_redeem(actor=actor, item_id=item_id)  # type: ignore[arg-type]
            ok += 1
        except DomainError:
            refused += 1
    connections.close_all()
    results.put((ok, refused))  # type: ignore[attr-defined]


def bench_leaderboard(community: Community, household: Household) -> None:
    rng = random.Random(5)
    people = Resident.objects.bulk_create(
        [resident(community, household, 1000 + i) for i in range(VOLUNTEERS)], batch_size=1000
    )
    accounts = PointsAccount.objects.bulk_create(
        [PointsAccount(community=community, resident=p, name=p.name) for p in people],
        batch_size=1000,
    )
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                community=community,
                resident=p,
                account=a,
                number=f"ZYB{i:06d}",
                name=p.name,
                joined_on=dt.date(2024, 1, 1),
            )
            for i, (p, a) in enumerate(zip(people, accounts, strict=True))
        ],
        batch_size=1000,
    )
    now = timezone.now()
    entries = []
    for _ in range(ENTRIES):
        account = rng.choice(accounts)
        at = now - dt.timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        entries.append(
            PointsEntry(
                account=account,
                community=community,
                kind=rng.choice(("hours", "hours", "hours", "rule", "redemption")),
                points=rng.randrange(5, 40),
                balance_after=0,
                created_at=at,
            )
        )
    PointsEntry.objects.bulk_create(entries, batch_size=5000)
    activities = Activity.objects.bulk_create(
        [
            Activity(
                community=community,
                title=f"活动{i}",
                place="会馆",
                starts_at=now - dt.timedelta(days=i),
                ends_at=now - dt.timedelta(days=i) + dt.timedelta(hours=2),
                capacity=1000,
            )
            for i in range(365)
        ]
    )
    Signup.objects.bulk_create(
        [
            Signup(
                activity=activities[i % 365],
                volunteer=volunteers[i % VOLUNTEERS],
                status="confirmed",
                hours=rng.choice((1, 1.5, 2, 2.5)),
                confirmed_at=activities[i % 365].ends_at,
            )
            for i in range(SIGNUPS)
        ],
        batch_size=5000,
    )
    admin = User.objects.create_user(username="bench_admin", password="x")
    RoleAssignment.objects.create(user=admin, role=Role.COMMUNITY_ADMIN, community=community)
    actor = actor_for_user(admin)
    month = timezone.localdate().replace(day=1)
    for by in ("points", "hours"):
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            rows = selectors.leaderboard(actor, community_id=community.id, month=month, by=by)
            times.append((time.perf_counter() - started) * 1000)
        counts = []
        for limit in (20, 100):
            with CaptureQueriesContext(connection) as ctx:
                selectors.leaderboard(
                    actor, community_id=community.id, month=month, by=by, limit=limit
                )
            counts.append(len(ctx))
        print(
            f"leaderboard by {by} on {connection.vendor} ({VOLUNTEERS} volunteers, "
            f"{ENTRIES:,} entries, {SIGNUPS:,} sign-ups): "
            f"median {statistics.median(times):.1f} ms, "
            f"max {max(times):.1f} ms; queries for 20 / 100 rows: {counts[0]} / {counts[1]}; "
            f"top: {rows[0].name if rows else '-'}"
        )


def main() -> None:
    call_command("migrate", verbosity=0)
    community, household = place()
    bench_redemptions(community, household)
    bench_leaderboard(community, household)


if __name__ == "__main__":
    main()
