"""Registry API (`/api/registry/`). Thin: schemas in, selectors/services, schemas out.
Personal fields leave masked; the full value only through the audited reveal endpoint (or to
the resident himself)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from linli.core import dates, pii
from linli.core.api import QueryParam
from linli.core.errors import NotFound, PermissionDenied
from linli.core.permissions import Actor
from linli.core.web import MAX_QUERY_INT, actor_of
from linli.registry import lookups, selectors, services
from linli.registry.choices import MoveReason, ResidentStatus
from linli.registry.models import Household, Resident

router = Router(tags=["registry"])


class CommunityOut(Schema):
    id: int
    public_id: UUID
    name: str
    code: str
    subdistrict: str
    district: str
    city: str


class GridOut(Schema):
    id: int
    community_id: int
    number: int
    name: str
    building_count: int


class BuildingOut(Schema):
    id: int
    grid_id: int
    number: str
    floors: int
    has_elevator: bool
    year_built: int | None
    unit_count: int


class UnitOut(Schema):
    id: int
    building_id: int
    number: int
    household_count: int


class HouseholdOut(Schema):
    public_id: UUID
    address: str
    building_id: int
    unit_id: int
    room: str
    floor: int
    area_m2: Decimal | None
    tenure: str
    status: str
    member_count: int | None = None


class ResidentOut(Schema):
    public_id: UUID
    name: str
    gender: str
    birth_date: dt.date | None = Field(
        description="Null for readers who may not reveal the resident's numbers (see age)"
    )
    age: int
    citizen_id: str = Field(
        description="Masked (first 4 and last 4 kept) for readers who may reveal it, first 4"
        " only for everyone else; in full when the resident reads his own record"
    )
    phone: str = Field(
        description="Masked (first 3 and last 4 kept) for readers who may reveal it, last 4"
        " only for everyone else; in full when the resident reads his own record"
    )
    relation: str
    disability_level: str
    tags: list[str]
    status: str
    household_id: UUID
    address: str
    grid: str
    notes: str


class ResidencyOut(Schema):
    address: str
    moved_in: dt.date | None = Field(
        description="Null for readers who may not reveal the resident's numbers (a child's"
        " move-in date is often his birth date); see moved_in_month"
    )
    moved_in_month: str = Field(description="YYYY-MM")
    move_in_reason: str
    moved_out: dt.date | None
    moved_out_month: str = Field(description="YYYY-MM, or empty while the stay lasts")
    move_out_reason: str


class ResidentDetailOut(ResidentOut):
    history: list[ResidencyOut]


class HouseholdDetailOut(HouseholdOut):
    members: list[ResidentOut]


class ResidentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ResidentOut]


class ResidentIn(Schema):
    name: str
    citizen_id: str = ""
    birth_date: dt.date | None = None
    gender: str = ""
    phone: str = ""
    relation: str
    disability_level: str = ""
    notes: str = ""
    is_low_income: bool = False
    is_unemployed: bool = False
    is_land_lost_farmer: bool = False
    is_party_member: bool = False
    is_new_employment_worker: bool = False


class MoveInIn(ResidentIn):
    moved_in: dt.date | None = None
    move_in_reason: str = MoveReason.OTHER


class ResidentPatch(Schema):
    name: str | None = None
    citizen_id: str | None = None
    birth_date: dt.date | None = None
    gender: str | None = None
    phone: str | None = None
    relation: str | None = None
    disability_level: str | None = None
    notes: str | None = None
    is_low_income: bool | None = None
    is_unemployed: bool | None = None
    is_land_lost_farmer: bool | None = None
    is_party_member: bool | None = None
    is_new_employment_worker: bool | None = None


class MoveOutIn(Schema):
    date: dt.date | None = None
    reason: str
    note: str = ""


class HouseholdIn(Schema):
    unit_id: int = Field(ge=1, le=MAX_QUERY_INT)
    room: str
    floor: int | None = Field(None, ge=1, le=200)
    area_m2: Decimal | None = None
    tenure: str = "owner"
    notes: str = ""


class HouseholdPatch(Schema):
    area_m2: Decimal | None = None
    tenure: str | None = None
    notes: str | None = None


class RevealIn(Schema):
    field: str
    reason: str = ""


class RevealOut(Schema):
    field: str
    value: str


class FiguresOut(Schema):
    community_id: int
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


def _resident_fields(actor: Actor, r: Resident) -> dict[str, Any]:
    own = actor.resident_id == r.pk
    household = r.household
    return {
        "public_id": r.public_id,
        "name": r.name,
        "gender": r.gender,
        "birth_date": r.shown_birth_date,
        "age": r.age,
        "citizen_id": pii.decrypt(r.citizen_id_encrypted) if own else r.shown_citizen_id,
        "phone": pii.decrypt(r.phone_encrypted) if own else r.shown_phone,
        "relation": r.relation,
        "disability_level": r.disability_level,
        "tags": r.tags,
        "status": r.status,
        "household_id": household.public_id,
        "address": household.address,
        "grid": household.building.grid.name,
        "notes": r.notes,
    }


def resident_out(actor: Actor, r: Resident) -> ResidentOut:
    return ResidentOut(**_resident_fields(actor, r))


def _household_fields(h: Household) -> dict[str, Any]:
    return {
        "public_id": h.public_id,
        "address": h.address,
        "building_id": h.building_id,
        "unit_id": h.unit_id,
        "room": h.room,
        "floor": h.floor,
        "area_m2": h.area_m2,
        "tenure": h.tenure,
        "status": h.status,
        "member_count": getattr(h, "member_count", None),
    }


def _household_out(h: Household) -> HouseholdOut:
    return HouseholdOut(**_household_fields(h))


@router.get("/communities", response=list[CommunityOut])
def communities(request: HttpRequest) -> list[CommunityOut]:
    return [CommunityOut.from_orm(c) for c in selectors.community_list(actor_of(request))]


@router.get("/figures/{community_id}", response=FiguresOut)
def figures(request: HttpRequest, community_id: int) -> FiguresOut:
    actor = actor_of(request)
    if not selectors.community_list(actor).filter(pk=community_id).exists():
        raise NotFound(_("Not found."))
    f = selectors.headline_figures(actor, community_id)
    return FiguresOut(community_id=community_id, **f.__dict__)


@router.get("/grids", response=list[GridOut])
def grids(
    request: HttpRequest, community: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT)
) -> list[GridOut]:
    return [GridOut.from_orm(g) for g in selectors.grid_list(actor_of(request), community)]


@router.get("/grids/{grid_id}/buildings", response=list[BuildingOut])
def buildings(request: HttpRequest, grid_id: int) -> list[BuildingOut]:
    actor = actor_of(request)
    selectors.grid_get(actor, grid_id)
    return [BuildingOut.from_orm(b) for b in selectors.building_list(actor, grid_id)]


@router.get("/buildings/{building_id}/units", response=list[UnitOut])
def units(request: HttpRequest, building_id: int) -> list[UnitOut]:
    actor = actor_of(request)
    selectors.building_get(actor, building_id)
    return [UnitOut.from_orm(u) for u in selectors.unit_list(actor, building_id)]


@router.get("/households", response=list[HouseholdOut])
def households(
    request: HttpRequest,
    unit: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    q: str = "",
    status: str = "active",
) -> list[HouseholdOut]:
    rows = selectors.household_list(actor_of(request), unit_id=unit, q=q, status=status)[:500]
    return [_household_out(h) for h in rows]


@router.get("/households/{public_id}", response=HouseholdDetailOut)
def household_detail(request: HttpRequest, public_id: UUID) -> HouseholdDetailOut:
    actor = actor_of(request)
    h = selectors.household_get(actor, public_id)
    members = selectors.household_members(actor, h).select_related(
        "household__building__grid", "household__unit"
    )
    return HouseholdDetailOut(
        **_household_fields(h), members=[resident_out(actor, r) for r in members]
    )


@router.post("/households", response={201: HouseholdOut})
def household_create(request: HttpRequest, payload: HouseholdIn) -> Status[HouseholdOut]:
    h = services.household_create(actor=actor_of(request), **payload.dict())
    return Status(201, _household_out(h))


@router.patch("/households/{public_id}", response=HouseholdOut)
def household_update(
    request: HttpRequest, public_id: UUID, payload: HouseholdPatch
) -> HouseholdOut:
    h = services.household_update(
        actor=actor_of(request),
        household_public_id=public_id,
        **payload.dict(exclude_unset=True),
    )
    return _household_out(h)


@router.post("/households/{public_id}/move-out", response=HouseholdOut)
def household_move_out(request: HttpRequest, public_id: UUID, payload: MoveOutIn) -> HouseholdOut:
    h = services.household_move_out(
        actor=actor_of(request),
        household_public_id=public_id,
        date=payload.date or dates.local_today(),
        reason=payload.reason,
        note=payload.note,
    )
    return _household_out(h)


@router.get("/residents", response=ResidentPage)
def residents(
    request: HttpRequest,
    q: str = "",
    grid: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    building: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    tag: str = "",
    status: str = ResidentStatus.ACTIVE,
    page: int = QueryParam(1, ge=1, le=MAX_QUERY_INT),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> ResidentPage:
    actor = actor_of(request)
    if lookups.full_number(q) and not lookups.may_look_up(actor):
        raise PermissionDenied(
            _(
                "Searching by a full ID number or phone number is only for staff who may see"
                " those numbers."
            ),
            field="q",
        )
    qs = selectors.resident_list(
        actor,
        selectors.ResidentFilters(q=q, grid_id=grid, building_id=building, tag=tag, status=status),
    )
    start = (page - 1) * page_size
    return ResidentPage(
        count=qs.count(),
        page=page,
        page_size=page_size,
        results=[resident_out(actor, r) for r in qs[start : start + page_size]],
    )


@router.get("/residents/{public_id}", response=ResidentDetailOut)
def resident_detail(request: HttpRequest, public_id: UUID) -> ResidentDetailOut:
    actor = actor_of(request)
    r = selectors.resident_get(actor, public_id)
    full = r.disclosure_full
    history = [
        ResidencyOut(
            address=h.household.address,
            moved_in=h.moved_in if full else None,
            moved_in_month=f"{h.moved_in:%Y-%m}",
            move_in_reason=h.move_in_reason,
            moved_out=h.moved_out if full else None,
            moved_out_month=f"{h.moved_out:%Y-%m}" if h.moved_out else "",
            move_out_reason=h.move_out_reason,
        )
        for h in selectors.resident_history(actor, r)
    ]
    return ResidentDetailOut(**_resident_fields(actor, r), history=history)


def _clean(payload: ResidentIn | dict[str, Any]) -> services.ResidentData:
    return services.clean_resident_input(payload if isinstance(payload, dict) else payload.dict())


@router.post("/households/{public_id}/residents", response={201: ResidentOut})
def resident_move_in(
    request: HttpRequest, public_id: UUID, payload: MoveInIn
) -> Status[ResidentOut]:
    actor = actor_of(request)
    r = services.resident_create(
        actor=actor,
        household_public_id=public_id,
        data=_clean(payload),
        moved_in=payload.moved_in,
        move_in_reason=payload.move_in_reason,
    )
    return Status(201, resident_out(actor, selectors.disclose(actor, r)))


@router.patch("/residents/{public_id}", response=ResidentOut)
def resident_update(request: HttpRequest, public_id: UUID, payload: ResidentPatch) -> ResidentOut:
    actor = actor_of(request)
    current = selectors.resident_get(actor, public_id)
    merged = services.resident_input_from(current)
    merged.update(payload.dict(exclude_unset=True))
    r = services.resident_update(actor=actor, resident_public_id=public_id, data=_clean(merged))
    return resident_out(actor, selectors.disclose(actor, r))


@router.post("/residents/{public_id}/move-out", response=ResidentOut)
def resident_move_out(request: HttpRequest, public_id: UUID, payload: MoveOutIn) -> ResidentOut:
    actor = actor_of(request)
    r = services.resident_move_out(
        actor=actor,
        resident_public_id=public_id,
        date=payload.date or dates.local_today(),
        reason=payload.reason,
        note=payload.note,
    )
    return resident_out(actor, selectors.disclose(actor, r))


@router.post("/residents/{public_id}/reveal", response=RevealOut)
def resident_reveal(request: HttpRequest, public_id: UUID, payload: RevealIn) -> RevealOut:
    value = services.resident_reveal(
        actor=actor_of(request),
        resident_public_id=public_id,
        field=payload.field,
        reason=payload.reason,
    )
    return RevealOut(field=payload.field, value=value)
