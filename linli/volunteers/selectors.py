"""Reads of volunteering and points. Every selector starts from the actor's scope; the portal's
selectors narrow further to the signed-in resident himself (a household grant would reach his
family too, and a volunteer sees only his own ledger)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.errors import NotFound
from linli.core.permissions import Actor, access, communities_for, for_actor, has_perm
from linli.volunteers.choices import (
    EARNING_KINDS,
    ActivityStatus,
    OrgStage,
    RedemptionStatus,
    SignupStatus,
    TeamKind,
    VolunteerStatus,
)
from linli.volunteers.models import (
    Activity,
    PointsAccount,
    PointsEntry,
    Redemption,
    Signup,
    SocialOrganisation,
    StoreItem,
    Team,
    Volunteer,
)
from linli.volunteers.permissions import (
    MANAGE,
    PORTAL,
    RUN_ACTIVITIES,
    STORE_COUNTER,
    VIEW,
    VIEW_LEDGER,
    VIEW_VOLUNTEERS,
)


def visible_community_ids(actor: Actor) -> list[int]:
    """Communities whose organisations, activities and store the actor may look at (staff
    through `view`, residents through the portal)."""
    return sorted({*communities_for(actor, VIEW), *communities_for(actor, PORTAL)})


def may_browse(actor: Actor) -> bool:
    return has_perm(actor, VIEW) or has_perm(actor, PORTAL)


def manageable_activities(actor: Actor) -> QuerySet[Activity]:
    """Activities whose participants the actor may see and check in: any in the community for
    the admin, only those he organises for Party organisers and team leaders."""
    managed = for_actor(actor, MANAGE, Activity.objects.all())
    own = for_actor(actor, RUN_ACTIVITIES, Activity.objects.all()).filter(
        organiser_id=actor.user_id or 0
    )
    return managed | own


# ---------------------------------------------------------------- organisations and teams


def organisation_list(
    actor: Actor, *, stage: str = "", org_type: str = ""
) -> QuerySet[SocialOrganisation]:
    qs = for_actor(actor, VIEW, SocialOrganisation.objects.all())
    if stage:
        qs = qs.filter(stage=stage)
    if org_type:
        qs = qs.filter(org_type=org_type)
    return (
        qs.select_related("leader")
        .annotate(
            member_count=Count("members", distinct=True),
            team_count=Count("teams", distinct=True),
        )
        .order_by("community_id", "name")
    )


@dataclass(frozen=True)
class BoardColumn:
    stage: str
    label: str
    organisations: list[SocialOrganisation]


def incubation_board(actor: Actor, *, org_type: str = "") -> list[BoardColumn]:
    """The pipeline as columns, one per stage (one query)."""
    by_stage: dict[str, list[SocialOrganisation]] = {s: [] for s in OrgStage.values}
    for org in organisation_list(actor, org_type=org_type):
        by_stage[org.stage].append(org)
    return [BoardColumn(s.value, str(s.label), by_stage[s.value]) for s in OrgStage]


def organisation_get(actor: Actor, organisation_id: int) -> SocialOrganisation:
    return access(
        actor, VIEW, SocialOrganisation.objects.select_related("leader"), pk=organisation_id
    )


def team_list(actor: Actor, *, kind: str = "") -> QuerySet[Team]:
    qs = for_actor(actor, VIEW, Team.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("organisation", "leader")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("kind", "name")
    )


def team_get(actor: Actor, team_id: int) -> Team:
    return access(actor, VIEW, Team.objects.select_related("organisation", "leader"), pk=team_id)


@dataclass(frozen=True)
class Overview:
    organisations: int
    registered_organisations: int
    service_teams: int
    cultural_teams: int
    volunteers: int
    hours_this_year: Decimal
    activities_this_year: int
    points_balance: int


def overview(actor: Actor, community_id: int, today: dt.date | None = None) -> Overview:
    """The headline figures of R6 for one community (a handful of queries)."""
    today = today or dates.local_today()
    orgs = for_actor(actor, VIEW, SocialOrganisation.objects.filter(community_id=community_id))
    org_counts = orgs.aggregate(
        total=Count("id", filter=~Q(stage=OrgStage.WITHDRAWN)),
        registered=Count("id", filter=Q(stage__in=[OrgStage.REGISTERED, OrgStage.GRADUATED])),
    )
    teams = for_actor(actor, VIEW, Team.objects.filter(community_id=community_id)).aggregate(
        service=Count("id", filter=Q(kind=TeamKind.SERVICE)),
        cultural=Count("id", filter=Q(kind=TeamKind.CULTURAL)),
    )
    year_start = dates.day_start(today.replace(month=1, day=1))
    volunteers = Volunteer.objects.filter(
        community_id=community_id, status=VolunteerStatus.ACTIVE
    ).count()
    hours = Signup.objects.filter(
        activity__community_id=community_id,
        status=SignupStatus.CONFIRMED,
        confirmed_at__gte=year_start,
    ).aggregate(h=Sum("hours"))["h"] or Decimal(0)
    activities = for_actor(
        actor,
        VIEW,
        Activity.objects.filter(community_id=community_id, starts_at__gte=year_start),
    ).count()
    balance = (
        PointsAccount.objects.filter(community_id=community_id).aggregate(b=Sum("balance"))["b"]
        or 0
    )
    return Overview(
        organisations=org_counts["total"],
        registered_organisations=org_counts["registered"],
        service_teams=teams["service"],
        cultural_teams=teams["cultural"],
        volunteers=volunteers,
        hours_this_year=hours,
        activities_this_year=activities,
        points_balance=balance,
    )


# ---------------------------------------------------------------- volunteers


def volunteer_list(
    actor: Actor, *, q: str = "", status: str = VolunteerStatus.ACTIVE, team_id: int | None = None
) -> QuerySet[Volunteer]:
    qs = for_actor(actor, VIEW_VOLUNTEERS, Volunteer.objects.all())
    if status:
        qs = qs.filter(status=status)
    if team_id:
        qs = qs.filter(teams__id=team_id)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(number__icontains=q) | Q(skills__contains=q))
    return qs.select_related("resident", "account").order_by("number")


def volunteer_get(actor: Actor, public_id: Any) -> Volunteer:
    """A volunteer's record: staff who may see volunteers, or the volunteer himself."""
    base = Volunteer.objects.select_related("resident__household__building", "account")
    if has_perm(actor, VIEW_VOLUNTEERS):
        found = for_actor(actor, VIEW_VOLUNTEERS, base).filter(public_id=public_id).first()
        if found:
            return found
    return access(
        actor, PORTAL, base.filter(resident_id=actor.resident_id or 0), public_id=public_id
    )


def volunteer_for_resident(actor: Actor) -> Volunteer | None:
    """The signed-in resident's own volunteer record (never a household member's)."""
    if not actor.resident_id:
        return None
    return (
        for_actor(actor, PORTAL, Volunteer.objects.all())
        .filter(resident_id=actor.resident_id)
        .first()
    )


def service_records(volunteer: Volunteer) -> QuerySet[Signup]:
    """Confirmed services with time, place, content and hours (for the record and certificate);
    callers have already loaded `volunteer` through a scoped selector."""
    return (
        Signup.objects.filter(volunteer=volunteer, status=SignupStatus.CONFIRMED)
        .select_related("activity__team", "activity__organisation")
        .order_by("-activity__starts_at")
    )


# ---------------------------------------------------------------- activities


def activity_list(
    actor: Actor,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    status: str = "",
) -> QuerySet[Activity]:
    qs = Activity.objects.filter(community_id__in=visible_community_ids(actor))
    if since:
        qs = qs.filter(starts_at__gte=since)
    if until:
        qs = qs.filter(starts_at__lt=until)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("team", "organisation").order_by("starts_at", "id")


def activity_get(actor: Actor, activity_id: int) -> Activity:
    found = (
        Activity.objects.filter(pk=activity_id, community_id__in=visible_community_ids(actor))
        .select_related("team", "organisation", "organiser")
        .first()
    )
    if found is None:
        raise NotFound(_("Not found."))
    return found


def may_run(actor: Actor, activity: Activity) -> bool:
    """Whether the actor sees this activity's participants and checks them in."""
    if not (has_perm(actor, MANAGE) or has_perm(actor, RUN_ACTIVITIES)):
        return False
    return manageable_activities(actor).filter(pk=activity.pk).exists()


def participants(actor: Actor, activity: Activity) -> QuerySet[Signup]:
    """The activity's sign-ups, for its organiser or the community admin only."""
    if not may_run(actor, activity):
        raise NotFound(_("Not found."))
    return (
        Signup.objects.filter(activity=activity)
        .exclude(status=SignupStatus.CANCELLED)
        .select_related("volunteer", "resident")
        .order_by("status", "created_at", "id")
    )


def signup_for_resident(actor: Actor, activity: Activity) -> Signup | None:
    """The signed-in resident's live place at `activity` (as a volunteer or as a resident)."""
    if not actor.resident_id:
        return None
    return (
        for_actor(actor, PORTAL, Signup.objects.all())
        .filter(activity=activity, resident_id=actor.resident_id)
        .exclude(status=SignupStatus.CANCELLED)
        .first()
    )


def signups_for_resident(actor: Actor) -> QuerySet[Signup]:
    """The signed-in resident's own places at activities of either kind."""
    if not actor.resident_id:
        return Signup.objects.none()
    return (
        for_actor(actor, PORTAL, Signup.objects.all())
        .filter(resident_id=actor.resident_id)
        .select_related("activity")
        .order_by("-activity__starts_at")
    )


def runs_any(actor: Actor) -> bool:
    return has_perm(actor, MANAGE) or has_perm(actor, RUN_ACTIVITIES)


def signup_get(actor: Actor, public_id: Any) -> Signup:
    """A sign-up for whoever runs its activity or for the volunteer himself."""
    base = Signup.objects.select_related("activity", "volunteer", "resident")
    found = (
        base.filter(activity__in=manageable_activities(actor)).filter(public_id=public_id).first()
    )
    if found:
        return found
    return access(
        actor,
        PORTAL,
        base.filter(resident_id=actor.resident_id or 0),
        public_id=public_id,
    )


def signup_run(actor: Actor, public_id: Any) -> Signup:
    """A sign-up of an activity the actor runs (organiser or community admin)."""
    signup = signup_get(actor, public_id)
    if not may_run(actor, signup.activity):
        raise NotFound(_("Not found."))
    return signup


def my_organised(actor: Actor, *, since: dt.datetime | None = None) -> QuerySet[Activity]:
    qs = manageable_activities(actor)
    if since:
        qs = qs.filter(ends_at__gte=since)
    return qs.exclude(status=ActivityStatus.CANCELLED).order_by("starts_at")


# ---------------------------------------------------------------- points


def account_for_resident(actor: Actor) -> PointsAccount | None:
    if not actor.resident_id:
        return None
    return (
        for_actor(actor, PORTAL, PointsAccount.objects.all())
        .filter(resident_id=actor.resident_id)
        .first()
    )


def entries_for_resident(actor: Actor) -> QuerySet[PointsEntry]:
    account = account_for_resident(actor)
    if account is None:
        return PointsEntry.objects.none()
    return PointsEntry.objects.filter(account=account).order_by("-created_at", "-id")


def redemptions_for_resident(actor: Actor) -> QuerySet[Redemption]:
    account = account_for_resident(actor)
    if account is None:
        return Redemption.objects.none()
    return Redemption.objects.filter(account=account).select_related("item")


def account_get(actor: Actor, account_id: int) -> PointsAccount:
    return access(actor, VIEW_LEDGER, PointsAccount.objects.all(), pk=account_id)


def account_entries(actor: Actor, account: PointsAccount) -> QuerySet[PointsEntry]:
    return for_actor(actor, VIEW_LEDGER, PointsEntry.objects.filter(account=account)).order_by(
        "-created_at", "-id"
    )


def mask_name(name: str) -> str:
    """张晓明 → 张*明, 张晓 → 张*: how people who may not see volunteer records read their
    neighbours' names."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def leader_name(actor: Actor, community_id: int, name: str) -> str:
    """A name as the leaderboard shows it to `actor`: in full for those who may see the
    community's volunteer records, masked for everyone else (page, API and export alike)."""
    if community_id in communities_for(actor, VIEW_VOLUNTEERS):
        return name
    return mask_name(name)


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    name: str
    account_id: int
    value: Decimal | int


def leaderboard(
    actor: Actor, *, community_id: int, month: dt.date, by: str = "points", limit: int = 20
) -> list[LeaderRow]:
    """The month's top volunteers by points earned or hours confirmed: one grouped query,
    whatever the number of volunteers and entries. Names come as `leader_name` shows them."""
    if community_id not in visible_community_ids(actor):
        raise NotFound(_("Not found."))
    start, end = dates.month_bounds(month)
    if by == "hours":
        hours = (
            Signup.objects.filter(
                activity__community_id=community_id,
                status=SignupStatus.CONFIRMED,
                confirmed_at__gte=start,
                confirmed_at__lt=end,
            )
            .values("volunteer__account_id", "volunteer__name")
            .annotate(total=Sum("hours"))
            .order_by("-total", "volunteer__account_id")[:limit]
        )
        return [
            LeaderRow(
                i + 1,
                leader_name(actor, community_id, r["volunteer__name"]),
                r["volunteer__account_id"],
                r["total"],
            )
            for i, r in enumerate(hours)
        ]
    rows = (
        PointsEntry.objects.filter(
            community_id=community_id,
            kind__in=EARNING_KINDS,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values("account_id", "account__name")
        .annotate(total=Sum("points"))
        .order_by("-total", "account_id")[:limit]
    )
    return [
        LeaderRow(
            i + 1, leader_name(actor, community_id, r["account__name"]), r["account_id"], r["total"]
        )
        for i, r in enumerate(rows)
    ]


# ---------------------------------------------------------------- the store


def store_items(actor: Actor, *, include_inactive: bool = False) -> QuerySet[StoreItem]:
    qs = StoreItem.objects.filter(community_id__in=visible_community_ids(actor))
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.order_by("price", "id")


def store_item_get(actor: Actor, item_id: int) -> StoreItem:
    return access(actor, MANAGE, StoreItem.objects.all(), pk=item_id)


def store_item_offered(actor: Actor, item_id: int) -> StoreItem:
    """An item on offer in a store the resident may use."""
    found = StoreItem.objects.filter(
        pk=item_id, community_id__in=communities_for(actor, PORTAL), active=True
    ).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def redemption_get(actor: Actor, public_id: Any) -> Redemption:
    """A redemption for its owner (portal) or for staff at the store counter."""
    base = Redemption.objects.select_related("item", "account")
    if has_perm(actor, STORE_COUNTER):
        found = for_actor(actor, STORE_COUNTER, base).filter(public_id=public_id).first()
        if found:
            return found
    return access(
        actor, PORTAL, base.filter(account__resident_id=actor.resident_id or 0), public_id=public_id
    )


def counter_redemption(actor: Actor, code: str) -> Redemption | None:
    """The open redemption with this pickup code, for staff at the counter."""
    code = (code or "").strip()
    if not code:
        return None
    return (
        for_actor(actor, STORE_COUNTER, Redemption.objects.select_related("item", "account"))
        .filter(pickup_code=code, status=RedemptionStatus.RESERVED)
        .first()
    )


def counter_recent(actor: Actor, limit: int = 20) -> QuerySet[Redemption]:
    return for_actor(
        actor, STORE_COUNTER, Redemption.objects.select_related("item", "account")
    ).order_by("-created_at", "-id")[:limit]
