"""The venues part of the Wenchang Garden demo: the service centre's venues with the areas of
BRIEF (映像文昌, 城市书房, 公益集市, 睦邻会馆, centre rooms, the training base's classrooms), 12
Party-building micro-homes in the 11 grids (one grid holds two), each with its three kits; 22
convenience-service categories with providers and regular schedules; about a year of bookings
(utilisation mostly 50–85%), service records with ratings, and kit loans.

Written with `bulk_create` (the services would lock, check and audit each row). Bookings are
laid out per venue and day on free blocks only, so the "never two overlapping" rule holds in
the demo too (PostgreSQL's constraint would refuse it otherwise)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Model
from django.utils import timezone

from linli.accounts.models import RoleAssignment, User
from linli.core import dates
from linli.core.demo_hooks import DemoContext
from linli.core.roles import Role
from linli.registry.models import Community, Grid, Resident
from linli.venues.choices import (
    BookingStatus,
    KitKind,
    LoanStatus,
    ProviderKind,
    RecordStatus,
    VenueKind,
)
from linli.venues.models import (
    Booking,
    BookingSeries,
    Closure,
    Kit,
    KitItem,
    Loan,
    OpeningHours,
    ServiceCategory,
    ServiceProvider,
    ServiceRecord,
    ServiceSchedule,
    Venue,
)

BATCH = 2000
DAYS_BACK = 365
DAYS_AHEAD = 28


@dataclass(frozen=True)
class _V:
    name: str
    kind: str
    area: int
    capacity: int
    opens: str
    closes: str
    weekdays: tuple[int, ...]
    residents: bool
    approval: bool
    block_hours: tuple[int, ...]  # lengths of the blocks a day is cut into
    rate: tuple[float, float]  # the share of blocks booked (min, max)
    place: str = ""


ALL_WEEK = (0, 1, 2, 3, 4, 5, 6)
CENTRE = (
    _V(
        "映像文昌",
        VenueKind.EXHIBITION,
        800,
        150,
        "09:00",
        "17:00",
        (1, 2, 3, 4, 5, 6),
        False,
        True,
        (3, 4),
        (0.6, 0.85),
        "党群服务中心一楼",
    ),
    _V(
        "城市书房",
        VenueKind.READING_ROOM,
        400,
        60,
        "08:30",
        "20:30",
        ALL_WEEK,
        True,
        False,
        (3, 4),
        (0.55, 0.8),
        "党群服务中心二楼",
    ),
    _V(
        "公益集市",
        VenueKind.MARKET,
        600,
        200,
        "08:00",
        "18:00",
        (5, 6),
        False,
        True,
        (3, 4),
        (0.5, 0.75),
        "中心广场",
    ),
    _V(
        "睦邻会馆",
        VenueKind.HALL,
        1000,
        300,
        "08:30",
        "21:00",
        ALL_WEEK,
        True,
        True,
        (3, 4),
        (0.55, 0.85),
        "党群服务中心三楼",
    ),
    _V(
        "多功能厅",
        VenueKind.MEETING_ROOM,
        300,
        100,
        "08:30",
        "21:00",
        ALL_WEEK,
        False,
        True,
        (3, 4),
        (0.5, 0.8),
        "党群服务中心三楼",
    ),
    _V(
        "议事厅",
        VenueKind.MEETING_ROOM,
        120,
        40,
        "08:30",
        "21:00",
        (0, 1, 2, 3, 4, 5),
        False,
        False,
        (2, 3),
        (0.5, 0.75),
        "党群服务中心二楼",
    ),
    _V(
        "培训基地第一教室",
        VenueKind.CLASSROOM,
        200,
        80,
        "08:00",
        "21:00",
        ALL_WEEK,
        False,
        False,
        (3, 4),
        (0.5, 0.8),
        "干部培训基地",
    ),
    _V(
        "培训基地第二教室",
        VenueKind.CLASSROOM,
        160,
        60,
        "08:00",
        "21:00",
        ALL_WEEK,
        False,
        False,
        (3, 4),
        (0.5, 0.75),
        "干部培训基地",
    ),
    _V(
        "培训基地报告厅",
        VenueKind.CLASSROOM,
        500,
        240,
        "08:00",
        "21:00",
        ALL_WEEK,
        False,
        False,
        (3, 4),
        (0.5, 0.7),
        "干部培训基地",
    ),
    _V(
        "培训基地研讨室",
        VenueKind.MEETING_ROOM,
        80,
        24,
        "08:00",
        "21:00",
        ALL_WEEK,
        False,
        False,
        (2, 3),
        (0.5, 0.75),
        "干部培训基地",
    ),
)

KIT_ITEMS = {
    KitKind.HEALTH: (
        ("血压计", 2),
        ("血糖仪", 2),
        ("轮椅", 1),
        ("拐杖", 3),
        ("体温计", 4),
        ("急救包", 2),
    ),
    KitKind.CULTURE: (
        ("象棋", 4),
        ("围棋", 2),
        ("羽毛球拍", 4),
        ("跳绳", 6),
        ("扇子舞道具", 10),
        ("图书", 30),
    ),
    KitKind.CONVENIENCE: (
        ("工具箱", 2),
        ("雨伞", 10),
        ("充电宝", 4),
        ("老花镜", 6),
        ("针线包", 5),
        ("手推车", 2),
    ),
}

CATEGORIES = (
    ("居家养老", "上门助餐、助洁、助浴"),
    ("文化服务", "书法、合唱、广场舞培训"),
    ("残疾康复", "康复训练与辅具适配"),
    ("法律咨询", "律师坐班与法律援助"),
    ("体育休闲", "健身指导与赛事"),
    ("学业辅导", "四点半课堂与作业辅导"),
    ("义务理发", "每月第二、四个周六"),
    ("家电维修", "小家电免费检修"),
    ("义诊", "社区医院专家义诊"),
    ("心理咨询", "一对一心理疏导"),
    ("就业指导", "岗位推介与技能培训"),
    ("磨刀修伞", "便民小修"),
    ("衣物缝补", "缝补与改衣"),
    ("手机课堂", "教老人用智能手机"),
    ("政策咨询", "社保、医保、低保政策解答"),
    ("家政服务", "保洁与家电清洗"),
    ("眼镜清洗", "验光与眼镜维修"),
    ("测血压血糖", "慢病筛查"),
    ("儿童托管", "假期托管与亲子活动"),
    ("反诈宣传", "防诈骗讲座"),
    ("垃圾分类指导", "分类宣传与督导"),
    ("志愿者招募", "志愿服务登记与培训"),
)

PROVIDERS = (
    ("乐龄服务社", ProviderKind.ORGANISATION, ("居家养老", "测血压血糖", "手机课堂")),
    ("红马甲志愿服务队", ProviderKind.TEAM, ("磨刀修伞", "义务理发", "垃圾分类指导", "志愿者招募")),
    ("文昌合唱团", ProviderKind.TEAM, ("文化服务",)),
    ("扬州阳光律师事务所", ProviderKind.BUSINESS, ("法律咨询", "政策咨询")),
    ("曲江社区卫生服务中心", ProviderKind.BUSINESS, ("义诊", "测血压血糖", "残疾康复")),
    ("心语心理工作室", ProviderKind.ORGANISATION, ("心理咨询",)),
    ("美家家电维修", ProviderKind.BUSINESS, ("家电维修", "家政服务")),
    ("明亮眼镜店", ProviderKind.BUSINESS, ("眼镜清洗",)),
    ("党群服务中心", ProviderKind.STAFF, ("就业指导", "政策咨询", "反诈宣传", "儿童托管")),
    ("巧手缝补队", ProviderKind.TEAM, ("衣物缝补",)),
    ("四点半课堂", ProviderKind.ORGANISATION, ("学业辅导", "儿童托管")),
    ("健身指导站", ProviderKind.ORGANISATION, ("体育休闲",)),
)

# (category, provider, venue, weekday, start hour, hours, every n weeks)
SCHEDULES = (
    ("义务理发", "红马甲志愿服务队", "睦邻会馆", 5, 8, 2, 2),
    ("法律咨询", "扬州阳光律师事务所", "议事厅", 2, 14, 2, 1),
    ("义诊", "曲江社区卫生服务中心", "多功能厅", 3, 8, 2, 2),
    ("手机课堂", "乐龄服务社", "城市书房", 1, 14, 2, 1),
)

PURPOSES = {
    VenueKind.EXHIBITION: ("党史学习参观", "外地考察团参观", "学校研学", "主题党日参观"),
    VenueKind.READING_ROOM: ("读书会", "亲子阅读", "四点半课堂", "书法练习", "自习"),
    VenueKind.MARKET: ("公益集市", "爱心义卖", "便民服务日", "二手交换"),
    VenueKind.HALL: ("广场舞排练", "合唱团排练", "居民议事会", "邻里节", "老年大学", "戏曲票友会"),
    VenueKind.MEETING_ROOM: ("两委会议", "网格员例会", "社会组织座谈", "居民议事", "党课"),
    VenueKind.CLASSROOM: ("干部培训班", "专题讲座", "案例教学", "研讨交流"),
    VenueKind.MICRO_HOME: ("党小组会", "邻里茶话", "健康讲座", "楼道议事", "志愿服务"),
}
HOSTS = (
    "红马甲志愿服务队",
    "文昌合唱团",
    "乐龄服务社",
    "社区党委",
    "第一网格党支部",
    "四点半课堂",
    "书香文昌读书会",
    "扬州市委党校",
)


def _t(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _bulk(model: type[Model], rows: list) -> list:  # type: ignore[type-arg]
    return model._default_manager.bulk_create(rows, batch_size=BATCH)


NEIGHBOUR_USERNAME = "neighbour"


def _neighbour(community: Community) -> bool:
    """A second resident login (`neighbour`, another household, the demo password) so that
    two residents can contend for one slot in the browser tests and in a demo."""
    resident_user = User.objects.filter(username="resident").first()
    if resident_user is None or User.objects.filter(username=NEIGHBOUR_USERNAME).exists():
        return False
    taken = set(User.objects.exclude(resident=None).values_list("resident_id", flat=True))
    candidate = (
        Resident.objects.filter(community=community, status="active", relation="head")
        .exclude(household_id=resident_user.resident.household_id if resident_user.resident else 0)
        .exclude(pk__in=taken)
        .order_by("pk")
        .first()
    )
    if candidate is None:
        return False
    user = User.objects.create(
        username=NEIGHBOUR_USERNAME,
        password=resident_user.password,  # the same published demo password
        display_name=candidate.name,
        resident=candidate,
    )
    RoleAssignment.objects.create(
        user=user, role=Role.RESIDENT, household_id=candidate.household_id, community=community
    )
    return True


def build_demo(ctx: DemoContext) -> dict[str, int]:
    community = Community.objects.get(code=ctx.main_community_code)
    rng = ctx.rng
    today = ctx.today
    now = timezone.localtime()
    staff = (
        User.objects.filter(username__in=["service", "wenchang_admin", "training", "party"])
        .order_by("username")
        .first()
    )
    if staff is None:
        return {}
    grids = list(Grid.objects.filter(community=community).order_by("number"))
    specs = list(CENTRE)
    venues: list[Venue] = [
        Venue(
            community=community,
            kind=s.kind,
            name=s.name,
            place=s.place,
            area_m2=Decimal(s.area),
            capacity=s.capacity,
            residents_may_book=s.residents,
            needs_approval=s.approval,
        )
        for s in specs
    ]
    # 12 micro-homes in 11 grids: the first grid holds two.
    homes: list[tuple[Venue, _V]] = []
    for i in range(12):
        grid = grids[0] if i == 11 else grids[i % len(grids)] if grids else None
        name = f"{grid.name if grid else ''}党建微家" + ("（二）" if i == 11 else "")
        spec = _V(
            name,
            VenueKind.MICRO_HOME,
            rng.choice((60, 70, 80, 90)),
            30,
            "08:30",
            "20:30",
            ALL_WEEK,
            True,
            False,
            (3, 4),
            (0.5, 0.8),
        )
        homes.append(
            (
                Venue(
                    community=community,
                    grid=grid,
                    kind=VenueKind.MICRO_HOME,
                    name=name,
                    place=f"{grid.name if grid else ''}",
                    area_m2=Decimal(spec.area),
                    capacity=spec.capacity,
                    residents_may_book=True,
                ),
                spec,
            )
        )
    venues += [h[0] for h in homes]
    specs += [h[1] for h in homes]
    venues = _bulk(Venue, venues)
    hours = [
        OpeningHours(venue=v, weekday=d, opens=_t(s.opens), closes=_t(s.closes))
        for v, s in zip(venues, specs, strict=True)
        for d in s.weekdays
    ]
    _bulk(OpeningHours, hours)
    # Holidays: the Spring Festival week for everything; maintenance days here and there.
    spring = dt.date(today.year if today.month > 2 else today.year - 1, 2, 1)
    closures = [
        Closure(
            venue=v, first_day=spring, last_day=spring + dt.timedelta(days=6), reason="春节闭馆"
        )
        for v in venues
    ]
    for v in rng.sample(venues, 6):
        day = today + dt.timedelta(days=rng.randint(-300, 20))
        closures.append(
            Closure(venue=v, first_day=day, last_day=day + dt.timedelta(days=1), reason="设施维护")
        )
    _bulk(Closure, closures)
    closed = {
        (c.venue_id, c.first_day + dt.timedelta(days=k))
        for c in closures
        for k in range((c.last_day - c.first_day).days + 1)
    }
    by_name = {v.name: v for v in venues}

    # Service catalogue, providers and schedules (their dates are booked first).
    cats = _bulk(
        ServiceCategory,
        [
            ServiceCategory(community=community, name=n, description=d, order=i)
            for i, (n, d) in enumerate(CATEGORIES)
        ],
    )
    cat_by = {c.name: c for c in cats}
    providers = _bulk(
        ServiceProvider,
        [ServiceProvider(community=community, name=n, kind=k) for n, k, _c in PROVIDERS],
    )
    prov_by = {p.name: p for p in providers}
    through = ServiceProvider.categories.through
    _bulk(
        through,
        [
            through(serviceprovider_id=prov_by[n].pk, servicecategory_id=cat_by[c].pk)
            for n, _k, cs in PROVIDERS
            for c in cs
        ],
    )

    taken: dict[tuple[int, dt.date], list[tuple[int, int]]] = {}
    bookings: list[Booking] = []
    first_day = today - dt.timedelta(days=DAYS_BACK)
    last_day = today + dt.timedelta(days=DAYS_AHEAD)
    series_rows: list[tuple[BookingSeries, tuple[str, str, str, int, int, int, int]]] = []
    for sched in SCHEDULES:
        cat, prov, vname, wd, hour, length, every = sched
        series_rows.append(
            (
                BookingSeries(
                    venue=by_name[vname],
                    weekday=wd,
                    start_time=dt.time(hour),
                    end_time=dt.time(hour + length),
                    first_day=first_day,
                    last_day=last_day,
                    purpose=cat,
                    host=prov,
                    booked_by=staff,
                ),
                sched,
            )
        )
    created = _bulk(BookingSeries, [s for s, _x in series_rows])
    _bulk(
        ServiceSchedule,
        [
            ServiceSchedule(
                category=cat_by[x[0]], provider=prov_by[x[1]], series=s, every_weeks=x[6]
            )
            for s, (_s0, x) in zip(created, series_rows, strict=True)
        ],
    )

    def add(
        venue: Venue,
        day: dt.date,
        start: int,
        end: int,
        purpose: str,
        host: str,
        attendance: int,
        series: BookingSeries | None = None,
    ) -> None:
        starts, ends = dates.at(day, minute=start), dates.at(day, minute=end)
        if ends <= now - dt.timedelta(hours=1):
            roll = rng.random()
            status = (
                BookingStatus.DONE
                if roll < 0.9
                else BookingStatus.NO_SHOW
                if roll < 0.95
                else BookingStatus.CANCELLED
            )
        else:
            status = (
                BookingStatus.REQUESTED
                if venue.needs_approval and rng.random() < 0.3
                else BookingStatus.APPROVED
            )
        visitors = (
            max(1, int(attendance * rng.uniform(0.7, 1.1)))
            if status == BookingStatus.DONE
            else None
        )
        bookings.append(
            Booking(
                venue=venue,
                starts_at=starts,
                ends_at=ends,
                minutes=end - start,
                month=day.replace(day=1),
                weekday=day.weekday(),
                hour=start // 60,
                status=status,
                purpose=purpose,
                host=host,
                attendance=attendance,
                visitors=visitors,
                checked_in_at=starts if status == BookingStatus.DONE else None,
                booked_by=staff,
                series=series,
                created_at=starts - dt.timedelta(days=rng.randint(1, 20)),
            )
        )
        if status != BookingStatus.CANCELLED:
            taken.setdefault((venue.pk, day), []).append((start, end))

    for s, (_s0, x) in zip(created, series_rows, strict=True):
        _cat, prov, _vname, wd, hour, length, every = x
        day = first_day + dt.timedelta(days=(wd - first_day.weekday()) % 7)
        while day <= last_day:
            if (s.venue.pk, day) not in closed:
                add(
                    s.venue,
                    day,
                    hour * 60,
                    (hour + length) * 60,
                    s.purpose,
                    prov,
                    min(s.venue.capacity, 30),
                    s,
                )
            day += dt.timedelta(weeks=every)

    for venue, spec in zip(venues, specs, strict=True):
        rate = rng.uniform(*spec.rate)
        opens, closes = _t(spec.opens), _t(spec.closes)
        o = opens.hour * 60 + opens.minute
        c = closes.hour * 60 + closes.minute
        purposes = PURPOSES[VenueKind(venue.kind)]
        day = first_day
        while day <= last_day:
            if day.weekday() in spec.weekdays and (venue.pk, day) not in closed:
                busy = taken.get((venue.pk, day), [])
                t = o
                while t < c:
                    length = 60 * rng.choice(spec.block_hours)
                    end = min(t + length, c)
                    free = all(end <= a or t >= b for a, b in busy)
                    if free and rng.random() < rate:
                        add(
                            venue,
                            day,
                            t,
                            end,
                            rng.choice(purposes),
                            rng.choice(HOSTS) if rng.random() < 0.6 else "",
                            rng.randint(5, max(6, venue.capacity // 2)),
                        )
                    t = end
            day += dt.timedelta(days=1)
    _bulk(Booking, bookings)

    # Kits of the micro-homes and their loans.
    kits = _bulk(Kit, [Kit(venue=v, kind=k) for v, _s in homes for k in KitKind.values])
    items = _bulk(
        KitItem,
        [
            KitItem(
                kit=k,
                name=n,
                quantity=q,
                available=q,
                loan_days=14 if k.kind == KitKind.CULTURE else 7,
            )
            for k in kits
            for n, q in KIT_ITEMS[KitKind(k.kind)]
        ],
    )
    residents = list(
        Resident.objects.filter(community=community, status="active").values_list(
            "pk", "household_id"
        )[:3000]
    )
    loans: list[Loan] = []
    out: dict[int, int] = {}
    for _i in range(400 if residents else 0):
        item = rng.choice(items)
        rid, hid = rng.choice(residents)
        borrowed = now - dt.timedelta(days=rng.randint(0, 200), hours=rng.randint(0, 8))
        due = borrowed.date() + dt.timedelta(days=item.loan_days)
        returned = None
        if due < today - dt.timedelta(days=3) or rng.random() < 0.4:
            returned = borrowed + dt.timedelta(days=rng.randint(1, item.loan_days + 3))
            if returned > now:
                returned = now
        elif out.get(item.pk, 0) >= item.quantity:
            continue
        if returned is None:
            out[item.pk] = out.get(item.pk, 0) + 1
        loans.append(
            Loan(
                item=item,
                resident_id=rid,
                household_id=hid,
                quantity=1,
                status=LoanStatus.RETURNED if returned else LoanStatus.BORROWED,
                borrowed_at=borrowed,
                due_on=due,
                returned_at=returned,
                lent_by=staff,
            )
        )
    _bulk(Loan, loans)
    for item in items:
        if out.get(item.pk):
            item.available = item.quantity - out[item.pk]
    KitItem.objects.bulk_update(
        [i for i in items if out.get(i.pk)], ["available"], batch_size=BATCH
    )

    # Service records of the past year, mostly rated 4–5.
    records: list[ServiceRecord] = []
    cat_providers: dict[str, list[ServiceProvider]] = {}
    for n, _k, cs in PROVIDERS:
        for cname in cs:
            cat_providers.setdefault(cname, []).append(prov_by[n])
    centre = [v for v in venues if v.kind != VenueKind.MICRO_HOME]
    for _i in range(2400 if residents else 0):
        cat = rng.choice(cats)
        provider = rng.choice(cat_providers.get(cat.name) or providers)
        rid, hid = rng.choice(residents)
        served = now - dt.timedelta(days=rng.randint(0, DAYS_BACK - 1), minutes=rng.randint(0, 600))
        rated = served < now - dt.timedelta(days=3) or rng.random() < 0.3
        rating = rng.choices((5, 4, 3, 2, 1), weights=(62, 28, 6, 3, 1))[0] if rated else None
        records.append(
            ServiceRecord(
                category=cat,
                provider=provider,
                community=community,
                resident_id=rid,
                household_id=hid,
                venue=rng.choice(centre) if rng.random() < 0.6 else None,
                served_at=served,
                what=f"{cat.name}：{cat.description}",
                recorded_by=staff,
                status=RecordStatus.CLOSED if rated else RecordStatus.OPEN,
                rating=rating,
                rated_at=served + dt.timedelta(days=1) if rated else None,
            )
        )
    _bulk(ServiceRecord, records)
    neighbour = _neighbour(community)
    return {
        "Second resident login": int(neighbour),
        "Venues": len(venues),
        "Micro-homes": len(homes),
        "Bookings": len(bookings),
        "Service categories": len(cats),
        "Service records": len(records),
        "Kit loans": len(loans),
    }
