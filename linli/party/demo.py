"""The Party organisation of the Wenchang Garden demo (registered with `core.demo_hooks`).

Exactly what the article describes: one community committee, 11 grid branches, 4 themed
branches (志缘, 业缘, 趣缘, 情缘), building groups, 417 members — the very residents the
registry flags as Party members — 30 central households each linking 10+ members and 30+
households nearby, offices filled, and a year of organisational life with attendance.

Like the registry's builder it writes with `bulk_create` inside `seed_demo`'s transaction
rather than through the per-row services (which would audit 10,000 invented changes), and it
is deterministic: every choice comes from `ctx.rng` over rows read in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Final

from linli.accounts.models import User
from linli.core.demo_hooks import DemoContext
from linli.party.choices import (
    ActivityKind,
    AttendanceStatus,
    OfficeRole,
    OrgKind,
    Standing,
    Theme,
    TransferKind,
)
from linli.party.models import (
    Activity,
    Attendance,
    CentralHousehold,
    HouseholdLink,
    Member,
    MemberLink,
    Office,
    Organisation,
    Transfer,
)
from linli.registry.choices import HouseholdStatus, ResidentStatus
from linli.registry.models import Community, Grid, Household, Resident

COMMITTEE_NAME: Final = "中共文昌花园社区委员会"
COMMUNITY_SECRETARY_LOGIN: Final = "wenchang_admin"
THEMED: Final = (
    (Theme.ASPIRATION, "志缘·红色先锋志愿服务党支部", "志同道合的党员志愿者，常年开展助老助困服务"),
    (Theme.OCCUPATION, "业缘·个体工商户联合党支部", "社区周边个体经营党员，带动家门口就业"),
    (Theme.INTEREST, "趣缘·文体爱好者党支部", "以文体团队为纽带，组织群众文体活动"),
    (Theme.AFFECTION, "情缘·银发老党员党支部", "老党员、退役军人党员，传承红色记忆"),
)
THEMED_SIZE: Final = 14
CENTRAL_HOUSEHOLDS: Final = 30
ACTION_BRANCHES: Final = 6
PROBATIONARY: Final = 9
TOPICS: Final = (
    "学习党的二十大精神",
    "楼道环境整治与垃圾分类",
    "老旧小区加装电梯协商",
    "关爱高龄独居老人走访",
    "网格议事：停车难问题",
    "平安社区与反诈宣传",
    "红色文化进楼道",
    "党员联系户情况交流",
    "防汛防台与安全隐患排查",
    "冬季送温暖慰问",
    "新就业群体服务",
    "民主评议党员",
)
PLACES: Final = ("党群服务中心", "党建微家", "睦邻会馆", "城市书房")


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _nearness(home: Household, other: Household) -> tuple[int, int]:
    """Same unit, then same building, then same grid; then floor distance."""
    if other.unit_id == home.unit_id:
        rank = 0
    elif other.building_id == home.building_id:
        rank = 1
    elif other.building.grid_id == home.building.grid_id:
        rank = 2
    else:
        rank = 3
    return rank, abs(other.floor - home.floor)


def _spread(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders)."""
    whole = sum(weights) or 1
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def build_party_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    today = ctx.today
    community = Community.objects.get(code=ctx.main_community_code)
    grids = list(Grid.objects.filter(community=community).order_by("number"))
    households = list(
        Household.objects.filter(community=community, status=HouseholdStatus.ACTIVE)
        .select_related("building", "unit")
        .order_by("id")
    )
    residents = list(
        Resident.objects.filter(
            community=community, is_party_member=True, status=ResidentStatus.ACTIVE
        )
        .select_related("household__building", "household__unit")
        .order_by("id")
    )

    # ------------------------------------------------------------ the tree
    committee = Organisation.objects.create(
        community=community,
        kind=OrgKind.COMMITTEE,
        name=COMMITTEE_NAME,
        description="社区党委统领网格党支部、楼栋党小组和党员中心户",
    )
    branches = [
        Organisation(
            community=community,
            kind=OrgKind.GRID_BRANCH,
            parent=committee,
            grid=g,
            name=f"{g.name}党支部",
        )
        for g in grids
    ]
    themed = [
        Organisation(
            community=community,
            kind=OrgKind.THEMED_BRANCH,
            parent=committee,
            theme=theme,
            name=name,
            description=description,
        )
        for theme, name, description in THEMED
    ]
    Organisation.objects.bulk_create([*branches, *themed])
    branch_of_grid = {b.grid_id: b for b in branches}

    # ------------------------------------------------------------ members
    ages = {r.pk: _age(r.birth_date, today) for r in residents}
    pool = list(residents)
    rng.shuffle(pool)
    org_of: dict[int, Organisation] = {}
    for org, (theme, _name, _description) in zip(themed, THEMED, strict=True):
        if theme == Theme.AFFECTION:
            picked = [r for r in pool if r.pk not in org_of and ages[r.pk] >= 70]
        elif theme == Theme.OCCUPATION:
            picked = [r for r in pool if r.pk not in org_of and 28 <= ages[r.pk] <= 55]
        else:
            picked = [r for r in pool if r.pk not in org_of]
        for r in picked[:THEMED_SIZE]:
            org_of[r.pk] = org
    recent = sorted(
        (r for r in residents if r.pk not in org_of and 22 <= ages[r.pk] <= 40),
        key=lambda r: r.pk,
    )
    probationary = {r.pk for r in rng.sample(recent, min(PROBATIONARY, len(recent)))}
    members: list[Member] = []
    for r in residents:
        org = org_of.get(r.pk) or branch_of_grid[r.household.building.grid_id]
        adult = r.birth_date + dt.timedelta(days=18 * 366)
        if r.pk in probationary:
            joined = _date_between(
                rng, today - dt.timedelta(days=330), today - dt.timedelta(days=20)
            )
            standing = Standing.PROBATIONARY
        else:
            start = max(adult, dt.date(1958, 7, 1))
            joined = _date_between(rng, start, today - dt.timedelta(days=400))
            standing = Standing.FULL
        members.append(
            Member(
                community=community,
                resident=r,
                organisation=org,
                joined_on=joined,
                standing=standing,
            )
        )
    Member.objects.bulk_create(members)
    by_org: dict[int, list[Member]] = defaultdict(list)
    for m in members:
        by_org[m.organisation_id].append(m)
    member_age = {m.pk: ages[m.resident_id] for m in members if m.resident_id}

    # Transfer history: a few relations came in from elsewhere this year, and a few themed
    # branch members moved over from their grid branch.
    transfers: list[Transfer] = []
    for m in rng.sample(members, 8):
        transfers.append(
            Transfer(
                member=m,
                kind=TransferKind.IN,
                on=_date_between(
                    rng, today - dt.timedelta(days=360), today - dt.timedelta(days=15)
                ),
                to_organisation_id=m.organisation_id,
                external=rng.choice(
                    ("扬州市邗江区双桥街道党工委", "扬州大学机关党委", "江都区仙女镇党委")
                ),
                note="随迁入住文昌花园",
            )
        )
    for org in themed:
        for m in by_org[org.pk][:2]:
            assert m.resident is not None
            transfers.append(
                Transfer(
                    member=m,
                    kind=TransferKind.INTERNAL,
                    on=_date_between(
                        rng, today - dt.timedelta(days=700), today - dt.timedelta(days=200)
                    ),
                    from_organisation=branch_of_grid[m.resident.household.building.grid_id],
                    to_organisation=org,
                    note="按兴趣和专长编入功能型党支部",
                )
            )
    Transfer.objects.bulk_create(transfers)

    # ------------------------------------------------------------ offices
    offices: list[Office] = []
    started = today.replace(year=today.year - 2, month=1, day=15)

    def fit(candidates: Sequence[Member], low: int, high: int, taken: set[int]) -> Member:
        ok = [m for m in candidates if m.pk not in taken and low <= member_age.get(m.pk, 0) <= high]
        ok = ok or [m for m in candidates if m.pk not in taken]
        chosen = rng.choice(ok)
        taken.add(chosen.pk)
        return chosen

    holders: set[int] = set()
    action = set(rng.sample(range(len(branches)), ACTION_BRANCHES))
    for index, org in enumerate([*branches, *themed]):
        people = by_org[org.pk]
        offices.append(
            Office(
                organisation=org,
                member=fit(people, 40, 65, holders),
                role=OfficeRole.SECRETARY,
                is_action_secretary=org.kind == OrgKind.GRID_BRANCH and index in action,
                started_on=started,
            )
        )
        offices.append(
            Office(
                organisation=org,
                member=fit(people, 35, 68, holders),
                role=OfficeRole.DEPUTY_SECRETARY
                if org.kind == OrgKind.GRID_BRANCH
                else OfficeRole.COMMITTEE_MEMBER,
                started_on=started,
            )
        )
        if org.kind == OrgKind.GRID_BRANCH:
            offices.append(
                Office(
                    organisation=org,
                    member=fit(people, 25, 70, holders),
                    role=OfficeRole.COMMITTEE_MEMBER,
                    started_on=started,
                )
            )
    # The community secretary is a resident member who also has the staff account of the
    # community admin (书记): the chain can assign requests to her and show her work phone.
    secretary = fit(members, 40, 55, holders)
    account = User.objects.filter(username=COMMUNITY_SECRETARY_LOGIN).first()
    if account is not None and secretary.resident is not None:
        secretary.account = account
        secretary.save(update_fields=["account"])
        account.display_name = secretary.resident.name
        account.save(update_fields=["display_name"])
    offices.append(
        Office(
            organisation=committee, member=secretary, role=OfficeRole.SECRETARY, started_on=started
        )
    )
    offices.append(
        Office(
            organisation=committee,
            member=fit(members, 40, 62, holders),
            role=OfficeRole.DEPUTY_SECRETARY,
            started_on=started,
        )
    )
    branch_secretaries = [o.member for o in offices if o.role == OfficeRole.SECRETARY][:3]
    for m in branch_secretaries:
        offices.append(
            Office(
                organisation=committee,
                member=m,
                role=OfficeRole.COMMITTEE_MEMBER,
                started_on=started,
            )
        )

    # ------------------------------------------------------------ central households
    homes_by_grid: dict[int, list[Household]] = defaultdict(list)
    for h in households:
        homes_by_grid[h.building.grid_id].append(h)
    members_by_grid: dict[int, list[Member]] = defaultdict(list)
    for m in members:
        assert m.resident is not None
        members_by_grid[m.resident.household.building.grid_id].append(m)
    per_grid = _spread(CENTRAL_HOUSEHOLDS, [len(homes_by_grid[g.pk]) for g in grids])
    hosts: list[Member] = []
    for grid, count in zip(grids, per_grid, strict=True):
        candidates = list(members_by_grid[grid.pk])
        rng.shuffle(candidates)
        # Hosts of working age first, one per building, so the households spread out.
        candidates.sort(key=lambda m: not 40 <= member_age[m.pk] <= 72)
        chosen: list[Member] = []
        used_buildings: set[int] = set()
        for m in candidates:
            assert m.resident is not None
            if m.resident.household.building_id not in used_buildings:
                used_buildings.add(m.resident.household.building_id)
                chosen.append(m)
        hosts.extend(chosen[:count])
    hosts.sort(key=lambda m: m.pk)
    group_of_building: dict[int, Organisation] = {}
    host_buildings = sorted({m.resident.household.building_id for m in hosts if m.resident})
    residents_per_building: dict[int, list[Member]] = defaultdict(list)
    for m in members:
        assert m.resident is not None
        residents_per_building[m.resident.household.building_id].append(m)
    group_buildings = sorted(
        set(host_buildings) | {b for b, ms in residents_per_building.items() if len(ms) >= 5}
    )
    building_grid = {h.building_id: h.building.grid_id for h in households}
    building_number = {h.building_id: h.building.number for h in households}
    groups = [
        Organisation(
            community=community,
            kind=OrgKind.BUILDING_GROUP,
            parent=branch_of_grid[building_grid[b]],
            grid_id=building_grid[b],
            building_id=b,
            name=f"{building_number[b]}号楼党小组",
        )
        for b in group_buildings
    ]
    Organisation.objects.bulk_create(groups)
    group_of_building = {g.building_id: g for g in groups}  # type: ignore[misc]
    host_of_building = {m.resident.household.building_id: m for m in hosts if m.resident}
    for g in groups:
        leader = host_of_building.get(g.building_id)  # type: ignore[arg-type]
        if leader is None:
            leader = min(residents_per_building[g.building_id], key=lambda m: m.pk)  # type: ignore[index]
        offices.append(
            Office(organisation=g, member=leader, role=OfficeRole.GROUP_LEADER, started_on=started)
        )
    Office.objects.bulk_create(offices)

    since = today.replace(year=today.year - 1, month=3, day=1)
    centrals = [
        CentralHousehold(
            community=community,
            household=m.resident.household,
            host=m,
            group=group_of_building.get(m.resident.household.building_id),
            started_on=since,
        )
        for m in hosts
        if m.resident
    ]
    CentralHousehold.objects.bulk_create(centrals)
    # Every host serves with, and every host's home is looked after by, its own central
    # household; nobody else may claim them first.
    linked_homes: set[int] = {c.household.pk for c in centrals}
    linked_members: set[int] = {c.host.pk for c in centrals}
    hlinks: list[HouseholdLink] = []
    mlinks: list[MemberLink] = []
    for central in centrals:
        home = central.household
        hlinks.append(HouseholdLink(central=central, household=home, linked_on=since))
        nearby = sorted(
            (h for h in homes_by_grid[home.building.grid_id] if h.pk not in linked_homes),
            key=lambda h: (*_nearness(home, h), h.pk),
        )
        for h in nearby[: rng.randint(30, 40)]:
            hlinks.append(HouseholdLink(central=central, household=h, linked_on=since))
            linked_homes.add(h.pk)
        mlinks.append(MemberLink(central=central, member=central.host, linked_on=since))
        close = sorted(
            (m for m in members if m.pk not in linked_members and m.resident),
            key=lambda m: (*_nearness(home, m.resident.household), m.pk),  # type: ignore[union-attr]
        )
        for m in close[: rng.randint(10, 14)]:
            mlinks.append(MemberLink(central=central, member=m, linked_on=since))
            linked_members.add(m.pk)
    HouseholdLink.objects.bulk_create(hlinks, batch_size=1000)
    MemberLink.objects.bulk_create(mlinks, batch_size=1000)

    # ------------------------------------------------------------ a year of organisational life
    activities: list[tuple[Activity, list[Member]]] = []
    first_month = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    months: list[dt.date] = []
    month = first_month
    while month <= today and len(months) < 12:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    office_holders: dict[int, list[Member]] = defaultdict(list)
    for o in offices:
        office_holders[o.organisation_id].append(o.member)
    for n, month in enumerate(months):
        topic = TOPICS[(month.month - 1) % len(TOPICS)]

        def on(day: int, month: dt.date = month) -> dt.date:
            return min(month.replace(day=day), today)

        activities.append(
            (
                Activity(
                    organisation=committee,
                    kind=ActivityKind.COMMITTEE_MEETING,
                    held_on=on(5),
                    topic=f"党委会：{topic}",
                    place=PLACES[0],
                ),
                office_holders[committee.pk],
            )
        )
        for org in [*branches, *themed]:
            people = by_org[org.pk]
            activities.append(
                (
                    Activity(
                        organisation=org,
                        kind=ActivityKind.THEME_DAY,
                        held_on=on(rng.randint(8, 15)),
                        topic=f"主题党日：{topic}",
                        place=rng.choice(PLACES),
                    ),
                    people,
                )
            )
            activities.append(
                (
                    Activity(
                        organisation=org,
                        kind=ActivityKind.COMMITTEE_MEETING,
                        held_on=on(rng.randint(1, 6)),
                        topic=f"支委会：{topic}",
                        place=PLACES[1],
                    ),
                    office_holders[org.pk],
                )
            )
            if n % 3 == 2:
                activities.append(
                    (
                        Activity(
                            organisation=org,
                            kind=ActivityKind.MEMBERS_MEETING,
                            held_on=on(rng.randint(18, 25)),
                            topic="季度支部党员大会",
                            place=PLACES[0],
                        ),
                        people,
                    )
                )
                activities.append(
                    (
                        Activity(
                            organisation=org,
                            kind=ActivityKind.PARTY_LECTURE,
                            held_on=on(rng.randint(18, 25)),
                            topic=f"党课：{rng.choice(TOPICS)}",
                            place=PLACES[3],
                        ),
                        people,
                    )
                )
        if n % 3 == 1:
            for g in groups:
                activities.append(
                    (
                        Activity(
                            organisation=g,
                            kind=ActivityKind.GROUP_MEETING,
                            held_on=on(rng.randint(16, 26)),
                            topic=f"党小组会：{topic}",
                            place=PLACES[1],
                        ),
                        residents_per_building[g.building_id],  # type: ignore[index]
                    )
                )
    Activity.objects.bulk_create([a for a, _people in activities], batch_size=1000)
    keen = {m.pk: rng.uniform(0.7, 0.98) for m in members}
    attendance: list[Attendance] = []
    for activity, people in activities:
        for m in {p.pk: p for p in people}.values():
            roll = rng.random()
            if roll < keen[m.pk]:
                status = AttendanceStatus.PRESENT
            elif roll < keen[m.pk] + (1 - keen[m.pk]) * 0.6:
                status = AttendanceStatus.EXCUSED
            else:
                status = AttendanceStatus.ABSENT
            attendance.append(Attendance(activity=activity, member=m, status=status))
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    return {
        "Party organisations": 1 + len(branches) + len(themed) + len(groups),
        "grid Party branches": len(branches),
        "themed Party branches": len(themed),
        "building Party groups": len(groups),
        "Party members": len(members),
        "central households": len(centrals),
        "households linked": len(hlinks),
        "members linked": len(mlinks),
        "activities": len(activities),
        "attendance records": len(attendance),
    }
