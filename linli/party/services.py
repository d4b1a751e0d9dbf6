"""Every write to the Party organisation. Keyword-only, `actor` first, one transaction each;
objects load through `access()` (outside the actor's scope is a 404), every membership,
office and link change writes its audit row in the same transaction, and contention (two
organisers linking the same household at once) is settled by the database's constraints.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record, snapshot
from linli.core.dates import local_today
from linli.core.errors import Conflict, CoreError, DomainError, NotFound
from linli.core.exporting import record_export
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, communities_for
from linli.core.states import update_if
from linli.party.choices import (
    EARLIEST_DAY,
    RELATION_MACHINE,
    STANDING_MACHINE,
    ActivityKind,
    AttendanceStatus,
    OfficeRole,
    OrgKind,
    Relation,
    RelationTransition,
    Standing,
    StandingTransition,
    Theme,
    TransferKind,
)
from linli.party.errors import PartyError
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
from linli.party.permissions import CHANGE, PRINT_CARDS
from linli.registry.choices import HouseholdStatus, ResidentStatus
from linli.registry.models import Grid, Household
from linli.registry.selectors import building_get, grid_get, resident_get
from linli.registry.services import resident_party_flag_set

MEMBER_AUDIT_FIELDS = ["organisation", "standing", "relation", "joined_on"]
# Free text without a column limit (notes, descriptions) is still bounded.
LONG_TEXT = 4000
# How many members one activity's attendance may name.
MAX_NAMED = 2000


def _today(day: dt.date | None = None) -> dt.date:
    return day or local_today()


def _day(
    day: dt.date | None,
    *,
    field: str,
    earliest: dt.date = EARLIEST_DAY,
    latest: dt.date | None = None,
) -> dt.date:
    """A date a worker gave (today when none): not before `earliest` (the Party's founding
    unless a later start applies), not after `latest` (today unless said otherwise)."""
    day = _today(day)
    if day < earliest:
        raise DomainError(
            _("The date cannot be before %(day)s.") % {"day": earliest.isoformat()},
            code=CoreError.INVALID_DATE,
            field=field,
        )
    if day > (latest or _today()):
        raise DomainError(
            _("The date cannot be in the future.")
            if latest is None
            else _("The date is too far ahead."),
            code=CoreError.INVALID_DATE,
            field=field,
        )
    return day


def _text(
    value: str,
    *,
    field: str,
    model: type[models.Model] | None = None,
    max_length: int = LONG_TEXT,
    required: str = "",
) -> str:
    """Free text, stripped: within the column's length, free of control characters (a NUL
    cannot be stored), and present when `required` gives the message to ask for it."""
    value = (value or "").strip()
    if model is not None:
        max_length = getattr(model._meta.get_field(field), "max_length", None) or max_length
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise DomainError(
            _("The text contains control characters that cannot be stored."),
            code=CoreError.INVALID_INPUT,
            field=field,
        )
    if len(value) > max_length:
        raise DomainError(
            _("Keep this to %(n)d characters.") % {"n": max_length},
            code=CoreError.TOO_LONG,
            field=field,
        )
    if required and not value:
        raise DomainError(required, code=CoreError.REQUIRED, field=field)
    return value


def _choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise DomainError(
            _("Choose one of the offered values."), code=CoreError.INVALID_CHOICE, field=field
        )
    return value


def _org(actor: Actor, org_id: int, *, lock: bool = False) -> Organisation:
    qs = Organisation.objects.all()
    if lock:
        qs = qs.select_for_update()
    return access(actor, CHANGE, qs, pk=org_id)


def _member(actor: Actor, public_id: Any, *, lock: bool = False) -> Member:
    qs = Member.objects.select_related("resident")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return access(actor, CHANGE, qs, public_id=public_id)


def _central(actor: Actor, public_id: Any) -> CentralHousehold:
    """The central household, locked, so that links to it are written one after another."""
    central = access(
        actor,
        CHANGE,
        CentralHousehold.objects.select_for_update(of=("self",)).select_related(
            "household__building", "household__unit"
        ),
        public_id=public_id,
    )
    if central.ended_on is not None:
        raise DomainError(
            _("This central household has been closed."), code=PartyError.CENTRAL_HOUSEHOLD_CLOSED
        )
    return central


# ---------------------------------------------------------------- organisations and offices


@transaction.atomic
def organisation_create(
    *,
    actor: Actor,
    community_id: int,
    kind: str,
    name: str,
    parent_id: int | None = None,
    grid_id: int | None = None,
    building_id: int | None = None,
    theme: str = "",
    description: str = "",
) -> Organisation:
    """Add an organisation to the tree. A committee is the root; grid branches hang under it
    with their grid; building groups under their grid branch with their building; themed
    branches under the committee with one of the four themes."""
    kind = _choice(kind, OrgKind, "kind")
    if community_id not in communities_for(actor, CHANGE):
        raise NotFound(_("Not found."))
    name = _text(
        name, field="name", model=Organisation, required=_("Give the organisation a name.")
    )
    description = _text(description, field="description")
    parent: Organisation | None = None
    grid: Grid | None = None
    building = None
    if kind != OrgKind.COMMITTEE:
        if parent_id is None:
            raise DomainError(
                _("Choose the parent organisation."), code=CoreError.REQUIRED, field="parent"
            )
        parent = _org(actor, parent_id)
        if parent.community_id != community_id:
            raise NotFound(_("Not found."))
    branch = kind in (OrgKind.GRID_BRANCH, OrgKind.THEMED_BRANCH)
    if branch and parent is not None and parent.kind != OrgKind.COMMITTEE:
        raise DomainError(
            _("Branches belong directly to the community committee."),
            code=PartyError.INVALID_PARENT,
            field="parent",
        )
    if kind == OrgKind.GRID_BRANCH:
        if grid_id is None:
            raise DomainError(_("Choose the grid."), code=CoreError.REQUIRED, field="grid")
        grid = grid_get(actor, grid_id)
    if kind == OrgKind.BUILDING_GROUP:
        if building_id is None:
            raise DomainError(_("Choose the building."), code=CoreError.REQUIRED, field="building")
        building = building_get(actor, building_id)
        if (
            parent is None
            or parent.kind != OrgKind.GRID_BRANCH
            or parent.grid_id != building.grid_id
        ):
            raise DomainError(
                _("A building group belongs to the branch of its building's grid."),
                code=PartyError.INVALID_PARENT,
                field="parent",
            )
        grid = building.grid
    theme = _choice(theme, Theme, "theme") if kind == OrgKind.THEMED_BRANCH else ""
    if grid is not None and grid.community_id != community_id:
        raise NotFound(_("Not found."))
    try:
        with transaction.atomic():
            org = Organisation.objects.create(
                community_id=community_id,
                kind=kind,
                name=name,
                parent=parent,
                grid=grid,
                building=building,
                theme=theme,
                description=description,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This community, grid or building already has such an organisation."),
            code=PartyError.ORGANISATION_EXISTS,
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=org,
        community_id=community_id,
        after=snapshot(org, ["kind", "name", "parent", "grid", "building", "theme"]),
    )
    return org


@transaction.atomic
def office_assign(
    *,
    actor: Actor,
    organisation_id: int,
    member_public_id: Any,
    role: str,
    started_on: dt.date | None = None,
    is_action_secretary: bool = False,
) -> Office:
    """Give a member an office. An organisation has one secretary (and a building group one
    leader) at a time: end the current one first."""
    role = _choice(role, OfficeRole, "role")
    org = _org(actor, organisation_id, lock=True)
    member = _member(actor, member_public_id)
    if member.community_id != org.community_id or member.relation != Relation.ACTIVE:
        raise DomainError(
            _("Only an active member of this community can hold an office here."),
            code=PartyError.MEMBER_NOT_ACTIVE,
            field="member",
        )
    if is_action_secretary and role != OfficeRole.SECRETARY:
        raise DomainError(
            _("Only a secretary can be marked as action branch secretary."),
            code=PartyError.ACTION_MARK_SECRETARY_ONLY,
            field="is_action_secretary",
        )
    started_on = _day(started_on, field="started_on", earliest=member.joined_on)
    try:
        with transaction.atomic():
            office = Office.objects.create(
                organisation=org,
                member=member,
                role=role,
                is_action_secretary=is_action_secretary,
                started_on=started_on,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This office is already held; end the current holder's office first."),
            code=PartyError.OFFICE_TAKEN,
            field="role",
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=office,
        community_id=org.community_id,
        after={
            "member": member.display_name,
            "role": role,
            "is_action_secretary": is_action_secretary,
            "started_on": office.started_on.isoformat(),
        },
    )
    return office


@transaction.atomic
def office_end(*, actor: Actor, office_id: int, ended_on: dt.date | None = None) -> Office:
    office = access(
        actor,
        CHANGE,
        Office.objects.select_for_update(of=("self",)).select_related("organisation", "member"),
        pk=office_id,
    )
    if office.ended_on is not None:
        raise DomainError(_("This office has already ended."), code=PartyError.OFFICE_ENDED)
    if ended_on is not None and ended_on < office.started_on:
        raise DomainError(
            _("An office cannot end before it started."),
            code=CoreError.INVALID_DATE,
            field="ended_on",
        )
    day = _day(ended_on, field="ended_on", earliest=office.started_on)
    office.ended_on = day
    office.save(update_fields=["ended_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=office,
        community_id=office.organisation.community_id,
        before={"ended_on": None},
        after={"ended_on": day.isoformat(), "member": office.member.display_name},
    )
    return office


# ---------------------------------------------------------------- members


def _new_member(
    actor: Actor,
    org: Organisation,
    *,
    resident_public_id: Any,
    name: str,
    non_resident_note: str,
    joined_on: dt.date,
    standing: str,
) -> Member:
    standing = _choice(standing, Standing, "standing")
    resident = None
    if resident_public_id:
        resident = resident_get(actor, resident_public_id)
        if resident.community_id != org.community_id or resident.status != ResidentStatus.ACTIVE:
            raise DomainError(
                _("The resident does not live in this community."),
                code=PartyError.RESIDENT_ELSEWHERE,
                field="resident",
            )
        name = ""
        non_resident_note = ""
    name = _text(
        name,
        field="name",
        model=Member,
        required=""
        if resident
        else _("Choose the resident, or give the name of a member who does not live here."),
    )
    non_resident_note = _text(non_resident_note, field="non_resident_note", model=Member)
    if joined_on > _today():
        raise DomainError(
            _("The joining date cannot be in the future."),
            code=CoreError.INVALID_DATE,
            field="joined_on",
        )
    joined_on = _day(joined_on, field="joined_on")
    try:
        with transaction.atomic():
            member = Member.objects.create(
                community_id=org.community_id,
                resident=resident,
                name=name,
                non_resident_note=non_resident_note,
                organisation=org,
                joined_on=joined_on,
                standing=standing,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This resident is already recorded as a Party member."),
            code=PartyError.MEMBER_EXISTS,
            field="resident",
        ) from exc
    if resident is not None:
        resident_party_flag_set(actor=actor, resident_id=resident.pk, value=True)
    return member


def _member_after(member: Member) -> dict[str, Any]:
    data = snapshot(member, MEMBER_AUDIT_FIELDS)
    data["name"] = member.display_name
    return data


@transaction.atomic
def member_create(
    *,
    actor: Actor,
    organisation_id: int,
    joined_on: dt.date,
    standing: str = Standing.FULL,
    resident_public_id: Any = None,
    name: str = "",
    non_resident_note: str = "",
) -> Member:
    """Record a Party member: a resident of the community, or someone who does not live here
    (by name, with a note saying why their relation is held here)."""
    org = _org(actor, organisation_id)
    member = _new_member(
        actor,
        org,
        resident_public_id=resident_public_id,
        name=name,
        non_resident_note=non_resident_note,
        joined_on=joined_on,
        standing=standing,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=member,
        community_id=org.community_id,
        after=_member_after(member),
    )
    return member


@transaction.atomic
def member_confirm_full(*, actor: Actor, member_public_id: Any) -> Member:
    """A probationary member becomes a full member (the only way standing changes)."""
    member = _member(actor, member_public_id)
    before = member.standing
    STANDING_MACHINE.move(
        member,
        StandingTransition.CONFIRM_FULL,
        to=Standing.FULL,
        on_conflict=lambda: Conflict(
            _("%(name)s has just been confirmed as a full member by someone else.")
            % {"name": member.display_name},
            code=CoreError.CONFLICT,
        ),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=member,
        community_id=member.community_id,
        before={"standing": before},
        after={"standing": Standing.FULL},
    )
    return member


@transaction.atomic
def member_transfer_out(
    *,
    actor: Actor,
    member_public_id: Any,
    external: str,
    on: dt.date | None = None,
    note: str = "",
) -> Member:
    """The member's relation moves to an organisation elsewhere: their offices and their
    place in a central household end the same day."""
    member = _member(actor, member_public_id, lock=True)
    RELATION_MACHINE.move(
        member, RelationTransition.TRANSFER_OUT, to=Relation.TRANSFERRED_OUT
    )  # the row is locked: no race to settle
    external = _text(
        external,
        field="external",
        model=Transfer,
        required=_("Say which organisation the relation goes to."),
    )
    note = _text(note, field="note", model=Transfer)
    # Offices and central-household places end the same day: not before any of them began.
    starts = [
        member.joined_on,
        *(
            d
            for d in (
                Office.objects.filter(member=member, ended_on__isnull=True).aggregate(
                    last=Max("started_on")
                )["last"],
                MemberLink.objects.filter(member=member, ended_on__isnull=True).aggregate(
                    last=Max("linked_on")
                )["last"],
            )
            if d is not None
        ),
    ]
    day = _day(on, field="on", earliest=max(starts))
    Transfer.objects.create(
        member=member,
        kind=TransferKind.OUT,
        on=day,
        from_organisation_id=member.organisation_id,
        external=external,
        note=note,
    )
    Office.objects.filter(member=member, ended_on__isnull=True).update(ended_on=day)
    MemberLink.objects.filter(member=member, ended_on__isnull=True).update(ended_on=day)
    if member.resident_id:
        resident_party_flag_set(actor=actor, resident_id=member.resident_id, value=False)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MOVE_OUT,
        obj=member,
        community_id=member.community_id,
        before={"relation": Relation.ACTIVE},
        after={"relation": Relation.TRANSFERRED_OUT, "to": external, "on": day.isoformat()},
    )
    return member


@transaction.atomic
def member_transfer_in(
    *,
    actor: Actor,
    organisation_id: int,
    external: str,
    on: dt.date | None = None,
    note: str = "",
    member_public_id: Any = None,
    resident_public_id: Any = None,
    name: str = "",
    non_resident_note: str = "",
    joined_on: dt.date | None = None,
    standing: str = Standing.FULL,
) -> Member:
    """A relation comes in from elsewhere: a member who left earlier comes back
    (`member_public_id`), or a new member is recorded with the transfer."""
    org = _org(actor, organisation_id)
    external = _text(external, field="external", model=Transfer)
    note = _text(note, field="note", model=Transfer)
    if member_public_id:
        member = _member(actor, member_public_id, lock=True)
        if member.community_id != org.community_id:
            raise NotFound(_("Not found."))
        day = _day(on, field="on", earliest=member.joined_on)
        RELATION_MACHINE.move(
            member, RelationTransition.TRANSFER_IN, to=Relation.ACTIVE, organisation=org
        )
        if member.resident_id:
            resident_party_flag_set(actor=actor, resident_id=member.resident_id, value=True)
    else:
        if joined_on is None:
            raise DomainError(
                _("Give the date the member joined the Party."),
                code=CoreError.REQUIRED,
                field="joined_on",
            )
        member = _new_member(
            actor,
            org,
            resident_public_id=resident_public_id,
            name=name,
            non_resident_note=non_resident_note,
            joined_on=joined_on,
            standing=standing,
        )
        day = _day(on, field="on", earliest=member.joined_on)
    Transfer.objects.create(
        member=member,
        kind=TransferKind.IN,
        on=day,
        to_organisation=org,
        external=external,
        note=note,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MOVE_IN,
        obj=member,
        community_id=member.community_id,
        after={**_member_after(member), "from": external, "on": day.isoformat()},
    )
    return member


@transaction.atomic
def member_move(
    *,
    actor: Actor,
    member_public_id: Any,
    organisation_id: int,
    on: dt.date | None = None,
    note: str = "",
) -> Member:
    """Move a member between two organisations of the community (a grid branch to a themed
    branch, say), keeping the move in the transfer history."""
    member = _member(actor, member_public_id, lock=True)
    org = _org(actor, organisation_id)
    if member.relation != Relation.ACTIVE:
        # Not a change of relation: a move needs the relation held here (see choices.py).
        raise DomainError(
            _("Transfer the member's relation in first."), code=CoreError.INVALID_TRANSITION
        )
    if org.community_id != member.community_id:
        raise NotFound(_("Not found."))
    if org.pk == member.organisation_id:
        raise DomainError(
            _("The member already belongs to this organisation."),
            code=PartyError.ALREADY_IN_ORGANISATION,
            field="organisation",
        )
    note = _text(note, field="note", model=Transfer)
    day = _day(on, field="on", earliest=member.joined_on)
    before = member.organisation_id
    Transfer.objects.create(
        member=member,
        kind=TransferKind.INTERNAL,
        on=day,
        from_organisation_id=before,
        to_organisation=org,
        note=note,
    )
    member.organisation = org
    member.save(update_fields=["organisation", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=member,
        community_id=member.community_id,
        before={"organisation": before},
        after={"organisation": org.pk, "organisation_name": org.name},
    )
    return member


# ---------------------------------------------------------------- the 三带 network


@transaction.atomic
def central_household_create(
    *, actor: Actor, host_member_public_id: Any, started_on: dt.date | None = None
) -> CentralHousehold:
    """Make a member's home a central household. The host serves with it and the host's own
    household is looked after by it from the start."""
    host = _member(actor, host_member_public_id)
    if host.relation != Relation.ACTIVE or host.resident is None:
        raise DomainError(
            _("A central household is the home of an active member who lives here."),
            code=PartyError.HOST_NOT_RESIDENT,
            field="host",
        )
    household = host.resident.household
    day = _day(started_on, field="started_on")
    group = Organisation.objects.filter(
        kind=OrgKind.BUILDING_GROUP, building_id=household.building_id
    ).first()
    try:
        with transaction.atomic():
            central = CentralHousehold.objects.create(
                community_id=host.community_id,
                household=household,
                host=host,
                group=group,
                started_on=day,
            )
            MemberLink.objects.create(central=central, member=host, linked_on=day)
            HouseholdLink.objects.create(central=central, household=household, linked_on=day)
    except IntegrityError as exc:
        raise Conflict(
            _(
                "This home is already a central household, or its household or host is "
                "already linked to another one."
            ),
            code=PartyError.CENTRAL_HOUSEHOLD_EXISTS,
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=central,
        community_id=central.community_id,
        after={"household": household.address, "host": host.display_name},
    )
    return central


def _link_audit(
    actor: Actor, action: str, central: CentralHousehold, what: str, label: str, day: dt.date
) -> None:
    linked = action == AuditEvent.Action.CREATE
    audit_record(
        actor=actor,
        action=action,
        obj=central,
        object_label=f"{central} ↔ {label}"[:200],
        community_id=central.community_id,
        field=what,
        before=None if linked else {what: label},
        after={what: label, "on": day.isoformat()} if linked else {"unlinked_on": day.isoformat()},
    )


@transaction.atomic
def central_link_household(
    *, actor: Actor, central_public_id: Any, household_public_id: Any, on: dt.date | None = None
) -> HouseholdLink:
    """A household is looked after by this central household from today. A household has
    one central household: linking it to a second one is refused, not silently moved."""
    central = _central(actor, central_public_id)
    household = access(
        actor,
        CHANGE,
        Household.objects.select_related("building", "unit"),
        public_id=household_public_id,
    )
    if household.community_id != central.community_id or household.status != HouseholdStatus.ACTIVE:
        raise NotFound(_("Not found."))
    existing = (
        HouseholdLink.objects.filter(household=household, ended_on__isnull=True)
        .select_related("central__household__building", "central__household__unit")
        .first()
    )
    if existing is not None:
        raise Conflict(
            _("Household %(address)s is already looked after by %(central)s.")
            % {"address": household.address, "central": existing.central},
            code=PartyError.HOUSEHOLD_ALREADY_LINKED,
            field="household",
        )
    day = _day(on, field="on", earliest=central.started_on)
    try:
        with transaction.atomic():
            link = HouseholdLink.objects.create(central=central, household=household, linked_on=day)
    except IntegrityError as exc:  # someone linked it a moment ago
        raise Conflict(
            _("Household %(address)s has just been linked by someone else.")
            % {"address": household.address},
            code=PartyError.HOUSEHOLD_ALREADY_LINKED,
            field="household",
        ) from exc
    _link_audit(actor, AuditEvent.Action.CREATE, central, "household", household.address, day)
    return link


@transaction.atomic
def central_unlink_household(
    *, actor: Actor, central_public_id: Any, household_public_id: Any, on: dt.date | None = None
) -> None:
    central = _central(actor, central_public_id)
    link = (
        HouseholdLink.objects.filter(
            central=central, household__public_id=household_public_id, ended_on__isnull=True
        )
        .select_related("household__building", "household__unit")
        .first()
    )
    day = _day(on, field="on", earliest=link.linked_on if link else EARLIEST_DAY)
    if link is None or not update_if(
        HouseholdLink,
        pk=link.pk,
        where={"ended_on__isnull": True},
        ended_on=day,
        updated_at=timezone.now(),
    ):
        raise NotFound(_("This household is not linked to this central household."))
    _link_audit(actor, AuditEvent.Action.UPDATE, central, "household", link.household.address, day)


@transaction.atomic
def central_link_member(
    *, actor: Actor, central_public_id: Any, member_public_id: Any, on: dt.date | None = None
) -> MemberLink:
    """A member serves with this central household (one at a time)."""
    central = _central(actor, central_public_id)
    member = _member(actor, member_public_id)
    if member.community_id != central.community_id or member.relation != Relation.ACTIVE:
        raise NotFound(_("Not found."))
    existing = (
        MemberLink.objects.filter(member=member, ended_on__isnull=True)
        .select_related("central__household__building", "central__household__unit")
        .first()
    )
    if existing is not None:
        raise Conflict(
            _("%(name)s already serves with %(central)s.")
            % {"name": member.display_name, "central": existing.central},
            code=PartyError.MEMBER_ALREADY_LINKED,
            field="member",
        )
    day = _day(on, field="on", earliest=central.started_on)
    try:
        with transaction.atomic():
            link = MemberLink.objects.create(central=central, member=member, linked_on=day)
    except IntegrityError as exc:
        raise Conflict(
            _("%(name)s has just been linked by someone else.") % {"name": member.display_name},
            code=PartyError.MEMBER_ALREADY_LINKED,
            field="member",
        ) from exc
    _link_audit(actor, AuditEvent.Action.CREATE, central, "member", member.display_name, day)
    return link


@transaction.atomic
def central_unlink_member(
    *, actor: Actor, central_public_id: Any, member_public_id: Any, on: dt.date | None = None
) -> None:
    central = _central(actor, central_public_id)
    link = (
        MemberLink.objects.filter(
            central=central, member__public_id=member_public_id, ended_on__isnull=True
        )
        .select_related("member__resident")
        .first()
    )
    if link is None:
        raise NotFound(_("This member is not linked to this central household."))
    if link.member_id == central.host_id:
        raise DomainError(
            _("The host serves with their own central household."), code=PartyError.HOST_LINK
        )
    day = _day(on, field="on", earliest=link.linked_on)
    if not update_if(
        MemberLink,
        pk=link.pk,
        where={"ended_on__isnull": True},
        ended_on=day,
        updated_at=timezone.now(),
    ):
        raise NotFound(_("This member is not linked to this central household."))
    _link_audit(actor, AuditEvent.Action.UPDATE, central, "member", link.member.display_name, day)


# ---------------------------------------------------------------- organisational life


def _uuids(values: list[Any]) -> set[str]:
    try:
        return {str(uuid.UUID(str(v))) for v in values}
    except ValueError as exc:
        raise DomainError(
            _("Some of the members named are not active members of this community."),
            code=PartyError.UNKNOWN_MEMBER,
            field="present",
        ) from exc


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    organisation_id: int,
    kind: str,
    held_on: dt.date,
    topic: str,
    place: str = "",
    notes: str = "",
    present: list[Any] | None = None,
    excused: list[Any] | None = None,
) -> Activity:
    """Record a meeting or activity and who attended. Every active member of the
    organisation gets an attendance row (absent unless named present or excused); members
    of other organisations of the community who attended are added as present."""
    kind = _choice(kind, ActivityKind, "kind")
    org = _org(actor, organisation_id)
    topic = _text(topic, field="topic", model=Activity, required=_("Give the topic."))
    place = _text(place, field="place", model=Activity)
    notes = _text(notes, field="notes")
    # An activity may be recorded up to a year ahead (a planned theme day).
    held_on = _day(held_on, field="held_on", latest=_today() + dt.timedelta(days=366))
    if len(present or []) + len(excused or []) > MAX_NAMED:
        raise DomainError(
            _("Name at most %(n)d members.") % {"n": MAX_NAMED},
            code=CoreError.TOO_LONG,
            field="present",
        )
    present_ids = _uuids(present or [])
    excused_ids = _uuids(excused or []) - present_ids
    activity = Activity.objects.create(
        organisation=org,
        kind=kind,
        held_on=held_on,
        topic=topic,
        place=place,
        notes=notes,
    )
    wanted = present_ids | excused_ids
    active = Member.objects.filter(community_id=org.community_id, relation=Relation.ACTIVE)
    # Everyone of the organisation, plus the named guests from elsewhere in the community.
    members = list(active.filter(organisation=org).order_by("id")) + list(
        active.filter(public_id__in=wanted).exclude(organisation=org).order_by("id")
    )
    found = {str(m.public_id) for m in members}
    unknown = wanted - found
    if unknown:
        raise DomainError(
            _("Some of the members named are not active members of this community."),
            code=PartyError.UNKNOWN_MEMBER,
            field="present",
        )
    rows = []
    for m in members:
        key = str(m.public_id)
        status = (
            AttendanceStatus.PRESENT
            if key in present_ids
            else AttendanceStatus.EXCUSED
            if key in excused_ids
            else AttendanceStatus.ABSENT
        )
        rows.append(Attendance(activity=activity, member=m, status=status))
    Attendance.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=activity,
        community_id=org.community_id,
        after={
            "organisation": org.name,
            "kind": kind,
            "held_on": held_on.isoformat(),
            "topic": activity.topic,
            "present": len(present_ids),
            "expected": len(rows),
        },
    )
    return activity


# ---------------------------------------------------------------- printing


@transaction.atomic
def cards_record_print(*, actor: Actor, community_id: int, what: str, cards: int) -> None:
    """The audit row of a batch of warm service cards (who printed whose contacts, how many
    cards), in the export audit shape (`party.cards`). The caller built the batch through
    the scoped `cards.card_households`."""
    if community_id not in communities_for(actor, PRINT_CARDS):
        raise NotFound(_("Not found."))
    record_export(
        actor=actor, what="party.cards", filename=what, rows=cards, community_id=community_id
    )
