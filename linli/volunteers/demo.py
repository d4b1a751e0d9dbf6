"""The volunteers part of the Wenchang Garden demo: 72 incubated social organisations, 28 civic
service teams and 23 cultural teams, 1,000+ volunteers drawn from the residents (and a few from
outside), thirteen months of activities with sign-ups, check-ins and confirmed hours, the
points ledger those hours paid into, the store with its redemptions, cancellations and expiries.

Like the registry's builder it writes with `bulk_create` instead of the per-row services (which
lock, check and audit each row and would take minutes). The ledger is *simulated* here as the
services would have written it, with the ledger's own allocation rule (`points.allocate` and
`points.due_lots`): lots, soonest-expiring-first spending, refunds to the same lots, expiry —
so that the stored balances equal the sum of the entries and every lot's allocations add up; a
test checks both against the built demo.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DateTimeField, Model, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from linli.accounts.models import User
from linli.core import dates, pii
from linli.core.demo_hooks import DemoContext
from linli.registry.models import Community, Resident
from linli.volunteers.choices import (
    SEATED,
    ActivityStatus,
    EntryKind,
    OrgStage,
    OrgType,
    RedemptionStatus,
    SignupStatus,
    TeamKind,
    VolunteerStatus,
)
from linli.volunteers.models import (
    Activity,
    Award,
    EarningRule,
    PointsAccount,
    PointsAllocation,
    PointsEntry,
    PointsPolicy,
    Redemption,
    Signup,
    SocialOrganisation,
    StoreItem,
    Team,
    Training,
    Volunteer,
)
from linli.volunteers.points import OpenLot, allocate, due_lots

BATCH = 1000
RESIDENT_VOLUNTEERS = 1060
OUTSIDE_VOLUNTEERS = 26
ORGANISATIONS = 72  # incubated (not counting the withdrawn)
WITHDRAWN = 3
SERVICE_TEAMS = 28
CULTURAL_TEAMS = 23
MONTHS_OF_ACTIVITIES = 13
POINTS_PER_HOUR = 10
EXPIRY_MONTHS = 12
GUIDE = "文昌花园社区党委"

SERVICE_THEMES = (
    "乐龄",
    "邻里守望",
    "红马甲",
    "银发互助",
    "暖心",
    "护苗",
    "助残",
    "助餐",
    "法律援助",
    "心理关爱",
    "环保",
    "垃圾分类",
    "平安巡逻",
    "家电义修",
    "义剪",
    "康乐",
    "亲子",
    "科普",
    "青年",
    "巾帼",
    "老兵",
    "同心",
    "睦邻",
    "微心愿",
    "健康",
    "阳光",
    "爱心",
    "和美",
    "文明",
    "安心",
    "夕阳",
    "童心",
    "助学",
    "关爱",
    "便民",
    "绿色",
    "帮扶",
    "知心",
    "惠民",
    "温暖",
    "向阳",
    "善行",
    "邻家",
    "友邻",
    "亲情",
)
CULTURAL_THEMES = (
    "书香",
    "夕阳红舞蹈",
    "合唱",
    "书画",
    "太极",
    "扬剧",
    "摄影",
    "花艺",
    "手工",
    "棋艺",
    "读书",
    "健步走",
    "广场舞",
    "民乐",
    "葫芦丝",
    "剪纸",
    "诗词",
    "柔力球",
    "模特",
    "京剧",
    "越剧",
    "腰鼓",
    "编织",
    "茶艺",
    "锣鼓",
    "朗诵",
)
OTHER_THEMES = ("居民议事", "业主互助", "楼道自治", "物业监督", "文明劝导")
ORG_FORMS = ("服务社", "协会", "工作室", "服务中心", "互助会")
SERVICE_TEAM_NAMES = (
    "红马甲志愿服务队",
    "平安巡逻队",
    "邻里守望队",
    "助老服务队",
    "垃圾分类督导队",
    "文明交通劝导队",
    "家电义修队",
    "义剪服务队",
    "法律咨询服务队",
    "心理疏导服务队",
    "助残服务队",
    "助餐送餐队",
    "独居老人探访队",
    "防汛应急队",
    "绿化养护队",
    "治安联防队",
    "消防宣传队",
    "反诈宣传队",
    "青少年关爱队",
    "四点半课堂志愿队",
    "健康义诊队",
    "党员先锋队",
    "巾帼志愿队",
    "老兵志愿队",
    "楼道清洁队",
    "便民维修队",
    "爱心帮扶队",
    "新就业群体志愿队",
)
CULTURAL_TEAM_NAMES = (
    "夕阳红舞蹈队",
    "文昌合唱团",
    "书画社",
    "太极拳队",
    "扬剧票友队",
    "摄影队",
    "花艺队",
    "手工编织队",
    "棋艺队",
    "读书会",
    "健步走队",
    "广场舞队",
    "民乐队",
    "葫芦丝队",
    "剪纸队",
    "诗词社",
    "柔力球队",
    "模特队",
    "京剧票友队",
    "越剧队",
    "腰鼓队",
    "茶艺社",
    "锣鼓队",
)
ACTIVITIES = (
    ("楼道清洁", "各楼栋", 2, "service"),
    ("敬老助餐", "睦邻会馆", 2, "service"),
    ("健康义诊", "党群服务中心", 3, "service"),
    ("垃圾分类督导", "各垃圾投放点", 2, "service"),
    ("平安巡逻", "小区主干道", 2, "service"),
    ("文明交通劝导", "文昌路口", 2, "service"),
    ("读书分享会", "城市书房", 2, "cultural"),
    ("公益集市", "公益集市", 4, "service"),
    ("四点半课堂", "睦邻会馆", 2, "service"),
    ("理发义剪", "党群服务中心", 3, "service"),
    ("家电义修", "公益集市", 3, "service"),
    ("反诈宣传", "映像文昌展厅", 2, "service"),
    ("独居老人探访", "各网格", 2, "service"),
    ("防汛巡查", "小区各楼栋", 3, "service"),
    ("绿化养护", "中心花园", 2, "service"),
    ("文艺汇演", "睦邻会馆", 3, "cultural"),
    ("书画交流", "党群服务中心", 2, "cultural"),
    ("健康讲座", "党群服务中心", 2, "service"),
)
SKILLS = (
    "理发",
    "家电维修",
    "医疗护理",
    "法律咨询",
    "心理疏导",
    "书法",
    "绘画",
    "摄影",
    "舞蹈",
    "唱歌",
    "驾驶",
    "厨艺",
    "电脑",
    "英语",
    "辅导作业",
    "水电维修",
    "急救",
    "手工",
)
AVAILABILITY = ("工作日白天", "工作日晚上", "周末", "周末上午", "随时", "节假日")
TRAININGS = (
    ("志愿服务通用培训", "曲江街道"),
    ("应急救护培训", "广陵区红十字会"),
    ("垃圾分类知识培训", "文昌花园社区"),
    ("反诈宣传培训", "曲江派出所"),
    ("心理健康知识培训", "广陵区社工站"),
)
AWARDS = (
    ("优秀志愿者", "文昌花园社区"),
    ("五星志愿者", "曲江街道"),
    ("最美志愿者", "广陵区文明办"),
    ("志愿服务先进个人", "扬州市志愿服务联合会"),
)
STORE_ITEMS = (
    ("抽纸一提", "10包装", 20, 200, None),
    ("香皂", "两块装", 20, 180, None),
    ("洗洁精", "1.5kg", 30, 150, None),
    ("牙膏套装", "牙膏两支、牙刷两支", 40, 120, None),
    ("毛巾", "纯棉", 30, 160, None),
    ("鸡蛋一盒", "30枚", 50, 80, 2),
    ("挂面", "2kg", 40, 100, None),
    ("酱油", "1.9L", 40, 90, None),
    ("洗衣液", "3kg", 60, 120, None),
    ("食用油", "5L", 120, 60, 1),
    ("大米", "5kg", 100, 60, 1),
    ("雨伞", "折叠伞", 80, 40, 1),
    ("保温杯", "500ml", 150, 30, 1),
    ("理发券", "社区义剪一次", 30, 100, 2),
    ("家电维修券", "上门一次", 80, 50, 1),
    ("购物袋", "环保帆布", 20, 150, None),
)


def v_account(signup: Signup) -> int:
    """The points account of a volunteer's sign-up (the demo makes no residents' places)."""
    assert signup.volunteer is not None
    return signup.volunteer.account_id


def _bulk(model: type[Model], rows: list) -> None:  # type: ignore[type-arg]
    model._default_manager.bulk_create(rows, batch_size=BATCH)


@dataclass
class _Account:
    """One account's ledger while it is simulated: its lots and running balance."""

    row: PointsAccount
    balance: int = 0
    lots: list[OpenLot] = field(default_factory=list)


class _Ledger:
    """Writes entries and allocations as `linli.volunteers.points` would, in memory: which lots
    pay a spending or expire is decided by the ledger's own `allocate` and `due_lots`."""

    def __init__(self, community_id: int) -> None:
        self.community_id = community_id
        self.entries: list[PointsEntry] = []
        self.allocations: list[tuple[PointsEntry, PointsEntry, int]] = []

    def _entry(
        self,
        acc: _Account,
        kind: str,
        points: int,
        at: dt.datetime,
        reason: str,
        ref: str = "",
        expires_at: dt.datetime | None = None,
    ) -> PointsEntry:
        acc.balance += points
        entry = PointsEntry(
            account=acc.row,
            community_id=self.community_id,
            kind=kind,
            points=points,
            balance_after=acc.balance,
            expires_at=expires_at,
            reason=reason[:200],
            ref=ref,
            created_at=at,
        )
        self.entries.append(entry)
        return entry

    def expire_due(self, acc: _Account, at: dt.datetime) -> None:
        """Expire the lots due by `at`, one entry per night as the nightly sweep would."""
        nights: dict[dt.date, list[OpenLot]] = {}
        for lot in due_lots(acc.lots, at):
            assert lot.entry.expires_at is not None
            nights.setdefault(timezone.localdate(lot.entry.expires_at), []).append(lot)
        for night in sorted(nights):
            lots = nights[night]
            swept = min(at, dates.at(night + dt.timedelta(days=1), 2))
            entry = self._entry(
                acc, EntryKind.EXPIRY, -sum(lot.left for lot in lots), swept, "积分过期"
            )
            for lot in lots:
                self.allocations.append((entry, lot.entry, lot.left))
                lot.left = 0

    def earn(
        self, acc: _Account, kind: str, points: int, at: dt.datetime, reason: str, ref: str
    ) -> None:
        self.expire_due(acc, at)
        entry = self._entry(
            acc, kind, points, at, reason, ref, dates.add_months_dt(at, EXPIRY_MONTHS)
        )
        acc.lots.append(OpenLot(entry, points))

    def spend(
        self, acc: _Account, points: int, at: dt.datetime, reason: str, ref: str
    ) -> list[tuple[OpenLot, int]] | None:
        self.expire_due(acc, at)
        if acc.balance < points:
            return None
        entry = self._entry(acc, EntryKind.REDEMPTION, -points, at, reason, ref)
        taken = allocate(acc.lots, points)
        self.allocations.extend((entry, lot.entry, take) for lot, take in taken)
        return taken

    def refund(
        self,
        acc: _Account,
        taken: list[tuple[OpenLot, int]],
        points: int,
        at: dt.datetime,
        reason: str,
        ref: str,
    ) -> None:
        entry = self._entry(acc, EntryKind.REFUND, points, at, reason, ref)
        for lot, take in taken:
            lot.left += take
            self.allocations.append((entry, lot.entry, -take))
        self.expire_due(acc, at)


def _now(today: dt.date) -> dt.datetime:
    """The demo's present moment: now when building for today, else the evening of `today`."""
    current = timezone.localtime()
    return current if current.date() == today else dates.at(today, 18)


# (time, account, kind, points, reason, ref) of one earning, in the simulation.
Earning = tuple[dt.datetime, _Account, str, int, str, str]


def build_demo(ctx: DemoContext) -> dict[str, int]:
    community = Community.objects.get(code=ctx.main_community_code)
    rng = ctx.rng
    today = ctx.today
    now = _now(today)
    PointsPolicy.objects.create(
        community=community,
        points_per_hour=POINTS_PER_HOUR,
        max_hours_per_activity=Decimal(8),
        cap_to_schedule=True,
        expiry_months=EXPIRY_MONTHS,
        safety_report_points=20,
    )
    _bulk(
        EarningRule,
        [
            EarningRule(community=community, code="training", name="参加志愿培训", points=5),
            EarningRule(community=community, code="good_deed", name="好人好事", points=30),
            EarningRule(community=community, code="meeting", name="参加居民议事会", points=5),
        ],
    )
    volunteers, accounts = _volunteers(ctx, community)
    orgs = _organisations(rng, community, volunteers, today)
    teams = _teams(rng, community, volunteers, orgs)
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["wenchang_admin", "party", "volunteer"])
    }
    organisers = [users[n] for n in ("wenchang_admin", "party", "volunteer") if n in users]
    ledger = _Ledger(community.id)
    activities, signups, earnings = _activities(
        rng, community, volunteers, accounts, teams, orgs, organisers, today, now
    )
    items, redemptions = _store(rng, community, accounts, ledger, earnings, today, now)
    for acc in accounts.values():
        ledger.expire_due(acc, now)
    # Entries in time order, so that ids follow time as the services would write them.
    ledger.entries.sort(key=lambda e: e.created_at)
    _bulk(PointsEntry, ledger.entries)
    _bulk(
        PointsAllocation,
        [PointsAllocation(entry=e, lot=lot, points=p) for e, lot, p in ledger.allocations],
    )
    _sum_into(
        PointsAccount,
        "balance",
        Subquery(
            PointsEntry.objects.filter(account=OuterRef("pk"))
            .values("account")
            .annotate(total=Sum("points"))
            .values("total")
        ),
        community=community,
    )
    _records(rng, volunteers, today)
    return {
        "social organisations incubated": sum(1 for o in orgs if o.stage != OrgStage.WITHDRAWN),
        "civic service teams": sum(1 for t in teams if t.kind == TeamKind.SERVICE),
        "cultural teams": sum(1 for t in teams if t.kind == TeamKind.CULTURAL),
        "volunteers": len(volunteers),
        "activities": activities,
        "sign-ups": signups,
        "ledger entries": len(ledger.entries),
        "store items": items,
        "redemptions": redemptions,
    }


@contextmanager
def _planned_timestamps(model: type[Model]) -> Iterator[None]:
    """Let `bulk_create` keep the planned `created_at` instead of stamping the present (the
    demo's sign-ups and redemptions happened over a year); one UPDATE per row would be slow."""
    created = model._meta.get_field("created_at")
    assert isinstance(created, DateTimeField)
    created.auto_now_add = False
    try:
        yield
    finally:
        created.auto_now_add = True


def _sum_into(model: type[Model], target: str, subquery: Subquery, **scope: object) -> None:
    """Set one stored total for many rows in one UPDATE (bulk_update would be slow)."""
    model._default_manager.filter(**scope).update(**{target: Coalesce(subquery, Value(0))})


def _volunteers(
    ctx: DemoContext, community: Community
) -> tuple[list[Volunteer], dict[int, _Account]]:
    rng = ctx.rng
    today = ctx.today
    youngest = today.replace(year=today.year - 18)
    oldest = today.replace(year=today.year - 75)
    candidates = list(
        Resident.objects.filter(
            community=community, status="active", birth_date__lte=youngest, birth_date__gt=oldest
        )
        .order_by("id")
        .values_list("id", "name", "gender")
    )
    demo_resident = (
        User.objects.filter(username="resident").values_list("resident_id", flat=True).first()
    )
    chosen = rng.sample(candidates, RESIDENT_VOLUNTEERS)
    if demo_resident and all(c[0] != demo_resident for c in chosen):
        extra = next((c for c in candidates if c[0] == demo_resident), None)
        if extra:
            chosen[0] = extra
    chosen.sort()
    people: list[tuple[int | None, str, str, str]] = [(rid, name, g, "") for rid, name, g in chosen]
    surnames = "王李张刘陈杨黄赵周吴徐孙朱马胡郭"
    given = "伟芳娜敏静强磊军洋勇艳杰娟涛明超秀霞平刚"
    for _i in range(OUTSIDE_VOLUNTEERS):
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        people.append(
            (
                None,
                rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                rng.choice("MF"),
                phone,
            )
        )
    accounts = [
        PointsAccount(community=community, resident_id=rid, name=name)
        for rid, name, _g, _p in people
    ]
    _bulk(PointsAccount, accounts)
    joined = [today - dt.timedelta(days=rng.randrange(30, 7 * 365)) for _ in people]
    serial: dict[int, int] = {}
    order = sorted(range(len(people)), key=lambda i: (joined[i], i))
    numbers: dict[int, str] = {}
    for i in order:
        year = joined[i].year
        serial[year] = serial.get(year, 0) + 1
        numbers[i] = f"ZY{year}{serial[year]:06d}"
    rows: list[Volunteer] = []
    for i, (rid, name, gender, phone) in enumerate(people):
        roll = rng.random()
        status = (
            VolunteerStatus.ACTIVE
            if roll < 0.94
            else (VolunteerStatus.PAUSED if roll < 0.98 else VolunteerStatus.LEFT)
        )
        rows.append(
            Volunteer(
                community=community,
                resident_id=rid,
                account=accounts[i],
                number=numbers[i],
                name=name,
                gender=gender,
                phone_encrypted=pii.encrypt(phone) if phone else "",
                phone_hash=pii.lookup_hash("phone", phone) if phone else "",
                phone_masked=pii.mask_phone(phone) if phone else "",
                skills="，".join(rng.sample(SKILLS, rng.randrange(0, 3))),
                availability=rng.choice(AVAILABILITY),
                status=status if rid != demo_resident else VolunteerStatus.ACTIVE,
                joined_on=joined[i],
            )
        )
    _bulk(Volunteer, rows)
    return rows, {v.account.pk: _Account(row=v.account) for v in rows}


def _organisations(
    rng: random.Random, community: Community, volunteers: list[Volunteer], today: dt.date
) -> list[SocialOrganisation]:
    names: list[tuple[str, str]] = []
    pools: tuple[tuple[str, tuple[str, ...], int], ...] = (
        (OrgType.SERVICE, SERVICE_THEMES, 45),
        (OrgType.CULTURAL, CULTURAL_THEMES, 22),
        (OrgType.OTHER, OTHER_THEMES, 5),
    )
    for org_type, themes, count in pools:
        for i in range(count):
            form = ORG_FORMS[(i + len(names)) % len(ORG_FORMS)]
            names.append((org_type, f"文昌{themes[i % len(themes)]}{form}"))
    stages = (
        [OrgStage.APPLIED] * 4
        + [OrgStage.INCUBATING] * 12
        + [OrgStage.REGISTERED] * 38
        + [OrgStage.GRADUATED] * 18
    )
    rng.shuffle(stages)
    withdrawn: list[tuple[str, str]] = [
        (OrgType.SERVICE, "文昌邻里快递互助会"),
        (OrgType.CULTURAL, "文昌街舞工作室"),
        (OrgType.OTHER, "文昌宠物友好协会"),
    ]
    active = [v for v in volunteers if v.status == VolunteerStatus.ACTIVE]
    rows: list[SocialOrganisation] = []
    for (org_type, name), stage in [
        *zip(names, stages, strict=True),
        *((w, OrgStage.WITHDRAWN) for w in withdrawn),
    ]:
        applied = today - dt.timedelta(days=rng.randrange(60, 6 * 365))
        org = SocialOrganisation(
            community=community,
            name=name,
            org_type=org_type,
            stage=stage,
            applied_on=applied,
            leader=rng.choice(active),
            guiding_party_org=GUIDE
            if rng.random() < 0.6
            else f"第{rng.randrange(1, 12)}网格党支部",
            description="",
        )
        step = applied
        path = {
            OrgStage.APPLIED: (),
            OrgStage.INCUBATING: ("incubating_on",),
            OrgStage.REGISTERED: ("incubating_on", "registered_on"),
            OrgStage.GRADUATED: ("incubating_on", "registered_on", "graduated_on"),
            OrgStage.WITHDRAWN: ("incubating_on", "withdrawn_on"),
        }[OrgStage(stage)]
        for date_field in path:
            span = max(1, (today - step).days // 3)
            step = step + dt.timedelta(days=rng.randrange(1, span + 1))
            setattr(org, date_field, min(step, today))
        rows.append(org)
    _bulk(SocialOrganisation, rows)
    through = SocialOrganisation.members.through
    links: list[Model] = []
    for org in rows:
        members = {org.leader_id, *(v.pk for v in rng.sample(active, rng.randrange(6, 36)))}
        links.extend(through(socialorganisation_id=org.pk, volunteer_id=m) for m in members)
    _bulk(through, links)
    return rows


def _teams(
    rng: random.Random,
    community: Community,
    volunteers: list[Volunteer],
    orgs: list[SocialOrganisation],
) -> list[Team]:
    live = [o for o in orgs if o.stage in (OrgStage.REGISTERED, OrgStage.GRADUATED)]
    service_orgs = [o for o in live if o.org_type == OrgType.SERVICE]
    cultural_orgs = [o for o in live if o.org_type == OrgType.CULTURAL]
    rows: list[Team] = []
    for names, kind, pool in (
        (SERVICE_TEAM_NAMES[:SERVICE_TEAMS], TeamKind.SERVICE, service_orgs),
        (CULTURAL_TEAM_NAMES[:CULTURAL_TEAMS], TeamKind.CULTURAL, cultural_orgs),
    ):
        for name in names:
            organisation = rng.choice(pool) if pool and rng.random() < 0.5 else None
            rows.append(Team(community=community, name=name, kind=kind, organisation=organisation))
    active = [v for v in volunteers if v.status == VolunteerStatus.ACTIVE]
    through = Team.members.through
    links: set[tuple[int, int]] = set()
    for v in active:
        for team_index in rng.sample(range(len(rows)), rng.choice((1, 1, 1, 2, 2, 3))):
            links.add((team_index, v.pk))
    by_team: dict[int, list[int]] = {}
    for team_index, vid in sorted(links):
        by_team.setdefault(team_index, []).append(vid)
    for index, team in enumerate(rows):
        team.leader_id = by_team[index][0] if by_team.get(index) else None
    _bulk(Team, rows)
    _bulk(through, [through(team_id=rows[t].pk, volunteer_id=v) for t, v in sorted(links)])
    return rows


def _activities(
    rng: random.Random,
    community: Community,
    volunteers: list[Volunteer],
    accounts: dict[int, _Account],
    teams: list[Team],
    orgs: list[SocialOrganisation],
    organisers: list[User],
    today: dt.date,
    now: dt.datetime,
) -> tuple[int, int, list[Earning]]:
    """About six activities a week for thirteen months and the month ahead."""
    active = [v for v in volunteers if v.status == VolunteerStatus.ACTIVE]
    demo_resident = (
        User.objects.filter(username="resident").values_list("resident_id", flat=True).first()
    )
    demo_volunteer = next((v for v in active if v.resident_id == demo_resident), None)
    live_orgs = [o for o in orgs if o.stage in (OrgStage.REGISTERED, OrgStage.GRADUATED)]
    start = dates.add_months(today, -MONTHS_OF_ACTIVITIES)
    end = today + dt.timedelta(days=30)
    rows: list[Activity] = []
    day = start
    while day <= end:
        for _n in range(rng.choice((0, 1, 1, 1, 2))):
            title, place, hours, kind = rng.choice(ACTIVITIES)
            hour = rng.choice((8, 9, 9, 14, 14, 15, 19)) if hours <= 3 else 9
            starts = dates.at(day, hour, rng.choice((0, 30)))
            host = rng.random()
            team_pool = [t for t in teams if t.kind == kind] or teams
            rows.append(
                Activity(
                    community=community,
                    title=title,
                    description="",
                    place=place,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=hours),
                    capacity=rng.choice((10, 15, 20, 20, 30, 40)),
                    team=rng.choice(team_pool) if host < 0.6 else None,
                    organisation=rng.choice(live_orgs) if 0.6 <= host < 0.85 else None,
                    organiser=rng.choice(organisers) if organisers else None,
                    status=ActivityStatus.FINISHED if day < today else ActivityStatus.OPEN,
                )
            )
        day += dt.timedelta(days=1)
    _bulk(Activity, rows)
    signups: list[Signup] = []
    hour_totals: dict[int, Decimal] = {}
    for activity in rows:
        past = activity.ends_at < now
        taking = min(len(active), int(activity.capacity * rng.uniform(0.5, 1.0 if past else 0.8)))
        chosen = rng.sample(active, taking)
        if past and demo_volunteer and demo_volunteer not in chosen and rng.random() < 0.12:
            chosen[0] = demo_volunteer
        seated = 0
        for v in chosen:
            signed = activity.starts_at - dt.timedelta(
                days=rng.randrange(1, 10), hours=rng.randrange(0, 12)
            )
            s = Signup(activity=activity, volunteer=v, resident_id=v.resident_id, created_at=signed)
            if not past:
                s.status = SignupStatus.SIGNED_UP
                seated += 1
            elif rng.random() < 0.06:
                s.status = SignupStatus.CANCELLED
            else:
                seated += 1
                checked_in = activity.starts_at + dt.timedelta(minutes=rng.randrange(-10, 20))
                stay = (
                    activity.ends_at
                    - activity.starts_at
                    + dt.timedelta(minutes=rng.randrange(-40, 30))
                )
                s.checked_in_at = checked_in
                s.checked_out_at = checked_in + stay
                cap = Decimal((activity.ends_at - activity.starts_at).total_seconds()) / 3600
                worked = Decimal(stay.total_seconds()) / 3600
                credited = min(cap, (worked * 4).to_integral_value(rounding="ROUND_DOWN") / 4)
                s.status = SignupStatus.CONFIRMED
                s.hours = credited
                s.confirmed_at = min(
                    now, activity.ends_at + dt.timedelta(hours=rng.randrange(1, 30))
                )
                s.confirmed_by = activity.organiser
                hour_totals[v.pk] = hour_totals.get(v.pk, Decimal(0)) + credited
            signups.append(s)
        activity.seats_taken = seated
    with _planned_timestamps(Signup):
        _bulk(Signup, signups)
    _sum_into(
        Activity,
        "seats_taken",
        Subquery(
            Signup.objects.filter(activity=OuterRef("pk"), status__in=SEATED)
            .values("activity")
            .annotate(n=Count("id"))
            .values("n")
        ),
        community=community,
    )
    earnings: list[Earning] = []
    for s in signups:
        if s.status == SignupStatus.CONFIRMED and s.hours and s.confirmed_at:
            earned = int(s.hours * POINTS_PER_HOUR)
            if earned:
                earnings.append(
                    (
                        s.confirmed_at,
                        accounts[v_account(s)],
                        EntryKind.HOURS,
                        earned,
                        f"{s.activity.title} · {s.hours}h",
                        f"signup:{s.public_id}",
                    )
                )
    for v in volunteers:
        v.hours_total = hour_totals.get(v.pk, Decimal(0))
    _sum_into(
        Volunteer,
        "hours_total",
        Subquery(
            Signup.objects.filter(volunteer=OuterRef("pk"), status=SignupStatus.CONFIRMED)
            .values("volunteer")
            .annotate(h=Sum("hours"))
            .values("h")
        ),
        community=community,
    )
    # A few other earning rules paid during the year.
    for v in rng.sample(active, 150):
        at = dates.at(today - dt.timedelta(days=rng.randrange(1, 360)), 10)
        earnings.append((at, accounts[v.account_id], EntryKind.RULE, 5, "参加志愿培训", ""))
    return len(rows), len(signups), earnings


def _store(
    rng: random.Random,
    community: Community,
    accounts: dict[int, _Account],
    ledger: _Ledger,
    earnings: list[Earning],
    today: dt.date,
    now: dt.datetime,
) -> tuple[int, int]:
    """The store's items, and the year's earnings and redemptions replayed in time order
    against the ledger (a cancellation is replayed when it happened)."""
    items = [
        StoreItem(
            community=community,
            name=name,
            description=description,
            price=price,
            stock=stock,
            per_person_limit=limit,
        )
        for name, description, price, stock, limit in STORE_ITEMS
    ]
    _bulk(StoreItem, items)
    pool = sorted(accounts.values(), key=lambda a: a.row.pk)
    # (time, order, sequence): earnings first at equal times, then redemptions, cancellations.
    events: list[tuple[dt.datetime, int, int]] = []
    wishes: dict[int, tuple[_Account, StoreItem]] = {}
    cancels: dict[int, tuple[_Account, list[tuple[OpenLot, int]], Redemption]] = {}
    for seq, earning in enumerate(earnings):
        events.append((earning[0], 0, seq))
    for seq in range(3000):
        day = today - dt.timedelta(days=rng.randrange(1, 365))
        at = dates.at(day, rng.randrange(8, 18), rng.randrange(60))
        events.append((at, 1, seq))
        wishes[seq] = (rng.choice(pool), rng.choice(items))
    heapq.heapify(events)
    taken_per_person: dict[tuple[int, int], int] = {}
    codes: set[str] = set()
    rows: list[Redemption] = []
    times: list[dt.datetime] = []
    extra = len(events)
    while events:
        at, order, seq = heapq.heappop(events)
        if order == 0:
            _at, acc, kind, points, reason, ref = earnings[seq]
            ledger.earn(acc, kind, points, at, reason, ref)
            continue
        if order == 2:
            acc, taken, redemption = cancels.pop(seq)
            item = redemption.item
            item.stock += redemption.quantity
            key = (acc.row.pk, item.pk)
            taken_per_person[key] -= redemption.quantity
            ledger.refund(
                acc,
                taken,
                redemption.points,
                at,
                f"{item.name} × 1",
                f"redemption:{redemption.public_id}",
            )
            continue
        acc, item = wishes[seq]
        key = (acc.row.pk, item.pk)
        if item.stock < 1 or (
            item.per_person_limit and taken_per_person.get(key, 0) >= item.per_person_limit
        ):
            continue
        redemption = Redemption(
            community=community, account=acc.row, item=item, quantity=1, points=item.price
        )
        spent = ledger.spend(
            acc, item.price, at, f"{item.name} × 1", f"redemption:{redemption.public_id}"
        )
        if spent is None:
            continue
        item.stock -= 1
        taken_per_person[key] = taken_per_person.get(key, 0) + 1
        age = now - at
        roll = rng.random()
        code = f"{rng.randrange(10**6):06d}"
        if age <= dt.timedelta(days=10) and roll < 0.5:
            while code in codes:
                code = f"{rng.randrange(10**6):06d}"
            codes.add(code)
            redemption.status = RedemptionStatus.RESERVED
        elif age > dt.timedelta(days=3) and roll < 0.08:
            cancelled = at + dt.timedelta(hours=rng.randrange(1, 48))
            redemption.status = RedemptionStatus.CANCELLED
            redemption.handled_at = cancelled
            extra += 1
            cancels[extra] = (acc, spent, redemption)
            heapq.heappush(events, (cancelled, 2, extra))
        else:
            redemption.status = RedemptionStatus.PICKED_UP
            redemption.handled_at = min(now, at + dt.timedelta(hours=rng.randrange(1, 72)))
        redemption.pickup_code = code
        rows.append(redemption)
        times.append(at)
    StoreItem.objects.bulk_update(items, ["stock"])
    for row, when in zip(rows, times, strict=True):
        row.created_at = when
    with _planned_timestamps(Redemption):
        _bulk(Redemption, rows)
    return len(items), len(rows)


def _records(rng: random.Random, volunteers: list[Volunteer], today: dt.date) -> None:
    """Trainings and awards for the volunteer records."""
    trainings = []
    for v in rng.sample(volunteers, 600):
        title, provider = rng.choice(TRAININGS)
        trainings.append(
            Training(
                volunteer=v,
                title=title,
                provider=provider,
                held_on=today - dt.timedelta(days=rng.randrange(1, 900)),
                hours=Decimal(rng.choice((2, 3, 4))),
            )
        )
    _bulk(Training, trainings)
    ranked = sorted(volunteers, key=lambda v: (-v.hours_total, v.number))[:120]
    awards = []
    for v in ranked:
        title, issuer = rng.choice(AWARDS)
        awards.append(
            Award(
                volunteer=v,
                title=title,
                issuer=issuer,
                awarded_on=today - dt.timedelta(days=rng.randrange(1, 700)),
            )
        )
    _bulk(Award, awards)
