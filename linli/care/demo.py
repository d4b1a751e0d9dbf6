"""The elderly-care part of the Wenchang Garden demo: the register synced from the registry
(2,600+ elders), assessments for the 80+ and disabled with a believable spread of levels, care
plans and about a year of door visits with check-ins and ratings (some missed, some late),
supervision call-backs, the day-care centre (40 places) with attendance and meals, the
elderly apartments (60 beds, full, with a waiting list), grid workers' visit logs (a few with
problems found and filed, most of them solved before anyone called) and the proactive sweep's
open tasks, some overdue.

Rows are written with `bulk_create` (the per-row services lock, check and audit each row and
would take minutes); the scoring is the real one (`scoring.score`) over generated answers, and
the proactive tasks are raised by the real sweep.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from linli.accounts.models import User
from linli.accounts.selectors import actor_for_active_user_id, grid_worker_contacts
from linli.care import scoring, services
from linli.care.choices import ArrangementKind, Unit, VisitStatus, WaitingStatus
from linli.care.models import (
    Admission,
    Apartment,
    Arrangement,
    Assessment,
    Attendance,
    Bed,
    CallBack,
    CarePlan,
    DayCentre,
    Elder,
    PlanItem,
    Provider,
    Room,
    Service,
    Visit,
    VisitLog,
    WaitingEntry,
)
from linli.core import dates, pii
from linli.core.demo_hooks import DemoContext
from linli.registry.models import Community, Grid, Resident

LEVEL_WEIGHTS = (("intact", 22), ("mild", 38), ("moderate", 20), ("severe", 12), ("lost", 8))
TARGET_TOTAL = {
    "intact": (90, 90),
    "mild": (66, 89),
    "moderate": (46, 65),
    "severe": (30, 45),
    "lost": (8, 29),
}
APARTMENT_ROOMS = 30  # two beds each
DAYCARE_PLACES = 40


def _answers(form: scoring.Form, rng: random.Random, total: int) -> dict[str, int]:
    answers = {i.code: max(i.points) for i in form.items}
    missing = 90 - total
    codes = [i.code for i in form.items if i.code != "consciousness"]
    while missing > 0:
        code = rng.choice(codes)
        if answers[code] > 0:
            answers[code] -= 1
            missing -= 1
    return answers


def _moment(day: dt.date, hour: int, minutes: int = 0) -> dt.datetime:
    return dates.day_start(day) + dt.timedelta(hours=hour, minutes=minutes)


def build_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    today = ctx.today
    community = Community.objects.get(code=ctx.main_community_code)
    now = min(timezone.now(), _moment(today, 16))
    new, _changed, _left = services.elders_diff(today=today)
    names = dict(
        Resident.objects.filter(pk__in=[e.resident_id for e in new]).values_list("pk", "name")
    )
    elders = [e for e in new if e.community_id == community.pk]
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["care", "wenchang_admin", "resident"])
    }
    care_user = users.get("care") or users.get("wenchang_admin")
    assert care_user is not None
    # Emergency contacts (a child's phone, masked like every phone) for about a third.
    for e in elders:
        if rng.random() < 0.35:
            phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
            e.emergency_name = names[e.resident_id][0] + rng.choice("建国明华丽敏强军红")
            e.emergency_phone_encrypted = pii.encrypt(phone)
            e.emergency_phone_hash = pii.lookup_hash("phone", phone)
            e.emergency_phone_masked = pii.mask_phone(phone)
    # Assessments: the 80+ and the disabled (some assessed twice, a year apart).
    form = scoring.load_form()
    assessments: list[Assessment] = []
    assessed = [e for e in elders if e.over_80 or e.disabled]
    for e in assessed:
        weights = (
            LEVEL_WEIGHTS
            if not e.disabled
            else (("mild", 20), ("moderate", 35), ("severe", 27), ("lost", 18))
        )
        level = rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]
        lo, hi = TARGET_TOTAL[level]
        day = today - dt.timedelta(days=rng.randint(10, 300))
        if rng.random() < 0.3:
            earlier = _answers(form, rng, min(90, hi + rng.randint(0, 8)))
            r0 = scoring.score(form, earlier)
            assessments.append(
                Assessment(
                    elder=e,
                    community=community,
                    reason="first",
                    assessed_on=day - dt.timedelta(days=365),
                    assessor=care_user,
                    answers=r0.answers,
                    dimension_totals=r0.dimension_totals,
                    total=r0.total,
                    base_level=r0.base_level,
                    level=r0.level,
                    adjustments=r0.adjustments,
                )
            )
        result = scoring.score(
            form,
            _answers(form, rng, rng.randint(lo, hi)),
            dementia=rng.random() < 0.04,
            risk_events=2 if rng.random() < 0.03 else 0,
        )
        assessments.append(
            Assessment(
                elder=e,
                community=community,
                reason=rng.choice(["first", "routine", "routine", "reassessment"]),
                assessed_on=day,
                assessor=care_user,
                answers=result.answers,
                dimension_totals=result.dimension_totals,
                total=result.total,
                base_level=result.base_level,
                level=result.level,
                adjustments=result.adjustments,
            )
        )
        e.level, e.assessed_on = result.level, day
    Elder.objects.bulk_create(new, batch_size=1000)  # the other communities' elders too
    for a in assessments:
        a.elder_id = a.elder.pk
    Assessment.objects.bulk_create(assessments, batch_size=1000)
    providers = Provider.objects.bulk_create(
        [
            Provider(community=community, name=n)
            for n in ("颐康居家养老服务中心", "文昌花园社区养老服务站", "乐龄助老志愿服务队")
        ]
    )
    catalogue = {s.code: s for s in Service.objects.select_related("category")}
    # Plans: the assessed (moderate and worse always, milder often) and most 80+ living alone.
    rank = {"intact": 0, "mild": 1, "moderate": 2, "severe": 3, "lost": 4}
    resident_household = (
        User.objects.filter(username="resident")
        .values_list("resident__household_id", flat=True)
        .first()
    )
    planned = [
        e
        for e in elders
        if (e.level and (rank[e.level] >= 2 or rng.random() < 0.5))
        or (e.over_80 and e.living_alone and rng.random() < 0.9)
        or e.household_id == resident_household
    ]
    grid1 = Grid.objects.filter(community=community, number=1).values_list("pk", flat=True).first()
    lonely = [e for e in elders if e.grid_id == grid1 and e.over_80 and e.living_alone]
    account_elder = next((e for e in lonely if e in planned), None)
    forgotten = {e.pk for e in lonely if e not in planned and e is not account_elder}
    forgotten = set(sorted(forgotten)[:4])
    year_ago = today - dt.timedelta(days=365)
    plans: list[CarePlan] = []
    lines: list[tuple[int, Service, int, int]] = []
    for idx, e in enumerate(planned):
        start = year_ago + dt.timedelta(days=rng.randint(0, 200))
        plans.append(
            CarePlan(elder=e, community=community, provider=rng.choice(providers), starts_on=start)
        )
        suggestions = services.plan_suggest(e, rank.get(e.level) if e.level else None)
        for s in rng.sample(suggestions, k=1):
            per_week = 1 if s.per_week <= 2 else 2
            lines.append((idx, catalogue[s.service_code], per_week, s.hour))
    CarePlan.objects.bulk_create(plans, batch_size=1000)
    PlanItem.objects.bulk_create(
        [PlanItem(plan=plans[i], service=svc, per_week=n, hour=h) for i, svc, n, h in lines],
        batch_size=2000,
    )
    # A year of visits from the plans; the others served now and then (calls, errands).
    visits: list[Visit] = []
    horizon = today + dt.timedelta(days=services.SCHEDULE_DAYS)
    for i, svc, per_week, hour in lines:
        plan = plans[i]
        e = plan.elder
        day = plan.starts_on
        weekdays = services.WEEKDAYS[per_week]
        while day <= horizon:
            if day.weekday() in weekdays:
                visits.append(
                    _visit(rng, e, plan, svc, plan.provider, _moment(day, hour), now, care_user.pk)
                )
            day += dt.timedelta(days=1)
    occasional = [
        catalogue[c]
        for c in (
            "companion_phone",
            "errands_shop",
            "medical_bp",
            "errands_pension",
            "culture_class",
        )
    ]
    for e in elders:
        if e.household_id == resident_household:
            continue
        for _ in range(rng.randint(1, 4)):
            day = year_ago + dt.timedelta(days=rng.randint(0, 330 if e.pk in forgotten else 360))
            visits.append(
                _visit(
                    rng,
                    e,
                    None,
                    rng.choice(occasional),
                    rng.choice(providers),
                    _moment(day, rng.randint(8, 16)),
                    now,
                    care_user.pk,
                )
            )
    # The demo's elder (sign-in "elder", same password as the resident): a visit done today,
    # waiting for his rating.
    for e in elders:
        if e is account_elder:
            v = _visit(
                rng,
                e,
                None,
                catalogue["cleaning_house"],
                providers[0],
                now - dt.timedelta(hours=3),
                now,
                care_user.pk,
            )
            v.status, v.rating, v.rated_at, v.late = VisitStatus.DONE, None, None, False
            v.checked_in_at = v.scheduled_at + dt.timedelta(minutes=5)
            v.checked_out_at = v.checked_in_at + dt.timedelta(minutes=60)
            visits.append(v)
            break
    Visit.objects.bulk_create(visits, batch_size=2000)
    done = [v for v in visits if v.status in (VisitStatus.DONE, VisitStatus.CLOSED)]
    callbacks = [
        CallBack(
            visit=v,
            staff=care_user,
            confirmed=rng.random() < 0.97,
            answer=rng.choice(
                ["服务到位，满意", "准时上门，态度好", "老人表示满意", "服务时间偏短"]
            ),
        )
        for v in rng.sample(done, k=min(len(done), 400))
    ]
    CallBack.objects.bulk_create(callbacks, batch_size=1000)
    figures = _daycare_and_apartments(ctx, community, elders, care_user.pk)
    logs, found, solved = _visit_logs(ctx, community, elders, now, forgotten)
    if account_elder is not None:
        _elder_account(account_elder, community)
    # Tasks: a sweep four days ago (left open: overdue now), then today's.
    services.proactive_sweep(now=now - dt.timedelta(days=4))
    services.proactive_sweep(now=now - dt.timedelta(hours=30))
    swept = services.proactive_sweep(now=now)
    served = len({v.elder_id for v in done})
    return {
        "Elders in the register": len(elders),
        "Elders served in the last year": served,
        "Ability assessments": len(assessments),
        "Care plans": len(plans),
        "Care visits": len(visits),
        "Visit logs": logs,
        "Found on visits": found,
        "Solved before anyone called": solved,
        "Open proactive tasks": swept.raised + _open_before(community),
        **figures,
    }


def _open_before(community: Community) -> int:
    from linli.care.models import ProactiveTask

    return ProactiveTask.objects.filter(
        community=community, status="open", raised_at__lt=timezone.now() - dt.timedelta(days=1)
    ).count()


def _visit(
    rng: random.Random,
    e: Elder,
    plan: CarePlan | None,
    svc: Service,
    provider: Provider,
    at: dt.datetime,
    now: dt.datetime,
    worker_id: int,
) -> Visit:
    v = Visit(
        elder=e,
        community_id=e.community_id,
        grid_id=e.grid_id,
        household_id=e.household_id,
        plan=plan,
        service=svc,
        provider=provider,
        scheduled_at=at,
    )
    if at > now:
        return v
    roll = rng.random()
    if roll < 0.03:
        v.status = VisitStatus.MISSED
        return v
    late = roll < 0.10
    v.worker_id = worker_id
    v.checked_in_at = at + dt.timedelta(
        minutes=rng.randint(35, 90) if late else rng.randint(-10, 20)
    )
    v.late = late
    v.checked_out_at = v.checked_in_at + dt.timedelta(minutes=svc.minutes + rng.randint(-10, 15))
    v.place = ""
    v.units = (
        (Decimal(v.checked_out_at.timestamp() - v.checked_in_at.timestamp()) / 3600).quantize(
            Decimal("0.01")
        )
        if svc.unit == Unit.HOUR
        else Decimal(1)
    )
    if now - at < dt.timedelta(days=2) and rng.random() < 0.5:
        v.status = VisitStatus.DONE
        return v
    v.status = VisitStatus.CLOSED
    v.rating = rng.choices([5, 4, 3, 2, 1], [62, 27, 7, 3, 1])[0]
    v.rated_at = v.checked_out_at + dt.timedelta(hours=rng.randint(1, 30))
    return v


def _daycare_and_apartments(
    ctx: DemoContext, community: Community, elders: list[Elder], care_id: int
) -> dict[str, int]:
    rng, today = ctx.rng, ctx.today
    centre = DayCentre.objects.create(
        community=community, name="文昌花园日间照料中心", capacity=DAYCARE_PLACES
    )
    mild = [e for e in elders if e.level in ("intact", "mild", "moderate") and not e.living_alone]
    regulars = rng.sample(mild, k=min(len(mild), 60))
    arrangements = [
        Arrangement(
            elder=e,
            kind=ArrangementKind.DAYCARE,
            place=centre.name,
            started_on=today - dt.timedelta(days=rng.randint(200, 400)),
        )
        for e in regulars
    ]
    rows: list[Attendance] = []
    day = today - dt.timedelta(days=365)
    while day <= today:
        if day.weekday() < 5:
            n = min(DAYCARE_PLACES, rng.randint(26, 38))
            for e in rng.sample(regulars, k=min(n, len(regulars))):
                rows.append(
                    Attendance(
                        centre=centre,
                        elder=e,
                        day=day,
                        meals=rng.choice([1, 1, 2]),
                        recorded_by_id=care_id,
                    )
                )
        day += dt.timedelta(days=1)
    Attendance.objects.bulk_create(rows, batch_size=2000)
    apartment = Apartment.objects.create(community=community, name="文昌花园老年公寓", area_m2=2000)
    rooms = Room.objects.bulk_create(
        [
            Room(apartment=apartment, number=f"{1 + i // 10}{i % 10 + 1:02d}")
            for i in range(APARTMENT_ROOMS)
        ]
    )
    beds = Bed.objects.bulk_create([Bed(room=r, label=lbl) for r in rooms for lbl in ("A", "B")])
    taken = {e.pk for e in regulars}
    candidates = [
        e for e in elders if e.level in ("moderate", "severe", "lost") and e.pk not in taken
    ]
    rng.shuffle(candidates)
    residents, waiting, former = (
        candidates[: len(beds)],
        candidates[len(beds) : len(beds) + 18],
        candidates[len(beds) + 18 : len(beds) + 40],
    )
    admissions: list[Admission] = []
    for bed, e in zip(beds, former, strict=False):
        start = today - dt.timedelta(days=rng.randint(300, 700))
        admissions.append(
            Admission(
                bed=bed,
                elder=e,
                community=community,
                level=e.level,
                admitted_on=start,
                discharged_on=today - dt.timedelta(days=rng.randint(60, 250)),
                discharge_reason=rng.choice(["home", "hospital", "death"]),
            )
        )
    for bed, e in zip(beds, residents, strict=False):
        last_out = max(
            (a.discharged_on for a in admissions if a.bed is bed and a.discharged_on), default=None
        )
        start = (
            (last_out + dt.timedelta(days=rng.randint(1, 20)))
            if last_out
            else today - dt.timedelta(days=rng.randint(30, 600))
        )
        admissions.append(
            Admission(
                bed=bed, elder=e, community=community, level=e.level, admitted_on=min(start, today)
            )
        )
        arrangements.append(
            Arrangement(
                elder=e,
                kind=ArrangementKind.INSTITUTION,
                place=apartment.name,
                started_on=min(start, today),
            )
        )
    Admission.objects.bulk_create(admissions, batch_size=1000)
    WaitingEntry.objects.bulk_create(
        [
            WaitingEntry(
                apartment=apartment,
                elder=e,
                community=community,
                applied_on=today - dt.timedelta(days=rng.randint(5, 300)),
                status=WaitingStatus.WAITING,
            )
            for e in waiting
        ]
    )
    away = rng.sample([e for e in elders if e.pk not in taken and e.level in ("", "intact")], k=25)
    arrangements += [
        Arrangement(
            elder=e,
            kind=ArrangementKind.AWAY,
            place=rng.choice(["上海（子女家）", "南京（子女家）", "苏州"]),
            started_on=today - dt.timedelta(days=rng.randint(20, 200)),
        )
        for e in away
    ]
    Arrangement.objects.bulk_create(arrangements, batch_size=1000)
    return {
        "Day-care attendance days": len(rows),
        "Apartment beds": len(beds),
        "Beds held": sum(1 for a in admissions if a.discharged_on is None),
        "Waiting list": len(waiting),
    }


FINDINGS = (
    "楼道灯不亮，老人夜间出行不便",
    "卫生间扶手松动",
    "燃气热水器老化，有安全隐患",
    "屋顶渗水",
    "门锁损坏，老人无法反锁",
)


def _elder_account(elder: Elder, community: Community) -> None:
    """A sign-in for one elder (username "elder", the demo resident's password) so that the
    resident side of elderly care can be shown: his plan, his visits, a visit to rate."""
    from linli.accounts.models import RoleAssignment
    from linli.core.roles import Role

    model = User.objects.filter(username="resident").first()
    if model is None or User.objects.filter(username="elder").exists():
        return
    name = (
        Resident.objects.filter(pk=elder.resident_id).values_list("name", flat=True).first() or ""
    )
    user = User.objects.create(
        username="elder", display_name=name, password=model.password, resident_id=elder.resident_id
    )
    RoleAssignment.objects.create(
        user=user, role=Role.RESIDENT, household_id=elder.household_id, community=community
    )


def _visit_logs(
    ctx: DemoContext,
    community: Community,
    elders: list[Elder],
    now: dt.datetime,
    forgotten: set[int],
) -> tuple[int, int, int]:
    """Each elder household visited every three months or so by its grid worker; a few
    findings filed with Community 110 (found on a visit) and most of those solved."""
    rng, today = ctx.rng, ctx.today
    workers = grid_worker_contacts({e.grid_id for e in elders})
    households: dict[int, Elder] = {}
    for e in elders:
        households.setdefault(e.household_id, e)
    logs: list[VisitLog] = []
    for household_id, e in households.items():
        contact = workers.get(e.grid_id)
        if contact is None:
            continue
        day = today - dt.timedelta(days=rng.randint(21 if e.pk in forgotten else 0, 80))
        while day > today - dt.timedelta(days=365):
            logs.append(
                VisitLog(
                    community=community,
                    grid_id=e.grid_id,
                    household_id=household_id,
                    visitor_id=contact.user_id,
                    visited_at=_moment(day, rng.randint(9, 16), rng.randint(0, 59)),
                    purpose=rng.choice(
                        ["季度走访", "独居老人探望", "高温慰问", "节前走访", "政策宣传"]
                    ),
                    met=rng.choice(["老人本人", "老人及配偶", "老人及子女"]),
                    findings=rng.choice(["", "", "", "身体状况良好", "需要助餐服务"]),
                )
            )
            day -= dt.timedelta(days=rng.randint(70, 110))
    VisitLog.objects.bulk_create(logs, batch_size=2000)
    # Problems found on visits, filed with Community 110 (the real service) and mostly solved.
    from linli.hotline.choices import Channel
    from linli.hotline.models import Category
    from linli.hotline.services import request_accept, request_file, request_resolve

    codes = [
        c.code for c in Category.objects.filter(community=community, active=True) if not c.questions
    ][:6]
    found = solved = 0
    if not codes:
        return len(logs), 0, 0
    for log in rng.sample(
        [lg for lg in logs if lg.visited_at > now - dt.timedelta(days=60)], k=min(14, len(logs))
    ):
        actor = actor_for_active_user_id(log.visitor_id)
        if actor is None:
            continue
        household = log.household
        text = rng.choice(FINDINGS)
        req = request_file(
            actor=actor,
            community_id=community.id,
            category_code=rng.choice(codes),
            description=text,
            channel=Channel.FOUND_ON_VISIT,
            household_public_id=household.public_id,
        )
        VisitLog.objects.filter(pk=log.pk).update(
            findings=text,
            request_id=req.pk,
            request_number=req.number,
            follow_ups="已报社区110，跟进处理",
        )
        found += 1
        if rng.random() < 0.8:
            request_accept(actor=actor, public_id=req.public_id)
            request_resolve(actor=actor, public_id=req.public_id, note="已上门处理")
            solved += 1
    return len(logs), found, solved
