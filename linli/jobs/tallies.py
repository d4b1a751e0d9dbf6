"""The monthly tallies: one row per worker, firm and month with the ledger's sums (pieces, the
exact amount, and that amount rounded to the fen once, half-up, as the statement line does).

The statistics read these rows instead of the ledger: a year is about one row per worker and
firm a month however many returns the ledger holds. They are derived data, never edited by
hand: `refresh` recomputes one row from the ledger inside the transaction of the service that
wrote the entry (`batch_return`, `entry_correct`), so a tally is exactly as fresh as the ledger;
`rebuild` recomputes every row (`manage.py jobs_rebuild_tallies`, and the demo builder, which
writes the ledger with `bulk_create`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum

from linli.jobs.models import EarningEntry, MonthTally
from linli.jobs.money import to_fen


def fen_of(exact: Decimal) -> int:
    """An exact amount in whole fen, rounded once, half-up."""
    return int(to_fen(exact).scaleb(2))


def refresh(*, community_id: int, worker_id: int, firm_id: int, month: dt.date) -> None:
    """Recompute one tally from the ledger (call inside the transaction that wrote the entry,
    with the worker's row locked, as the ledger's services do)."""
    sums = EarningEntry.objects.filter(worker_id=worker_id, firm_id=firm_id, month=month).aggregate(
        p=Sum("pieces"), a=Sum("amount"), t=Max("team_id")
    )
    exact = Decimal(sums["a"] or 0)
    MonthTally.objects.update_or_create(
        worker_id=worker_id,
        firm_id=firm_id,
        month=month,
        defaults={
            "community_id": community_id,
            "team_id": sums["t"],
            "pieces": int(sums["p"] or 0),
            "exact": exact,
            "fen": fen_of(exact),
        },
    )


@transaction.atomic
def rebuild(community_id: int | None = None) -> int:
    """Recompute every tally (of one community, or all) from the ledger; returns the count."""
    entries = EarningEntry.objects.all()
    tallies = MonthTally.objects.all()
    if community_id is not None:
        entries = entries.filter(community_id=community_id)
        tallies = tallies.filter(community_id=community_id)
    tallies._raw_delete(tallies.db)  # derived rows, nothing refers to them
    rows = [
        MonthTally(
            community_id=r["community_id"],
            worker_id=r["worker_id"],
            firm_id=r["firm_id"],
            month=r["month"],
            team_id=r["t"],
            pieces=int(r["p"]),
            exact=Decimal(r["a"]),
            fen=fen_of(Decimal(r["a"])),
        )
        for r in entries.values("community_id", "worker_id", "firm_id", "month")
        .annotate(p=Sum("pieces"), a=Sum("amount"), t=Max("team_id"))
        .order_by()
    ]
    MonthTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
