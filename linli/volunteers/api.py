"""Volunteers API (`/api/volunteers/`). Thin: schemas in, selectors/services, schemas out.
Phones leave masked; a resident reads only his own points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from linli.core import dates
from linli.core.api import QueryParam
from linli.core.errors import NotFound
from linli.core.web import acting_community, actor_of, require_perm
from linli.volunteers import points, selectors, services
from linli.volunteers.models import (
    Activity,
    PointsEntry,
    Redemption,
    Signup,
    SocialOrganisation,
    StoreItem,
    Team,
    Volunteer,
)
from linli.volunteers.permissions import MANAGE, PORTAL, RUN_ACTIVITIES, VIEW, VIEW_VOLUNTEERS

# Pages beyond this are malformed input (a 422), not a database overflow.
MAX_PAGE = 100_000

router = Router(tags=["volunteers"])


class OrganisationOut(Schema):
    id: int
    name: str
    org_type: str
    stage: str
    applied_on: dt.date
    incubating_on: dt.date | None
    registered_on: dt.date | None
    graduated_on: dt.date | None
    withdrawn_on: dt.date | None
    guiding_party_org: str
    member_count: int | None = None
    team_count: int | None = None


class AdvanceIn(Schema):
    to_stage: str
    on: dt.date | None = None


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    organisation_id: int | None
    member_count: int


class VolunteerOut(Schema):
    public_id: UUID
    number: str
    name: str
    gender: str
    phone: str
    from_registry: bool
    skills: str
    availability: str
    status: str
    joined_on: dt.date
    hours_total: Decimal

    @staticmethod
    def resolve_phone(obj: Volunteer) -> str:
        return (obj.resident.phone_masked if obj.resident else obj.phone_masked) or ""

    @staticmethod
    def resolve_from_registry(obj: Volunteer) -> bool:
        return obj.resident_id is not None


class VolunteerIn(Schema):
    resident_public_id: UUID | None = None
    name: str = ""
    phone: str = ""
    skills: str = ""
    availability: str = ""


class ActivityOut(Schema):
    id: int
    title: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    seats_taken: int
    status: str
    host: str
    team_id: int | None
    organisation_id: int | None


class ActivityIn(Schema):
    title: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int = Field(..., ge=1)
    description: str = ""
    team_id: int | None = None
    organisation_id: int | None = None
    hours_cap: Decimal | None = None


class SignupOut(Schema):
    public_id: UUID
    activity_id: int
    volunteer: str
    status: str
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    hours: Decimal | None

    @staticmethod
    def resolve_volunteer(obj: Signup) -> str:
        return obj.person_name


class ConfirmIn(Schema):
    hours: Decimal | None = None


class EntryOut(Schema):
    kind: str
    points: int
    balance_after: int
    reason: str
    expires_at: dt.datetime | None
    created_at: dt.datetime


class PointsOut(Schema):
    balance: int
    hours_total: Decimal
    entries: list[EntryOut]


class AdjustIn(Schema):
    points: int
    reason: str


class ItemOut(Schema):
    id: int
    name: str
    description: str
    price: int
    stock: int
    per_person_limit: int | None


class RedeemIn(Schema):
    quantity: int = 1


class RedemptionOut(Schema):
    public_id: UUID
    item: str
    quantity: int
    points: int
    status: str
    pickup_code: str
    created_at: dt.datetime

    @staticmethod
    def resolve_item(obj: Redemption) -> str:
        return obj.item.name


class PickupIn(Schema):
    code: str


class LeaderOut(Schema):
    rank: int
    name: str
    value: Decimal


# ---------------------------------------------------------------- organisations and teams


@router.get("/organisations", response=list[OrganisationOut])
def organisations(
    request: HttpRequest, stage: str = "", org_type: str = ""
) -> list[SocialOrganisation]:
    return list(selectors.organisation_list(actor_of(request), stage=stage, org_type=org_type))


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisation(request: HttpRequest, organisation_id: int) -> SocialOrganisation:
    return selectors.organisation_get(actor_of(request), organisation_id)


@router.post("/organisations/{organisation_id}/advance", response=OrganisationOut)
def organisation_advance(
    request: HttpRequest, organisation_id: int, data: AdvanceIn
) -> SocialOrganisation:
    return services.organisation_advance(
        actor=actor_of(request), organisation_id=organisation_id, to_stage=data.to_stage, on=data.on
    )


@router.get("/teams", response=list[TeamOut])
def teams(request: HttpRequest, kind: str = "") -> list[Team]:
    return list(selectors.team_list(actor_of(request), kind=kind))


# ---------------------------------------------------------------- volunteers


@router.get("/volunteers", response=list[VolunteerOut])
def volunteers(
    request: HttpRequest,
    q: str = "",
    status: str = "active",
    page: int = QueryParam(1, ge=1, le=MAX_PAGE),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> list[Volunteer]:
    actor = actor_of(request)
    require_perm(actor, VIEW_VOLUNTEERS)
    start = (page - 1) * page_size
    return list(selectors.volunteer_list(actor, q=q, status=status)[start : start + page_size])


@router.get("/volunteers/{public_id}", response=VolunteerOut)
def volunteer(request: HttpRequest, public_id: UUID) -> Volunteer:
    return selectors.volunteer_get(actor_of(request), public_id)


@router.post("/volunteers", response={201: VolunteerOut})
def volunteer_register(request: HttpRequest, data: VolunteerIn) -> Status[Volunteer]:
    actor = actor_of(request)
    return Status(
        201,
        services.volunteer_register(
            actor=actor,
            community_id=acting_community(actor, MANAGE),
            resident_public_id=data.resident_public_id,
            name=data.name,
            phone=data.phone,
            skills=data.skills,
            availability=data.availability,
        ),
    )


# ---------------------------------------------------------------- activities


@router.get("/activities", response=list[ActivityOut])
def activities(
    request: HttpRequest, since: dt.date | None = None, until: dt.date | None = None
) -> list[Activity]:
    actor = actor_of(request)
    require_perm(actor, VIEW, PORTAL)
    since_at = dates.day_start(since) if since else None
    until_at = dates.day_start(until) if until else None
    return list(selectors.activity_list(actor, since=since_at, until=until_at)[:500])


@router.post("/activities", response={201: ActivityOut})
def activity_create(request: HttpRequest, data: ActivityIn) -> Status[Activity]:
    actor = actor_of(request)
    community_id = acting_community(actor, RUN_ACTIVITIES)
    return Status(
        201,
        services.activity_create(actor=actor, community_id=community_id, **data.model_dump()),
    )


@router.get("/activities/{activity_id}/participants", response=list[SignupOut])
def participants(request: HttpRequest, activity_id: int) -> list[Signup]:
    actor = actor_of(request)
    activity = selectors.activity_get(actor, activity_id)
    return list(selectors.participants(actor, activity))


@router.post("/activities/{activity_id}/signup", response={201: SignupOut})
def signup(
    request: HttpRequest, activity_id: int, register_as_volunteer: bool = False
) -> Status[Signup]:
    """Take a place. At a volunteer activity a resident who is not a volunteer gets 400
    `not_a_volunteer` unless he asks to be registered (`?register_as_volunteer=true`)."""
    return Status(
        201,
        services.activity_signup(
            actor=actor_of(request),
            activity_id=activity_id,
            register_as_volunteer=register_as_volunteer,
        ),
    )


@router.post("/signups/{public_id}/cancel", response=SignupOut)
def signup_cancel(request: HttpRequest, public_id: UUID) -> Signup:
    return services.signup_cancel(actor=actor_of(request), signup_public_id=public_id)


@router.post("/signups/{public_id}/check-in", response=SignupOut)
def check_in(request: HttpRequest, public_id: UUID) -> Signup:
    return services.signup_check_in(actor=actor_of(request), signup_public_id=public_id)


@router.post("/signups/{public_id}/check-out", response=SignupOut)
def check_out(request: HttpRequest, public_id: UUID) -> Signup:
    return services.signup_check_out(actor=actor_of(request), signup_public_id=public_id)


@router.post("/signups/{public_id}/confirm", response=SignupOut)
def confirm(request: HttpRequest, public_id: UUID, data: ConfirmIn) -> Signup:
    return services.signup_confirm(
        actor=actor_of(request), signup_public_id=public_id, hours=data.hours
    )


# ---------------------------------------------------------------- points


@router.get("/me/points", response=PointsOut)
def my_points(request: HttpRequest, limit: int = QueryParam(50, ge=1, le=500)) -> dict[str, object]:
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    account = selectors.account_for_resident(actor)
    volunteer = selectors.volunteer_for_resident(actor)
    return {
        "balance": account.balance if account else 0,
        "hours_total": volunteer.hours_total if volunteer else Decimal(0),
        "entries": list(selectors.entries_for_resident(actor)[:limit]),
    }


@router.get("/me/redemptions", response=list[RedemptionOut])
def my_redemptions(request: HttpRequest) -> list[Redemption]:
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    return list(selectors.redemptions_for_resident(actor)[:100])


@router.get("/accounts/{account_id}/entries", response=list[EntryOut])
def account_entries(
    request: HttpRequest,
    account_id: int,
    page: int = QueryParam(1, ge=1, le=MAX_PAGE),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> list[PointsEntry]:
    actor = actor_of(request)
    account = selectors.account_get(actor, account_id)
    start = (page - 1) * page_size
    return list(selectors.account_entries(actor, account)[start : start + page_size])


@router.post("/accounts/{account_id}/adjust", response=EntryOut)
def account_adjust(request: HttpRequest, account_id: int, data: AdjustIn) -> PointsEntry:
    return points.points_adjust(
        actor=actor_of(request), account_id=account_id, points=data.points, reason=data.reason
    )


@router.get("/leaderboard", response=list[LeaderOut])
def leaderboard(
    request: HttpRequest,
    month: str = "",
    by: str = "points",
    limit: int = QueryParam(20, ge=1, le=100),
) -> list[selectors.LeaderRow]:
    actor = actor_of(request)
    ids = selectors.visible_community_ids(actor)
    if not ids:
        raise NotFound(_("Not found."))
    day = dates.parse_month(month) or dates.this_month()
    return selectors.leaderboard(
        actor,
        community_id=ids[0],
        month=day,
        by="hours" if by == "hours" else "points",
        limit=limit,
    )


# ---------------------------------------------------------------- the store


@router.get("/store/items", response=list[ItemOut])
def store_items(request: HttpRequest) -> list[StoreItem]:
    actor = actor_of(request)
    require_perm(actor, VIEW, PORTAL)
    return list(selectors.store_items(actor))


@router.post("/store/items/{item_id}/redeem", response={201: RedemptionOut})
def redeem(request: HttpRequest, item_id: int, data: RedeemIn) -> Status[Redemption]:
    return Status(
        201, points.points_redeem(actor=actor_of(request), item_id=item_id, quantity=data.quantity)
    )


@router.post("/redemptions/{public_id}/cancel", response=RedemptionOut)
def redemption_cancel(request: HttpRequest, public_id: UUID) -> Redemption:
    return points.redemption_cancel(actor=actor_of(request), redemption_public_id=public_id)


@router.post("/redemptions/pickup", response=RedemptionOut)
def redemption_pickup(request: HttpRequest, data: PickupIn) -> Redemption:
    return points.redemption_pickup(actor=actor_of(request), code=data.code)
