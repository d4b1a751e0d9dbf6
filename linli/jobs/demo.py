"""The doorstep-jobs part of the Wenchang demo: nine partner firms, a year of orders, 15 teams
led by self-employed Party members (the `jobs` login leads the first), 400+ workers drawn from
the registry (unemployed and low-income residents first; the demo resident is one of them),
three or so batches a month each with their returns and quality checks, the earnings ledger,
and the statements of past months issued (and paid, except the last month's, half of which are
still to be paid). Average monthly income passes 3,000 yuan in the recent months.

Written with `bulk_create`; the ledger and statements follow the services' money rules exactly
(`money.earning`, `money.to_fen`, one line per firm), so the settlement check holds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from linli.accounts.models import User
from linli.core import dates
from linli.core.demo_hooks import DemoContext
from linli.jobs import tallies
from linli.jobs.choices import EntryKind, OrderStatus, PayMethod, StatementStatus
from linli.jobs.models import (
    Batch,
    EarningEntry,
    Firm,
    Order,
    Return,
    Statement,
    StatementLine,
    Team,
    Worker,
)
from linli.jobs.money import earning, to_fen
from linli.registry.choices import ResidentStatus
from linli.registry.models import Community, Resident

FIRMS = (
    ("扬州玉器坊", "玉器串珠、挂件", ("手串穿珠", "0.3500"), ("玉坠挂绳", "0.8000")),
    ("广陵毛绒玩具厂", "毛绒玩具", ("玩具缝合", "1.2000"), ("玩具填充", "0.4500")),
    ("曲江服饰", "服装", ("剪线头", "0.0800"), ("钉纽扣", "0.1500")),
    ("文昌工艺品公司", "工艺品", ("剪纸装框", "2.5000"), ("漆扇贴花", "1.8000")),
    ("维扬绒花社", "绒花", ("绒花扎制", "1.5000"), ("绒花包装", "0.2000")),
    ("江都电子", "电子元件", ("线束插接", "0.0650"), ("元件分拣", "0.0325")),
    ("双博包装", "包装", ("礼盒折叠", "0.1200"), ("贴标签", "0.0400")),
    ("古运河刺绣坊", "刺绣", ("扬绣绣片", "6.0000"), ("手帕锁边", "0.9000")),
    ("润扬文具", "文具", ("笔芯装配", "0.0550"), ("本册装订", "0.3000")),
)
DEFECTS = ("线头未剪净", "尺寸不符", "污渍", "漏缝", "颜色错配")
MONTHS = 12
LEADS = 15


def build_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    today = ctx.today
    this_month = dates.month_of(today)
    community = Community.objects.get(code=ctx.main_community_code)
    firms = Firm.objects.bulk_create(
        [
            Firm(
                community=community, name=n, product_line=p, contact=rng.choice("王李张刘") + "经理"
            )
            for n, p, *_r in FIRMS
        ]
    )
    products = {f.id: spec[2:] for f, spec in zip(firms, FIRMS, strict=True)}
    # Team leads: 15 Party members of working age.
    born_after = dt.date(today.year - 62, 1, 1)
    born_before = dt.date(today.year - 18, 1, 1)
    people = Resident.objects.filter(
        community=community,
        status=ResidentStatus.ACTIVE,
        birth_date__gt=born_after,
        birth_date__lt=born_before,
    )
    leads = list(people.filter(is_party_member=True).order_by("id")[:LEADS])
    jobs_user = User.objects.filter(username="jobs").first()
    # A team is named after its lead; a second lead of the same name gets "…2组" (unique names).
    named: dict[str, int] = defaultdict(int)
    team_names = []
    for lead in leads:
        named[lead.name] += 1
        team_names.append(lead.name + ("组" if named[lead.name] == 1 else f"{named[lead.name]}组"))
    teams = Team.objects.bulk_create(
        [
            Team(
                community=community,
                name=team_names[i],
                leader=lead,
                lead_user=jobs_user if i == 0 else None,
            )
            for i, lead in enumerate(leads)
        ]
    )
    # Workers: unemployed and low-income first, then others, 430 in all; plus the demo resident.
    lead_ids = {r.id for r in leads}
    first = list(people.filter(Q(is_unemployed=True) | Q(is_low_income=True)).order_by("id")[:300])
    chosen = [r for r in first if r.id not in lead_ids]
    more = list(people.exclude(id__in=[r.id for r in chosen] + list(lead_ids)).order_by("id"))
    rng.shuffle(more)
    chosen += more[: max(0, 430 - len(chosen))]
    demo_resident_id = (
        User.objects.filter(username="resident").values_list("resident_id", flat=True).first()
    )
    if demo_resident_id and demo_resident_id not in {r.id for r in chosen}:
        demo_resident = Resident.objects.filter(pk=demo_resident_id).first()
        if demo_resident is not None:
            chosen.append(demo_resident)
    start = dates.add_months(this_month, -(MONTHS - 1))
    workers = Worker.objects.bulk_create(
        [
            Worker(
                community=community,
                resident=r,
                household_id=r.household_id,
                team=teams[i % len(teams)] if teams else None,
                joined_on=start - dt.timedelta(days=rng.randrange(200)),
            )
            for i, r in enumerate(chosen)
        ]
    )
    lead_user_id = jobs_user.id if jobs_user else None
    admin_id = User.objects.filter(username="wenchang_admin").values_list("id", flat=True).first()
    orders: list[Order] = []
    batches: list[Batch] = []
    returns: list[Return] = []
    by_month_orders: dict[dt.date, list[Order]] = {}
    month = start
    index = 0
    while month <= this_month:
        month_orders = []
        for firm in firms:
            for product, rate in products[firm.id]:
                if rng.random() < 0.25:
                    continue
                month_orders.append(
                    Order(
                        community=community,
                        firm=firm,
                        product=product,
                        quantity=1,  # set below from what was dispatched
                        rate=Decimal(rate),
                        quality_standard="按样品验收，残次率不超过3%",
                        due_on=dates.next_month(month) + dt.timedelta(days=9),
                        materials_issued="原料随批次发放",
                        received_on=month,
                        status=OrderStatus.CLOSED if month < this_month else OrderStatus.OPEN,
                    )
                )
        by_month_orders[month] = month_orders
        orders.extend(month_orders)
        month = dates.next_month(month)
        index += 1
    Order.objects.bulk_create(orders)
    # Batches: each worker, in the months he works, gets about three batches worth his month.
    plan: list[tuple[Batch, dt.date, int, int, int]] = []
    month = start
    months_done = 0
    while month <= this_month:
        progress = months_done / max(1, MONTHS - 1)
        active_share = 0.78 + 0.17 * progress
        target_mean = 2500 + 900 * progress  # yuan a month
        last_day = min(today, dates.next_month(month) - dt.timedelta(days=1))
        span = (last_day - month).days + 1
        current = month == this_month
        for w in workers:
            if rng.random() > active_share:
                continue
            target = max(600.0, rng.gauss(target_mean, 700))
            if current:
                target *= span / 30
            n = rng.choice((2, 2, 3, 3))
            for _k in range(n):
                order = rng.choice(by_month_orders[month])
                pieces = max(1, int(target / n / float(order.rate)))
                day = month + dt.timedelta(days=rng.randrange(max(1, span - 2)))
                back = day + dt.timedelta(days=rng.randrange(1, 4))
                still_out = current and (back > today or rng.random() < 0.3)
                if back > last_day:
                    back = last_day
                rejected = 0 if rng.random() < 0.6 else max(1, pieces * rng.randrange(1, 4) // 100)
                rejected = min(rejected, pieces)
                accepted = 0 if still_out else pieces - rejected
                batch = Batch(
                    community=community,
                    order=order,
                    worker=w,
                    quantity=pieces,
                    dispatched_on=day,
                    dispatched_by_id=lead_user_id,
                    settled=0 if still_out else pieces,
                    accepted=accepted,
                    rejected=0 if still_out else rejected,
                )
                batches.append(batch)
                if not still_out:
                    plan.append((batch, back, accepted, rejected, 0))
        month = dates.next_month(month)
        months_done += 1
    Batch.objects.bulk_create(batches, batch_size=2000)
    dispatched: dict[int, int] = defaultdict(int)
    accepted_by_order: dict[int, int] = defaultdict(int)
    for b in batches:
        dispatched[b.order.pk] += b.quantity
        accepted_by_order[b.order.pk] += b.accepted
    for o in orders:
        o.dispatched = dispatched[o.pk]
        o.accepted = accepted_by_order[o.pk]
        o.quantity = max(
            1, o.dispatched + (rng.randrange(500, 3000) if o.status == OrderStatus.OPEN else 0)
        )
    Order.objects.bulk_update(orders, ["dispatched", "accepted", "quantity"], batch_size=500)
    for batch, back, accepted, rejected, _rework in plan:
        returns.append(
            Return(
                batch=batch,
                on=back,
                accepted=accepted,
                rejected=rejected,
                defect_reason=rng.choice(DEFECTS) if rejected else "",
                checked_by_id=lead_user_id,
            )
        )
    Return.objects.bulk_create(returns, batch_size=2000)
    entries = [
        EarningEntry(
            community=community,
            worker=r.batch.worker,
            firm_id=r.batch.order.firm_id,
            order_id=r.batch.order.pk,
            team_id=r.batch.worker.team_id,
            ret=r,
            kind=EntryKind.EARNING,
            on=r.on,
            month=dates.month_of(r.on),
            pieces=r.accepted,
            rate=r.batch.order.rate,
            amount=earning(r.accepted, r.batch.order.rate),
            by_id=lead_user_id,
        )
        for r in returns
        if r.accepted
    ]
    EarningEntry.objects.bulk_create(entries, batch_size=2000)
    # Statements of the past months (as statements_issue writes them).
    sums: dict[tuple[dt.date, int], dict[int, list[Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: [Decimal(0), Decimal(0)])
    )
    for e in entries:
        if e.month >= this_month:
            continue
        cell = sums[(e.month, e.worker.pk)][e.firm_id]
        cell[0] += e.pieces
        cell[1] += e.amount
    last_month = dates.add_months(this_month, -1)
    statements: list[Statement] = []
    lines: list[list[StatementLine]] = []
    team_of = {w.pk: w.team_id for w in workers}
    for (month, worker_id), by_firm in sorted(sums.items()):
        worker_lines = [
            StatementLine(firm_id=f, pieces=int(p), exact=a, amount=to_fen(a))
            for f, (p, a) in sorted(by_firm.items())
        ]
        issued = dates.at(dates.next_month(month) + dt.timedelta(days=2), 10)
        paid = month < last_month or rng.random() < 0.5
        statements.append(
            Statement(
                community=community,
                worker_id=worker_id,
                team_id=team_of.get(worker_id),
                month=month,
                pieces=sum(line.pieces for line in worker_lines),
                exact=sum((line.exact for line in worker_lines), Decimal(0)),
                total=sum((line.amount for line in worker_lines), Decimal(0)),
                issued_at=issued,
                issued_by_id=admin_id,
                status=StatementStatus.PAID if paid else StatementStatus.ISSUED,
                paid_at=issued + dt.timedelta(days=5) if paid else None,
                paid_method=rng.choice((PayMethod.BANK, PayMethod.BANK, PayMethod.WECHAT))
                if paid
                else "",
                paid_reference=f"ZF{month:%Y%m}{worker_id:05d}" if paid else "",
                paid_by_id=admin_id if paid else None,
            )
        )
        lines.append(worker_lines)
    Statement.objects.bulk_create(statements, batch_size=1000)
    flat = []
    for s, worker_lines in zip(statements, lines, strict=True):
        for line in worker_lines:
            line.statement_id = s.pk
            flat.append(line)
    StatementLine.objects.bulk_create(flat, batch_size=2000)
    tallies.rebuild(community.pk)
    return {
        "Job firms": len(firms),
        "Job orders": len(orders),
        "Job workers": len(workers),
        "Job batches": len(batches),
        "Payout statements": len(statements),
    }
