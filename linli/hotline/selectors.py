"""Every read of the request desk, starting from the actor's scope; plus the three rates and
the public board (which reads no personal data at all)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, overload

from django.db import models
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import dates, memo
from linli.core.db import Param, Prepared, from_row, planned_for_each_run
from linli.core.errors import NotFound
from linli.core.followups import Followup
from linli.core.permissions import (
    ANONYMOUS,
    Actor,
    access,
    communities_for,
    for_actor,
    has_perm,
    narrowed,
)
from linli.hotline.anonymise import anonymise
from linli.hotline.choices import (
    COUNTED_STATUSES,
    DUPLICATE_WINDOW_DAYS,
    OPEN_STATUSES,
    PUBLIC_TEXT_CHANNELS,
    SATISFIED_AT_LEAST,
    CancelSource,
    DueState,
    Status,
    VerdictSource,
)
from linli.hotline.models import (
    Category,
    DutyAssignment,
    GridEscalationContact,
    RequestEvent,
    RequestPhoto,
    ServiceRequest,
)
from linli.hotline.permissions import FILE, MANAGE, VIEW, VIEW_INTERNAL, VIEW_RATES, WORK
from linli.registry.models import Building, Community, Grid, Household, Unit
from linli.registry.selectors import (
    ResidentFilters,
    community_list,
    grid_choices,
    household_list,
    own_household,
    resident_list,
    resident_names,
)


@dataclass(frozen=True)
class RequestFilters:
    status: str = ""  # a Status value, "open", or "" for all
    grid_id: int | None = None
    category_code: str = ""
    assignee_id: int | None = None
    community_id: int | None = None
    household_id: int | None = None
    due_state: str = ""
    month: dt.date | None = None  # first of a month
    overdue_only: bool = False
    reopened_only: bool = False
    rated: str = ""  # "", "rated", "satisfied", "unsatisfied", "staff_recorded"
    number: str = ""


def request_list(actor: Actor, filters: RequestFilters) -> QuerySet[ServiceRequest]:
    qs = for_actor(actor, VIEW, ServiceRequest.objects.all())
    if filters.community_id:
        qs = qs.filter(community_id=filters.community_id)
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status in Status.values:
        qs = qs.filter(status=filters.status)
    if filters.grid_id:
        qs = qs.filter(grid_id=filters.grid_id)
    if filters.category_code:
        qs = qs.filter(category__code=filters.category_code)
    if filters.assignee_id:
        qs = qs.filter(assignee_id=filters.assignee_id)
    if filters.household_id:
        qs = qs.filter(household_id=filters.household_id)
    if filters.due_state in DueState.values:
        qs = qs.filter(due_state=filters.due_state, status__in=OPEN_STATUSES)
    if filters.month:
        qs = qs.filter(period_month=filters.month)
    if filters.overdue_only:
        qs = qs.filter(was_overdue=True)
    if filters.reopened_only:
        qs = qs.filter(reopen_count__gt=0)
    if filters.rated == "satisfied":
        qs = qs.filter(rating__gte=SATISFIED_AT_LEAST)
    elif filters.rated == "unsatisfied":
        qs = qs.filter(rating__lt=SATISFIED_AT_LEAST)
    elif filters.rated == "rated":
        qs = qs.filter(rating__isnull=False)
    elif filters.rated == "staff_recorded":
        qs = qs.filter(rating__isnull=False, verdict_source=VerdictSource.STAFF_RECORDED_CALL)
    if filters.number.strip().isdigit():
        qs = qs.filter(pk=int(filters.number.strip()))
    return qs.select_related(
        "category", "grid", "building", "household__building", "household__unit", "assignee"
    ).order_by("-submitted_at", "-id")


# The columns the request list page shows (issue 16 item 2: a 50-row page loaded every column
# of seven tables, the assignee's password hash included): the request's own, then each
# related row's by the prefix of its relation.
LIST_ROW_FIELDS = (
    "id",
    "public_id",
    "status",
    "due_state",
    "escalation_level",
    "description",
    "location_text",
    "submitted_at",
    "channel",
    "rating",
    "category_id",
    "grid_id",
    "household_id",
    "assignee_id",
)
_LIST_RELATED_FIELDS = (
    "category__name",
    "grid__name",
    "household__room",
    "household__building_id",
    "household__unit_id",
    "household__building__number",
    "household__unit__number",
    "assignee__username",
    "assignee__display_name",
)


class RequestRows:
    """The rows of the request list as `Paginator` pages through them: the filtered requests
    counted by the database, and a page read as values (no related instances built by the
    ORM) and made into requests with their category, grid, household and assignee attached
    (`core.db.from_row`), as `select_related` with `only(...)` would attach them."""

    ordered = True

    def __init__(self, queryset: QuerySet[ServiceRequest]) -> None:
        self._queryset = queryset

    def count(self) -> int:
        return self._queryset.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> ServiceRequest: ...

    @overload
    def __getitem__(self, index: slice) -> list[ServiceRequest]: ...

    def __getitem__(self, index: int | slice) -> ServiceRequest | list[ServiceRequest]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        alias = self._queryset.db
        rows = self._queryset.values(*LIST_ROW_FIELDS, *_LIST_RELATED_FIELDS)[index]
        return [_list_row(alias, row) for row in rows]

    def __iter__(self) -> Iterator[ServiceRequest]:
        return iter(self[:])


def household_from_row(
    alias: str, values: dict[str, Any], *, building: dict[str, Any], unit: dict[str, Any]
) -> Household:
    """A household made from row values (`core.db.from_row`, with its `building_id` and
    `unit_id`) and its building and unit attached from theirs, as `select_related("building",
    "unit")` attaches them: what its address and grid read."""
    household = from_row(Household, values, using=alias)
    Household.building.field.set_cached_value(
        household, from_row(Building, {"id": household.building_id, **building}, using=alias)
    )
    Household.unit.field.set_cached_value(
        household, from_row(Unit, {"id": household.unit_id, **unit}, using=alias)
    )
    return household


def _list_row(alias: str, row: dict[str, Any]) -> ServiceRequest:
    req = from_row(ServiceRequest, {f: row[f] for f in LIST_ROW_FIELDS}, using=alias)
    category = grid = household = assignee = None
    if req.category_id:
        category = from_row(
            Category, {"id": req.category_id, "name": row["category__name"]}, using=alias
        )
    if req.grid_id:
        grid = from_row(Grid, {"id": req.grid_id, "name": row["grid__name"]}, using=alias)
    if req.household_id:
        household = household_from_row(
            alias,
            {
                "id": req.household_id,
                "room": row["household__room"],
                "building_id": row["household__building_id"],
                "unit_id": row["household__unit_id"],
            },
            building={"number": row["household__building__number"]},
            unit={"number": row["household__unit__number"]},
        )
    if req.assignee_id:
        user_model = ServiceRequest.assignee.field.related_model
        assignee = from_row(
            user_model,
            {
                "id": req.assignee_id,
                "username": row["assignee__username"],
                "display_name": row["assignee__display_name"],
            },
            using=alias,
        )
    ServiceRequest.category.field.set_cached_value(req, category)
    ServiceRequest.grid.field.set_cached_value(req, grid)
    ServiceRequest.household.field.set_cached_value(req, household)
    ServiceRequest.assignee.field.set_cached_value(req, assignee)
    return req


def request_list_rows(actor: Actor, filters: RequestFilters) -> RequestRows:
    """`request_list` narrowed to what the list page shows (`LIST_ROW_FIELDS`)."""
    return RequestRows(request_list(actor, filters).select_related(None))


# What the request page shows with a request; the API reads less (`API_RELATED`): on
# PostgreSQL planning a 12-table join costs more than running it.
PAGE_RELATED = (
    "category",
    "grid",
    "building",
    "household__building",
    "household__unit",
    "assignee",
    "escalated_to",
    "merged_into",
    "community",
)
API_RELATED = ("category", "household__building", "household__unit", "assignee")


def request_get(
    actor: Actor, public_id: Any, related: tuple[str, ...] = PAGE_RELATED
) -> ServiceRequest:
    return access(actor, VIEW, ServiceRequest.objects.select_related(*related), public_id=public_id)


def request_events(actor: Actor, req: ServiceRequest) -> QuerySet[RequestEvent]:
    """The request's history; internal notes and marks only for staff."""
    qs = for_actor(actor, VIEW, RequestEvent.objects.filter(request=req))
    if not has_perm(actor, VIEW_INTERNAL):
        qs = qs.filter(public=True)
    return qs.order_by("at", "id")


def request_photos(actor: Actor, req: ServiceRequest) -> QuerySet[RequestPhoto]:
    return for_actor(actor, VIEW, RequestPhoto.objects.filter(request=req)).order_by("id")


def photo_get(actor: Actor, public_id: Any) -> RequestPhoto:
    return access(actor, VIEW, RequestPhoto.objects.all(), public_id=public_id)


@dataclass(frozen=True)
class Abilities:
    """What the actor may do to one request now (drives the buttons on its page)."""

    work: bool
    manage: bool
    resident: bool
    internal: bool


def abilities(actor: Actor, req: ServiceRequest) -> Abilities:
    def within(perm: str) -> bool:
        return bool(
            for_actor(actor, perm, ServiceRequest.objects.filter(pk=req.pk)).exists()
            if has_perm(actor, perm)
            else False
        )

    return Abilities(
        work=within(WORK),
        manage=within(MANAGE),
        resident=within(FILE),
        internal=has_perm(actor, VIEW_INTERNAL),
    )


def duplicate_candidates(
    actor: Actor,
    *,
    building_id: int | None,
    category_id: int,
    exclude_id: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[ServiceRequest]:
    """Open requests of the last 7 days in the same building and category."""
    if building_id is None:
        return ServiceRequest.objects.none()
    now = now or timezone.now()
    qs = for_actor(actor, VIEW, ServiceRequest.objects.all()).filter(
        building_id=building_id,
        category_id=category_id,
        status__in=OPEN_STATUSES,
        submitted_at__gte=now - dt.timedelta(days=DUPLICATE_WINDOW_DAYS),
    )
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.select_related("category", "household__building", "household__unit").order_by(
        "submitted_at", "id"
    )


def categories(actor: Actor, community_id: int, *, active_only: bool = True) -> QuerySet[Category]:
    qs = Category.objects.filter(community_id=community_id)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("order", "id")


# A community's categories change rarely and every filing reads one: each process remembers
# them (linli.core.memo) while this token is unchanged. Whatever writes a category calls
# `CATEGORIES.changed()` (the catalogue's services, the admin).
CATEGORIES = memo.Token("hotline-categories")
_categories: memo.Memo[Category | None] = memo.Memo(CATEGORIES)
_catalogues: memo.Memo[tuple[Category, ...]] = memo.Memo(CATEGORIES)


def catalogue(community_id: int, *, active_only: bool = True) -> tuple[Category, ...]:
    """A community's categories in their order, as `categories` reads them, remembered by
    each process: the list and rates pages' filters show them on every view. The rows are
    shared: read them, never change them."""
    return _catalogues.get(
        (community_id, active_only),
        lambda: tuple(categories(ANONYMOUS, community_id, active_only=active_only)),
    )


def category_by_code(community_id: int, code: str) -> Category | None:
    """The active category `code` of a community (None: no such category). Reads only: a
    community's categories are created by `services.categories_ensure_defaults`. Each call
    gets its own copy of the remembered row."""
    found = _categories.get(
        (community_id, code),
        lambda: Category.objects.filter(community_id=community_id, code=code, active=True).first(),
    )
    return copy.copy(found)


def category_get(actor: Actor, category_id: int) -> Category:
    return access(actor, MANAGE, Category.objects.all(), pk=category_id)


def roster(actor: Actor, community_id: int) -> QuerySet[DutyAssignment]:
    return (
        for_actor(actor, MANAGE, DutyAssignment.objects.filter(community_id=community_id))
        .select_related("grid", "user")
        .order_by("grid__number", "is_fallback", "weekday", "id")
    )


def escalation_contacts(actor: Actor, community_id: int) -> QuerySet[GridEscalationContact]:
    return (
        for_actor(actor, MANAGE, GridEscalationContact.objects.filter(community_id=community_id))
        .select_related("grid")
        .order_by("grid__number", "level")
    )


def household_for_intake(actor: Actor, public_id: Any) -> Household | None:
    """The household a worker takes a call for (None: none chosen; outside her scope: 404)."""
    if not public_id:
        return None
    return access(
        actor,
        WORK,
        Household.objects.select_related("building__grid", "unit", "community"),
        public_id=public_id,
    )


def household_for_portal(actor: Actor, public_id: Any) -> Household:
    """The household a resident files for: the one named if it is his, else his own; any
    other (or none at all) is a 404."""
    if public_id:
        return access(
            actor, FILE, Household.objects.select_related("building", "unit"), public_id=public_id
        )
    household = own_household(actor)
    if household is None:
        raise NotFound(_("Not found."))
    return household


def household_lookup(actor: Actor, text: str, limit: int = 10) -> list[Household]:
    """Households a worker means when she types a caller's phone, a room code or a name:
    the registry's own search (phones by their keyed hash, rooms by building-unit-room)."""
    q = text.strip()[:50]
    if not q:
        return []
    ids: list[int] = []
    for row in resident_list(actor, ResidentFilters(q=q)).values_list("household_id", flat=True)[
        : limit * 3
    ]:
        if row not in ids:
            ids.append(row)
    if len(ids) < limit:
        for hid in household_list(actor, q=q).values_list("id", flat=True)[:limit]:
            if hid not in ids:
                ids.append(hid)
    by_id = {
        h.pk: h
        for h in household_list(actor, status="")
        .filter(pk__in=ids[:limit])
        .select_related("building__grid", "unit")
    }
    return [by_id[i] for i in ids[:limit] if i in by_id]


def portal_requests(actor: Actor, household_id: int) -> QuerySet[ServiceRequest]:
    return (
        for_actor(actor, FILE, ServiceRequest.objects.filter(household_id=household_id))
        .select_related("category")
        .order_by("-submitted_at", "-id")
    )


# --- the three rates ------------------------------------------------------------------------


@dataclass(frozen=True)
class RateScope:
    """Which requests the rates count: a community (required for staff pages), optionally
    one grid, worker or category, submitted in [start, end)."""

    community_id: int | None = None
    grid_id: int | None = None
    worker_id: int | None = None
    category_code: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class Rates:
    """Numerators, denominators and the rates (None when the denominator is zero)."""

    requests: int = 0
    due_for_contact: int = 0
    contacted_in_time: int = 0
    rated: int = 0
    solved: int = 0
    satisfied: int = 0
    door_seconds: int = 0  # summed over the `door_timed` requests that reached the door
    door_timed: int = 0
    resolve_seconds: int = 0  # summed over the `resolve_timed` requests resolved
    resolve_timed: int = 0
    overdue: int = 0
    reopened: int = 0
    staff_recorded: int = 0  # verdicts staff wrote down from a call (of `rated`)
    staff_cancelled: int = 0  # requests staff cancelled (still counted, of `requests`)
    key: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def _ratio(num: int, den: int) -> float | None:
        return round(num / den, 4) if den else None

    @property
    def response_rate(self) -> float | None:
        return self._ratio(self.contacted_in_time, self.due_for_contact)

    @property
    def resolution_rate(self) -> float | None:
        return self._ratio(self.solved, self.rated)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._ratio(self.satisfied, self.rated)

    @property
    def avg_door_seconds(self) -> float | None:
        return self.door_seconds / self.door_timed if self.door_timed else None

    @property
    def avg_resolve_seconds(self) -> float | None:
        return self.resolve_seconds / self.resolve_timed if self.resolve_timed else None

    @property
    def avg_door_hours(self) -> float | None:
        return round(self.avg_door_seconds / 3600, 2) if self.avg_door_seconds is not None else None

    @property
    def avg_resolve_hours(self) -> float | None:
        return (
            round(self.avg_resolve_seconds / 3600, 2)
            if self.avg_resolve_seconds is not None
            else None
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "due_for_contact": self.due_for_contact,
            "contacted_in_time": self.contacted_in_time,
            "response_rate": self.response_rate,
            "rated": self.rated,
            "solved": self.solved,
            "resolution_rate": self.resolution_rate,
            "satisfied": self.satisfied,
            "satisfaction_rate": self.satisfaction_rate,
            "avg_hours_to_door": self.avg_door_hours,
            "avg_hours_to_resolution": self.avg_resolve_hours,
            "overdue": self.overdue,
            "reopened": self.reopened,
            "staff_recorded": self.staff_recorded,
            "staff_cancelled": self.staff_cancelled,
        }


def _rate_aggregates(now: dt.datetime | Param) -> dict[str, Any]:
    return {
        "requests": Count("id"),
        "due_for_contact": Count(
            "id", filter=Q(accepted_at__isnull=False) | Q(due_contact_at__lte=now)
        ),
        "contacted_in_time": Count("id", filter=Q(contacted_in_time=True)),
        "rated": Count("id", filter=Q(rating__isnull=False)),
        "solved": Count("id", filter=Q(rating__isnull=False, solved=True)),
        "satisfied": Count("id", filter=Q(rating__gte=SATISFIED_AT_LEAST)),
        "door_seconds_sum": Sum("door_seconds"),
        "door_timed": Count("door_seconds"),
        "resolve_seconds_sum": Sum("resolve_seconds"),
        "resolve_timed": Count("resolve_seconds"),
        "overdue": Count("id", filter=Q(was_overdue=True)),
        "reopened": Sum("reopen_count"),
        "staff_recorded": Count(
            "id",
            filter=Q(rating__isnull=False, verdict_source=VerdictSource.STAFF_RECORDED_CALL),
        ),
        "staff_cancelled": Count(
            "id", filter=Q(status=Status.CANCELLED, cancel_source=CancelSource.STAFF)
        ),
    }


def _rates_from(row: dict[str, Any], key: Any = None) -> Rates:
    return Rates(
        requests=row["requests"] or 0,
        due_for_contact=row["due_for_contact"] or 0,
        contacted_in_time=row["contacted_in_time"] or 0,
        rated=row["rated"] or 0,
        solved=row["solved"] or 0,
        satisfied=row["satisfied"] or 0,
        door_seconds=row["door_seconds_sum"] or 0,
        door_timed=row["door_timed"] or 0,
        resolve_seconds=row["resolve_seconds_sum"] or 0,
        resolve_timed=row["resolve_timed"] or 0,
        overdue=row["overdue"] or 0,
        reopened=row["reopened"] or 0,
        staff_recorded=row["staff_recorded"] or 0,
        staff_cancelled=row["staff_cancelled"] or 0,
        key=key,
    )


def _rate_filters(scope: RateScope) -> dict[str, Any]:
    """The filters `scope` sets, by lookup, all on indexed columns."""
    filters: dict[str, Any] = {}
    if scope.community_id:
        filters["community_id"] = scope.community_id
    if scope.start:
        filters["period_month__gte"] = scope.start.replace(day=1)
        filters["submitted_at__gte"] = dates.day_start(scope.start)
    if scope.end:
        filters["submitted_at__lt"] = dates.day_start(scope.end)
    if scope.grid_id:
        filters["grid_id"] = scope.grid_id
    if scope.worker_id:
        filters["assignee_id"] = scope.worker_id
    if scope.category_code:
        filters["category__code"] = scope.category_code
    return filters


def rates_queryset(actor: Actor, scope: RateScope) -> QuerySet[ServiceRequest]:
    """The requests the rates count: in the actor's scope and the given scope, submitted in
    the period, neither merged nor withdrawn by the resident (a request staff cancelled still
    counts). Filters on indexed columns only."""
    return (
        for_actor(actor, VIEW_RATES, ServiceRequest.objects.all())
        .filter(counted_q())
        .filter(**_rate_filters(scope))
    )


def counted_q() -> Q:
    """The requests the three rates count: every status but merged and cancelled, and those
    staff cancelled (so that cancelling cannot hide a late or unwelcome request)."""
    return Q(status__in=COUNTED_STATUSES) | Q(
        status=Status.CANCELLED, cancel_source=CancelSource.STAFF
    )


# The column each rate filter compares (the `Param` that stands for its value).
_RATE_FILTER_FIELDS: dict[str, tuple[type[models.Model], str]] = {
    "community_id": (ServiceRequest, "community"),
    "period_month__gte": (ServiceRequest, "period_month"),
    "submitted_at__gte": (ServiceRequest, "submitted_at"),
    "submitted_at__lt": (ServiceRequest, "submitted_at"),
    "grid_id": (ServiceRequest, "grid"),
    "assignee_id": (ServiceRequest, "assignee"),
    "category__code": (Category, "code"),
}


def _rates_grouped(
    actor: Actor, lookups: tuple[str, ...], columns: tuple[str, ...], ordered: bool
) -> QuerySet[Any]:
    """`rates_queryset` grouped by `columns` with the rate figures, its filter values and the
    time `now` as `Param`s: what `_RATES` compiles once per actor scope and set of filters."""
    qs: QuerySet[Any] = (
        for_actor(actor, VIEW_RATES, ServiceRequest.objects.all())
        .filter(counted_q())
        .filter(**{k: Param(k, *_RATE_FILTER_FIELDS[k]) for k in lookups})
        .order_by()
        .values(*columns)
        .annotate(**_rate_aggregates(Param("now", ServiceRequest, "due_contact_at")))
    )
    return qs.order_by(*columns) if ordered else qs


# The rates page reads its figures on every view, and Django spent longer compiling these
# fourteen aggregates than SQLite spends counting a month of requests.
_RATES = Prepared(ServiceRequest, _rates_grouped)


def _rate_rows(
    actor: Actor, scope: RateScope, columns: tuple[str, ...], now: dt.datetime, *, ordered: bool
) -> list[dict[str, Any]]:
    filters = _rate_filters(scope)
    with planned_for_each_run():
        return _RATES.rows(
            narrowed(actor, VIEW_RATES), tuple(filters), columns, ordered, now=now, **filters
        )


def rates(actor: Actor, scope: RateScope, *, now: dt.datetime | None = None) -> Rates:
    """The three rates and the other figures for one scope and period (one query)."""
    with planned_for_each_run():
        row = rates_queryset(actor, scope).aggregate(**_rate_aggregates(now or timezone.now()))
    return _rates_from(row)


def rates_by(
    actor: Actor, scope: RateScope, group: str, *, now: dt.datetime | None = None
) -> list[Rates]:
    """The same figures grouped by "grid", "month", "worker" or "category" (one query)."""
    column = {
        "grid": "grid_id",
        "month": "period_month",
        "worker": "assignee_id",
        "category": "category_id",
    }[group]
    rows = _rate_rows(actor, scope, (column,), now or timezone.now(), ordered=True)
    return [_rates_from(row, row[column]) for row in rows]


def rate_communities(actor: Actor) -> QuerySet[Community]:
    """Communities whose rates the actor may read."""
    return community_list(actor).filter(pk__in=list(communities_for(actor, VIEW_RATES)))


MONTHS_SHOWN = 12


@dataclass(frozen=True)
class RateTables:
    """Everything the rates page and its export show for one community and month: the
    month's figures overall, by grid and by category, and the twelve months up to it."""

    community: Community
    communities: list[Community]
    month: dt.date
    summary: Rates
    by_grid: list[tuple[Grid | None, Rates]]
    by_month: list[Rates]
    by_category: list[tuple[Category | None, Rates]]
    grids: list[Grid]
    categories: list[Category]  # active ones, for the filter


def rate_tables(
    actor: Actor,
    *,
    community_id: int | None,
    month: dt.date,
    grid_id: int | None = None,
    category_code: str = "",
    worker_id: int | None = None,
) -> RateTables:
    """The rate tables of `community_id` (the actor's first community if not his) for
    `month`, optionally narrowed to a grid, category or worker (404: no rates to read)."""
    communities = list(rate_communities(actor))
    if not communities:
        raise NotFound(_("Not found."))
    community = next((c for c in communities if c.pk == community_id), communities[0])
    first = dates.add_months(month, 1 - MONTHS_SHOWN)
    end = dates.next_month(month)
    base = RateScope(
        community_id=community.pk,
        grid_id=grid_id,
        category_code=category_code,
        worker_id=worker_id,
    )
    now = timezone.now()
    grids = {g.pk: g for g in grid_choices(actor, community.pk)}
    cats = {c.pk: c for c in catalogue(community.pk, active_only=False)}
    by_month = {
        r.key: r for r in rates_by(actor, replace(base, start=first, end=end), "month", now=now)
    }
    months: list[Rates] = []
    cursor = first
    while cursor <= month:
        months.append(by_month.get(cursor) or Rates(key=cursor))
        cursor = dates.next_month(cursor)
    # The month by grid and by category: one query grouped by both, summed here.
    grid_sums: dict[int | None, dict[str, int]] = {}
    cat_sums: dict[int | None, dict[str, int]] = {}
    month_rows = _rate_rows(
        actor, replace(base, start=month, end=end), ("grid_id", "category_id"), now, ordered=False
    )
    for row in month_rows:
        figures: dict[str, Any] = dict(row)
        g, c = figures.pop("grid_id"), figures.pop("category_id")
        for sums in (grid_sums.setdefault(g, {}), cat_sums.setdefault(c, {})):
            for name, value in figures.items():
                sums[name] = sums.get(name, 0) + (value or 0)
    return RateTables(
        community=community,
        communities=communities,
        month=month,
        summary=months[-1],
        by_grid=[
            (grids.get(k) if k else None, _rates_from(grid_sums[k], k))
            for k in sorted(grid_sums, key=_nulls_last)
        ],
        by_month=months,
        by_category=[
            (cats.get(k) if k else None, _rates_from(cat_sums[k], k))
            for k in sorted(cat_sums, key=_nulls_last)
        ],
        grids=list(grids.values()),
        categories=[c for c in cats.values() if c.active],
    )


def _nulls_last(key: int | None) -> tuple[bool, int]:
    """The order of `rates_by`'s groups: by id, "no grid" / "no category" last."""
    return (key is None, key or 0)


# --- the public board and Open311 (no login, no personal data) ------------------------------


def is_published(req: ServiceRequest) -> bool:
    """Whether the resident chose to publish this request's description, through a channel
    of his own (never words taken down on the phone or from a rider's report)."""
    return req.description_public and req.channel in PUBLIC_TEXT_CHANNELS


def published_description(
    req: ServiceRequest, names: Collection[str], *, limit: int | None = 80
) -> str:
    """A request's description as the public may read it: anonymised where the resident
    chose to publish it, otherwise nothing."""
    if not is_published(req):
        return ""
    return anonymise(req.description, names=names, limit=limit)


def public_location(building: Building | None) -> str:
    """Where a request is, as the public may read it: the building, never unit or room."""
    return str(building) if building is not None else ""


@dataclass(frozen=True)
class BoardEntry:
    category: str
    resolved_on: dt.date
    place: str
    description: str  # empty unless the resident chose to publish it (anonymised)


@dataclass(frozen=True)
class Board:
    community: Community
    month: dt.date
    solved_by_category: list[tuple[str, int]]
    recent: list[BoardEntry]
    rates: Rates


def public_board(community: Community, month: dt.date, *, now: dt.datetime | None = None) -> Board:
    """This month's solved requests by category, the latest (category, date, building, and
    the description only where the resident chose to publish it, anonymised), and the three
    rates. Reads no actor: only what the public may see leaves this function."""
    solved = ServiceRequest.objects.filter(
        community=community,
        status__in=(Status.RESOLVED, Status.CLOSED),
        resolved_at__gte=dates.day_start(month),
        resolved_at__lt=dates.day_start(dates.next_month(month)),
    )
    by_category = list(
        solved.order_by()
        .values("category__name")
        .annotate(n=Count("id"))
        .order_by("-n", "category__name")
    )
    rows = list(
        solved.select_related("category", "building")
        .only(
            "resolved_at",
            "description",
            "description_public",
            "channel",
            "category__name",
            "building__number",
        )
        .order_by("-resolved_at", "-id")[:20]
    )
    names = resident_names(community.pk) if any(map(is_published, rows)) else frozenset()
    recent = [
        BoardEntry(
            category=r.category.name,
            resolved_on=dates.local_date(r.resolved_at) if r.resolved_at else month,
            place=public_location(r.building),
            description=published_description(r, names),
        )
        for r in rows
    ]
    month_qs = ServiceRequest.objects.filter(counted_q(), community=community, period_month=month)
    row = month_qs.aggregate(**_rate_aggregates(now or timezone.now()))
    return Board(
        community=community,
        month=month,
        solved_by_category=[(r["category__name"], r["n"]) for r in by_category],
        recent=recent,
        rates=_rates_from(row),
    )


def community_by_code(code: str) -> Community | None:
    return Community.objects.filter(code=code).first()


# --- Open311 (public reads: no actor, nothing personal) ---------------------------------------


@dataclass(frozen=True)
class Jurisdiction:
    """A community as Open311 names it (`jurisdiction_id` is its code)."""

    id: int
    code: str
    name: str


def jurisdiction(code: str) -> Jurisdiction | None:
    """The community `code` names; with no code, the only community if there is just one."""
    qs = Community.objects.order_by("id")
    rows = list(qs.filter(code=code)[:1] if code else qs[:2])
    if len(rows) != 1:
        return None
    return Jurisdiction(id=rows[0].pk, code=rows[0].code, name=rows[0].name)


@dataclass(frozen=True)
class PublicService:
    """A request category as Open311 publishes it."""

    code: str
    name: str
    description: str
    group: str
    questions: list[dict[str, Any]]


def public_services(community_id: int) -> list[PublicService]:
    return [
        PublicService(c.code, c.name, c.description, c.group, c.questions)
        for c in Category.objects.filter(community_id=community_id, active=True).order_by(
            "order", "id"
        )
    ]


@dataclass(frozen=True)
class PublicRequestFilters:
    ids: tuple[int, ...] = ()
    codes: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    state: str = ""  # "", "open" or "closed"
    limit: int = 1000


@dataclass(frozen=True)
class PublicRequest:
    """A request as the public may read it: category, status, dates, a coarse location (the
    building; coordinates to about 100 m), and a description only where published."""

    id: int
    status: str
    merged_into_id: int | None
    service_code: str
    service_name: str
    description: str
    requested_at: dt.datetime
    updated_at: dt.datetime
    expected_at: dt.datetime
    address: str
    lat: Decimal | None
    long: Decimal | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


COARSE = Decimal("0.001")


def _coarse(value: Decimal | None) -> Decimal | None:
    return value.quantize(COARSE) if value is not None else None


def public_requests(
    community_id: int,
    filters: PublicRequestFilters,
    *,
    readable: Callable[[list[int]], Collection[int]] | None = None,
    description_limit: int | None = None,
) -> list[PublicRequest]:
    """A community's requests for the public, newest first. `readable(ids)` names the ones
    whose description the reader may read although the resident did not publish it (an
    Open311 client's own submissions); those are anonymised too."""
    qs = ServiceRequest.objects.filter(community_id=community_id).select_related(
        "category", "building"
    )
    if filters.ids:
        qs = qs.filter(pk__in=filters.ids)
    if filters.codes:
        qs = qs.filter(category__code__in=filters.codes)
    if filters.start:
        qs = qs.filter(submitted_at__gte=filters.start)
    if filters.end:
        qs = qs.filter(submitted_at__lte=filters.end)
    if filters.state == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.state == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    rows = list(qs.order_by("-submitted_at", "-id")[: filters.limit])
    own = set(readable([r.pk for r in rows])) if readable and rows else set()
    shown = [r for r in rows if r.pk in own or is_published(r)]
    names = resident_names(community_id) if shown else frozenset()
    return [
        PublicRequest(
            id=r.pk,
            status=r.status,
            merged_into_id=r.merged_into_id,
            service_code=r.category.code,
            service_name=r.category.name,
            description=anonymise(r.description, names=names, limit=description_limit)
            if r.pk in own
            else published_description(r, names, limit=description_limit),
            requested_at=r.submitted_at,
            updated_at=r.updated_at,
            expected_at=r.due_resolve_at,
            address=public_location(r.building),
            lat=_coarse(r.lat),
            long=_coarse(r.long),
        )
        for r in rows
    ]


# --- for the surveys domain's follow-ups (issue 14) ----------------------------------------


def closed_since(since: dt.datetime, limit: int = 5000) -> list[Followup]:
    """The follow-ups of requests closed since `since` that have a household (what the surveys
    demo asks about; background work acting for no one, no personal data)."""
    from django.urls import reverse

    rows = (
        ServiceRequest.objects.filter(
            status=Status.CLOSED, closed_at__gte=since, household_id__isnull=False
        )
        .select_related("category")
        .order_by("closed_at")[:limit]
    )
    return [
        Followup(
            community_id=r.community_id,
            household_id=int(r.household_id or 0),
            service_line="hotline.request",
            ref=str(r.public_id),
            label=f"{r.number} {r.category.name}",
            url=reverse("hotline:request", args=[r.public_id]),
            on=dates.local_date(r.closed_at or since),
        )
        for r in rows
    ]
