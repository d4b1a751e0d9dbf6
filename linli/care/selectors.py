"""Every read of elderly care, starting from `for_actor` (out of scope is a 404)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from linli.care.choices import (
    ElderStatus,
    Level,
    PlanStatus,
    TaskStatus,
    VisitStatus,
    WaitingStatus,
)
from linli.care.models import (
    Admission,
    Apartment,
    Arrangement,
    Assessment,
    AssessmentItem,
    Attendance,
    Bed,
    CarePlan,
    DayCentre,
    Elder,
    LevelAdjustment,
    LevelBand,
    PlanItem,
    ProactiveRule,
    ProactiveTask,
    Provider,
    Service,
    ServiceCategory,
    SubsidyRule,
    Visit,
    VisitLog,
    WaitingEntry,
)
from linli.care.permissions import (
    MANAGE,
    PORTAL,
    VIEW_BOARD,
    VIEW_RECORDS,
    VIEW_REGISTER,
    WORK_TASKS,
)
from linli.core import dates
from linli.core.errors import NotFound
from linli.core.followups import Followup
from linli.core.permissions import Actor, access, for_actor, has_perm, system_actor

LEVEL_RANK = {Level.INTACT: 0, Level.MILD: 1, Level.MODERATE: 2, Level.SEVERE: 3, Level.LOST: 4}
FLAGS = ("over_80", "disabled", "living_alone", "empty_nest", "low_income")
DONE_STATUSES = (VisitStatus.DONE, VisitStatus.CLOSED)


def level_rank_expr(path: str = "level") -> Case:
    return Case(
        *[When(**{path: lvl}, then=Value(rank)) for lvl, rank in LEVEL_RANK.items()],
        default=Value(-1),
        output_field=IntegerField(),
    )


# --- register ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElderFilters:
    flag: str = ""
    level: str = ""
    grid_id: int | None = None
    q: str = ""


def elder_list(actor: Actor, filters: ElderFilters) -> QuerySet[Elder]:
    qs = for_actor(actor, VIEW_REGISTER, Elder.objects.filter(status=ElderStatus.ACTIVE))
    if filters.flag in FLAGS:
        qs = qs.filter(**{filters.flag: True})
    if filters.level == "none":
        qs = qs.filter(level="")
    elif filters.level in Level.values:
        qs = qs.filter(level=filters.level)
    if filters.grid_id:
        qs = qs.filter(grid_id=filters.grid_id)
    if filters.q.strip():
        text = filters.q.strip()[:50]
        qs = qs.filter(Q(resident__name__contains=text) | Q(resident__name_pinyin__icontains=text))
    return qs.select_related("resident", "grid", "household__building", "household__unit").order_by(
        "household__building_id", "household__unit_id", "household__room", "id"
    )


@dataclass(frozen=True)
class RegisterCounts:
    elders: int
    over_80: int
    disabled: int
    living_alone: int
    empty_nest: int
    low_income: int
    assessed: int


def register_counts(actor: Actor) -> RegisterCounts:
    qs = for_actor(actor, VIEW_REGISTER, Elder.objects.filter(status=ElderStatus.ACTIVE))
    agg = qs.aggregate(
        elders=Count("id"),
        assessed=Count("id", filter=~Q(level="")),
        **{f: Count("id", filter=Q(**{f: True})) for f in FLAGS},
    )
    return RegisterCounts(**{k: int(v or 0) for k, v in agg.items()})


def elder_get(actor: Actor, public_id: Any) -> Elder:
    """The register row: staff with the register permission, or the elder's own household."""
    qs = Elder.objects.select_related("resident", "grid", "household__building", "household__unit")
    if has_perm(actor, VIEW_REGISTER):
        try:
            return access(actor, VIEW_REGISTER, qs, public_id=public_id)
        except NotFound:
            if not has_perm(actor, PORTAL):
                raise
    return access(actor, PORTAL, qs, public_id=public_id)


@dataclass
class ElderPage:
    elder: Elder
    records: bool  # may see answers, notes, care records
    arrangements: list[Arrangement]
    assessments: list[Assessment]
    plan: CarePlan | None
    plan_items: list[PlanItem]
    upcoming: list[Visit]
    recent: list[Visit]
    tasks: list[ProactiveTask]
    admission: Admission | None
    subsidies: list[SubsidyRule] = field(default_factory=list)


def subsidies_for(elder: Elder, rules: list[SubsidyRule]) -> list[SubsidyRule]:
    rank = LEVEL_RANK.get(Level(elder.level), -1) if elder.level else -1
    return [
        r
        for r in rules
        if all(getattr(elder, f, False) for f in r.flags)
        and (r.min_rank == 0 or rank >= r.min_rank)
    ]


def elder_page(actor: Actor, elder: Elder, *, now: dt.datetime | None = None) -> ElderPage:
    """Everything on an elder's page, a constant number of queries. Care records (past visits
    with notes, assessment list) only for those who may read them or the elder's household."""
    now = now or timezone.now()
    records = has_perm(actor, VIEW_RECORDS) or (
        has_perm(actor, PORTAL) and elder.household_id in {g.household_id for g in actor.grants}
    )
    plan = (
        CarePlan.objects.filter(elder=elder, status=PlanStatus.ACTIVE)
        .select_related("provider")
        .prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.select_related("service__category"))
        )
        .first()
    )
    visits = Visit.objects.filter(elder=elder).select_related("service", "provider")
    return ElderPage(
        elder=elder,
        records=records,
        arrangements=list(Arrangement.objects.filter(elder=elder).order_by("-started_on", "-id")),
        assessments=list(
            Assessment.objects.filter(elder=elder)
            .select_related("assessor")
            .order_by("-assessed_on", "-id")
        )
        if records
        else [],
        plan=plan,
        plan_items=list(plan.items.all()) if plan else [],
        upcoming=list(
            visits.filter(status=VisitStatus.SCHEDULED, scheduled_at__gte=now).order_by(
                "scheduled_at"
            )[:6]
        ),
        recent=list(
            visits.exclude(status__in=(VisitStatus.SCHEDULED, VisitStatus.CANCELLED))
            .filter(scheduled_at__lt=now)
            .order_by("-scheduled_at")[:8]
        )
        if records
        else [],
        tasks=list(
            ProactiveTask.objects.filter(elder=elder, status=TaskStatus.OPEN).select_related("rule")
        )
        if has_perm(actor, WORK_TASKS)
        else [],
        admission=Admission.objects.filter(elder=elder, discharged_on__isnull=True)
        .select_related("bed__room__apartment")
        .first(),
        subsidies=subsidies_for(elder, list(SubsidyRule.objects.select_related("category"))),
    )


def assessment_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """The answers beside their items (for the assessment page)."""
    out = []
    for item in AssessmentItem.objects.order_by("number"):
        points = assessment.answers.get(item.code)
        label = next((o["label"] for o in item.options if o["points"] == points), "")
        out.append({"item": item, "points": points, "label": label})
    return out


@dataclass(frozen=True)
class Standard:
    items: list[AssessmentItem]
    bands: list[LevelBand]
    adjustments: list[LevelAdjustment]
    categories: list[ServiceCategory]
    subsidy_rules: list[SubsidyRule]
    rules: list[ProactiveRule]


def standard(actor: Actor) -> Standard:
    return Standard(
        items=list(AssessmentItem.objects.order_by("number")),
        bands=list(LevelBand.objects.order_by("rank")),
        adjustments=list(LevelAdjustment.objects.order_by("order")),
        categories=list(
            ServiceCategory.objects.prefetch_related(
                Prefetch("services", queryset=Service.objects.order_by("id"))
            )
        ),
        subsidy_rules=list(SubsidyRule.objects.select_related("category")),
        rules=list(ProactiveRule.objects.order_by("id")),
    )


def services_all() -> QuerySet[Service]:
    return Service.objects.select_related("category").order_by("category__order", "id")


def providers(actor: Actor, community_id: int) -> QuerySet[Provider]:
    return for_actor(actor, MANAGE, Provider.objects.filter(community_id=community_id))


# --- visits -----------------------------------------------------------------------------------


def _visit_qs() -> QuerySet[Visit]:
    return Visit.objects.select_related(
        "elder__resident",
        "household__building",
        "household__unit",
        "service__category",
        "provider",
        "worker",
    )


def visits_today(actor: Actor, day: dt.date | None = None) -> QuerySet[Visit]:
    """A care worker's day: every visit scheduled that day in his community, by time."""
    start, end = dates.day_bounds(day or dates.local_today())
    return (
        for_actor(actor, MANAGE, _visit_qs())
        .filter(scheduled_at__gte=start, scheduled_at__lt=end)
        .exclude(status=VisitStatus.CANCELLED)
        .order_by("scheduled_at", "id")
    )


def visits_missed_or_late(actor: Actor, days: int = 7) -> QuerySet[Visit]:
    since = timezone.now() - dt.timedelta(days=days)
    return (
        for_actor(actor, MANAGE, _visit_qs())
        .filter(Q(status=VisitStatus.MISSED) | Q(late=True), scheduled_at__gte=since)
        .order_by("-scheduled_at")
    )


def visit_get(actor: Actor, public_id: Any) -> Visit:
    return access(
        actor, MANAGE, _visit_qs().prefetch_related("callbacks__staff"), public_id=public_id
    )


# --- resident side ----------------------------------------------------------------------------


@dataclass
class ResidentCare:
    elders: list[Elder]
    plans: dict[int, CarePlan]
    upcoming: list[Visit]
    to_rate: list[Visit]


def care_for_resident(actor: Actor) -> ResidentCare:
    """The elders of the signed-in resident's household (himself, or the parent he looks after),
    their plans, upcoming visits and visits waiting for a rating."""
    elders = list(
        for_actor(actor, PORTAL, Elder.objects.filter(status=ElderStatus.ACTIVE)).select_related(
            "resident"
        )
    )
    ids = [e.pk for e in elders]
    plans = {
        p.elder_id: p
        for p in CarePlan.objects.filter(elder_id__in=ids, status=PlanStatus.ACTIVE)
        .select_related("provider")
        .prefetch_related(Prefetch("items", queryset=PlanItem.objects.select_related("service")))
    }
    visits = for_actor(actor, PORTAL, _visit_qs()).filter(elder_id__in=ids)
    return ResidentCare(
        elders=elders,
        plans=plans,
        upcoming=list(
            visits.filter(status=VisitStatus.SCHEDULED, scheduled_at__gte=timezone.now()).order_by(
                "scheduled_at"
            )[:5]
        ),
        to_rate=list(visits.filter(status=VisitStatus.DONE).order_by("-checked_out_at")[:10]),
    )


def visit_for_resident(actor: Actor, public_id: Any) -> Visit:
    return access(actor, PORTAL, _visit_qs(), public_id=public_id)


# --- tasks and visit logs ---------------------------------------------------------------------


def task_list(
    actor: Actor, state: str = "open", grid_id: int | None = None
) -> QuerySet[ProactiveTask]:
    qs = for_actor(actor, WORK_TASKS, ProactiveTask.objects.all())
    now = timezone.now()
    if state == "open":
        qs = qs.filter(status=TaskStatus.OPEN)
    elif state == "overdue":
        qs = qs.filter(status=TaskStatus.OPEN, due_at__lt=now)
    elif state == "escalated":
        qs = qs.filter(status=TaskStatus.OPEN, escalated_at__isnull=False)
    elif state == "done":
        qs = qs.filter(status=TaskStatus.DONE)
    if grid_id:
        qs = qs.filter(grid_id=grid_id)
    return qs.select_related(
        "rule", "grid", "household__building", "household__unit", "elder__resident", "assignee"
    ).order_by("due_at", "id")


def task_get(actor: Actor, public_id: Any) -> ProactiveTask:
    return access(
        actor,
        WORK_TASKS,
        ProactiveTask.objects.select_related(
            "rule",
            "grid",
            "household__building",
            "household__unit",
            "elder__resident",
            "assignee",
            "visit_log",
        ),
        public_id=public_id,
    )


def visit_logs(actor: Actor, household_id: int | None = None) -> QuerySet[VisitLog]:
    qs = for_actor(actor, WORK_TASKS, VisitLog.objects.all())
    if household_id:
        qs = qs.filter(household_id=household_id)
    return qs.select_related("household__building", "household__unit", "visitor", "grid").order_by(
        "-visited_at", "-id"
    )


def household_for_log(actor: Actor, public_id: Any) -> Any:
    from linli.registry.selectors import household_get

    household = household_get(actor, public_id)
    if not has_perm(actor, WORK_TASKS):
        raise NotFound("")
    return household


# --- board ------------------------------------------------------------------------------------


@dataclass
class GridRow:
    grid_id: int
    name: str
    open_tasks: int = 0
    overdue: int = 0
    households: int = 0
    visited: int = 0

    @property
    def visited_pct(self) -> int:
        return round(100 * self.visited / self.households) if self.households else 0


@dataclass
class Board:
    rows: list[GridRow]
    found: int
    solved: int
    quarter: str
    elders: int
    visits_month: int
    on_time_pct: int | None
    chart: dict[str, Any]


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, ((day.month - 1) // 3) * 3 + 1, 1)


def board(actor: Actor, community_ids: list[int], *, now: dt.datetime | None = None) -> Board:
    """Tasks due/overdue per grid, elder households visited this quarter per grid, problems
    found on visits and solved before anyone called (未诉先办). Constant queries."""
    from linli.hotline.choices import Status
    from linli.hotline.selectors import RequestFilters, request_list

    now = now or timezone.now()
    today = dates.local_date(now)
    qstart = _quarter_start(today)
    tasks = for_actor(
        actor, VIEW_BOARD, ProactiveTask.objects.filter(community_id__in=community_ids)
    )
    rows: dict[int, GridRow] = {}
    for r in (
        tasks.filter(status=TaskStatus.OPEN)
        .values("grid_id", "grid__name")
        .annotate(n=Count("id"), late=Count("id", filter=Q(due_at__lt=now)))
    ):
        rows[r["grid_id"]] = GridRow(
            r["grid_id"], r["grid__name"], open_tasks=r["n"], overdue=r["late"]
        )
    elders = for_actor(
        actor,
        VIEW_BOARD,
        Elder.objects.filter(status=ElderStatus.ACTIVE, community_id__in=community_ids),
    )
    for hr in elders.values("grid_id", "grid__name").annotate(
        h=Count("household_id", distinct=True)
    ):
        rows.setdefault(hr["grid_id"], GridRow(hr["grid_id"], hr["grid__name"])).households = hr[
            "h"
        ]
    logs = for_actor(actor, VIEW_BOARD, VisitLog.objects.filter(community_id__in=community_ids))
    elder_households = elders.values("household_id")
    for vr in (
        logs.filter(visited_at__gte=dates.day_start(qstart), household_id__in=elder_households)
        .values("grid_id")
        .annotate(v=Count("household_id", distinct=True))
    ):
        if vr["grid_id"] in rows:
            rows[vr["grid_id"]].visited = vr["v"]
    request_ids = [
        i
        for i in logs.filter(request_id__isnull=False).values_list("request_id", flat=True)
        if i is not None
    ]
    solved = 0
    if request_ids:
        # A count, not the requests: read as the community would, whatever the reader may open.
        solved = (
            request_list(system_actor("care", community_ids=community_ids), RequestFilters())
            .filter(pk__in=request_ids, status__in=(Status.RESOLVED, Status.CLOSED))
            .count()
        )
    month = dates.this_month()
    start, end = dates.month_bounds(month)
    visits = for_actor(actor, VIEW_BOARD, Visit.objects.filter(community_id__in=community_ids))
    agg = visits.filter(scheduled_at__gte=start, scheduled_at__lt=end).aggregate(
        done=Count("id", filter=Q(status__in=DONE_STATUSES)),
        on_time=Count("id", filter=Q(status__in=DONE_STATUSES, late=False)),
        missed=Count("id", filter=Q(status=VisitStatus.MISSED)),
    )
    due = (agg["done"] or 0) + (agg["missed"] or 0)
    ordered = sorted(rows.values(), key=lambda r: r.name)
    return Board(
        rows=ordered,
        found=len(request_ids),
        solved=solved,
        quarter=f"{today.year}Q{(today.month - 1) // 3 + 1}",
        elders=elders.count(),
        visits_month=agg["done"] or 0,
        on_time_pct=round(100 * (agg["on_time"] or 0) / due) if due else None,
        chart={
            "grids": [r.name for r in ordered],
            "open": [r.open_tasks - r.overdue for r in ordered],
            "overdue": [r.overdue for r in ordered],
            "visited_pct": [r.visited_pct for r in ordered],
            "found": len(request_ids),
            "solved": solved,
        },
    )


# --- day-care and apartments ------------------------------------------------------------------


def centres(actor: Actor) -> QuerySet[DayCentre]:
    return for_actor(actor, MANAGE, DayCentre.objects.all())


@dataclass
class CentreDay:
    centre: DayCentre
    day: dt.date
    attendance: list[Attendance]
    meals: int

    @property
    def free(self) -> int:
        return max(0, self.centre.capacity - len(self.attendance))


def centre_day(actor: Actor, centre_id: int, day: dt.date) -> CentreDay:
    centre = access(actor, MANAGE, DayCentre.objects.all(), pk=centre_id)
    rows = list(
        Attendance.objects.filter(centre=centre, day=day)
        .select_related("elder__resident")
        .order_by("id")
    )
    return CentreDay(centre=centre, day=day, attendance=rows, meals=sum(r.meals for r in rows))


def apartments(actor: Actor) -> QuerySet[Apartment]:
    return for_actor(actor, MANAGE, Apartment.objects.all())


@dataclass
class BedRow:
    bed: Bed
    admission: Admission | None


def beds(actor: Actor, apartment: Apartment) -> list[BedRow]:
    admissions = {
        a.bed_id: a
        for a in Admission.objects.filter(
            bed__room__apartment=apartment, discharged_on__isnull=True
        ).select_related("elder__resident")
    }
    return [
        BedRow(bed=b, admission=admissions.get(b.pk))
        for b in Bed.objects.filter(room__apartment=apartment)
        .select_related("room")
        .order_by("room__number", "label")
    ]


def waiting_list(actor: Actor, apartment: Apartment) -> QuerySet[WaitingEntry]:
    """The waiting list in its stated order: the more impaired first (level rank), then those
    living alone, then low income, then the longest waiting (applied earliest)."""
    return (
        for_actor(
            actor,
            MANAGE,
            WaitingEntry.objects.filter(apartment=apartment, status=WaitingStatus.WAITING),
        )
        .annotate(rank=level_rank_expr("elder__level"))
        .select_related("elder__resident")
        .order_by("-rank", "-elder__living_alone", "-elder__low_income", "applied_on", "id")
    )


def occupancy_by_month(
    actor: Actor, apartment: Apartment, months: int = 12
) -> list[tuple[str, int, int]]:
    """(month, bed-days occupied, bed-days available) for the last `months` months (two queries)."""
    this = dates.this_month()
    first = dates.add_months(this, -(months - 1))
    total_beds = Bed.objects.filter(room__apartment=apartment).count()
    stays = list(
        for_actor(actor, MANAGE, Admission.objects.filter(bed__room__apartment=apartment))
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=first))
        .values_list("admitted_on", "discharged_on")
    )
    today = dates.local_today()
    out = []
    for i in range(months):
        m = dates.add_months(first, i)
        end = min(dates.next_month(m) - dt.timedelta(days=1), today)
        if end < m:
            continue
        days = (end - m).days + 1
        used = 0
        for a, d in stays:
            lo, hi = max(a, m), min(d or end, end)
            if hi >= lo:
                used += (hi - lo).days + 1
        out.append((m.strftime("%Y-%m"), used, days * total_beds))
    return out


# --- figures and exports ----------------------------------------------------------------------


@dataclass
class DeliveredRow:
    month: str
    category: str
    provider: str
    visits: int
    units: Decimal
    value: Decimal


def services_delivered(
    actor: Actor, community_id: int, months: list[dt.date]
) -> list[DeliveredRow]:
    """Visits done in each month by category and provider: count, units and value at price."""
    rows: dict[tuple[str, str, str], DeliveredRow] = {}
    if not months:
        return []
    start = dates.month_bounds(min(months))[0]
    end = dates.month_bounds(max(months))[1]
    qs = (
        for_actor(
            actor, MANAGE, Visit.objects.filter(community_id=community_id, status__in=DONE_STATUSES)
        )
        .filter(scheduled_at__gte=start, scheduled_at__lt=end)
        .values(
            "scheduled_at", "service__category__name", "provider__name", "units", "service__price"
        )
    )
    out: dict[tuple[str, str, str], DeliveredRow] = defaultdict(
        lambda: DeliveredRow("", "", "", 0, Decimal(0), Decimal(0))
    )
    for r in qs.iterator(chunk_size=2000):
        m = dates.local_date(r["scheduled_at"]).strftime("%Y-%m")
        key = (m, r["service__category__name"], r["provider__name"])
        row = out[key]
        row.month, row.category, row.provider = key
        row.visits += 1
        row.units += r["units"]
        row.value += r["units"] * r["service__price"]
    rows = dict(out)
    return [rows[k] for k in sorted(rows)]


def figures(
    community_ids: frozenset[int], month: dt.date, grid_id: int | None = None
) -> dict[str, Any]:
    """Cockpit figures (no actor: the cockpit already limited the communities)."""
    start, end = dates.month_bounds(month)
    elders = Elder.objects.filter(community_id__in=community_ids, status=ElderStatus.ACTIVE)
    visits = Visit.objects.filter(
        community_id__in=community_ids, scheduled_at__gte=start, scheduled_at__lt=end
    )
    tasks = ProactiveTask.objects.filter(community_id__in=community_ids)
    logs = VisitLog.objects.filter(community_id__in=community_ids, request_id__isnull=False)
    if grid_id:
        elders, visits, tasks, logs = (
            elders.filter(grid_id=grid_id),
            visits.filter(grid_id=grid_id),
            tasks.filter(grid_id=grid_id),
            logs.filter(grid_id=grid_id),
        )
    year_ago = dates.day_start(dates.add_months(month, -11))
    served = Visit.objects.filter(
        community_id__in=community_ids,
        status__in=DONE_STATUSES,
        scheduled_at__gte=year_ago,
        scheduled_at__lt=end,
    )
    if grid_id:
        served = served.filter(grid_id=grid_id)
    agg = visits.aggregate(
        done=Count("id", filter=Q(status__in=DONE_STATUSES)),
        on_time=Count("id", filter=Q(status__in=DONE_STATUSES, late=False)),
        missed=Count("id", filter=Q(status=VisitStatus.MISSED)),
    )
    due = (agg["done"] or 0) + (agg["missed"] or 0)
    return {
        "elders": elders.count(),
        "served": served.values("elder_id").distinct().count(),
        "visits": agg["done"] or 0,
        "on_time": round(100 * (agg["on_time"] or 0) / due) if due else None,
        "open_tasks": tasks.filter(status=TaskStatus.OPEN).count(),
        "found_solved": logs.filter(visited_at__gte=start, visited_at__lt=end).count(),
    }


# --- for the surveys domain's demo follow-ups (issue 14) -----------------------------------


def visit_followup(visit: Visit) -> Followup:
    """What the surveys follow-up asks a household about a rated visit (`visit.service`
    loaded)."""
    return Followup(
        community_id=visit.community_id,
        household_id=visit.household_id,
        service_line="care.visit",
        ref=str(visit.public_id),
        label=str(visit.service.name),
        url="/care/me/",
        on=dates.local_date(visit.rated_at) if visit.rated_at else None,
    )


def rated_since(since: dt.datetime, limit: int = 5000) -> list[Followup]:
    """The follow-ups of visits rated since `since` (what `visit_rate` asks for today, for the
    surveys demo; background work acting for no one, no personal data)."""
    rows = (
        Visit.objects.filter(status=VisitStatus.CLOSED, rated_at__gte=since)
        .select_related("service")
        .only("public_id", "community_id", "household_id", "rated_at", "service__name")
        .order_by("rated_at")[:limit]
    )
    return [visit_followup(v) for v in rows]
