"""Reads of the registry. Every selector starts from the actor's scope."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When

from linli.core import dates
from linli.core.hooks import panels_for
from linli.core.permissions import Actor, access, can, for_actor, has_perm, scope_q
from linli.registry import lookups
from linli.registry.choices import (
    RECORDED_TAG_FIELDS,
    DisabilityLevel,
    HouseholdStatus,
    ResidentStatus,
    Tag,
)
from linli.registry.models import Building, Community, Grid, Household, Residency, Resident, Unit
from linli.registry.permissions import (
    REVEAL_PII,
    VIEW_COMMUNITY,
    VIEW_HOUSEHOLD,
    VIEW_PLACES,
    VIEW_RESIDENT,
)

ROOM_RE = re.compile(r"^\s*([0-9A-Za-z]+)\s*[-－—]\s*(\d+)\s*[-－—]\s*([0-9A-Za-z]+)\s*$")


def tag_q(tag: str, today: dt.date | None = None) -> Q:
    """Filter for one tag; derived tags become birth-date ranges."""
    today = today or dates.local_today()
    if tag == Tag.ELDERLY:
        return Q(birth_date__lte=dates.add_months(today, -12 * 60))
    if tag == Tag.OVER_80:
        return Q(birth_date__lte=dates.add_months(today, -12 * 80))
    if tag == Tag.INFANT:
        return Q(birth_date__gt=dates.add_months(today, -12 * 3))
    if tag == Tag.DISABLED:
        return ~Q(disability_level=DisabilityLevel.NONE)
    if tag in RECORDED_TAG_FIELDS:
        return Q(**{RECORDED_TAG_FIELDS[tag]: True})
    return Q(pk__in=[])


def search_q(actor: Actor, text: str) -> Q:
    """What a search box query means: a room code (12-2-301), a full phone or ID number (a
    lookup: only for roles that may reveal, audited, see `lookups`), pinyin initials or full
    pinyin (ASCII letters), or part of a name."""
    q = text.strip()
    if not q:
        return Q()
    room = ROOM_RE.match(q)
    if room:
        building, unit, number = room.groups()
        return Q(
            household__building__number=building,
            household__unit__number=int(unit),
            household__room=number,
        )
    number = lookups.full_number(q)
    if number:
        return Q(pk__in=lookups.resident_lookup_ids(actor, *number))
    digits = q.replace(" ", "").replace("-", "")
    if digits.isdigit() and len(digits) >= 7:
        return Q(pk__in=[])  # an invalid phone number matches nobody
    if q.isascii() and q.replace(" ", "").isalpha():
        letters = q.replace(" ", "").lower()
        return Q(name_initials__startswith=letters) | Q(name_pinyin__startswith=letters)
    return Q(name__contains=q)


@dataclass(frozen=True)
class ResidentFilters:
    q: str = ""
    grid_id: int | None = None
    building_id: int | None = None
    tag: str = ""
    status: str = ResidentStatus.ACTIVE
    community_id: int | None = None


def with_disclosure(actor: Actor, qs: QuerySet[Resident]) -> QuerySet[Resident]:
    """Annotate `reader_may_reveal`: whether the actor sees this row's birth date and the usual
    masks (he may reveal its numbers, or it is his own record) rather than the age and the
    reduced masks (`Resident.shown_*`, docs/permissions.md)."""
    full = scope_q(actor, REVEAL_PII, Resident)
    if actor.resident_id:
        own = Q(pk=actor.resident_id)
        full = own if full is None else full | own
    if full is None:
        return qs.annotate(reader_may_reveal=Value(False, output_field=BooleanField()))
    return qs.annotate(
        reader_may_reveal=Case(
            When(full, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def disclose(actor: Actor, resident: Resident) -> Resident:
    """Set `reader_may_reveal` on one resident loaded without `with_disclosure` (a service's
    result), as that annotation would (one query)."""
    may = resident.pk == actor.resident_id or can(actor, REVEAL_PII, resident)
    setattr(resident, "reader_may_reveal", may)  # noqa: B010 (an annotation's name)
    return resident


def resident_list(actor: Actor, filters: ResidentFilters) -> QuerySet[Resident]:
    qs = with_disclosure(actor, for_actor(actor, VIEW_RESIDENT, Resident.objects.all()))
    if filters.community_id:
        qs = qs.filter(community_id=filters.community_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.grid_id:
        qs = qs.filter(household__building__grid_id=filters.grid_id)
    if filters.building_id:
        qs = qs.filter(household__building_id=filters.building_id)
    if filters.tag:
        qs = qs.filter(tag_q(filters.tag))
    if filters.q:
        qs = qs.filter(search_q(actor, filters.q))
    # Household order (households are registered building by building, so grid by grid): the
    # index resident_comm_status_hh serves it, where ordering by grid sorted every resident.
    return qs.select_related("household__building__grid", "household__unit").order_by(
        "household_id", "id"
    )


# What a row of the residents page shows (its tags read the flags and the birth date).
RESIDENT_ROW_FIELDS = (
    "public_id",
    "name",
    "gender",
    "birth_date",
    "phone_masked",
    "disability_level",
    "is_low_income",
    "is_unemployed",
    "is_land_lost_farmer",
    "is_party_member",
    "is_new_employment_worker",
    "household__public_id",
    "household__room",
    "household__building__number",
    "household__building__grid__name",
    "household__unit__number",
)


def resident_rows(actor: Actor, filters: ResidentFilters) -> QuerySet[Resident]:
    """`resident_list` loading only what a list row shows (a page of 50 residents with their
    households, buildings, grids and units is ~275 model instances)."""
    return resident_list(actor, filters).only(*RESIDENT_ROW_FIELDS)


def resident_pick(actor: Actor, q: str, community_id: int, limit: int = 10) -> list[Resident]:
    """The few residents a form's "pick a resident" search finds (other domains register
    volunteers, riders, members from residents); nothing for actors who may not see residents."""
    q = q.strip()[:50]
    if not q or not has_perm(actor, VIEW_RESIDENT):
        return []
    return list(resident_list(actor, ResidentFilters(q=q, community_id=community_id))[:limit])


def resident_get(actor: Actor, public_id: Any) -> Resident:
    return access(
        actor,
        VIEW_RESIDENT,
        with_disclosure(
            actor,
            Resident.objects.select_related(
                "household__building__grid", "household__unit", "community"
            ),
        ),
        public_id=public_id,
    )


def resident_get_by_pk(actor: Actor, pk: int) -> Resident:
    return access(
        actor,
        VIEW_RESIDENT,
        with_disclosure(
            actor,
            Resident.objects.select_related(
                "household__building__grid", "household__unit", "community"
            ),
        ),
        pk=pk,
    )


def resident_history(actor: Actor, resident: Resident) -> QuerySet[Residency]:
    return (
        for_actor(actor, VIEW_RESIDENT, Residency.objects.filter(resident=resident))
        .select_related("household__building", "household__unit")
        .order_by("moved_in", "id")
    )


def household_get(actor: Actor, public_id: Any) -> Household:
    return access(
        actor,
        VIEW_HOUSEHOLD,
        Household.objects.select_related("building__grid", "unit", "community"),
        public_id=public_id,
    )


def own_household(actor: Actor) -> Household | None:
    """The household a resident actor lives in (None for staff)."""
    if not actor.resident_id:
        return None
    resident = (
        for_actor(actor, VIEW_RESIDENT, Resident.objects.filter(pk=actor.resident_id))
        .select_related("household__building", "household__unit")
        .first()
    )
    return resident.household if resident else None


def household_members(
    actor: Actor, household: Household, *, include_moved_out: bool = False
) -> QuerySet[Resident]:
    qs = with_disclosure(
        actor, for_actor(actor, VIEW_RESIDENT, Resident.objects.filter(household=household))
    )
    if not include_moved_out:
        qs = qs.filter(status=ResidentStatus.ACTIVE)
    return qs.order_by("status", "id")


def household_list(
    actor: Actor, *, unit_id: int | None = None, q: str = "", status: str = HouseholdStatus.ACTIVE
) -> QuerySet[Household]:
    qs = for_actor(actor, VIEW_HOUSEHOLD, Household.objects.all())
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if status:
        qs = qs.filter(status=status)
    if q:
        room = ROOM_RE.match(q)
        if room:
            b, u, r = room.groups()
            qs = qs.filter(building__number=b, unit__number=int(u), room=r)
        else:
            qs = qs.filter(room__startswith=q.strip())
    return (
        qs.select_related("building", "unit")
        .annotate(
            member_count=Count("residents", filter=Q(residents__status=ResidentStatus.ACTIVE))
        )
        .order_by("building_id", "unit__number", "floor", "room")
    )


def resident_names(community_id: int) -> frozenset[str]:
    """Every name the registry holds for a community's residents, past and present, and
    nothing else: what Community 110's anonymiser masks before a resident's words reach the
    public (it needs no actor: it reveals no name, it only hides them)."""
    return frozenset(
        Resident.objects.filter(community_id=community_id).values_list("name", flat=True).distinct()
    )


def community_list(actor: Actor) -> QuerySet[Community]:
    return for_actor(actor, VIEW_COMMUNITY, Community.objects.all()).order_by("name")


def grid_list(actor: Actor, community_id: int | None = None) -> QuerySet[Grid]:
    qs = for_actor(actor, VIEW_PLACES, Grid.objects.all())
    if community_id:
        qs = qs.filter(community_id=community_id)
    return (
        qs.select_related("community")
        .annotate(
            building_count=Count("buildings", distinct=True),
        )
        .order_by("community_id", "number")
    )


def grid_choices(actor: Actor, community_id: int | None = None) -> QuerySet[Grid]:
    """The grids a list page's filter offers (id, number and name, no counts)."""
    qs = for_actor(actor, VIEW_PLACES, Grid.objects.all())
    if community_id:
        qs = qs.filter(community_id=community_id)
    return qs.only("id", "community_id", "number", "name").order_by("community_id", "number")


def grid_get(actor: Actor, grid_id: int) -> Grid:
    return access(actor, VIEW_PLACES, Grid.objects.select_related("community"), pk=grid_id)


def building_list(actor: Actor, grid_id: int) -> QuerySet[Building]:
    return (
        for_actor(actor, VIEW_PLACES, Building.objects.filter(grid_id=grid_id))
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("id")
    )


def building_get(actor: Actor, building_id: int) -> Building:
    return access(
        actor, VIEW_PLACES, Building.objects.select_related("grid", "community"), pk=building_id
    )


def unit_list(actor: Actor, building_id: int) -> QuerySet[Unit]:
    return (
        for_actor(actor, VIEW_PLACES, Unit.objects.filter(building_id=building_id))
        .annotate(
            household_count=Count("households", filter=Q(households__status=HouseholdStatus.ACTIVE))
        )
        .order_by("number")
    )


def unit_get(actor: Actor, unit_id: int) -> Unit:
    return access(actor, VIEW_PLACES, Unit.objects.select_related("building__grid"), pk=unit_id)


@dataclass(frozen=True)
class HeadlineFigures:
    households: int
    residents: int
    grids: int
    buildings: int
    elderly: int
    over_80: int
    infants: int
    disabled: int
    low_income: int
    unemployed: int
    party_members: int


def headline_figures(actor: Actor, community_id: int) -> HeadlineFigures:
    """The community's headline figures, counted inside the actor's scope (a few queries)."""
    today = dates.local_today()
    residents = for_actor(actor, VIEW_RESIDENT, Resident.objects.all()).filter(
        community_id=community_id, status=ResidentStatus.ACTIVE
    )
    r = residents.aggregate(
        total=Count("id"),
        elderly=Count("id", filter=tag_q(Tag.ELDERLY, today)),
        over_80=Count("id", filter=tag_q(Tag.OVER_80, today)),
        infants=Count("id", filter=tag_q(Tag.INFANT, today)),
        disabled=Count("id", filter=tag_q(Tag.DISABLED, today)),
        low_income=Count("id", filter=tag_q(Tag.LOW_INCOME, today)),
        unemployed=Count("id", filter=tag_q(Tag.UNEMPLOYED, today)),
        party=Count("id", filter=tag_q(Tag.PARTY_MEMBER, today)),
    )
    households = (
        for_actor(actor, VIEW_HOUSEHOLD, Household.objects.all())
        .filter(community_id=community_id, status=HouseholdStatus.ACTIVE)
        .count()
    )
    grids = for_actor(actor, VIEW_PLACES, Grid.objects.filter(community_id=community_id)).count()
    buildings = for_actor(
        actor, VIEW_PLACES, Building.objects.filter(community_id=community_id)
    ).count()
    return HeadlineFigures(
        households=households,
        residents=r["total"],
        grids=grids,
        buildings=buildings,
        elderly=r["elderly"],
        over_80=r["over_80"],
        infants=r["infants"],
        disabled=r["disabled"],
        low_income=r["low_income"],
        unemployed=r["unemployed"],
        party_members=r["party"],
    )


# --- one resident, one record (issue 14, B1) ------------------------------------------------


@dataclass(frozen=True)
class ShownPanel:
    """One domain's box on a resident's page, with the context its template renders."""

    key: str
    title: str
    template: str
    context: Mapping[str, Any]


def resident_panels(actor: Actor, resident_id: int) -> list[ShownPanel]:
    """The panels every domain registered (`core.hooks.register_panel`) that the actor may see
    and that have something to show for this resident, in display order. Each panel runs a
    constant number of queries, so the page's count grows with the number of domains only."""
    shown: list[ShownPanel] = []
    for panel in panels_for(actor):
        ctx = panel.context(actor, resident_id)
        if ctx is not None:
            shown.append(ShownPanel(panel.key, str(panel.title), panel.template, ctx))
    return shown
