"""Deliberation's part of the Wenchang Garden demo: the ownership of every flat (a few owners
with two flats, some co-owned flats), the community's rule sets, 30 matters through
四议两公开, 64 meetings with minutes and decisions, notices with objection logs, an open vote of
the resident's building, and 23 elevator projects: 19 signed (some in service) and four stuck
at consent, each with the reason.

Written with `bulk_create` from `ctx.rng` and `ctx.today` (no per-row services: nothing real
happened), filling every column the services would, with the same engine for cost shares.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from linli.accounts.models import User
from linli.core.demo_hooks import DemoContext
from linli.core.roles import Role
from linli.deliberation import costs
from linli.deliberation.choices import (
    STEP_ORDER,
    BaseRule,
    Channel,
    Choice,
    MeetingKind,
    MeetingStatus,
    NoticeStatus,
    ObjectionReason,
    ObjectionStatus,
    Scope,
    Stage,
    Step,
    StepOutcome,
    VoteStatus,
)
from linli.deliberation.models import (
    Ballot,
    CostShare,
    Decision,
    Elector,
    ElevatorProject,
    Matter,
    MatterStep,
    Meeting,
    Notice,
    Objection,
    ProjectObjection,
    Property,
    StageEvent,
    Vote,
)
from linli.deliberation.services import rulesets_ensure_defaults
from linli.registry.models import Building, Community, Household, Resident, Unit

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)

MATTERS = [
    ("小区停车位重新划线及收费方案", BaseRule.ORDINARY),
    ("使用住宅专项维修资金维修屋面防水", BaseRule.MAJOR),
    ("老旧小区改造：雨污分流管网改造", BaseRule.MAJOR),
    ("电动自行车集中充电棚选址", BaseRule.ORDINARY),
    ("楼道杂物清理与消防通道整治", BaseRule.ORDINARY),
    ("小区北门增设人脸识别门禁", BaseRule.ORDINARY),
    ("公共绿地改建口袋公园", BaseRule.MAJOR),
    ("垃圾分类投放点调整", BaseRule.ORDINARY),
    ("聘请物业服务企业及收费标准", BaseRule.MAJOR),
    ("居民公约修订", BaseRule.ORDINARY),
    ("适老化改造：楼道扶手加装", BaseRule.ORDINARY),
    ("架空层改建老年活动室", BaseRule.MAJOR),
    ("外墙脱落隐患维修", BaseRule.MAJOR),
    ("夜间广场舞时间与音量约定", BaseRule.ORDINARY),
    ("小区监控探头增补", BaseRule.ORDINARY),
    ("共享菜园认领办法", BaseRule.ORDINARY),
    ("非机动车棚扩建", BaseRule.ORDINARY),
    ("二次供水水箱清洗与改造", BaseRule.MAJOR),
    ("宠物文明饲养公约", BaseRule.ORDINARY),
    ("快递柜进小区选址", BaseRule.ORDINARY),
    ("屋顶太阳能热水器清理", BaseRule.ORDINARY),
    ("小区道路沥青翻新", BaseRule.MAJOR),
    ("楼栋长推选办法", BaseRule.ORDINARY),
    ("社区食堂试运营", BaseRule.ORDINARY),
    ("高空抛物防范摄像头加装", BaseRule.ORDINARY),
    ("地下室防汛改造", BaseRule.MAJOR),
    ("儿童游乐设施更新", BaseRule.ORDINARY),
    ("公共收益使用公示办法", BaseRule.MAJOR),
    ("楼道声控灯更换", BaseRule.ORDINARY),
    ("加装电梯议事规则（试点）", BaseRule.MAJOR),
]

MINUTES = (
    "会议由社区党委书记主持，应到{invited}户，实到{attendees}户，超过半数，会议有效。\n"
    "一、社区居委会通报了“{title}”的前期摸底情况：共走访{visited}户，收集意见{opinions}条。\n"
    "二、居民代表逐一发言。{speaker1}表示支持，希望尽快实施；{speaker2}提出{concern}，建议在方案中明确。\n"
    "三、社区法律顾问就《民法典》第二百七十八条的表决规则作了说明：参与表决的专有部分面积和人数均须达到三分之二以上。\n"
    "四、经举手表决，同意{votes_for}户，反对{against}户，弃权{abstain}户，决议通过。\n"
    "五、会议决定：决议在社区公告栏和“邻里”平台公示七日，公示期间接受书面异议，社区在三个工作日内答复。"
)
CONCERNS = (
    "施工期间的噪音和出行影响",
    "费用分摊的计算方法",
    "一楼住户的采光问题",
    "后期维护费用由谁承担",
    "资金使用的公开方式",
)
STUCK = (
    "一楼两户担心采光和噪音，尚未签字，正在协商补偿方案",
    "3户业主长期在外地无法联系，书面同意未收齐",
    "二楼住户反对，提出出入受影响，街道调解中",
    "出资比例有争议，6楼与3楼住户意见不一",
)


def _name(rng: Any) -> str:
    return str(rng.choice(SURNAMES)) + str(rng.choice(("先生", "女士", "阿姨", "师傅")))


def _masked(name: str) -> str:
    return name[0] + "**"


def build_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    today = ctx.today
    community = Community.objects.get(code=ctx.main_community_code)
    rule_sets = {r.code: r for r in rulesets_ensure_defaults(community_id=community.id)}
    for code in ctx.other_community_codes:
        other = Community.objects.filter(code=code).first()
        if other:
            rulesets_ensure_defaults(community_id=other.id)

    # --- ownership of every flat ---------------------------------------------------------------
    households = list(
        Household.objects.filter(community=community, status="active")
        .select_related("building")
        .order_by("id")
    )
    heads = dict(
        Resident.objects.filter(community=community, relation="head", status="active").values_list(
            "household_id", "id"
        )
    )
    props: list[Property] = []
    prev_owner: tuple[str, str] | None = None
    owners = 0
    for h in households:
        area = h.area_m2 if h.area_m2 is not None else Decimal(rng.randint(6000, 11800)) / 100
        # About 3% of flats belong to the owner of the previous flat (bought two units);
        # about 10% are co-owned (one owner key for the couple).
        if prev_owner and rng.random() < 0.03 and h.tenure == "owner":
            key, label = prev_owner
            resident_id = None
            co = 1
        else:
            owners += 1
            name = _name(rng)
            co = 2 if rng.random() < 0.10 else 1
            key = f"W{owners:05d}" + ("+" if co > 1 else "")
            label = _masked(name) + ("等2人" if co > 1 else "")
            resident_id = heads.get(h.pk) if h.tenure == "owner" else None
        props.append(
            Property(
                household=h,
                community_id=community.id,
                grid_id=h.building.grid_id,
                building_id=h.building_id,
                unit_id=h.unit_id,
                area=area,
                owner_key=key,
                owner_label=label,
                co_owners=co,
                owner_resident_id=resident_id,
            )
        )
        prev_owner = (key, label)
    Property.objects.bulk_create(props, batch_size=2000)
    by_unit: dict[int, list[Property]] = {}
    hh = {h.pk: h for h in households}
    for pr in props:
        by_unit.setdefault(pr.unit_id, []).append(pr)

    # --- matters with their steps --------------------------------------------------------------
    buildings = list(Building.objects.filter(community=community).order_by("id"))
    matters: list[Matter] = []
    for i, (title, rule) in enumerate(MATTERS):
        b = buildings[(i * 7) % len(buildings)]
        community_wide = i % 3 == 0
        reached = rng.randint(1, len(STEP_ORDER) - 1) if i % 5 else len(STEP_ORDER) - 1
        matters.append(
            Matter(
                community_id=community.id,
                scope=Scope.COMMUNITY if community_wide else Scope.BUILDING,
                grid_id=None if community_wide else b.grid_id,
                building_id=None if community_wide else b.pk,
                title=title,
                description=f"{title}。由社区党委提议，按“四议两公开”程序办理。",
                base_rule=rule,
                step=STEP_ORDER[reached],
                proposed_on=today - dt.timedelta(days=20 + 12 * reached + rng.randint(0, 200)),
            )
        )
    Matter.objects.bulk_create(matters)
    steps: list[MatterStep] = []
    docs = (
        "党支部会议记录",
        "两委联席会议纪要",
        "党员大会记录",
        "居民会议决议",
        "决议公示照片",
        "实施结果公示照片",
    )
    for m in matters:
        reached = STEP_ORDER.index(Step(m.step))
        for k in range(reached):
            steps.append(
                MatterStep(
                    matter=m,
                    step=STEP_ORDER[k],
                    outcome=StepOutcome.AGREED if rng.random() < 0.85 else StepOutcome.AMENDED,
                    on=m.proposed_on + dt.timedelta(days=10 * k + rng.randint(0, 5)),
                    note="",
                    documents=docs[k],
                    by_label="文昌花园社区居委会",
                )
            )
    MatterStep.objects.bulk_create(steps)

    # --- meetings with minutes and decisions ---------------------------------------------------
    meetings: list[Meeting] = []
    decisions_for: list[tuple[int, Matter]] = []
    kinds = (
        MeetingKind.RESIDENTS,
        MeetingKind.REPRESENTATIVES,
        MeetingKind.STAIRCASE,
        MeetingKind.COMMITTEES,
        MeetingKind.PARTY,
    )
    for i in range(64):
        matter = matters[i % len(matters)]
        kind = kinds[i % len(kinds)] if i % 2 else MeetingKind.RESIDENTS
        invited = rng.randint(24, 90) if kind != MeetingKind.RESIDENTS else rng.randint(60, 240)
        attendees = invited // 2 + 1 + rng.randint(0, invited // 3)
        votes_for = attendees - rng.randint(0, max(1, attendees // 8))
        against = rng.randint(0, attendees - votes_for)
        abstain = attendees - votes_for - against
        when = timezone.make_aware(
            dt.datetime.combine(
                today - dt.timedelta(days=5 + 9 * i + rng.randint(0, 6)), dt.time(19, 0)
            )
        )
        held = i >= 2
        minutes = (
            MINUTES.format(
                invited=invited,
                attendees=attendees,
                title=matter.title,
                visited=invited + rng.randint(0, 40),
                opinions=rng.randint(8, 60),
                speaker1=_masked(_name(rng)),
                speaker2=_masked(_name(rng)),
                concern=rng.choice(CONCERNS),
                votes_for=votes_for,
                against=against,
                abstain=abstain,
            )
            if held
            else ""
        )
        meetings.append(
            Meeting(
                community_id=community.id,
                scope=matter.scope,
                grid_id=matter.grid_id,
                building_id=matter.building_id,
                kind=kind,
                title=f"{MeetingKind(kind).label}：{matter.title}",
                status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                starts_at=when
                if held
                else timezone.make_aware(
                    dt.datetime.combine(today + dt.timedelta(days=3 + i), dt.time(19, 0))
                ),
                place_name=rng.choice(
                    ("社区党群服务中心二楼会议室", "小区议事亭", "楼栋架空层", "社区居民学校")
                ),
                agenda=f"1. 通报“{matter.title}”方案\n2. 居民代表发言\n3. 表决\n4. 公示安排",
                invited=invited,
                attendees=attendees if held else 0,
                minutes=minutes,
                matter=matter,
            )
        )
        if held:
            decisions_for.append((i, matter))
    Meeting.objects.bulk_create(meetings)
    decisions = []
    for i, matter in decisions_for:
        mt = meetings[i]
        votes_for = mt.attendees - rng.randint(0, max(1, mt.attendees // 8))
        decisions.append(
            Decision(
                meeting=mt,
                matter=matter,
                text=f"同意“{matter.title}”实施方案",
                votes_for=votes_for,
                votes_against=mt.attendees - votes_for,
                votes_abstain=0,
                adopted=votes_for * 2 > mt.attendees,
            )
        )
    Decision.objects.bulk_create(decisions)

    # --- elevator projects ---------------------------------------------------------------------
    resident_user = (
        # The demo's resident login (the one resident account of the main community).
        User.objects.filter(
            role_assignments__role=Role.RESIDENT, role_assignments__community=community
        )
        .select_related("resident__household")
        .first()
    )
    resident_unit = (
        resident_user.resident.household.unit_id
        if resident_user and resident_user.resident
        else None
    )
    candidates = list(
        Unit.objects.filter(
            building__community=community, building__has_elevator=False, building__floors__gte=5
        )
        .select_related("building")
        .order_by("building_id", "number")
    )
    rng.shuffle(candidates)
    chosen = [u for u in candidates if u.pk == resident_unit][:1]
    chosen += [u for u in candidates if u.pk != resident_unit and u.pk in by_unit][
        : 23 - len(chosen)
    ]
    yz = rule_sets["yangzhou-elevator"]
    signed_stages = (
        [Stage.IN_SERVICE] * 6
        + [Stage.CONSTRUCTION] * 4
        + [Stage.FILED] * 3
        + [Stage.NOTICE] * 3
        + [Stage.CONSENT] * 3
    )
    plan = signed_stages + [Stage.CONSULTING] * 4
    # The resident's staircase: consent reached, notice up, so he sees his share and the notice.
    if chosen and chosen[0].pk == resident_unit:
        plan.remove(Stage.NOTICE)
        plan.insert(0, Stage.NOTICE)
    projects: list[ElevatorProject] = []
    votes: list[Vote] = []
    for n, (unit, stage) in enumerate(zip(chosen, plan, strict=False)):
        b = unit.building
        total = (rng.randint(52, 68) * 10000 + rng.randint(0, 99) * 100) * 100
        subsidy = min(costs.subsidy_for(yz.subsidies, b.floors) * 100, total)
        idx = list(Stage).index(stage)
        proposed = today - dt.timedelta(days=60 + 45 * idx + rng.randint(0, 30))
        votes.append(
            Vote(
                community_id=community.id,
                scope=Scope.STAIRCASE,
                grid_id=b.grid_id,
                building_id=b.pk,
                unit_id=unit.pk,
                title=f"书面同意：{b.number}栋{unit.number}单元加装电梯",
                rule_set=yz,
                base_rule=BaseRule.MAJOR,
                staircase_unanimous=True,
                opens_on=proposed + dt.timedelta(days=7),
                closes_on=max(today + dt.timedelta(days=30), proposed + dt.timedelta(days=97)),
                status=VoteStatus.OPEN if stage == Stage.CONSULTING else VoteStatus.CLOSED,
            )
        )
        projects.append(
            ElevatorProject(
                community_id=community.id,
                scope=Scope.STAIRCASE,
                grid_id=b.grid_id,
                building_id=b.pk,
                unit_id=unit.pk,
                title=f"{b.number}栋{unit.number}单元加装电梯",
                rule_set=yz,
                stage=stage,
                stuck_reason=STUCK[(n - len(signed_stages)) % len(STUCK)]
                if stage == Stage.CONSULTING
                else "",
                total_cost_fen=total,
                subsidy_fen=subsidy,
                maintenance_fen=rng.randint(6, 9) * 100000,
                electricity_fen=rng.randint(18, 30) * 10000,
                proposed_on=proposed,
                signed_on=proposed + dt.timedelta(days=40) if idx >= 2 else None,
                in_service_on=today - dt.timedelta(days=rng.randint(10, 200))
                if stage == Stage.IN_SERVICE
                else None,
            )
        )
    Vote.objects.bulk_create(votes)
    for p, v in zip(projects, votes, strict=True):
        p.vote = v
    ElevatorProject.objects.bulk_create(projects)

    electors: list[Elector] = []
    shares: list[CostShare] = []
    events: list[StageEvent] = []
    objections: list[ProjectObjection] = []
    coeffs = yz.floor_coefficients
    for p, v in zip(projects, votes, strict=True):
        unit_props = by_unit.get(p.unit_id or 0, [])
        payers = [
            costs.Payer(
                str(x.household_id), hh[x.household_id].floor, x.area, hh[x.household_id].room
            )
            for x in unit_props
        ]
        split = costs.split(p.owners_cost_fen, payers, coeffs)
        upkeep = costs.split(p.maintenance_fen, payers, coeffs)
        power = costs.split(p.electricity_fen, payers, coeffs)
        idx = list(Stage).index(Stage(p.stage))
        for x in unit_props:
            h = hh[x.household_id]
            fen = split[str(h.pk)]
            collected = fen if idx >= 4 else (fen if idx >= 2 and rng.random() < 0.5 else 0)
            shares.append(
                CostShare(
                    project=p,
                    household_id=h.pk,
                    floor=h.floor,
                    area=x.area,
                    coefficient=costs.coefficient(coeffs, h.floor),
                    share_fen=fen,
                    maintenance_fen=upkeep[str(h.pk)],
                    electricity_fen=power[str(h.pk)],
                    pledged_fen=fen if idx >= 2 else 0,
                    collected_fen=collected,
                )
            )
        heads_: dict[str, Elector] = {}
        for x in unit_props:
            h = hh[x.household_id]
            e = heads_.get(x.owner_key)
            flat = {
                "household": h.pk,
                "room": h.room,
                "floor": h.floor,
                "area": str(x.area),
                "unit": x.unit_id,
            }
            if e is None:
                e = heads_[x.owner_key] = Elector(
                    vote=v,
                    owner_key=x.owner_key,
                    label=x.owner_label,
                    area_cm=0,
                    flats=[],
                    household_id=h.pk,
                    resident_id=x.owner_resident_id,
                    top_floor=h.floor,
                )
            e.area_cm += int(x.area * 100)
            e.flats.append(flat)
            e.top_floor = max(e.top_floor, h.floor)
        electors.extend(heads_.values())
        for k in range(idx + 1):
            events.append(
                StageEvent(
                    project=p,
                    stage=list(Stage)[k],
                    on=p.proposed_on + dt.timedelta(days=40 * k),
                    by_label="文昌花园社区居委会",
                    documents=(
                        "",
                        "征求意见表",
                        "全体业主书面同意书",
                        "公示照片",
                        "备案回执",
                        "施工许可",
                        "验收报告",
                    )[k],
                )
            )
        if p.stage == Stage.CONSULTING:
            low = [x for x in unit_props if hh[x.household_id].floor <= 2][:2]
            for x in low:
                objections.append(
                    ProjectObjection(
                        project=p,
                        household_id=x.household_id,
                        reason=rng.choice(
                            (ObjectionReason.LIGHT, ObjectionReason.NOISE, ObjectionReason.ACCESS)
                        ),
                        detail="担心电梯井道遮挡采光，运行噪音影响休息",
                        lodged_on=p.proposed_on + dt.timedelta(days=20),
                    )
                )
        elif idx >= 2 and rng.random() < 0.6:
            first = next((y for y in unit_props if hh[y.household_id].floor == 1), None)
            if first is not None:
                objections.append(
                    ProjectObjection(
                        project=p,
                        household_id=first.household_id,
                        reason=ObjectionReason.LIGHT,
                        detail="一楼采光受影响",
                        lodged_on=p.proposed_on + dt.timedelta(days=15),
                        status=ObjectionStatus.SETTLED,
                        settlement="经楼栋议事协商，高层住户共同给予一次性补偿，并将井道改为玻璃幕墙",
                        compensation_fen=rng.choice((20000, 30000, 50000)) * 100,
                        agreement_ref=f"补偿协议-{p.unit_id}-1",
                        settled_on=p.proposed_on + dt.timedelta(days=35),
                    )
                )
    Elector.objects.bulk_create(electors, batch_size=2000)
    CostShare.objects.bulk_create(shares, batch_size=2000)
    StageEvent.objects.bulk_create(events)
    ProjectObjection.objects.bulk_create(objections)

    ballots: list[Ballot] = []
    now = timezone.now()
    by_vote: dict[int, list[Elector]] = {}
    for e in electors:
        by_vote.setdefault(e.vote_id, []).append(e)
    for p, v in zip(projects, votes, strict=True):
        stuck = p.stage == Stage.CONSULTING
        for e in by_vote.get(v.pk, []):
            if stuck:
                if e.top_floor <= 2 and rng.random() < 0.7:
                    choice = Choice.OBJECT
                elif rng.random() < 0.15:
                    continue  # not reached yet
                else:
                    choice = Choice.AGREE
            else:
                choice = Choice.AGREE
            proxy = rng.random() < 0.08
            ballots.append(
                Ballot(
                    vote=v,
                    elector=e,
                    choice=choice,
                    channel=Channel.PROXY if proxy else Channel.PAPER,
                    proxy_name=_masked(_name(rng)) if proxy else "",
                    authorisation_ref=f"授权委托书-{e.owner_key}" if proxy else "",
                    signature_ref=f"同意书-{v.unit_id}-{e.owner_key}",
                    recorded_by_label="网格员",
                    recorded_at=now,
                )
            )
    Ballot.objects.bulk_create(ballots, batch_size=2000)

    # --- notices and objections ----------------------------------------------------------------
    notices: list[Notice] = []
    for p in projects:
        idx = list(Stage).index(Stage(p.stage))
        if idx < 3:
            continue
        start = (
            today - dt.timedelta(days=3)
            if p.stage == Stage.NOTICE
            else p.proposed_on + dt.timedelta(days=80)
        )
        notices.append(
            Notice(
                community_id=community.id,
                scope=Scope.STAIRCASE,
                grid_id=p.grid_id,
                building_id=p.building_id,
                unit_id=p.unit_id,
                title=f"公示：{p.title}",
                body=f"{p.title}已取得本单元全体业主书面同意。公示期内如有异议，请书面提出，社区将在3日内答复。",
                starts_on=start,
                ends_on=start + dt.timedelta(days=6),
                reply_days=3,
                status=NoticeStatus.PUBLISHED,
                project=p,
            )
        )
    for m in matters:
        if STEP_ORDER.index(Step(m.step)) >= STEP_ORDER.index(Step.RESOLUTION_PUBLIC):
            start = m.proposed_on + dt.timedelta(days=40)
            notices.append(
                Notice(
                    community_id=community.id,
                    scope=m.scope,
                    grid_id=m.grid_id,
                    building_id=m.building_id,
                    title=f"决议公示：{m.title}",
                    body=f"经居民会议表决，“{m.title}”决议通过，现予公示。",
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=6),
                    status=NoticeStatus.PUBLISHED,
                    matter=m,
                )
            )
    Notice.objects.bulk_create(notices)
    notice_objections: list[Objection] = []
    for i, nt in enumerate(notices[:12]):
        lodged = nt.starts_on + dt.timedelta(days=1)
        overdue = nt.ends_on >= today and i % 2 == 0
        notice_objections.append(
            Objection(
                notice=nt,
                objector=_masked(_name(rng)),
                lodged_on=lodged,
                due_on=lodged + dt.timedelta(days=nt.reply_days),
                about=rng.choice(
                    (
                        "施工时间安排在午休时段，影响老人休息",
                        "分摊比例未考虑储藏室面积",
                        "井道位置离卧室窗户太近",
                    )
                ),
                reply="" if overdue else "已上门解释，施工避开午休时段，并调整井道位置",
                replied_on=None if overdue else lodged + dt.timedelta(days=2),
            )
        )
    Objection.objects.bulk_create(notice_objections)

    # --- an open vote of the resident's building -----------------------------------------------
    open_votes = 0
    if resident_user and resident_user.resident:
        h = resident_user.resident.household
        b_props = [pr for pr in props if pr.building_id == h.building_id]
        vote = Vote.objects.create(
            community_id=community.id,
            scope=Scope.BUILDING,
            grid_id=h.building.grid_id,
            building_id=h.building_id,
            title=f"{h.building.number}栋楼道声控灯更换及费用分摊",
            rule_set=rule_sets["art278-ordinary"],
            base_rule=BaseRule.ORDINARY,
            opens_on=today - dt.timedelta(days=2),
            closes_on=today + dt.timedelta(days=12),
            matter=matters[-2],
        )
        b_heads: dict[str, Elector] = {}
        for x in b_props:
            hx = hh[x.household_id]
            e = b_heads.get(x.owner_key)
            if e is None:
                e = b_heads[x.owner_key] = Elector(
                    vote=vote,
                    owner_key=x.owner_key,
                    label=x.owner_label,
                    area_cm=0,
                    flats=[],
                    household_id=hx.pk,
                    resident_id=x.owner_resident_id,
                    top_floor=hx.floor,
                )
            e.area_cm += int(x.area * 100)
            e.flats.append(
                {
                    "household": hx.pk,
                    "room": hx.room,
                    "floor": hx.floor,
                    "area": str(x.area),
                    "unit": x.unit_id,
                }
            )
        Elector.objects.bulk_create(b_heads.values())
        own = next((pr.owner_key for pr in b_props if pr.household_id == h.pk), None)
        Ballot.objects.bulk_create(
            [
                Ballot(
                    vote=vote,
                    elector=e,
                    choice=Choice.AGREE if rng.random() < 0.8 else Choice.ABSTAIN,
                    channel=Channel.PAPER,
                    recorded_by_label="网格员",
                    recorded_at=now,
                )
                for e in b_heads.values()
                if e.owner_key != own and rng.random() < 0.45
            ]
        )
        open_votes = 1

    return {
        "Properties": len(props),
        "Matters": len(matters),
        "Meetings": len(meetings),
        "Notices": len(notices),
        "Elevator projects": len(projects),
        "Elevators signed": sum(1 for p in projects if list(Stage).index(Stage(p.stage)) >= 2),
        "Ballots": len(ballots),
        "Open votes": open_votes,
    }
