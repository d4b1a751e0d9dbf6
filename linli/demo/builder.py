"""The Wenchang Garden demo: writes the planned population (`linli.demo.population`) and the
demo accounts (`linli.demo.accounts`) to the database, and wipes them again.

The builder deliberately bypasses the registry's per-row services: they check permissions,
lock rows and write an audit row per change, which would take minutes for 12,618 people and
audit nothing real. It writes with `bulk_create` in one transaction instead, but builds each
resident's personal fields with the same `ResidentData.model_fields()` the services use, so
encryption, lookup hashes, masks and pinyin are exactly what the application expects. One
audit row records that the demo was built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Final

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Count
from django.utils import timezone

from linli.accounts.models import RoleAssignment, User
from linli.core import pii
from linli.core.demo_hooks import run_demo_builders
from linli.core.models import AuditEvent
from linli.core.roles import Role
from linli.demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    RESIDENT_USERNAME,
    SUPERUSER_USERNAME,
    staff_usernames,
)
from linli.demo.population import (
    CommunityPlan,
    DemoPlan,
    PersonPlan,
    grid_name,
    plan_demo,
)
from linli.registry.choices import HouseholdStatus, ResidentStatus, Tag
from linli.registry.models import (
    Building,
    Community,
    Grid,
    Household,
    Residency,
    Resident,
    Unit,
)
from linli.registry.selectors import tag_q
from linli.registry.services import ResidentData

DEFAULT_SEED: Final = 2026
BATCH_SIZE: Final = 1000
SUPERUSER_DISPLAY_NAME: Final = "系统管理员"


@dataclass(frozen=True)
class DemoFigures:
    """One community's figures as stored (counted in the database, not taken from the plan)."""

    name: str
    households: int
    residents: int
    grids: int
    buildings: int
    units: int
    aged_60_plus: int
    aged_80_plus: int
    infants: int
    disabled: int
    low_income: int
    unemployed: int
    land_lost: int
    party_members: int
    new_employment: int


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    communities: list[DemoFigures]
    accounts: int
    resident_phone: str
    domains: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def main(self) -> DemoFigures:
        return self.communities[0]


@dataclass
class _Written:
    """Rows written for one community, aligned with its plan."""

    community: Community
    grids: dict[int, Grid]
    households: list[Household]
    residents: dict[object, Resident]  # by public id


# ---------------------------------------------------------------- presence and reset


def demo_present() -> bool:
    """True when there is anything the demo would collide with: a community or a demo login."""
    usernames = [a.username for a in DEMO_ACCOUNTS]
    return Community.objects.exists() or User.objects.filter(username__in=usernames).exists()


def _wiped_models() -> list[type[models.Model]]:
    """The registry, accounts and audit trail, plus every table that points at them (other
    domains' rows, admin log entries, M2M tables), dependants first."""
    roots = {
        *apps.get_app_config("registry").get_models(include_auto_created=True),
        *apps.get_app_config("accounts").get_models(include_auto_created=True),
        AuditEvent,
    }
    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]

    def targets(model: type[models.Model]) -> set[type[models.Model]]:
        found: set[type[models.Model]] = set()
        for f in model._meta.concrete_fields:
            related = f.related_model if f.is_relation else None
            if isinstance(related, type) and issubclass(related, models.Model):
                found.add(related._meta.concrete_model or related)
        return found - {model}

    wiped = {m for m in roots if m in candidates}
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model not in wiped and targets(model) & wiped:
                wiped.add(model)
                grew = True
    # Kahn's order: a table goes once nothing left still points at it.
    ordered: list[type[models.Model]] = []
    remaining = sorted(wiped, key=lambda m: m._meta.label)
    while remaining:
        free = [m for m in remaining if not any(m in targets(o) for o in remaining if o is not m)]
        batch = free or remaining[:1]  # a reference cycle: deferred constraints settle it
        ordered.extend(batch)
        remaining = [m for m in remaining if m not in batch]
    return ordered


@transaction.atomic
def reset_demo() -> int:
    """Delete the registry, every account, the audit trail, invitations, login failures,
    sessions and whatever other domains hold about them. Returns the number of rows deleted.

    Plain DELETE statements in dependency order: the ORM's collector would load every row to
    honour PROTECT, which is exactly what we mean to override here.
    """
    tables = [m._meta.db_table for m in _wiped_models()]
    if apps.is_installed("django.contrib.sessions"):
        tables.append(apps.get_model("sessions", "Session")._meta.db_table)
    deleted = 0
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            deleted += max(cursor.rowcount, 0)
    return deleted


# ---------------------------------------------------------------- build


def _require_ids(objs: list[models.Model]) -> None:
    if objs and objs[0].pk is None:
        raise RuntimeError(
            "The database did not return ids from bulk_create (SQLite 3.35+ or PostgreSQL needed)."
        )


def _bulk(model: type[models.Model], objs: list[models.Model]) -> None:
    model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
    _require_ids(objs)


def _resident(person: PersonPlan, household: Household) -> Resident:
    data = ResidentData(
        name=person.name,
        gender=person.gender,
        birth_date=person.birth_date,
        relation=person.relation,
        disability_level=person.disability_level,
        citizen_id=person.citizen_id,
        phone=person.phone,
        notes=person.notes,
        flags=person.flags(),
    )
    return Resident(
        community_id=household.community_id,
        household=household,
        public_id=person.public_id,
        status=ResidentStatus.ACTIVE,
        **data.model_fields(),
    )


def _write_community(plan: CommunityPlan) -> _Written:
    spec = plan.spec
    community = Community.objects.create(
        public_id=plan.public_id,
        name=spec.name,
        code=spec.code,
        subdistrict=spec.subdistrict,
        district=spec.district,
        city=spec.city,
        area_km2=spec.area_km2,
        service_phone=spec.service_phone,
    )
    grids = [Grid(community=community, number=n, name=grid_name(n)) for n in plan.grid_numbers()]
    _bulk(Grid, grids)  # type: ignore[arg-type]
    grid_by_number = {g.number: g for g in grids}
    buildings = [
        Building(
            community=community,
            grid=grid_by_number[b.grid_number],
            number=b.number,
            floors=b.floors,
            has_elevator=b.has_elevator,
            year_built=b.year_built,
        )
        for b in plan.buildings
    ]
    _bulk(Building, buildings)  # type: ignore[arg-type]
    units = {
        (index, number): Unit(building=building, number=number)
        for index, (building, b) in enumerate(zip(buildings, plan.buildings, strict=True))
        for number in range(1, b.units + 1)
    }
    _bulk(Unit, list(units.values()))
    households = [
        Household(
            public_id=h.public_id,
            community=community,
            building=buildings[h.building_index],
            unit=units[(h.building_index, h.unit_number)],
            room=h.room,
            floor=h.floor,
            area_m2=h.area_m2,
            tenure=h.tenure,
            status=HouseholdStatus.ACTIVE,
        )
        for h in plan.households
    ]
    _bulk(Household, households)  # type: ignore[arg-type]
    residents: list[Resident] = []
    residencies: list[tuple[PersonPlan, Resident, Household]] = []
    for h, household in zip(plan.households, households, strict=True):
        for person in h.members:
            resident = _resident(person, household)
            residents.append(resident)
            residencies.append((person, resident, household))
    _bulk(Resident, residents)  # type: ignore[arg-type]
    _bulk(
        Residency,
        [
            Residency(
                resident=resident,
                household=household,
                moved_in=person.moved_in,
                move_in_reason=person.move_in_reason,
            )
            for person, resident, household in residencies
        ],
    )
    return _Written(
        community=community,
        grids=grid_by_number,
        households=households,
        residents={r.public_id: r for r in residents},
    )


def _write_accounts(plan: DemoPlan, written: dict[str, _Written]) -> tuple[int, str]:
    """Create every demo account with one password hash (hashing is deliberately slow, and
    the password is the same for all). Returns the number of accounts and the resident's
    phone number."""
    password = make_password(DEMO_PASSWORD)
    head = plan.resident_household.head
    main = written[plan.main.spec.code]
    household = next(
        row
        for row, planned in zip(main.households, plan.main.households, strict=True)
        if planned is plan.resident_household
    )
    users: list[User] = []
    assignments: list[RoleAssignment] = []
    for account in DEMO_ACCOUNTS:
        if account.superuser:
            user = User(
                username=SUPERUSER_USERNAME,
                display_name=SUPERUSER_DISPLAY_NAME,
                is_staff=True,
                is_superuser=True,
                password=password,
            )
        elif account.role == Role.RESIDENT:
            user = User(
                username=RESIDENT_USERNAME,
                display_name=head.name,
                resident=main.residents[head.public_id],
                phone_hash=pii.lookup_hash("phone", head.phone),
                password=password,
            )
        else:
            user = User(
                username=account.username,
                display_name=plan.staff.display_names[account.username],
                work_phone=plan.staff.work_phones[account.username],
                password=password,
            )
        users.append(user)
        if account.role is None:
            continue
        scope = written.get(account.community)
        resident_role = account.role == Role.RESIDENT
        assignments.append(
            RoleAssignment(
                user=user,
                role=account.role,
                community=scope.community if scope else None,
                grid=scope.grids[account.grid]
                if scope and account.grid and not resident_role
                else None,
                household=household if resident_role else None,
                subdistrict=account.subdistrict,
                district=account.district,
                title=account.title,
            )
        )
    _bulk(User, users)  # type: ignore[arg-type]
    _bulk(RoleAssignment, assignments)  # type: ignore[arg-type]
    return len(users), head.phone


def community_figures(community: Community, today: dt.date | None = None) -> DemoFigures:
    """Count what is stored, using the registry's own tag definitions."""
    today = today or timezone.localdate()
    people = Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE)
    counts = people.aggregate(
        residents=Count("id"),
        aged_60_plus=Count("id", filter=tag_q(Tag.ELDERLY, today)),
        aged_80_plus=Count("id", filter=tag_q(Tag.OVER_80, today)),
        infants=Count("id", filter=tag_q(Tag.INFANT, today)),
        disabled=Count("id", filter=tag_q(Tag.DISABLED, today)),
        low_income=Count("id", filter=tag_q(Tag.LOW_INCOME, today)),
        unemployed=Count("id", filter=tag_q(Tag.UNEMPLOYED, today)),
        land_lost=Count("id", filter=tag_q(Tag.LAND_LOST, today)),
        party_members=Count("id", filter=tag_q(Tag.PARTY_MEMBER, today)),
        new_employment=Count("id", filter=tag_q(Tag.NEW_EMPLOYMENT, today)),
    )
    return DemoFigures(
        name=community.name,
        households=Household.objects.filter(
            community=community, status=HouseholdStatus.ACTIVE
        ).count(),
        grids=Grid.objects.filter(community=community).count(),
        buildings=Building.objects.filter(community=community).count(),
        units=Unit.objects.filter(building__community=community).count(),
        **counts,
    )


@transaction.atomic
def build_demo(*, seed: int = DEFAULT_SEED, today: dt.date | None = None) -> DemoSummary:
    """Build both demo communities and the demo accounts in one transaction. The database
    must not hold a community or a demo login yet (see `demo_present` and `reset_demo`)."""
    today = today or timezone.localdate()
    plan = plan_demo(seed=seed, today=today, staff_usernames=staff_usernames())
    written = {c.spec.code: _write_community(c) for c in plan.communities}
    accounts, resident_phone = _write_accounts(plan, written)
    figures = [community_figures(w.community, today) for w in written.values()]
    main = written[plan.main.spec.code].community
    AuditEvent.objects.create(
        actor=None,
        actor_label="seed_demo",
        action=AuditEvent.Action.IMPORT,
        object_type="demo",
        object_id=main.code,
        object_label=main.name,
        community_id=main.pk,
        reason=f"seed={seed}",
        after={"seed": seed, "accounts": accounts, "communities": _as_json(figures)},
    )
    # Each domain (Party, Community 110, volunteers, ...) adds its part (core.demo_hooks).
    domains = run_demo_builders(
        seed=seed,
        today=today,
        main=plan.main.spec.code,
        others=tuple(c.spec.code for c in plan.communities if c is not plan.main),
    )
    return DemoSummary(
        seed=seed,
        communities=figures,
        accounts=accounts,
        resident_phone=resident_phone,
        domains=domains,
    )


def _as_json(figures: Iterable[DemoFigures]) -> list[dict[str, object]]:
    return [asdict(f) for f in figures]
