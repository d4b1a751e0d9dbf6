"""Reads of the doorstep jobs. Staff reads start from `for_actor(VIEW)`; a worker's own reads
from `for_actor(PORTAL)` narrowed to the signed-in resident himself."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import CharField, Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Cast

from linli.core import dates
from linli.core.permissions import Actor, access, for_actor, has_perm
from linli.jobs.choices import OrderStatus
from linli.jobs.models import (
    Batch,
    EarningEntry,
    Firm,
    MonthTally,
    Order,
    Statement,
    StatementLine,
    Team,
    Worker,
)
from linli.jobs.money import to_fen
from linli.jobs.permissions import MANAGE, PORTAL, VIEW
from linli.registry.choices import ResidentStatus
from linli.registry.models import Resident


def can_manage(actor: Actor) -> bool:
    return has_perm(actor, MANAGE)


def firm_list(actor: Actor) -> QuerySet[Firm]:
    return for_actor(actor, VIEW, Firm.objects.all()).annotate(
        open_orders=Count("orders", filter=Q(orders__status=OrderStatus.OPEN))
    )


def firm_get(actor: Actor, firm_id: int) -> Firm:
    return access(actor, VIEW, Firm.objects.all(), pk=firm_id)


def order_list(actor: Actor, *, status: str = "", firm_id: int | None = None) -> QuerySet[Order]:
    qs = for_actor(actor, VIEW, Order.objects.select_related("firm"))
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    if firm_id:
        qs = qs.filter(firm_id=firm_id)
    return qs.order_by("status", "-received_on", "-id")


def order_get(actor: Actor, order_id: int) -> Order:
    return access(actor, VIEW, Order.objects.select_related("firm"), pk=order_id)


def order_batches(actor: Actor, order: Order) -> QuerySet[Batch]:
    return (
        for_actor(actor, VIEW, Batch.objects.select_related("worker__resident"))
        .filter(order=order)
        .order_by("-dispatched_on", "-id")
    )


def team_list(actor: Actor) -> QuerySet[Team]:
    return for_actor(actor, VIEW, Team.objects.select_related("leader")).annotate(
        member_count=Count("workers", filter=Q(workers__active=True))
    )


def worker_list(actor: Actor, *, team_id: int | None = None, q: str = "") -> QuerySet[Worker]:
    qs = for_actor(actor, VIEW, Worker.objects.select_related("resident", "team"))
    if team_id:
        qs = qs.filter(team_id=team_id)
    if q:
        qs = qs.filter(Q(resident__name__contains=q) | Q(resident__name_initials__icontains=q))
    return qs.order_by("team_id", "id")


def worker_get(actor: Actor, public_id: Any) -> Worker:
    return access(
        actor, VIEW, Worker.objects.select_related("resident", "team"), public_id=public_id
    )


def worker_choices(actor: Actor) -> list[tuple[str, str]]:
    return [
        (str(w.public_id), f"{w.resident.name}{' · ' + w.team.name if w.team else ''}")
        for w in worker_list(actor).filter(active=True)[:1000]
    ]


def open_batches(actor: Actor, worker: Worker) -> QuerySet[Batch]:
    return (
        for_actor(actor, VIEW, Batch.objects.select_related("order__firm"))
        .filter(worker=worker, settled__lt=F("quantity"))
        .order_by("dispatched_on", "id")
    )


def batch_get(actor: Actor, batch_id: int) -> Batch:
    return access(
        actor, VIEW, Batch.objects.select_related("order__firm", "worker__resident"), pk=batch_id
    )


def recent_batches(actor: Actor, limit: int = 30) -> list[Batch]:
    return list(
        for_actor(
            actor, VIEW, Batch.objects.select_related("order__firm", "worker__resident")
        ).order_by("-dispatched_on", "-id")[:limit]
    )


@dataclass(frozen=True)
class MonthSoFar:
    month: dt.date
    pieces: int
    exact: Decimal
    amount: Decimal  # what the statement would show if issued now (each firm's part rounded once)


def worker_month(worker: Worker, month: dt.date) -> MonthSoFar:
    rows = (
        EarningEntry.objects.filter(worker=worker, month=month)
        .values("firm_id")
        .annotate(p=Sum("pieces"), a=Sum("amount"))
        .order_by()
    )
    pieces = sum(int(r["p"]) for r in rows)
    exact = sum((Decimal(r["a"]) for r in rows), Decimal(0))
    rounded = sum((to_fen(Decimal(r["a"])) for r in rows), Decimal(0))
    return MonthSoFar(month=month, pieces=pieces, exact=exact, amount=rounded)


def worker_entries(worker: Worker, limit: int = 50) -> list[EarningEntry]:
    return list(
        EarningEntry.objects.filter(worker=worker)
        .select_related("firm", "order")
        .order_by("-on", "-id")[:limit]
    )


def worker_statements(worker: Worker) -> QuerySet[Statement]:
    return Statement.objects.filter(worker=worker).order_by("-month")


def worker_batches(worker: Worker, limit: int = 30) -> list[Batch]:
    return list(
        Batch.objects.filter(worker=worker)
        .select_related("order__firm")
        .order_by("-dispatched_on", "-id")[:limit]
    )


def own_worker(actor: Actor) -> Worker | None:
    """The signed-in resident's own worker record (a household grant narrowed to himself)."""
    if not has_perm(actor, PORTAL) or actor.resident_id is None:
        return None
    return (
        for_actor(actor, PORTAL, Worker.objects.select_related("resident", "team"))
        .filter(resident_id=actor.resident_id)
        .first()
    )


def own_statement(actor: Actor, public_id: Any) -> Statement:
    worker = own_worker(actor)
    return access(
        actor,
        PORTAL,
        Statement.objects.filter(worker=worker).select_related("worker__resident", "team"),
        public_id=public_id,
    )


def statement_list(actor: Actor, month: dt.date) -> QuerySet[Statement]:
    return (
        for_actor(actor, VIEW, Statement.objects.select_related("worker__resident", "team"))
        .filter(month=month)
        .order_by("team_id", "worker_id")
    )


def statement_get(actor: Actor, public_id: Any) -> Statement:
    return access(
        actor,
        VIEW,
        Statement.objects.select_related("worker__resident", "team"),
        public_id=public_id,
    )


def statement_lines(statement: Statement) -> list[StatementLine]:
    return list(
        StatementLine.objects.filter(statement=statement)
        .select_related("firm")
        .order_by("firm__name")
    )


@dataclass
class Settlement:
    firm: Firm
    workers: int = 0
    pieces: int = 0
    amount: Decimal = Decimal(0)  # sum of the firm's statement lines
    ledger: Decimal = Decimal(0)  # recomputed from the ledger, each worker's part rounded once

    @property
    def checked(self) -> bool:
        return self.amount == self.ledger


def settlements(actor: Actor, month: dt.date) -> list[Settlement]:
    """Each firm's settlement for the month = the sum of its workers' statement lines, checked
    against the ledger (three queries)."""
    firms = {f.id: f for f in for_actor(actor, VIEW, Firm.objects.all())}
    out = {fid: Settlement(firm=f) for fid, f in firms.items()}
    for r in (
        StatementLine.objects.filter(statement__month=month, firm_id__in=list(firms))
        .values("firm_id")
        .annotate(w=Count("id"), p=Sum("pieces"), a=Sum("amount"))
        .order_by()
    ):
        s = out[r["firm_id"]]
        s.workers, s.pieces, s.amount = r["w"], int(r["p"]), to_fen(Decimal(r["a"]))
    issued = Statement.objects.filter(
        month=month, community_id__in=sorted(actor.community_ids)
    ).values("worker_id")
    for e in (
        EarningEntry.objects.filter(month=month, firm_id__in=list(firms), worker_id__in=issued)
        .values("firm_id", "worker_id")
        .annotate(a=Sum("amount"))
        .order_by()
    ):
        out[e["firm_id"]].ledger += to_fen(Decimal(e["a"]))
    return [s for s in out.values() if s.workers or s.ledger]


def outreach_list(actor: Actor, limit: int = 200) -> list[Resident]:
    """Working-age residents who are unemployed or on low income and not yet working: the
    outreach list (unemployed and low-income first)."""
    if not has_perm(actor, MANAGE):
        return []
    today = dates.local_today()
    oldest = dt.date(today.year - 60, today.month, min(today.day, 28))
    youngest = dt.date(today.year - 16, today.month, min(today.day, 28))
    workers = Worker.objects.values("resident_id")
    return list(
        Resident.objects.filter(
            community_id__in=sorted(actor.community_ids),
            status=ResidentStatus.ACTIVE,
            birth_date__gt=oldest,
            birth_date__lte=youngest,
        )
        .filter(Q(is_unemployed=True) | Q(is_low_income=True))
        .exclude(id__in=workers)
        .order_by("-is_unemployed", "-is_low_income", "name_pinyin")[:limit]
    )


def resident_choices_for_workers(actor: Actor) -> list[tuple[str, str]]:
    return [(str(r.public_id), f"{r.name} · {r.phone_masked}") for r in outreach_list(actor, 300)]


def party_member_choices(actor: Actor) -> list[tuple[str, str]]:
    """Party members of the registry: who may lead a team."""
    if not has_perm(actor, MANAGE):
        return []
    return [
        (str(r.public_id), r.name)
        for r in Resident.objects.filter(
            community_id__in=sorted(actor.community_ids),
            status=ResidentStatus.ACTIVE,
            is_party_member=True,
        ).order_by("name_pinyin")[:500]
    ]


# --- statistics -----------------------------------------------------------------------------


def _avg_fen(values: list[int]) -> Decimal:
    """The average of amounts in fen, in yuan rounded to the fen half-up."""
    if not values:
        return Decimal(0)
    return (Decimal(sum(values)).scaleb(-2) / len(values)).quantize(YUAN_FEN, ROUND_HALF_UP)


def _median_fen(values: list[int]) -> Decimal:
    """The median of amounts in fen (the mean of the middle two for an even count), in yuan
    rounded to the fen half-up."""
    if not values:
        return Decimal(0)
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle]).scaleb(-2)
    pair = Decimal(ordered[middle - 1] + ordered[middle]).scaleb(-2) / 2
    return pair.quantize(YUAN_FEN, ROUND_HALF_UP)


@dataclass
class MonthFigures:
    month: dt.date
    employed: int
    average: Decimal
    median: Decimal
    total: Decimal


@dataclass
class GroupFigures:
    label: str
    employed: int
    average: Decimal
    median: Decimal


@dataclass
class Stats:
    months: list[MonthFigures] = field(default_factory=list)
    by_firm: list[GroupFigures] = field(default_factory=list)
    by_team: list[GroupFigures] = field(default_factory=list)
    latest: dt.date | None = None
    histogram: list[tuple[str, int]] = field(default_factory=list)


BUCKET = 500  # yuan
YUAN_FEN = Decimal("0.01")


def statistics_for(actor: Actor, *, months: int = 12, end: dt.date | None = None) -> Stats:
    """People employed (at least one accepted piece) and their average and median monthly
    income per month for `months` months up to `end` (this month by default); by firm and by
    team for the last complete month; the income distribution of that month.

    Read from the monthly tallies (`tallies.py`: the ledger summed per worker, firm and month,
    each firm's part rounded to the fen as the statement does), grouped per worker and month
    in the database: four queries, and about one row per worker a month, whatever the size of
    the ledger."""
    last = dates.month_of(end or dates.local_today())
    first = dates.add_months(last, -(months - 1))
    scoped = for_actor(actor, VIEW, MonthTally.objects.all()).filter(
        month__gte=first, month__lte=last
    )
    # The month as text and sums of integers: no per-row converters (the bulk of the time on
    # SQLite otherwise).
    parsed: dict[str, dt.date] = {}
    per_month: dict[dt.date, list[tuple[int, int, int]]] = defaultdict(list)
    for m, worker_id, team_id, pieces, fen in (
        scoped.values("month", "worker_id")
        .annotate(m=Cast("month", CharField()), t=Max("team_id"), p=Sum("pieces"), f=Sum("fen"))
        .values_list("m", "worker_id", "t", "p", "f")
        .order_by()
    ):
        if pieces > 0:  # employed: at least one accepted piece in the month
            month = parsed.get(m) or parsed.setdefault(m, dt.date.fromisoformat(m[:10]))
            per_month[month].append((worker_id, team_id or 0, int(fen)))
    stats = Stats()
    month = first
    while month <= last:
        incomes = [fen for _w, _t, fen in per_month.get(month, [])]
        stats.months.append(
            MonthFigures(
                month=month,
                employed=len(incomes),
                average=_avg_fen(incomes),
                median=_median_fen(incomes),
                total=Decimal(sum(incomes)).scaleb(-2),
            )
        )
        month = dates.next_month(month)
    complete = [m for m in stats.months if m.month < dates.this_month() and m.employed]
    latest = complete[-1].month if complete else None
    stats.latest = latest
    if latest is None:
        return stats
    firm_names = dict(for_actor(actor, VIEW, Firm.objects.all()).values_list("id", "name"))
    team_names = dict(for_actor(actor, VIEW, Team.objects.all()).values_list("id", "name"))
    by_firm: dict[int, list[int]] = defaultdict(list)
    for firm_id, fen in scoped.filter(month=latest, pieces__gt=0).values_list("firm_id", "fen"):
        by_firm[firm_id].append(int(fen))
    by_team: dict[int, list[int]] = defaultdict(list)
    for _worker_id, team_id, fen in per_month[latest]:
        by_team[team_id].append(fen)

    def groups(data: dict[int, list[int]], names: dict[int, str]) -> list[GroupFigures]:
        out = [
            GroupFigures(
                label=names.get(key, "—"),
                employed=len(values),
                average=_avg_fen(values),
                median=_median_fen(values),
            )
            for key, values in data.items()
        ]
        return sorted(out, key=lambda g: (-g.employed, g.label))

    stats.by_firm = groups(by_firm, firm_names)
    stats.by_team = groups(by_team, team_names)
    incomes = [fen for _w, _t, fen in per_month[latest]]
    bucket = BUCKET * 100
    counts = [0] * (max(incomes, default=0) // bucket + 1)
    for fen in incomes:
        counts[fen // bucket] += 1
    stats.histogram = [(f"{i * BUCKET}–{(i + 1) * BUCKET}", n) for i, n in enumerate(counts)]
    return stats


def month_figures(community_ids: frozenset[int], month: dt.date) -> tuple[int, Decimal | None]:
    """(people employed, average monthly income) of the communities in `month` (one query on
    the monthly tallies; each worker's income as his statement pays it)."""
    incomes = [
        int(fen)
        for pieces, fen in MonthTally.objects.filter(
            community_id__in=sorted(community_ids), month=month
        )
        .values("worker_id")
        .annotate(p=Sum("pieces"), f=Sum("fen"))
        .values_list("p", "f")
        .order_by()
        if pieces > 0
    ]
    return len(incomes), (_avg_fen(incomes) if incomes else None)
