"""Reads about accounts: above all, turning a user into the `Actor` the engine understands, and
the staff lookups other apps need (who works a grid, who staffs a community). Other apps read
role assignments only through these functions, never through `RoleAssignment.objects`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from linli.accounts.models import ApiToken, RoleAssignment, ServiceAccount, User
from linli.accounts.permissions import (
    ISSUE_INVITATION,
    MANAGE_SERVICE_ACCOUNTS,
    USE_API_TOKENS,
)
from linli.core.permissions import (
    ANONYMOUS,
    Actor,
    Grant,
    access,
    communities_for,
    for_actor,
    has_perm,
    scope_q,
)
from linli.core.roles import ROLE_REACH, Reach, Role
from linli.registry.choices import HouseholdStatus, ResidentStatus
from linli.registry.models import Community, Household, Resident

# Where `user_with_assignments` leaves a user's role assignments on the user it loads.
ASSIGNMENTS_ATTRIBUTE = "_linli_assignments"


def _assignment_rows() -> QuerySet[RoleAssignment]:
    """Role assignments with, in the same query, the community of each grid and household
    and whether the user's resident is an active member of that household."""
    return RoleAssignment.objects.annotate(
        grid_community_id=F("grid__community_id"),
        household_community_id=F("household__community_id"),
        lives_there=Exists(
            Resident.objects.filter(
                pk=OuterRef("user__resident_id"),
                household_id=OuterRef("household_id"),
                status=ResidentStatus.ACTIVE,
            )
        ),
    )


def user_with_assignments(user_id: Any) -> User | None:
    """The user with this id and his role assignments, in one query when he holds any (a
    request's sign-in: `LinliBackend.get_user`); `actor_for_user` then needs no query."""
    rows = list(_assignment_rows().filter(user_id=user_id).select_related("user"))
    user = rows[0].user if rows else User.objects.filter(pk=user_id).first()
    if user is None:
        return None
    for row in rows:
        row.user = user
    setattr(user, ASSIGNMENTS_ATTRIBUTE, rows)
    return user


def _assignments(user: User) -> list[RoleAssignment]:
    loaded: list[RoleAssignment] | None = getattr(user, ASSIGNMENTS_ATTRIBUTE, None)
    if loaded is not None:
        return loaded
    return list(_assignment_rows().filter(user=user))


def actor_for_user(user: User | AnonymousUser) -> Actor:
    """Resolve every role assignment of `user` into grants (one query, none when the sign-in
    loaded them; one more for a viewer over a subdistrict or district). A
    household grant counts only while the user's resident is an active member of that
    household (the registry's move-out marks him moved out in the transaction that closes his
    residency): a member who moved out loses the household even if his role row were left
    behind."""
    if not user.is_authenticated:
        return ANONYMOUS
    assert isinstance(user, User)
    assignments = _assignments(user)
    # the annotations of `_assignment_rows`
    grid_community = {a.grid_id: a.grid_community_id for a in assignments if a.grid_id}  # type: ignore[attr-defined]
    household_community = {
        a.household_id: a.household_community_id  # type: ignore[attr-defined]
        for a in assignments
        if a.household_id and a.lives_there  # type: ignore[attr-defined]
    }
    subdistricts = {(a.subdistrict, a.district) for a in assignments if a.subdistrict}
    districts = {
        a.district for a in assignments if ROLE_REACH[a.role] == Reach.DISTRICT and a.district
    }
    sub_communities: dict[tuple[str, str], set[int]] = defaultdict(set)
    district_communities: dict[str, set[int]] = defaultdict(set)
    if subdistricts or districts:
        for cid, sub, dist in Community.objects.values_list("id", "subdistrict", "district"):
            if (sub, dist) in subdistricts:
                sub_communities[(sub, dist)].add(cid)
            if dist in districts:
                district_communities[dist].add(cid)

    # Grid workers holding several grids get one grant for all of them.
    grid_grants: dict[str, set[int]] = defaultdict(set)
    grants: list[Grant] = []
    for a in assignments:
        reach = ROLE_REACH[a.role]
        if reach == Reach.GRID and a.grid_id:
            grid_grants[a.role].add(a.grid_id)
        elif reach == Reach.HOUSEHOLD and a.household_id:
            if a.household_id not in household_community:
                continue  # he no longer lives there
            grants.append(
                Grant(
                    role=a.role,
                    community_ids=frozenset({household_community[a.household_id]}),
                    household_id=a.household_id,
                    resident_id=user.resident_id,
                )
            )
        elif reach == Reach.SUBDISTRICT:
            grants.append(
                Grant(
                    role=a.role,
                    community_ids=frozenset(sub_communities[(a.subdistrict, a.district)]),
                )
            )
        elif reach == Reach.DISTRICT:
            grants.append(
                Grant(role=a.role, community_ids=frozenset(district_communities[a.district]))
            )
        elif a.community_id:
            grants.append(Grant(role=a.role, community_ids=frozenset({a.community_id})))
    for role, ids in grid_grants.items():
        grants.append(
            Grant(
                role=role,
                community_ids=frozenset(grid_community[i] for i in ids),
                grid_ids=frozenset(ids),
            )
        )
    return Actor(
        user_id=user.pk,
        label=str(user),
        grants=tuple(grants),
        is_superuser=user.is_superuser,
    )


@dataclass(frozen=True)
class StaffContact:
    """A staff member as a card or a roster shows him: his name and his **work** phone only."""

    user_id: int
    name: str
    work_phone: str


def _label(assignment: RoleAssignment) -> str:
    return f"{assignment.user} · {assignment.get_role_display()}"


def actor_for_active_user_id(user_id: int | None) -> Actor | None:
    """The actor of an active user (None when absent or deactivated): for checking whether a
    person picked by id (a new assignee, a duty officer) could do the work."""
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return actor_for_user(user) if user is not None else None


def staff_contact(user_id: int | None) -> StaffContact | None:
    """A staff member's name and work phone, for notifications (None when absent)."""
    if not user_id:
        return None
    user = User.objects.filter(pk=user_id).only("username", "display_name", "work_phone").first()
    if user is None:
        return None
    return StaffContact(user_id=user.pk, name=str(user), work_phone=user.work_phone)


def grid_worker_assignments(grid_id: int) -> QuerySet[RoleAssignment]:
    """The active grid workers' assignments to `grid_id` (unordered: for a routing query)."""
    return RoleAssignment.objects.filter(
        role=Role.GRID_WORKER, grid_id=grid_id, user__is_active=True
    ).order_by()


def community_admin_assignments(community_id: int) -> QuerySet[RoleAssignment]:
    """The active community admins' assignments to `community_id` (unordered)."""
    return RoleAssignment.objects.filter(
        role=Role.COMMUNITY_ADMIN, community_id=community_id, user__is_active=True
    ).order_by()


def first_grid_worker_id(grid_id: int) -> int | None:
    """The active grid worker of `grid_id` who was assigned first (None: the grid has none)."""
    user_id = (
        RoleAssignment.objects.filter(role=Role.GRID_WORKER, grid_id=grid_id, user__is_active=True)
        .order_by("id")
        .values_list("user_id", flat=True)
        .first()
    )
    return int(user_id) if user_id is not None else None


def household_user_ids(household_id: int) -> tuple[int, ...]:
    """The active accounts of one household's residents (whom a message to the household
    reaches, e.g. a follow-up questionnaire after a service; issue 14)."""
    return tuple(household_users([household_id]).get(household_id, ()))


def first_community_admin_id(community_id: int) -> int | None:
    """The active admin of `community_id` who was assigned first (None: it has none)."""
    user_id = (
        RoleAssignment.objects.filter(
            role=Role.COMMUNITY_ADMIN, community_id=community_id, user__is_active=True
        )
        .order_by("id")
        .values_list("user_id", flat=True)
        .first()
    )
    return int(user_id) if user_id is not None else None


def grid_worker_contacts(grid_ids: Iterable[int]) -> dict[int, StaffContact]:
    """Grid id → its first-assigned grid worker (one query for any number of grids). Grids
    without a grid worker are absent."""
    ids = set(grid_ids)
    contacts: dict[int, StaffContact] = {}
    if not ids:
        return contacts
    rows = (
        RoleAssignment.objects.filter(role=Role.GRID_WORKER, grid_id__in=ids)
        .select_related("user")
        .order_by("grid_id", "id")
    )
    for row in rows:
        if row.grid_id is not None and row.grid_id not in contacts:
            contacts[row.grid_id] = StaffContact(
                user_id=row.user_id, name=str(row.user), work_phone=row.user.work_phone
            )
    return contacts


def community_staff_labels(community_id: int, roles: Iterable[str]) -> list[tuple[int, str]]:
    """(user id, "name · role") of everyone holding one of `roles` in `community_id`, any grid,
    one entry per user, sorted by role then username: the choices of a "pick a staff member"
    select."""
    rows = (
        RoleAssignment.objects.filter(community_id=community_id, role__in=list(roles))
        .select_related("user")
        .order_by("role", "user__username")
    )
    seen: dict[int, str] = {}
    for row in rows:
        seen.setdefault(row.user_id, _label(row))
    return list(seen.items())


def grid_staff_labels(
    community_id: int, grid_id: int | None, *, exclude_user_id: int | None = None
) -> list[tuple[int, str]]:
    """(user id, "name · role") of the people who can work a matter of `grid_id`: the grid
    workers of that grid and the community's admins, one entry per user, without
    `exclude_user_id` (typically whoever holds the matter now)."""
    rows = (
        RoleAssignment.objects.filter(
            community_id=community_id, role__in=(Role.GRID_WORKER, Role.COMMUNITY_ADMIN)
        )
        .select_related("user")
        .order_by("role", "user__username")
    )
    seen: dict[int, str] = {}
    for row in rows:
        if row.user_id == exclude_user_id:
            continue
        if row.role == Role.GRID_WORKER and row.grid_id != grid_id:
            continue
        seen.setdefault(row.user_id, _label(row))
    return list(seen.items())


@dataclass(frozen=True)
class MemberForCode:
    """A household member as the "issue a code" panel lists him."""

    public_id: str
    name: str
    has_account: bool
    has_password: bool
    has_phone: bool


def household_members_for_codes(actor: Actor, household_public_id: Any) -> list[MemberForCode]:
    """The active members of a household the actor may issue codes in (404 outside scope),
    each with whether he has an account (then only a reset code applies) and a phone."""
    household = access(
        actor,
        ISSUE_INVITATION,
        Household.objects.filter(status=HouseholdStatus.ACTIVE),
        public_id=household_public_id,
    )
    residents = list(
        Resident.objects.filter(household=household, status=ResidentStatus.ACTIVE).order_by("id")
    )
    users = {u.resident_id: u for u in User.objects.filter(resident__in=[r.pk for r in residents])}
    members = []
    for r in residents:
        user = users.get(r.pk)
        members.append(
            MemberForCode(
                public_id=str(r.public_id),
                name=r.name,
                has_account=user is not None,
                has_password=user is not None and user.has_usable_password(),
                has_phone=bool(r.phone_hash),
            )
        )
    return members


def user_ids_of_residents(resident_ids: Iterable[int]) -> list[int]:
    """The active accounts of these residents (e.g. a child's guardians), for notifications."""
    ids = sorted(set(resident_ids))
    if not ids:
        return []
    return list(
        User.objects.filter(resident_id__in=ids, is_active=True)
        .order_by("id")
        .values_list("id", flat=True)
    )


# --- for notifications (issue 15) ---------------------------------------------------------------


def user_phones(user_ids: Iterable[int]) -> dict[int, str]:
    """User id → the phone a text message goes to: a resident's own phone (decrypted here,
    for sending only, never shown), else the staff member's work phone. One query."""
    from linli.core import pii

    phones: dict[int, str] = {}
    rows = User.objects.filter(pk__in=set(user_ids), is_active=True).values_list(
        "pk", "work_phone", "resident__phone_encrypted"
    )
    for pk, work_phone, encrypted in rows:
        phone = pii.decrypt(encrypted) if encrypted else ""
        if phone or work_phone:
            phones[pk] = phone or work_phone
    return phones


def household_users(household_ids: Iterable[int]) -> dict[int, list[int]]:
    """Household id → its active resident users (one query)."""
    ids = set(household_ids)
    users: dict[int, list[int]] = defaultdict(list)
    if not ids:
        return {}
    rows = RoleAssignment.objects.filter(
        role=Role.RESIDENT, household_id__in=ids, user__is_active=True
    ).values_list("household_id", "user_id")
    for household_id, user_id in rows.order_by("household_id", "user_id"):
        if user_id not in users[household_id]:
            users[household_id].append(user_id)
    return dict(users)


def resident_user_ids(resident_filter: Any) -> Any:
    """A subquery-ready queryset of the active users with the resident role whose resident
    record matches `resident_filter` (a Q on Resident paths, e.g. for a notice's audience)."""
    return (
        User.objects.filter(is_active=True, resident__isnull=False)
        .filter(resident_filter)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- API tokens and service accounts --------------------------------------------------------


def api_tokens_for(actor: Actor) -> QuerySet[ApiToken]:
    """The tokens the actor may see and revoke: his own (staff), and those of the service
    accounts of the communities he manages. Anyone else's token is outside (404)."""
    if actor.user_id is None:
        return ApiToken.objects.none()
    own = Q(user_id=actor.user_id) if has_perm(actor, USE_API_TOKENS) else Q(pk__in=[])
    managed = scope_q(actor, MANAGE_SERVICE_ACCOUNTS, ApiToken)
    if managed is not None:
        own |= managed & Q(user__service_account__isnull=False)
    return ApiToken.objects.filter(own).select_related("user").order_by("-created_at", "-pk")


def service_accounts_for(actor: Actor) -> QuerySet[ServiceAccount]:
    """The service accounts of the communities the actor manages, with their community."""
    return for_actor(
        actor,
        MANAGE_SERVICE_ACCOUNTS,
        ServiceAccount.objects.select_related("user", "community").order_by("community_id", "pk"),
    )


def service_account_communities(actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the communities where the actor may create service accounts."""
    ids = list(communities_for(actor, MANAGE_SERVICE_ACCOUNTS))
    return list(Community.objects.filter(pk__in=ids).order_by("name").values_list("id", "name"))


def api_token_by_key_id(key_id: str) -> ApiToken | None:
    """The token row a presented token names, with its user (one indexed query)."""
    return ApiToken.objects.select_related("user").filter(key_id=key_id).first()
