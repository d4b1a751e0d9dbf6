"""The request desk's part of the Wenchang Garden demo: the default catalogue, escalation
contacts and a duty officer for every community, and about twelve months of history —
several thousand requests with believable categories, timings and verdicts, some overdue,
some reopened and escalated, a few still open — so that the rates and charts mean something.

Like the registry's builder it writes with `bulk_create` (no per-row services, no audit rows:
nothing real happened) but fills every column the services would, so the pages, the sweep and
the rates treat demo requests exactly like real ones. Everything derives from `ctx.rng` and
`ctx.today`; all times lie before today's midnight.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from linli.accounts.selectors import (
    first_community_admin_id,
    grid_worker_contacts,
    staff_contact,
)
from linli.core import dates
from linli.core.demo_hooks import DemoContext
from linli.core.escalation import COMMUNITY_SECRETARY, GRID_BRANCH_SECRETARY, EscalationLevel
from linli.hotline.choices import (
    PUBLIC_TEXT_CHANNELS,
    CancelSource,
    Channel,
    DueState,
    EventKind,
    Priority,
    Status,
    VerdictSource,
)
from linli.hotline.models import (
    Category,
    DutyAssignment,
    GridEscalationContact,
    RequestEvent,
    ServiceRequest,
)
from linli.hotline.services import SYSTEM, categories_ensure_defaults
from linli.registry.models import Community, Grid, Household

REQUESTS_PER_HOUSEHOLD_YEAR = 1.0  # Wenchang's 4,219 households → about 4,200 requests
BATCH = 2000
RECENT = 15

# Category code → (weight, descriptions). Descriptions are data (Chinese), written the way
# residents say them on the phone.
STORIES: dict[str, tuple[int, list[str]]] = {
    "safety_hazard": (
        6,
        ["楼道里堆满了纸箱，挡住消防通道", "有人在楼道给电动车充电", "楼顶有松动的广告牌"],
    ),
    "gas_leak": (2, ["厨房里闻到燃气味", "楼道里燃气报警器在响"]),
    "elder_help": (3, ["对门独居老人两天没出门了", "家里老人摔倒了需要帮忙"]),
    "water": (14, ["卫生间水管漏水", "楼上渗水到我家天花板", "家里没水了", "水压太小"]),
    "power": (9, ["楼道灯不亮", "家里跳闸合不上", "单元停电了"]),
    "gas_heating": (4, ["燃气灶打不着火", "暖气不热"]),
    "elevator": (5, ["电梯停在三楼不动了", "电梯运行有异响"]),
    "facility": (12, ["小区路灯坏了", "单元门禁刷不开", "健身器材松动有危险"]),
    "sanitation": (13, ["垃圾桶满了没人清", "楼道有杂物很久没清理", "绿化带里有建筑垃圾"]),
    "noise": (9, ["楼上装修太早开工", "晚上广场舞声音太大", "隔壁狗一直叫"]),
    "parking": (7, ["车被堵在车位出不去", "消防通道停了车"]),
    "consult": (8, ["想问高龄补贴怎么申请", "医保报销需要什么材料", "灵活就业社保怎么交"]),
    "dispute": (4, ["和楼上因为漏水赔偿有矛盾", "邻居占用公共楼道"]),
    "property": (4, ["物业费收费有疑问", "物业维修一直拖着不来"]),
}

BRANCH_SECRETARY_NAMES = (
    "王建华",
    "李秀英",
    "张国强",
    "刘桂兰",
    "陈志明",
    "杨丽华",
    "赵德胜",
    "黄美玲",
    "周海涛",
    "吴春梅",
    "徐卫东",
    "孙慧敏",
)
HAZARD = ["消防通道堵塞", "电动车违规充电", "高空坠物", "其他"]
RATING_WEIGHTS = ((5, 60), (4, 24), (3, 8), (2, 5), (1, 3))


@dataclass
class _Row:
    request: ServiceRequest
    events: list[tuple[str, dt.datetime, int | None, str, bool, dict[str, Any]]]


def _staff(community: Community) -> tuple[dict[int, int], int | None]:
    """Grid id → its grid worker's user id, and the community admin's user id."""
    grids = Grid.objects.filter(community=community).values_list("id", flat=True)
    workers = {grid: c.user_id for grid, c in grid_worker_contacts(grids).items()}
    return workers, first_community_admin_id(community.pk)


def _settings(community: Community, admin: int | None) -> int:
    categories_ensure_defaults(actor=SYSTEM, community_id=community.pk)
    grids = list(Grid.objects.filter(community=community).order_by("number"))
    contacts = [
        GridEscalationContact(
            community=community,
            grid=grid,
            level=GRID_BRANCH_SECRETARY,
            name=BRANCH_SECRETARY_NAMES[(grid.number - 1) % len(BRANCH_SECRETARY_NAMES)],
            phone=f"0514-8792{grid.number:04d}",
        )
        for grid in grids
    ]
    admin_user = staff_contact(admin) if admin else None
    contacts.append(
        GridEscalationContact(
            community=community,
            level=COMMUNITY_SECRETARY,
            name=admin_user.name if admin_user else "社区书记",
            phone=admin_user.work_phone if admin_user else "",
            user_id=admin_user.user_id if admin_user else None,
        )
    )
    GridEscalationContact.objects.bulk_create(contacts, ignore_conflicts=True)
    if admin:
        DutyAssignment.objects.bulk_create(
            [DutyAssignment(community=community, grid=None, user_id=admin)]
        )
    return len(contacts)


def _minutes(rng: random.Random, limit: int | None, late_share: float, default: int) -> int:
    """How long a step took: mostly well within its limit, `late_share` of the time late."""
    span = limit or default
    if rng.random() < late_share:
        return int(span * rng.uniform(1.05, 2.5))
    return max(1, int(span * rng.uniform(0.05, 0.85)))


def _history(
    community: Community,
    ctx: DemoContext,
    rng: random.Random,
    count: int,
    workers: dict[int, int],
    admin: int | None,
) -> tuple[int, int, int, int]:
    households = list(
        Household.objects.filter(community=community, status="active")
        .order_by("id")
        .values_list("id", "building_id", "building__grid_id")
    )
    if not households:
        return 0, 0, 0, 0
    categories = {c.code: c for c in Category.objects.filter(community=community)}
    codes = [code for code in STORIES if code in categories]
    weights = [STORIES[code][0] for code in codes]
    tz = timezone.get_current_timezone()
    midnight = dt.datetime.combine(ctx.today, dt.time.min, tzinfo=tz)
    rows: list[_Row] = []
    overdue = reopened = still_open = 0
    for _i in range(count):
        code = rng.choices(codes, weights)[0]
        category = categories[code]
        household_id, building_id, grid_id = rng.choice(households)
        if _i < RECENT:  # a few from the last day and a half, still being worked
            submitted = midnight - dt.timedelta(minutes=rng.randrange(30, 36 * 60))
        else:  # more in recent months, none in the future
            days_ago = int(364 * rng.random() ** 1.25)
            hour = rng.choice((7, 8, 9, 9, 10, 10, 11, 14, 15, 16, 17, 19, 20, 21))
            submitted = (
                midnight
                - dt.timedelta(days=days_ago + 1)
                + dt.timedelta(hours=hour, minutes=rng.randrange(60))
            )
        rows.append(
            _one_request(
                rng,
                community,
                category,
                (household_id, building_id, grid_id),
                submitted,
                midnight,
                workers.get(grid_id) or admin,
            )
        )
        req = rows[-1].request
        overdue += req.was_overdue
        reopened += req.reopen_count > 0
        still_open += req.status in (Status.SUBMITTED, Status.ACCEPTED, Status.ON_SITE)
    rows.sort(key=lambda r: r.request.submitted_at)
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        created = ServiceRequest.objects.bulk_create([r.request for r in chunk])
        events = [
            RequestEvent(
                request=req,
                kind=kind,
                at=at,
                actor_id=actor,
                actor_label=label,
                public=public,
                data=data,
            )
            for req, row in zip(created, chunk, strict=True)
            for kind, at, actor, label, public, data in row.events
        ]
        RequestEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(rows), overdue, reopened, still_open


def _one_request(
    rng: random.Random,
    community: Community,
    category: Category,
    place: tuple[int, int, int],
    submitted: dt.datetime,
    midnight: dt.datetime,
    worker: int | None,
) -> _Row:
    household_id, building_id, grid_id = place
    text = rng.choice(STORIES[category.code][1])
    channel = rng.choices(
        (Channel.PHONE, Channel.PORTAL, Channel.OPEN311, Channel.SAFETY_OUTPOST),
        (55, 38, 2, 5 if category.code == "safety_hazard" else 0),
    )[0]
    answers: dict[str, Any] = {}
    for question in category.questions:
        if question["kind"] == "single":
            answers[question["key"]] = rng.choice(question["choices"])
    req = ServiceRequest(
        community=community,
        grid_id=grid_id,
        building_id=building_id,
        household_id=household_id,
        category=category,
        priority=category.priority,
        channel=channel,
        description=text,
        answers=answers,
        assignee_id=worker,
        submitted_at=submitted,
        period_month=dates.month_of(submitted),
        due_contact_at=_plus(submitted, category.contact_minutes),
        due_visit_at=_plus(submitted, category.visit_minutes),
        due_resolve_at=submitted + dt.timedelta(minutes=category.resolve_minutes),
    )
    # Some residents filing themselves let the board show their words (derived, not drawn).
    req.description_public = channel in PUBLIC_TEXT_CHANNELS and household_id % 3 == 0
    req.created_at = req.updated_at = submitted
    events: list[tuple[str, dt.datetime, int | None, str, bool, dict[str, Any]]] = [
        (EventKind.SUBMITTED, submitted, None, "", True, {"channel": channel})
    ]
    urgent = category.priority in (Priority.EMERGENCY, Priority.UTILITY)
    late = 0.02 if urgent else 0.05
    accepted = submitted + dt.timedelta(minutes=_minutes(rng, category.contact_minutes, late, 60))
    if rng.random() < 0.02 and accepted < midnight:
        req.status = Status.CANCELLED
        req.cancelled_at = accepted
        req.cancel_reason = "自己已经解决了"
        req.cancel_source = CancelSource.RESIDENT
        events.append((EventKind.CANCELLED, accepted, None, "", True, {}))
        return _Row(req, events)
    if accepted >= midnight:
        return _open(req, events, midnight)
    req.accepted_at = accepted
    req.contacted_in_time = req.due_contact_at is None or accepted <= req.due_contact_at
    events.append((EventKind.ACCEPTED, accepted, worker, "", True, {}))
    visit = max(
        accepted + dt.timedelta(minutes=rng.randrange(5, 30)),
        submitted
        + dt.timedelta(
            minutes=_minutes(rng, category.visit_minutes, late, 180 if not urgent else 60)
        ),
    )
    needs_visit = category.visit_minutes is not None or rng.random() < 0.7
    if needs_visit:
        if visit >= midnight:
            req.status = Status.ACCEPTED
            return _open(req, events, midnight)
        req.on_site_at = visit
        req.door_seconds = int((visit - submitted).total_seconds())
        events.append((EventKind.ON_SITE, visit, worker, "", True, {}))
    resolved = submitted + dt.timedelta(
        minutes=_minutes(rng, category.resolve_minutes, 0.03, category.resolve_minutes)
    )
    resolved = max(resolved, (req.on_site_at or accepted) + dt.timedelta(minutes=20))
    if resolved >= midnight:
        req.status = Status.ON_SITE if req.on_site_at else Status.ACCEPTED
        return _open(req, events, midnight)
    req.resolved_at = resolved
    req.resolve_seconds = int((resolved - submitted).total_seconds())
    req.resolution_note = "已处理"
    req.was_overdue = (
        (not req.contacted_in_time)
        or resolved > req.due_resolve_at
        or bool(req.due_visit_at and req.on_site_at and req.on_site_at > req.due_visit_at)
    )
    events.append((EventKind.RESOLVED, resolved, worker, "已处理", True, {}))
    rated = resolved + dt.timedelta(hours=rng.uniform(1, 60))
    if rated >= midnight or rng.random() < 0.08:
        if rated >= midnight:
            req.status = Status.RESOLVED
        else:  # nobody gave a verdict: closed by the sweep after 7 days
            req.status = Status.CLOSED
            req.closed_at = resolved + dt.timedelta(days=7, minutes=5)
            events.append((EventKind.CLOSED, req.closed_at, None, "", True, {}))
            if req.closed_at >= midnight:
                req.status, req.closed_at = Status.RESOLVED, None
                events.pop()
        return _Row(req, events)
    rating = rng.choices([r for r, _w in RATING_WEIGHTS], [w for _r, w in RATING_WEIGHTS])[0]
    source = _verdict_source(req)
    req.verdict_source = source
    if rating <= 2:
        first_rated = rated
        events.append(
            (
                EventKind.RATED,
                rated,
                None,
                "",
                True,
                {"rating": rating, "solved": False, "source": source},
            )
        )
        events.append((EventKind.REOPENED, rated, None, "", True, {}))
        events.append(
            (
                EventKind.ESCALATED,
                rated,
                None,
                "",
                True,
                {"level": EscalationLevel.GRID_BRANCH_SECRETARY},
            )
        )
        req.reopen_count = 1
        req.escalation_level = EscalationLevel.GRID_BRANCH_SECRETARY
        req.last_escalated_at = rated
        again = rated + dt.timedelta(hours=rng.uniform(2, 48))
        if again >= midnight:
            req.status = Status.ACCEPTED
            req.rating, req.solved, req.rated_at = rating, False, rated
            req.due_resolve_at = rated + dt.timedelta(minutes=category.resolve_minutes)
            return _Row(req, events)
        events.append((EventKind.RESOLVED, again, worker, "再次处理", True, {}))
        req.resolved_at = again
        rated = again + dt.timedelta(hours=rng.uniform(1, 24))
        if rated >= midnight:
            req.status = Status.RESOLVED
            req.rating, req.solved, req.rated_at = rating, False, first_rated
            return _Row(req, events)
        rating = rng.choice((3, 4, 4, 5, 5, 5))
    req.status = Status.CLOSED
    req.rating = rating
    req.solved = rating >= 3 and rng.random() < 0.96
    req.rated_at = req.closed_at = rated
    events.append(
        (
            EventKind.RATED,
            rated,
            None,
            "",
            True,
            {"rating": rating, "solved": req.solved, "source": source},
        )
    )
    events.append((EventKind.CLOSED, rated, None, "", True, {}))
    return _Row(req, events)


def _verdict_source(req: ServiceRequest) -> str:
    """Most residents rate in the portal; for about one phone call in five, the worker wrote
    down the verdict the caller gave when she phoned back (derived, not drawn: the random
    sequence and so the rest of the demo stay as they were)."""
    if req.channel == Channel.PHONE and req.household_id and req.household_id % 5 == 0:
        return VerdictSource.STAFF_RECORDED_CALL
    return VerdictSource.RESIDENT


def _open(req: ServiceRequest, events: list[Any], midnight: dt.datetime) -> _Row:
    """A request still being worked at the end of the history; late ones are marked overdue
    as the sweep would have."""
    deadline = req.next_deadline
    if isinstance(deadline, dt.datetime) and deadline < midnight:
        req.due_state = DueState.OVERDUE
        req.overdue_at = deadline
        req.was_overdue = True
        req.escalation_level = EscalationLevel.GRID_BRANCH_SECRETARY
        req.last_escalated_at = deadline
        events.append((EventKind.OVERDUE, deadline, None, "", False, {}))
        events.append(
            (
                EventKind.ESCALATED,
                deadline,
                None,
                "",
                True,
                {"level": EscalationLevel.GRID_BRANCH_SECRETARY},
            )
        )
    return _Row(req, events)


def _plus(start: dt.datetime, minutes: int | None) -> dt.datetime | None:
    return start + dt.timedelta(minutes=minutes) if minutes else None


def build_demo(ctx: DemoContext) -> dict[str, int]:
    """Figures printed by `seed_demo`."""
    figures: dict[str, int] = {}
    codes = (ctx.main_community_code, *ctx.other_community_codes)
    for community in Community.objects.filter(code__in=codes).order_by("id"):
        workers, admin = _staff(community)
        _settings(community, admin)
        households = Household.objects.filter(community=community, status="active").count()
        total, overdue, reopened, still_open = _history(
            community,
            ctx,
            ctx.rng,
            int(households * REQUESTS_PER_HOUSEHOLD_YEAR),
            workers,
            admin,
        )
        if community.code == ctx.main_community_code:
            figures.update(
                {
                    "Community 110 requests": total,
                    "overdue at some point": overdue,
                    "reopened": reopened,
                    "still open": still_open,
                }
            )
    return figures
