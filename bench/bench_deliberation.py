"""Live tally of a community-wide vote (4,219 households) after each ballot, and 16 concurrent
ballot writers.

1. A community of 4,219 flats (a few owners of two flats) with one community-wide vote; 300
   ballots are cast one by one through `services.ballot_cast`, and after each the live tally
   (`selectors.vote_tally`) is timed and its queries counted. Target: a constant number of
   queries, median under 50 ms (SQLite and PostgreSQL).
2. 16 threads cast the remaining ballots at once, each head twice (a second ballot must be
   refused); at the end every head has exactly one ballot: none lost, none doubled.

Run: .venv/bin/python bench/bench_deliberation.py
(PostgreSQL: BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_delib ...)
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP = benchdb.setup("deliberation")

from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from linli.accounts.models import RoleAssignment, User  # noqa: E402
from linli.accounts.selectors import actor_for_user  # noqa: E402
from linli.core import dates  # noqa: E402
from linli.core.errors import DomainError  # noqa: E402
from linli.core.permissions import Actor  # noqa: E402
from linli.core.roles import Role  # noqa: E402
from linli.deliberation import selectors, services  # noqa: E402
from linli.deliberation.models import Ballot, Elector, Property, Vote  # noqa: E402
from linli.registry.models import Building, Community, Grid, Household, Unit  # noqa: E402

FLATS = 4219
SERIAL = int(os.environ.get("BENCH_SERIAL", "300"))
THREADS = int(os.environ.get("BENCH_THREADS", "16"))
CONCURRENT_HEADS = int(os.environ.get("BENCH_HEADS", "600"))


def build() -> tuple[Actor, Vote]:
    call_command("migrate", verbosity=0)
    c = Community.objects.create(
        name="文昌花园社区",
        code="wenchang",
        subdistrict="曲江街道",
        district="广陵区",
        city="扬州市",
    )
    grid = Grid.objects.create(community=c, number=1, name="一网格")
    households = []
    n = 0
    b_no = 0
    while n < FLATS:
        b_no += 1
        b = Building.objects.create(community=c, grid=grid, number=str(b_no), floors=6)
        for u_no in (1, 2, 3):
            u = Unit.objects.create(building=b, number=u_no)
            for floor in range(1, 7):
                for door in (1, 2):
                    if n >= FLATS:
                        break
                    households.append(
                        Household(
                            community=c,
                            building=b,
                            unit=u,
                            room=f"{floor}0{door}",
                            floor=floor,
                            area_m2=Decimal("75.55"),
                            tenure="owner",
                        )
                    )
                    n += 1
    Household.objects.bulk_create(households, batch_size=2000)
    hs = list(Household.objects.filter(community=c).select_related("building").order_by("id"))
    props = [
        Property(
            household=h,
            community=c,
            grid=grid,
            building_id=h.building_id,
            unit_id=h.unit_id,
            area=Decimal(6000 + (i * 37) % 5000) / 100,
            owner_key=f"O{i - 1 if i % 50 == 1 else i}",
            owner_label=f"业主{i}",
        )
        for i, h in enumerate(hs)
    ]
    Property.objects.bulk_create(props, batch_size=2000)
    user = User.objects.create_user(username="admin", password="x")
    RoleAssignment.objects.create(user=user, role=Role.COMMUNITY_ADMIN, community=c)
    actor = actor_for_user(user)
    today = dates.local_today()
    vote = services.vote_open(
        actor=actor,
        title="全体业主表决",
        scope="community",
        community_id=c.pk,
        base_rule="major",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        notify=False,
    )
    return actor, vote


def main() -> None:
    actor, vote = build()
    keys = list(
        Elector.objects.filter(vote=vote).order_by("id").values_list("owner_key", flat=True)
    )
    print(f"database: {connection.vendor}; electorate: {len(keys)} heads over {FLATS} flats")
    times, queries = [], []
    for i, key in enumerate(keys[:SERIAL]):
        services.ballot_cast(
            actor=actor,
            vote_public_id=vote.public_id,
            owner_key=key,
            choice="agree" if i % 5 else "object",
        )
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            t = selectors.vote_tally(vote)
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    times.sort()
    print(
        f"live tally after each of {SERIAL} ballots: median {statistics.median(times):.2f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.2f} ms, queries {min(queries)}..{max(queries)} "
        f"(constant: {min(queries) == max(queries)}); passed={t.passed}"
    )

    rest = keys[SERIAL : SERIAL + CONCURRENT_HEADS]
    retried = [0]
    refused = [0]
    lock = threading.Lock()

    def worker(part: list[str]) -> None:
        try:
            for key in part:
                for _ in range(2):
                    while True:
                        try:
                            services.ballot_cast(
                                actor=actor,
                                vote_public_id=vote.public_id,
                                owner_key=key,
                                choice="agree",
                            )
                        except DomainError:
                            with lock:
                                refused[0] += 1
                        except OperationalError:  # SQLite "database is locked": a client retries
                            with lock:
                                retried[0] += 1
                            time.sleep(random.random() * 0.02)  # back off, then retry
                            continue
                        break
        finally:
            connections.close_all()

    # Each head is written by two threads at once (the part is shared by neighbours).
    parts = [rest[i :: THREADS // 2] for i in range(THREADS // 2)]
    threads = [
        threading.Thread(target=worker, args=(parts[i % len(parts)],)) for i in range(THREADS)
    ]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - start
    total = Ballot.objects.filter(vote=vote).count()
    heads = Ballot.objects.filter(vote=vote).values("elector").distinct().count()
    expected = SERIAL + len(rest)
    print(
        f"{THREADS} concurrent writers: {len(rest) * 4} attempts in {elapsed:.1f} s; "
        f"ballots {total} for {expected} voting heads (distinct {heads}); second ballots "
        f"refused {refused[0]} (expected {len(rest) * 3}); locked retries {retried[0]}; "
        f"lost or doubled: {'none' if total == heads == expected else 'YES'}"
    )
    print(f"final tally: {selectors.vote_tally(vote).as_dict()}")


if __name__ == "__main__":
    main()
