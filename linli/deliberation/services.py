"""Every write of deliberation: one transaction each, the actor first, scope through
`core.permissions.access`, contention settled by the database (the unique ballot per head,
conditional UPDATEs through `core.states`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.audit import audit_record
from linli.core.errors import Conflict, CoreError, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.notify import Message, publish
from linli.core.permissions import Actor, access, require, system_actor
from linli.core.states import update_if
from linli.deliberation import costs, selectors
from linli.deliberation.choices import (
    MATTER_MACHINE,
    MEETING_MACHINE,
    NOTICE_MACHINE,
    PROJECT_MACHINE,
    STAGE_TARGET,
    STEP_ORDER,
    VOTE_MACHINE,
    BaseRule,
    Channel,
    Choice,
    MatterTransition,
    MeetingStatus,
    MeetingTransition,
    NoticeStatus,
    NoticeTransition,
    ObjectionStatus,
    Scope,
    SignIn,
    Stage,
    StageTransition,
    Step,
    StepOutcome,
    VoteStatus,
    VoteTransition,
)
from linli.deliberation.errors import DeliberationError
from linli.deliberation.models import (
    Attendance,
    Ballot,
    BallotChange,
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
    RuleSet,
    StageEvent,
    Vote,
)
from linli.deliberation.permissions import MANAGE, PARTICIPATE, RECORD, VIEW
from linli.registry.models import Building, Grid, Household, Unit

SYSTEM = system_actor("system")

# --- rule sets ----------------------------------------------------------------------------------

YANGZHOU_COEFFICIENTS = {"1-2": "0", "3": "0.6", "4": "1.0", "5": "1.3", "6": "1.5", "7+": "1.6"}
YANGZHOU_SUBSIDIES = [[5, 160000], [6, 180000], [7, 200000]]
DEFAULT_RULE_SETS: tuple[dict[str, Any], ...] = (
    {
        "code": "art278-major",
        "name": "民法典第278条·重大事项",
        "base_rule": BaseRule.MAJOR,
        "source": "《民法典》第二百七十八条",
    },
    {
        "code": "art278-ordinary",
        "name": "民法典第278条·一般事项",
        "base_rule": BaseRule.ORDINARY,
        "source": "《民法典》第二百七十八条",
    },
    {
        "code": "yangzhou-elevator",
        "name": "扬州既有住宅加装电梯试点",
        "base_rule": BaseRule.MAJOR,
        "staircase_unanimous": True,
        "notice_days": 7,
        "reply_days": 3,
        "subsidies": YANGZHOU_SUBSIDIES,
        "floor_coefficients": YANGZHOU_COEFFICIENTS,
        "source": "扬州市既有多层住宅加装电梯试点办法",
    },
)


def rulesets_ensure_defaults(*, community_id: int) -> list[RuleSet]:
    """The community's standard rule sets (art. 278 major and ordinary, the Yangzhou elevator
    pilot) as data rows; existing rows are left as the community edited them."""
    out = []
    for spec in DEFAULT_RULE_SETS:
        defaults = {k: v for k, v in spec.items() if k != "code"}
        row, _created = RuleSet.objects.get_or_create(
            community_id=community_id, code=spec["code"], defaults=defaults
        )
        out.append(row)
    return out


def _rule_set(community_id: int, code: str) -> RuleSet:
    row = RuleSet.objects.filter(community_id=community_id, code=code).first()
    if row is None:
        rulesets_ensure_defaults(community_id=community_id)
        row = RuleSet.objects.filter(community_id=community_id, code=code).first()
    if row is None:
        raise DomainError(
            _("There is no rule set “%(code)s”.") % {"code": code},
            code=CoreError.INVALID_CHOICE,
            field="rule_set",
        )
    return row


def _audit(actor: Actor, action: str, obj: Any, community_id: int, **after: Any) -> None:
    audit_record(
        actor=actor, action=action, obj=obj, community_id=community_id, after=after or None
    )


# --- places -------------------------------------------------------------------------------------


def _place(
    actor: Actor,
    scope: str,
    *,
    community_id: int | None,
    unit_id: int | None = None,
    building_id: int | None = None,
    grid_id: int | None = None,
) -> dict[str, Any]:
    """Resolve a scope to community/grid/building/unit ids inside the actor's reach."""
    place: dict[str, int | None]
    b: Building | None
    if scope == Scope.STAIRCASE:
        if not unit_id:
            raise DomainError(_("Choose the staircase."), code=CoreError.REQUIRED, field="unit")
        unit = Unit.objects.select_related("building").filter(pk=unit_id).first()
        if unit is None:
            raise NotFound(_("Not found."))
        b = unit.building
        place = {
            "community_id": b.community_id,
            "grid_id": b.grid_id,
            "building_id": b.pk,
            "unit_id": unit.pk,
        }
    elif scope == Scope.BUILDING:
        b = Building.objects.filter(pk=building_id).first() if building_id else None
        if b is None:
            raise DomainError(_("Choose the building."), code=CoreError.REQUIRED, field="building")
        place = {
            "community_id": b.community_id,
            "grid_id": b.grid_id,
            "building_id": b.pk,
            "unit_id": None,
        }
    elif scope == Scope.GRID:
        g = Grid.objects.filter(pk=grid_id).first() if grid_id else None
        if g is None:
            raise DomainError(_("Choose the grid."), code=CoreError.REQUIRED, field="grid")
        place = {
            "community_id": g.community_id,
            "grid_id": g.pk,
            "building_id": None,
            "unit_id": None,
        }
    elif scope == Scope.COMMUNITY:
        if not community_id:
            raise DomainError(
                _("Choose the community."), code=CoreError.REQUIRED, field="community"
            )
        place = {
            "community_id": community_id,
            "grid_id": None,
            "building_id": None,
            "unit_id": None,
        }
    else:
        raise DomainError(_("Unknown scope."), code=CoreError.INVALID_CHOICE, field="scope")
    if place["community_id"] not in actor.community_ids and actor is not SYSTEM:
        raise NotFound(_("Not found."))
    if community_id and place["community_id"] != community_id:
        raise NotFound(_("Not found."))
    return {"scope": scope, **place}


def place_from_code(*, actor: Actor, community_id: int, code: str) -> dict[str, Any]:
    """A place as staff write it: "" for the whole community, "12" for building 12, "12-2"
    for its staircase (unit) 2. Returns the scope and its ids (inside the actor's reach)."""
    code = code.strip()
    if not code:
        return _place(actor, Scope.COMMUNITY, community_id=community_id)
    number, _sep, unit_no = code.partition("-")
    b = Building.objects.filter(community_id=community_id, number=number.strip()).first()
    if b is None:
        raise DomainError(
            _("There is no building “%(code)s”.") % {"code": number[:20]},
            code=CoreError.INVALID_CHOICE,
            field="place",
        )
    if not unit_no:
        return _place(actor, Scope.BUILDING, community_id=community_id, building_id=b.pk)
    unit = Unit.objects.filter(
        building=b, number=int(unit_no) if unit_no.strip().isdigit() else -1
    ).first()
    if unit is None:
        raise DomainError(
            _("Building %(b)s has no unit “%(u)s”.") % {"b": b.number, "u": unit_no[:10]},
            code=CoreError.INVALID_CHOICE,
            field="place",
        )
    return _place(actor, Scope.STAIRCASE, community_id=community_id, unit_id=unit.pk)


def _place_kwargs(place: dict[str, Any]) -> dict[str, Any]:
    return {k: place[k] for k in ("scope", "community_id", "grid_id", "building_id", "unit_id")}


def property_set(
    *,
    actor: Actor,
    household_id: int,
    area: Decimal,
    owner_key: str,
    owner_label: str,
    co_owners: int = 1,
    owner_resident_id: int | None = None,
) -> Property:
    """Record (or correct) the ownership of a flat: registered exclusive area and owner key."""
    if actor is not SYSTEM:
        require(actor, MANAGE)
    with transaction.atomic():
        h = Household.objects.select_related("building").filter(pk=household_id).first()
        if h is None or (actor is not SYSTEM and h.community_id not in actor.community_ids):
            raise NotFound(_("Not found."))
        if area < 0:
            raise DomainError(
                _("An area cannot be negative."), code=CoreError.INVALID_NUMBER, field="area"
            )
        row, _created = Property.objects.update_or_create(
            household=h,
            defaults={
                "community_id": h.community_id,
                "grid_id": h.building.grid_id,
                "building_id": h.building_id,
                "unit_id": h.unit_id,
                "area": area,
                "owner_key": owner_key,
                "owner_label": owner_label,
                "co_owners": co_owners,
                "owner_resident_id": owner_resident_id,
            },
        )
        _audit(
            actor, AuditEvent.Action.UPDATE, row, h.community_id, area=str(area), owner=owner_key
        )
        return row


# --- matters ------------------------------------------------------------------------------------


@transaction.atomic
def matter_create(
    *,
    actor: Actor,
    title: str,
    scope: str,
    community_id: int | None = None,
    grid_id: int | None = None,
    building_id: int | None = None,
    unit_id: int | None = None,
    description: str = "",
    base_rule: str = BaseRule.ORDINARY,
    proposed_on: dt.date | None = None,
) -> Matter:
    if actor is not SYSTEM:
        require(actor, MANAGE)
    if not title.strip():
        raise DomainError(_("Give the matter a title."), code=CoreError.REQUIRED, field="title")
    place = _place(
        actor,
        scope,
        community_id=community_id,
        grid_id=grid_id,
        building_id=building_id,
        unit_id=unit_id,
    )
    matter = Matter.objects.create(
        title=title.strip()[:200],
        description=description,
        base_rule=base_rule,
        proposed_on=proposed_on or dates.local_today(),
        **place,
    )
    _audit(actor, AuditEvent.Action.CREATE, matter, matter.community_id, title=matter.title)
    return matter


def _resolution_evidence(matter: Matter) -> bool:
    """The residents' meeting resolved: a held, quorate meeting on the matter with an adopted
    decision, or a closed vote on it that passed."""
    if Decision.objects.filter(
        matter=matter,
        adopted=True,
        meeting__status=MeetingStatus.HELD,
        meeting__attendees__gte=F("meeting__invited") / 2 + 1,
    ).exists():
        return True
    for vote in Vote.objects.filter(matter=matter, status=VoteStatus.CLOSED):
        if selectors.vote_tally(vote).passed:
            return True
    return False


@transaction.atomic
def matter_complete_step(
    *,
    actor: Actor,
    public_id: Any,
    outcome: str,
    on: dt.date | None = None,
    note: str = "",
    documents: str = "",
) -> Matter:
    """Record the active step (who, when, outcome, documents) and make the next one active. A
    rejected step drops the matter. The resolution step needs the meeting's adopted decision or a
    passed vote; steps cannot be skipped (only the active one can be recorded)."""
    matter = access(actor, MANAGE, Matter.objects.select_for_update(), public_id=public_id)
    if outcome not in StepOutcome.values:
        raise DomainError(_("Choose an outcome."), code=CoreError.INVALID_CHOICE, field="outcome")
    current = matter.step
    if current not in STEP_ORDER[:-1]:
        MATTER_MACHINE.check(MatterTransition.COMPLETE_STEP, current)
    if (
        current == Step.RESOLUTION
        and outcome != StepOutcome.REJECTED
        and not _resolution_evidence(matter)
    ):
        raise DomainError(
            _(
                "The residents' meeting has not resolved yet: record a quorate meeting with an "
                "adopted decision, or a vote that passed."
            ),
            code=DeliberationError.STAGE_GATED,
        )
    day = on or dates.local_today()
    MatterStep.objects.create(
        matter=matter,
        step=current,
        outcome=outcome,
        on=day,
        note=note,
        documents=documents[:300],
        by_id=actor.user_id,
        by_label=actor.label[:150],
    )
    if outcome == StepOutcome.REJECTED:
        MATTER_MACHINE.move(matter, MatterTransition.DROP, to=Step.DROPPED)
    else:
        nxt = STEP_ORDER[STEP_ORDER.index(Step(current)) + 1]
        MATTER_MACHINE.move(matter, MatterTransition.COMPLETE_STEP, to=nxt)
    _audit(
        actor, AuditEvent.Action.UPDATE, matter, matter.community_id, step=current, outcome=outcome
    )
    return matter


# --- meetings -----------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    title: str,
    kind: str,
    scope: str,
    starts_at: dt.datetime,
    place_name: str,
    agenda: str,
    invited: int,
    community_id: int | None = None,
    grid_id: int | None = None,
    building_id: int | None = None,
    unit_id: int | None = None,
    matter_public_id: Any = None,
) -> Meeting:
    if actor is not SYSTEM:
        require(actor, MANAGE)
    if invited < 1:
        raise DomainError(
            _("Invite at least one household."), code=CoreError.INVALID_NUMBER, field="invited"
        )
    place = _place(
        actor,
        scope,
        community_id=community_id,
        grid_id=grid_id,
        building_id=building_id,
        unit_id=unit_id,
    )
    matter = (
        access(actor, VIEW, Matter.objects.all(), public_id=matter_public_id)
        if matter_public_id
        else None
    )
    meeting = Meeting.objects.create(
        title=title[:200],
        kind=kind,
        starts_at=starts_at,
        place_name=place_name[:100],
        agenda=agenda,
        invited=invited,
        matter=matter,
        **place,
    )
    _audit(actor, AuditEvent.Action.CREATE, meeting, meeting.community_id, title=meeting.title)
    return meeting


def meeting_sign_in(
    *, actor: Actor, public_id: Any, household_id: int, via: str = SignIn.STAFF
) -> Meeting:
    """Sign a household in (once: the database refuses a second sign-in)."""
    meeting = access(actor, RECORD, Meeting.objects.all(), public_id=public_id)
    return _sign_in(meeting, household_id, via)


def _sign_in(meeting: Meeting, household_id: int, via: str) -> Meeting:
    with transaction.atomic():
        if meeting.status != MeetingStatus.PLANNED:
            raise DomainError(
                _("Sign-in is only open before the meeting is recorded."),
                code=CoreError.INVALID_TRANSITION,
            )
        h = Household.objects.filter(pk=household_id, community_id=meeting.community_id).first()
        if h is None:
            raise NotFound(_("Not found."))
        try:
            with transaction.atomic():
                Attendance.objects.create(meeting=meeting, household=h, via=via)
        except IntegrityError:
            raise Conflict(
                _("This household has already signed in."), code=CoreError.CONFLICT
            ) from None
        update_if(Meeting, pk=meeting.pk, attendees=F("attendees") + 1)
        meeting.refresh_from_db(fields=["attendees"])
        return meeting


def meeting_check_in(*, actor: Actor, public_id: Any) -> Meeting:
    """A resident signs his household in by scanning the meeting's QR code (once)."""
    hid = selectors.resident_household_id(actor)
    if hid is None:
        raise NotFound(_("Not found."))
    meeting = selectors.meeting_for_resident(actor, public_id)
    return _sign_in(meeting, hid, SignIn.QR)


@transaction.atomic
def meeting_hold(
    *, actor: Actor, public_id: Any, minutes: str, attendees: int | None = None
) -> Meeting:
    """Record the meeting as held with its minutes (attendees from the sign-in, or counted by
    staff when signing in was on paper)."""
    meeting = access(actor, RECORD, Meeting.objects.all(), public_id=public_id)
    if not minutes.strip():
        raise DomainError(_("Write the minutes."), code=CoreError.REQUIRED, field="minutes")
    values: dict[str, Any] = {"minutes": minutes}
    if attendees is not None:
        if attendees < 0 or attendees > meeting.invited:
            raise DomainError(
                _("More signed in than were invited."),
                code=CoreError.INVALID_NUMBER,
                field="attendees",
            )
        values["attendees"] = attendees
    MEETING_MACHINE.move(meeting, MeetingTransition.HOLD, to=MeetingStatus.HELD, **values)
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        meeting,
        meeting.community_id,
        status="held",
        attendees=meeting.attendees,
    )
    return meeting


@transaction.atomic
def decision_add(
    *,
    actor: Actor,
    meeting_public_id: Any,
    text: str,
    votes_for: int,
    votes_against: int = 0,
    votes_abstain: int = 0,
    matter_public_id: Any = None,
) -> Decision:
    """A decision is adopted when the meeting is quorate (more than half of those invited signed
    in) and more than half of those present voted for it."""
    meeting = access(actor, RECORD, Meeting.objects.all(), public_id=meeting_public_id)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(_("Record the meeting as held first."), code=CoreError.INVALID_TRANSITION)
    if (
        min(votes_for, votes_against, votes_abstain) < 0
        or votes_for + votes_against + votes_abstain > meeting.attendees
    ):
        raise DomainError(
            _("More votes than people present."), code=CoreError.INVALID_NUMBER, field="votes_for"
        )
    matter = (
        access(actor, VIEW, Matter.objects.all(), public_id=matter_public_id)
        if matter_public_id
        else meeting.matter
    )
    adopted = meeting.quorate and votes_for * 2 > meeting.attendees
    decision = Decision.objects.create(
        meeting=meeting,
        matter=matter,
        text=text,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        adopted=adopted,
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        meeting,
        meeting.community_id,
        decision=text[:100],
        adopted=adopted,
    )
    return decision


# --- notices and objections ---------------------------------------------------------------------


@transaction.atomic
def notice_create(
    *,
    actor: Actor,
    title: str,
    body: str,
    scope: str,
    starts_on: dt.date,
    ends_on: dt.date,
    community_id: int | None = None,
    grid_id: int | None = None,
    building_id: int | None = None,
    unit_id: int | None = None,
    on_board: bool = True,
    on_portal: bool = True,
    matter_public_id: Any = None,
    project: ElevatorProject | None = None,
    rule_set: RuleSet | None = None,
) -> Notice:
    """A draft notice. Its period counts both ends and must last the rule set's notice days."""
    if actor is not SYSTEM:
        require(actor, MANAGE)
    if ends_on < starts_on:
        raise DomainError(
            _("The notice ends before it starts."), code=CoreError.INVALID_DATE, field="ends_on"
        )
    place = _place(
        actor,
        scope,
        community_id=community_id,
        grid_id=grid_id,
        building_id=building_id,
        unit_id=unit_id,
    )
    rules = rule_set or _rule_set(place["community_id"], "art278-ordinary")
    days = (ends_on - starts_on).days + 1
    if days < rules.notice_days:
        raise DomainError(
            _("A notice must stay up at least %(days)s days (this one: %(have)s).")
            % {"days": rules.notice_days, "have": days},
            code=CoreError.INVALID_DATE,
            field="ends_on",
        )
    matter = (
        access(actor, VIEW, Matter.objects.all(), public_id=matter_public_id)
        if matter_public_id
        else None
    )
    notice = Notice.objects.create(
        title=title[:200],
        body=body,
        starts_on=starts_on,
        ends_on=ends_on,
        on_board=on_board,
        on_portal=on_portal,
        reply_days=rules.reply_days,
        matter=matter,
        project=project,
        **place,
    )
    _audit(actor, AuditEvent.Action.CREATE, notice, notice.community_id, title=notice.title)
    return notice


@transaction.atomic
def notice_publish(*, actor: Actor, public_id: Any) -> Notice:
    notice = access(actor, MANAGE, Notice.objects.all(), public_id=public_id)
    NOTICE_MACHINE.move(notice, NoticeTransition.PUBLISH, to=NoticeStatus.PUBLISHED)
    _audit(actor, AuditEvent.Action.UPDATE, notice, notice.community_id, status="published")
    return notice


@transaction.atomic
def objection_lodge(
    *,
    actor: Actor,
    notice_public_id: Any,
    about: str,
    objector: str = "",
    household_id: int | None = None,
    on: dt.date | None = None,
) -> Objection:
    """A written objection to a published notice within its period: the resident for his own
    household in the portal, or staff for a letter. The reply is due `reply_days` later."""
    day = on or dates.local_today()
    resident_household = selectors.resident_household_id(actor)
    if resident_household is not None and household_id is None:
        notice = selectors.notice_for_resident(actor, notice_public_id)
        household_id = resident_household
        objector = objector or actor.label
    else:
        notice = access(actor, RECORD, Notice.objects.all(), public_id=notice_public_id)
    if not about.strip():
        raise DomainError(
            _("Say what the objection is about."), code=CoreError.REQUIRED, field="about"
        )
    if not objector.strip():
        raise DomainError(_("Name the objector."), code=CoreError.REQUIRED, field="objector")
    if notice.status != NoticeStatus.PUBLISHED or not (notice.starts_on <= day <= notice.ends_on):
        raise DomainError(
            _("Objections are taken while the notice is up."),
            code=DeliberationError.NOTICE_NOT_OPEN,
        )
    if (
        household_id is not None
        and not Household.objects.filter(pk=household_id, community_id=notice.community_id).exists()
    ):
        raise NotFound(_("Not found."))
    objection = Objection.objects.create(
        notice=notice,
        household_id=household_id,
        objector=objector.strip()[:60],
        lodged_on=day,
        about=about,
        due_on=day + dt.timedelta(days=notice.reply_days),
    )
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        objection,
        notice.community_id,
        notice=str(notice.public_id),
    )
    return objection


@transaction.atomic
def objection_reply(
    *, actor: Actor, public_id: Any, reply: str, on: dt.date | None = None
) -> Objection:
    objection = access(
        actor, RECORD, Objection.objects.select_related("notice"), public_id=public_id
    )
    if not reply.strip():
        raise DomainError(_("Write the reply."), code=CoreError.REQUIRED, field="reply")
    day = on or dates.local_today()
    if day < objection.lodged_on:
        raise DomainError(
            _("A reply cannot predate the objection."), code=CoreError.INVALID_DATE, field="on"
        )
    if not update_if(
        Objection, pk=objection.pk, where={"replied_on__isnull": True}, reply=reply, replied_on=day
    ):
        raise Conflict(_("The objection has already been answered."), code=CoreError.CONFLICT)
    objection.reply, objection.replied_on = reply, day
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        objection,
        objection.notice.community_id,
        replied_on=str(day),
    )
    return objection


# --- votes and ballots --------------------------------------------------------------------------


def _electorate(place: dict[str, Any]) -> list[Elector]:
    """One elector per head among the scope's flats (SPC art. 9): flats with one owner key are
    one head, their areas summed in hundredths of m²."""
    props = Property.objects.filter(community_id=place["community_id"]).select_related("household")
    if place["unit_id"]:
        props = props.filter(unit_id=place["unit_id"])
    elif place["building_id"]:
        props = props.filter(building_id=place["building_id"])
    elif place["grid_id"]:
        props = props.filter(grid_id=place["grid_id"])
    heads: dict[str, Elector] = {}
    for p in props.order_by("unit_id", "household__floor", "household__room").iterator():
        e = heads.get(p.owner_key)
        flat = {
            "household": p.household_id,
            "room": p.household.room,
            "floor": p.household.floor,
            "area": str(p.area),
            "unit": p.unit_id,
        }
        if e is None:
            e = heads[p.owner_key] = Elector(
                owner_key=p.owner_key,
                label=p.owner_label,
                area_cm=0,
                flats=[],
                household_id=p.household_id,
                resident_id=p.owner_resident_id,
                top_floor=p.household.floor,
            )
        e.area_cm += int(p.area * 100)
        e.flats.append(flat)
        e.top_floor = max(e.top_floor, p.household.floor)
        if e.resident_id is None and p.owner_resident_id:
            e.resident_id = p.owner_resident_id
    return list(heads.values())


def vote_open(
    *,
    actor: Actor,
    title: str,
    scope: str,
    opens_on: dt.date,
    closes_on: dt.date,
    rule_set_code: str = "",
    base_rule: str = "",
    community_id: int | None = None,
    grid_id: int | None = None,
    building_id: int | None = None,
    unit_id: int | None = None,
    matter_public_id: Any = None,
    notify: bool = True,
) -> Vote:
    """Open a vote: snapshot the scope's owners (one elector per head) and tell those with an
    account that a vote is open for them."""
    if actor is not SYSTEM:
        require(actor, MANAGE)
    with transaction.atomic():
        if closes_on < opens_on:
            raise DomainError(
                _("The vote closes before it opens."),
                code=CoreError.INVALID_DATE,
                field="closes_on",
            )
        place = _place(
            actor,
            scope,
            community_id=community_id,
            grid_id=grid_id,
            building_id=building_id,
            unit_id=unit_id,
        )
        rules = _rule_set(place["community_id"], rule_set_code) if rule_set_code else None
        rule = base_rule or (rules.base_rule if rules else "")
        if rule not in BaseRule.values:
            raise DomainError(
                _("Choose the rule."), code=CoreError.INVALID_CHOICE, field="base_rule"
            )
        matter = (
            access(actor, VIEW, Matter.objects.all(), public_id=matter_public_id)
            if matter_public_id
            else None
        )
        electors = _electorate(place)
        if not electors:
            raise DomainError(
                _("No owner is registered in this scope, so there is nobody to vote."),
                code=CoreError.INVALID,
                field="scope",
            )
        vote = Vote.objects.create(
            title=title[:200],
            matter=matter,
            rule_set=rules,
            base_rule=rule,
            staircase_unanimous=bool(
                rules and rules.staircase_unanimous and scope == Scope.STAIRCASE
            ),
            opens_on=opens_on,
            closes_on=closes_on,
            **place,
        )
        for e in electors:
            e.vote = vote
        Elector.objects.bulk_create(electors, batch_size=1000)
        _audit(
            actor,
            AuditEvent.Action.CREATE,
            vote,
            vote.community_id,
            electors=len(electors),
            rule=rule,
        )
        if notify:
            user_ids = selectors.elector_user_ids(vote)
            publish(
                Message(
                    key=f"deliberation.vote_opened:{vote.pk}",
                    kind="deliberation.vote_opened",
                    user_ids=tuple(user_ids),
                    title=_("A vote is open for you: %(title)s") % {"title": vote.title},
                    body=_("Until %(day)s.") % {"day": vote.closes_on.isoformat()},
                    url=reverse("deliberation:my_vote", args=[vote.public_id]),
                    community_id=vote.community_id,
                )
            )
        return vote


def ballot_cast(
    *,
    actor: Actor,
    vote_public_id: Any,
    choice: str,
    owner_key: str = "",
    channel: str = "",
    proxy_name: str = "",
    authorisation_ref: str = "",
    signature_ref: str = "",
    change: bool = False,
    today: dt.date | None = None,
) -> Ballot:
    """Record a head's ballot. Staff enter a written consent (or a proxy's, with the written
    authorisation) for `owner_key`; a resident votes for himself in the portal. One ballot per
    head, guaranteed by the database; `change=True` replaces it and keeps the old one in the
    history. Outside the electorate, after the deadline or a second ballot: nothing is written."""
    day = today or dates.local_today()
    if choice not in Choice.values:
        raise DomainError(
            _("Choose agree, object, abstain or unreachable."),
            code=CoreError.INVALID_CHOICE,
            field="choice",
        )
    with transaction.atomic():
        resident_household = selectors.resident_household_id(actor)
        if resident_household is not None:
            vote = selectors.vote_for_resident(actor, vote_public_id)
            elector = selectors.own_elector(actor, vote)
            if elector is None:
                raise DomainError(
                    _("You are not an owner in this vote's electorate."),
                    code=DeliberationError.NOT_IN_ELECTORATE,
                )
            if choice == Choice.UNREACHABLE:
                raise DomainError(
                    _("Choose agree, object or abstain."),
                    code=CoreError.INVALID_CHOICE,
                    field="choice",
                )
            channel = Channel.PORTAL
        else:
            vote = access(actor, RECORD, Vote.objects.all(), public_id=vote_public_id)
            elector = (
                Elector.objects.filter(vote=vote, owner_key=owner_key).first()
                if owner_key
                else None
            )
            if elector is None:
                raise DomainError(
                    _("“%(owner)s” is not in this vote's electorate.") % {"owner": owner_key[:64]},
                    code=DeliberationError.NOT_IN_ELECTORATE,
                    field="owner_key",
                )
            channel = channel or Channel.PAPER
            if channel not in (Channel.PAPER, Channel.PROXY):
                raise DomainError(
                    _("Staff record paper or proxy ballots."),
                    code=CoreError.INVALID_CHOICE,
                    field="channel",
                )
            if channel == Channel.PROXY and not (proxy_name.strip() and authorisation_ref.strip()):
                raise DomainError(
                    _("A proxy ballot needs the proxy's name and the written authorisation."),
                    code=DeliberationError.AUTHORISATION_REQUIRED,
                    field="authorisation_ref",
                )
        if vote.status != VoteStatus.OPEN or day > vote.closes_on or day < vote.opens_on:
            raise DomainError(
                _("The vote is not open (it runs %(start)s to %(end)s).")
                % {"start": vote.opens_on, "end": vote.closes_on},
                code=DeliberationError.VOTE_CLOSED,
            )
        now = timezone.now()
        values = {
            "choice": choice,
            "channel": channel,
            "proxy_name": proxy_name[:60],
            "authorisation_ref": authorisation_ref[:100],
            "signature_ref": signature_ref[:100],
            "recorded_by_id": actor.user_id,
            "recorded_by_label": actor.label[:150],
            "recorded_at": now,
        }
        existing = Ballot.objects.select_for_update().filter(elector=elector).first()
        if existing is not None:
            if not change:
                raise Conflict(
                    _("%(owner)s already has a ballot (%(choice)s); change it instead.")
                    % {"owner": elector.label, "choice": Choice(existing.choice).label},
                    code=DeliberationError.SECOND_BALLOT,
                )
            BallotChange.objects.create(
                ballot=existing,
                choice=existing.choice,
                channel=existing.channel,
                recorded_by_label=existing.recorded_by_label,
                recorded_at=existing.recorded_at,
            )
            if not update_if(
                Ballot,
                pk=existing.pk,
                where={"version": existing.version},
                version=existing.version + 1,
                **values,
            ):
                raise Conflict(
                    _("Someone changed this ballot a moment ago."), code=CoreError.CONFLICT
                )
            existing.refresh_from_db()
            ballot = existing
        else:
            try:
                with transaction.atomic():
                    ballot = Ballot.objects.create(vote=vote, elector=elector, **values)
            except IntegrityError:
                raise Conflict(
                    _("%(owner)s already has a ballot; change it instead.")
                    % {"owner": elector.label},
                    code=DeliberationError.SECOND_BALLOT,
                ) from None
        _audit(
            actor,
            AuditEvent.Action.UPDATE if existing else AuditEvent.Action.CREATE,
            vote,
            vote.community_id,
            owner=elector.owner_key,
            choice=choice,
            channel=channel,
        )
        return ballot


@transaction.atomic
def vote_close(*, actor: Actor, public_id: Any) -> Vote:
    vote = access(actor, MANAGE, Vote.objects.all(), public_id=public_id)
    VOTE_MACHINE.move(vote, VoteTransition.CLOSE, to=VoteStatus.CLOSED)
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        vote,
        vote.community_id,
        status="closed",
        passed=selectors.vote_tally(vote).passed,
    )
    return vote


# --- elevator projects --------------------------------------------------------------------------


def _split_shares(project: ElevatorProject, rules: RuleSet) -> list[CostShare]:
    props = list(Property.objects.filter(unit_id=project.unit_id or 0).select_related("household"))
    if not props:
        raise DomainError(
            _("No flat of this staircase has a registered owner and area."),
            code=DeliberationError.SPLIT_IMPOSSIBLE,
        )
    payers = [
        costs.Payer(str(p.household_id), p.household.floor, p.area, p.household.room) for p in props
    ]
    coeffs = rules.floor_coefficients or {"default": "1"}
    try:
        cost = costs.split(project.owners_cost_fen, payers, coeffs)
        upkeep = costs.split(project.maintenance_fen, payers, coeffs)
        power = costs.split(project.electricity_fen, payers, coeffs)
    except costs.SplitError as exc:
        raise DomainError(
            _("The cost cannot be shared: no household on a paying floor."),
            code=DeliberationError.SPLIT_IMPOSSIBLE,
        ) from exc
    return [
        CostShare(
            project=project,
            household_id=p.household_id,
            floor=p.household.floor,
            area=p.area,
            coefficient=costs.coefficient(coeffs, p.household.floor),
            share_fen=cost[str(p.household_id)],
            maintenance_fen=upkeep[str(p.household_id)],
            electricity_fen=power[str(p.household_id)],
        )
        for p in props
    ]


def _fen(yuan_amount: Decimal | int | str, field: str) -> int:
    try:
        value = Decimal(str(yuan_amount))
    except Exception:
        raise DomainError(_("Not an amount."), code=CoreError.INVALID_NUMBER, field=field) from None
    if (
        not value.is_finite()
        or value < 0
        or value != value.quantize(Decimal("0.01"))
        or value > 10**9
    ):
        raise DomainError(
            _("Amounts are in yuan, at most two decimals, not negative."),
            code=CoreError.INVALID_NUMBER,
            field=field,
        )
    return int(value * 100)


@transaction.atomic
def project_create(
    *,
    actor: Actor,
    unit_id: int,
    total_cost_yuan: Decimal | int | str,
    maintenance_yuan: Decimal | int | str = 0,
    electricity_yuan: Decimal | int | str = 0,
    rule_set_code: str = "yangzhou-elevator",
    title: str = "",
    proposed_on: dt.date | None = None,
) -> ElevatorProject:
    """Propose a retrofit for a staircase: the subsidy follows the rule set and the building's
    storeys; the owners' part is split by floor coefficient × area, exact to the fen."""
    if actor is not SYSTEM:
        require(actor, MANAGE)
    place = _place(actor, Scope.STAIRCASE, community_id=None, unit_id=unit_id)
    rules = _rule_set(place["community_id"], rule_set_code)
    unit = Unit.objects.select_related("building").get(pk=unit_id)
    if unit.building.has_elevator:
        raise DomainError(
            _("This building already has elevators."), code=CoreError.INVALID, field="unit"
        )
    if ElevatorProject.objects.filter(unit_id=unit_id).exists():
        raise Conflict(
            _("This staircase already has an elevator project."), code=CoreError.CONFLICT
        )
    total = _fen(total_cost_yuan, "total_cost_yuan")
    subsidy = min(costs.subsidy_for(rules.subsidies, unit.building.floors) * 100, total)
    project = ElevatorProject.objects.create(
        title=title or f"{unit.building.number}栋{unit.number}单元加装电梯",
        rule_set=rules,
        total_cost_fen=total,
        subsidy_fen=subsidy,
        maintenance_fen=_fen(maintenance_yuan, "maintenance_yuan"),
        electricity_fen=_fen(electricity_yuan, "electricity_yuan"),
        proposed_on=proposed_on or dates.local_today(),
        **place,
    )
    CostShare.objects.bulk_create(_split_shares(project, rules))
    StageEvent.objects.create(
        project=project, stage=Stage.PROPOSED, on=project.proposed_on, by_label=actor.label[:150]
    )
    _audit(
        actor, AuditEvent.Action.CREATE, project, project.community_id, cost=total, subsidy=subsidy
    )
    return project


def _gate(project: ElevatorProject, transition: str, day: dt.date) -> None:
    """What each stage needs before it can be entered (the message says what is missing)."""
    if transition == StageTransition.REACH_CONSENT:
        if project.vote is None:
            raise DomainError(_("No consent round is open."), code=DeliberationError.STAGE_GATED)
        t = selectors.vote_tally(project.vote)
        if not t.passed:
            raise DomainError(t.missing_text(), code=DeliberationError.THRESHOLD_NOT_MET)
        if project.objections.filter(status=ObjectionStatus.OPEN).exists():
            raise DomainError(
                _("An owner's objection is still open: settle it first."),
                code=DeliberationError.STAGE_GATED,
            )
    elif transition == StageTransition.FILE_APPROVAL:
        notice = project.notices.filter(status=NoticeStatus.PUBLISHED).order_by("-ends_on").first()
        if notice is None:
            raise DomainError(
                _("The public notice has not been published."), code=DeliberationError.STAGE_GATED
            )
        if day <= notice.ends_on:
            raise DomainError(
                _("The notice is up until %(day)s.") % {"day": notice.ends_on},
                code=DeliberationError.STAGE_GATED,
            )
        if notice.objections.filter(replied_on__isnull=True).exists():
            raise DomainError(
                _("An objection to the notice has not been answered."),
                code=DeliberationError.STAGE_GATED,
            )
    elif transition == StageTransition.START_CONSTRUCTION:
        collected = project.shares.aggregate(s=Sum("collected_fen"))["s"] or 0
        if collected < project.owners_cost_fen:
            raise DomainError(
                _("Owners' funds collected: %(have)s of %(need)s yuan.")
                % {"have": costs.yuan(collected), "need": costs.yuan(project.owners_cost_fen)},
                code=DeliberationError.STAGE_GATED,
            )


@transaction.atomic
def project_advance(
    *,
    actor: Actor,
    public_id: Any,
    transition: str,
    on: dt.date | None = None,
    note: str = "",
    documents: str = "",
) -> ElevatorProject:
    """Move a project to its next stage, gated by the stage's rule."""
    project = access(
        actor,
        MANAGE,
        ElevatorProject.objects.select_related("vote", "rule_set", "building", "unit"),
        public_id=public_id,
    )
    if transition not in STAGE_TARGET:
        raise DomainError(_("Unknown action."), code=CoreError.INVALID_CHOICE, field="transition")
    day = on or dates.local_today()
    PROJECT_MACHINE.check(transition, project.stage)
    _gate(project, transition, day)
    values: dict[str, Any] = {"stuck_reason": ""}
    if transition == StageTransition.CONSULT and project.vote is None:
        vote = vote_open(
            actor=actor,
            title=_("Written consent: %(title)s") % {"title": project.title},
            scope=Scope.STAIRCASE,
            unit_id=project.unit_id,
            rule_set_code=project.rule_set.code,
            opens_on=day,
            closes_on=day + dt.timedelta(days=90),
        )
        values["vote"] = vote
    if transition == StageTransition.REACH_CONSENT:
        values["signed_on"] = day
        assert project.vote is not None
        if project.vote.status == VoteStatus.OPEN:
            VOTE_MACHINE.move(project.vote, VoteTransition.CLOSE, to=VoteStatus.CLOSED)
    if transition == StageTransition.POST_NOTICE:
        rules = project.rule_set
        notice = notice_create(
            actor=actor,
            title=_("Public notice: %(title)s") % {"title": project.title},
            body=note
            or _(
                "The owners of this staircase have consented to an elevator retrofit. Written "
                "objections may be lodged during the notice period."
            ),
            scope=Scope.STAIRCASE,
            unit_id=project.unit_id,
            starts_on=day,
            ends_on=day + dt.timedelta(days=rules.notice_days - 1),
            project=project,
            rule_set=rules,
        )
        notice_publish(actor=actor, public_id=notice.public_id)
    if transition == StageTransition.OPEN_SERVICE:
        values["in_service_on"] = day
    PROJECT_MACHINE.move(
        project, transition, to=STAGE_TARGET[StageTransition(transition)], **values
    )
    StageEvent.objects.create(
        project=project,
        stage=project.stage,
        on=day,
        by_label=actor.label[:150],
        note=note[:300],
        documents=documents[:300],
    )
    _audit(actor, AuditEvent.Action.UPDATE, project, project.community_id, stage=project.stage)
    return project


@transaction.atomic
def project_stuck(*, actor: Actor, public_id: Any, reason: str) -> ElevatorProject:
    project = access(actor, RECORD, ElevatorProject.objects.all(), public_id=public_id)
    update_if(ElevatorProject, pk=project.pk, stuck_reason=reason[:300])
    project.stuck_reason = reason[:300]
    _audit(
        actor, AuditEvent.Action.UPDATE, project, project.community_id, stuck_reason=reason[:300]
    )
    return project


@transaction.atomic
def funds_record(
    *,
    actor: Actor,
    project_public_id: Any,
    household_id: int,
    pledged_yuan: Any = None,
    collected_yuan: Any = None,
) -> CostShare:
    project = access(actor, RECORD, ElevatorProject.objects.all(), public_id=project_public_id)
    share = (
        CostShare.objects.select_for_update()
        .filter(project=project, household_id=household_id)
        .first()
    )
    if share is None:
        raise NotFound(_("Not found."))
    if pledged_yuan is not None:
        share.pledged_fen = _fen(pledged_yuan, "pledged_yuan")
    if collected_yuan is not None:
        share.collected_fen = _fen(collected_yuan, "collected_yuan")
    share.save(update_fields=["pledged_fen", "collected_fen"])
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        project,
        project.community_id,
        household=household_id,
        pledged=share.pledged_fen,
        collected=share.collected_fen,
    )
    return share


@transaction.atomic
def project_objection_lodge(
    *,
    actor: Actor,
    project_public_id: Any,
    household_id: int,
    reason: str,
    detail: str = "",
    on: dt.date | None = None,
) -> ProjectObjection:
    project = access(actor, RECORD, ElevatorProject.objects.all(), public_id=project_public_id)
    if not CostShare.objects.filter(project=project, household_id=household_id).exists():
        raise DomainError(
            _("That flat is not in this staircase."),
            code=DeliberationError.NOT_IN_ELECTORATE,
            field="household",
        )
    obj = ProjectObjection.objects.create(
        project=project,
        household_id=household_id,
        reason=reason,
        detail=detail,
        lodged_on=on or dates.local_today(),
    )
    _audit(actor, AuditEvent.Action.CREATE, obj, project.community_id, reason=reason)
    return obj


@transaction.atomic
def project_objection_settle(
    *,
    actor: Actor,
    public_id: Any,
    settlement: str,
    compensation_yuan: Any = 0,
    agreement_ref: str = "",
    withdrawn: bool = False,
    on: dt.date | None = None,
) -> ProjectObjection:
    obj = access(
        actor, RECORD, ProjectObjection.objects.select_related("project"), public_id=public_id
    )
    if not settlement.strip():
        raise DomainError(_("Say how it was settled."), code=CoreError.REQUIRED, field="settlement")
    fen = _fen(compensation_yuan or 0, "compensation_yuan")
    if fen and not agreement_ref.strip():
        raise DomainError(
            _("A compensation needs its written agreement."),
            code=DeliberationError.AUTHORISATION_REQUIRED,
            field="agreement_ref",
        )
    status = ObjectionStatus.WITHDRAWN if withdrawn else ObjectionStatus.SETTLED
    if not update_if(
        ProjectObjection,
        pk=obj.pk,
        where={"status": ObjectionStatus.OPEN},
        status=status,
        settlement=settlement,
        compensation_fen=fen,
        agreement_ref=agreement_ref[:100],
        settled_on=on or dates.local_today(),
    ):
        raise Conflict(_("The objection is already settled."), code=CoreError.CONFLICT)
    obj.refresh_from_db()
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        obj,
        obj.project.community_id,
        status=status,
        compensation=fen,
    )
    return obj


__all__ = [
    "PARTICIPATE",
    "SYSTEM",
    "ballot_cast",
    "decision_add",
    "funds_record",
    "matter_complete_step",
    "matter_create",
    "meeting_create",
    "meeting_hold",
    "meeting_sign_in",
    "notice_create",
    "notice_publish",
    "objection_lodge",
    "objection_reply",
    "project_advance",
    "project_create",
    "project_objection_lodge",
    "project_objection_settle",
    "project_stuck",
    "property_set",
    "rulesets_ensure_defaults",
    "vote_close",
    "vote_open",
]
