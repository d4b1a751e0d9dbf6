"""The workers' station in the Wenchang demo: every resident the registry flags as a
new-employment worker registered as a rider, courier or driver, a few dozen from outside, three
months of station visits and canteen meals, last summer's class and this summer's, and the
safety-outpost reports behind Community 110's "safety outpost" requests (verified ones paid in
points).

Written with `bulk_create` like the other demo builders. The reports are linked to the requests
the Community 110 demo already holds on the safety-outpost channel (read, never written, here),
so both sides tell the same story. The demo resident is registered too (a weekend ride-hailing
driver), so that his portal shows the safety outpost's phone form.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from linli.accounts.models import User
from linli.core import dates, pii
from linli.core.demo_hooks import DemoContext
from linli.core.permissions import system_actor
from linli.registry.models import Community, Resident
from linli.riders.choices import (
    MEAL_PRICES,
    EnrolmentStatus,
    Meal,
    Payment,
    ReportCategory,
    ReportStatus,
    VisitPurpose,
    WorkerKind,
)
from linli.riders.models import (
    CanteenMeal,
    Enrolment,
    SafetyReport,
    Station,
    StationVisit,
    SummerClass,
    Worker,
)
from linli.riders.services import station_for, worker_points_account
from linli.volunteers import points
from linli.volunteers.choices import EntryKind

BATCH = 1000
OUTSIDE_WORKERS = 48
PLATFORMS = {
    WorkerKind.RIDER: (("美团", "美团曲江站"), ("饿了么", "饿了么广陵站"), ("美团", "美团文昌站")),
    WorkerKind.COURIER: (
        ("顺丰", "顺丰广陵营业部"),
        ("京东", "京东曲江站"),
        ("中通", "中通文昌网点"),
        ("韵达", "韵达曲江网点"),
    ),
    WorkerKind.DRIVER: (("滴滴", ""), ("T3出行", ""), ("曹操出行", "")),
}
CHILD_NAMES = "子涵浩然一诺欣怡梓轩雨桐宇航思琪俊熙诗涵"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭何高林罗"


def _kind(rng: random.Random) -> str:
    roll = rng.random()
    return (
        WorkerKind.RIDER
        if roll < 0.6
        else (WorkerKind.COURIER if roll < 0.85 else WorkerKind.DRIVER)
    )


def build_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    today = ctx.today
    community = Community.objects.get(code=ctx.main_community_code)
    station = station_for(community.id)
    workers = _workers(rng, community, today)
    visits, meals = _visits_and_meals(rng, station, workers, today)
    children = _classes(rng, community, workers, today)
    reports = _reports(rng, community, workers)
    return {
        "new-employment workers": len(workers),
        "from the registry": sum(1 for w in workers if w.resident_id),
        "station visits": visits,
        "canteen meals": meals,
        "children in the summer classes": children,
        "safety reports": reports,
    }


def _workers(rng: random.Random, community: Community, today: dt.date) -> list[Worker]:
    flagged = list(
        Resident.objects.filter(community=community, status="active", is_new_employment_worker=True)
        .order_by("id")
        .values_list("id", "name")
    )
    rows: list[Worker] = []
    for resident_id, name in flagged:
        kind = _kind(rng)
        platform, work_station = rng.choice(PLATFORMS[WorkerKind(kind)])
        rows.append(
            Worker(
                community=community,
                resident_id=resident_id,
                name=name,
                kind=kind,
                platform=platform,
                work_station=work_station,
                registered_on=today - dt.timedelta(days=rng.randrange(20, 900)),
            )
        )
    # The demo resident drives for a ride-hailing platform at weekends, so that his portal
    # shows the safety outpost (the registry does not count him as a new-employment worker).
    demo_resident = (
        User.objects.filter(username="resident").values_list("resident_id", flat=True).first()
    )
    if demo_resident and demo_resident not in {r for r, _n in flagged}:
        rows.append(
            Worker(
                community=community,
                resident_id=demo_resident,
                name=Resident.objects.get(pk=demo_resident).name,
                kind=WorkerKind.DRIVER,
                platform="滴滴",
                registered_on=today - dt.timedelta(days=200),
            )
        )
    phones: set[str] = set()
    for _i in range(OUTSIDE_WORKERS):
        kind = _kind(rng)
        platform, work_station = rng.choice(PLATFORMS[WorkerKind(kind)])
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        while phone in phones:
            phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        phones.add(phone)
        rows.append(
            Worker(
                community=community,
                name=rng.choice(SURNAMES) + rng.choice("伟强磊军勇杰涛明超刚平辉"),
                kind=kind,
                platform=platform,
                work_station=work_station,
                phone_encrypted=pii.encrypt(phone),
                phone_hash=pii.lookup_hash("phone", phone),
                phone_masked=pii.mask_phone(phone),
                registered_on=today - dt.timedelta(days=rng.randrange(20, 600)),
            )
        )
    Worker.objects.bulk_create(rows, batch_size=BATCH)
    return rows


def _visits_and_meals(
    rng: random.Random, station: Station, workers: list[Worker], today: dt.date
) -> tuple[int, int]:
    """Three months: each day a few dozen visits and lunches and dinners in the canteen."""
    visits: list[StationVisit] = []
    meals: list[CanteenMeal] = []
    regulars = rng.sample(workers, min(len(workers), 140))
    purposes = [p.value for p in VisitPurpose]
    weights = [35, 25, 25, 5, 5, 5]
    for back in range(90, -1, -1):
        day = today - dt.timedelta(days=back)
        for worker in rng.sample(regulars, rng.randrange(15, 35)):
            visits.append(
                StationVisit(
                    station=station,
                    worker=worker,
                    visited_at=dates.at(day, rng.randrange(9, 21), rng.randrange(60)),
                    purpose=rng.choices(purposes, weights)[0],
                )
            )
        for meal in (Meal.LUNCH, Meal.DINNER):
            for worker in rng.sample(regulars, rng.randrange(10, 25)):
                payment = Payment.SUBSIDISED if rng.random() < 0.8 else Payment.PAID
                meals.append(
                    CanteenMeal(
                        station=station,
                        worker=worker,
                        day=day,
                        meal=meal,
                        payment=payment,
                        price=Decimal(MEAL_PRICES[payment]),
                    )
                )
    StationVisit.objects.bulk_create(visits, batch_size=BATCH)
    CanteenMeal.objects.bulk_create(meals, batch_size=BATCH)
    return len(visits), len(meals)


def _classes(
    rng: random.Random, community: Community, workers: list[Worker], today: dt.date
) -> int:
    """Last summer's class (full, with a waiting list that never got in) and this summer's,
    still taking children."""
    last_year = today.year if today >= dt.date(today.year, 8, 20) else today.year - 1
    classes = [
        SummerClass(
            community=community,
            name=f"爱“新”暑托班（{last_year}）",
            place="睦邻会馆二楼",
            starts_on=dt.date(last_year, 7, 7),
            ends_on=dt.date(last_year, 8, 15),
            capacity=40,
        ),
        SummerClass(
            community=community,
            name=f"爱“新”暑托班（{last_year + 1}）",
            place="睦邻会馆二楼",
            starts_on=dt.date(last_year + 1, 7, 6),
            ends_on=dt.date(last_year + 1, 8, 14),
            capacity=45,
        ),
    ]
    SummerClass.objects.bulk_create(classes)
    enrolments: list[Enrolment] = []
    for summer_class, wanted in ((classes[0], 43), (classes[1], 18)):
        parents = rng.sample(workers, wanted)
        for i, parent in enumerate(parents):
            age = rng.randrange(6, 13)
            seated = i < summer_class.capacity
            enrolments.append(
                Enrolment(
                    summer_class=summer_class,
                    worker=parent,
                    child_name=parent.name[0] + rng.choice(CHILD_NAMES) + rng.choice(CHILD_NAMES),
                    child_birth_date=summer_class.starts_on
                    - dt.timedelta(days=age * 365 + rng.randrange(0, 300)),
                    child_gender=rng.choice("MF"),
                    notes=rng.choice(("", "", "", "", "花生过敏", "哮喘，备有喷雾")),
                    status=EnrolmentStatus.ENROLLED if seated else EnrolmentStatus.WAITLISTED,
                )
            )
            summer_class.enrolled += 1 if seated else 0
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    SummerClass.objects.bulk_update(classes, ["enrolled"])
    return sum(1 for e in enrolments if e.status == EnrolmentStatus.ENROLLED)


def _reports(rng: random.Random, community: Community, workers: list[Worker]) -> int:
    """One report behind each safety-outpost request of the Community 110 demo; those the desk
    has resolved are verified and paid (the points are recorded now, when the demo is built)."""
    from linli.hotline.models import ServiceRequest

    requests = list(
        ServiceRequest.objects.filter(community=community, channel="safety_outpost")
        .select_related("household__building", "household__unit")
        .order_by("submitted_at", "id")
    )
    categories = [c.value for c in ReportCategory]
    reports: list[SafetyReport] = []
    for req in requests:
        worker = rng.choice(workers)
        resolved = req.status in ("resolved", "closed")
        place = req.location_text or (req.household.address if req.household else "小区内")
        reports.append(
            SafetyReport(
                community=community,
                worker=worker,
                category=rng.choice(categories[:3]),
                place=place,
                description=req.description,
                status=ReportStatus.VERIFIED if resolved else ReportStatus.FORWARDED,
                hotline_request_id=req.public_id,
                hotline_number=req.number,
                forwarded_at=req.submitted_at,
                decided_at=req.resolved_at if resolved else None,
                created_at=req.submitted_at,
            )
        )
    SafetyReport.objects.bulk_create(reports)
    for report, req in zip(reports, requests, strict=True):  # bulk_create stamps the present
        SafetyReport.objects.filter(pk=report.pk).update(created_at=req.submitted_at)
    system = system_actor("seed_demo")
    for report in reports:
        if report.status != ReportStatus.VERIFIED:
            continue
        account_id = worker_points_account(report.worker)
        with transaction.atomic():
            entry = points.credit(
                points.lock_account(account_id),
                kind=EntryKind.SAFETY_REPORT,
                points=points.policy_for(community.id).safety_report_points,
                actor=system,
                reason=f"{report.get_category_display()} · {report.place}"[:200],
                ref=f"safety:{report.public_id}",
            )
        SafetyReport.objects.filter(pk=report.pk).update(points=entry.points)
    return len(reports)
