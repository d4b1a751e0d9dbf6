"""Writes of volunteering: organisations and their incubation pipeline, teams, volunteers and
their records, activities with sign-up, waiting list, check-in/out and confirmed hours.
(The points ledger and the store are in `linli.volunteers.points`.)

Every service is keyword-only with the actor first, runs in one transaction, loads what it
changes through the permission engine and audits governance writes in the same transaction.
Seats are taken with a conditional UPDATE (`seats_taken < capacity`), statuses move with
conditional UPDATEs on the expected status, so two organisers clicking at once cannot both win.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from linli.core import dates, pii
from linli.core.audit import audit_record
from linli.core.errors import Conflict, CoreError, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, communities_for
from linli.core.states import update_if
from linli.registry.selectors import household_members, own_household, resident_get
from linli.registry.validators import normalize_phone
from linli.volunteers import points
from linli.volunteers.choices import (
    ACTIVITY_MACHINE,
    ACTIVITY_STATUS_AFTER,
    ORG_MACHINE,
    ORG_STAGE_AFTER,
    ORG_STAGE_DATE,
    SIGNUP_MACHINE,
    ActivityStatus,
    Audience,
    EntryKind,
    OrgStage,
    OrgType,
    SignupStatus,
    SignupTransition,
    TeamKind,
    VolunteerStatus,
)
from linli.volunteers.errors import VolunteersError
from linli.volunteers.models import (
    Activity,
    Award,
    PointsPolicy,
    Signup,
    SocialOrganisation,
    Team,
    Training,
    Volunteer,
)
from linli.volunteers.permissions import MANAGE, PORTAL, RUN_ACTIVITIES
from linli.volunteers.selectors import (
    manageable_activities,
    signup_get,
    signup_run,
    volunteer_for_resident,
)

QUARTER = Decimal("0.25")


def _community_allowed(actor: Actor, perm: str, community_id: int) -> None:
    if community_id not in communities_for(actor, perm):
        raise NotFound(_("Not found."))


# ---------------------------------------------------------------- organisations and teams


@transaction.atomic
def organisation_create(
    *,
    actor: Actor,
    community_id: int,
    name: str,
    org_type: str,
    guiding_party_org: str,
    applied_on: dt.date | None = None,
    leader_public_id: Any = None,
    description: str = "",
) -> SocialOrganisation:
    """Register an organisation's application to be incubated."""
    _community_allowed(actor, MANAGE, community_id)
    if org_type not in OrgType.values:
        raise DomainError(_("Choose a type."), code=CoreError.INVALID_CHOICE, field="org_type")
    leader = None
    if leader_public_id:
        leader = access(
            actor,
            MANAGE,
            Volunteer.objects.filter(community_id=community_id),
            public_id=leader_public_id,
        )
    try:
        with transaction.atomic():
            org = SocialOrganisation.objects.create(
                community_id=community_id,
                name=name.strip(),
                org_type=org_type,
                guiding_party_org=guiding_party_org.strip(),
                applied_on=applied_on or dates.local_today(),
                leader=leader,
                description=description.strip(),
            )
    except IntegrityError as exc:
        raise DomainError(
            _("An organisation of this name already exists."),
            code=VolunteersError.NAME_TAKEN,
            field="name",
        ) from exc
    if leader:
        org.members.add(leader)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=org,
        community_id=community_id,
        after={"name": org.name, "type": org_type, "stage": org.stage},
    )
    return org


@transaction.atomic
def organisation_advance(
    *, actor: Actor, organisation_id: int, to_stage: str, on: dt.date | None = None
) -> SocialOrganisation:
    """Move an organisation to its next stage along ORG_MACHINE (the date it got there is
    recorded), audited."""
    org = access(actor, MANAGE, SocialOrganisation.objects.all(), pk=organisation_id)
    transition = next((t for t, stage in ORG_STAGE_AFTER.items() if stage == to_stage), None)
    if transition is None or not ORG_MACHINE.can(transition, org.stage):
        raise DomainError(
            _("An organisation that is %(now)s cannot become %(to)s.")
            % {
                "now": OrgStage(org.stage).label,
                "to": OrgStage(to_stage).label if to_stage in OrgStage.values else to_stage,
            },
            code=CoreError.INVALID_TRANSITION,
            field="to_stage",
        )
    on = on or dates.local_today()
    if on < org.applied_on:
        raise DomainError(
            _("The date cannot be before the application."),
            code=CoreError.INVALID_DATE,
            field="on",
        )
    was = org.stage
    date_field = ORG_STAGE_DATE[to_stage]
    stamp: dict[str, Any] = {date_field: on}
    ORG_MACHINE.move(
        org,
        transition,
        to=to_stage,
        on_conflict=lambda: Conflict(_("Someone else changed this organisation first.")),
        **stamp,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=org,
        community_id=org.community_id,
        before={"stage": was},
        after={"stage": to_stage, date_field: on.isoformat()},
    )
    org.refresh_from_db()
    return org


@transaction.atomic
def team_create(
    *,
    actor: Actor,
    community_id: int,
    name: str,
    kind: str,
    organisation_id: int | None = None,
    leader_public_id: Any = None,
    description: str = "",
) -> Team:
    _community_allowed(actor, MANAGE, community_id)
    if kind not in TeamKind.values:
        raise DomainError(_("Choose a kind."), code=CoreError.INVALID_CHOICE, field="kind")
    organisation = None
    if organisation_id:
        organisation = access(
            actor,
            MANAGE,
            SocialOrganisation.objects.filter(community_id=community_id),
            pk=organisation_id,
        )
    leader = None
    if leader_public_id:
        leader = access(
            actor,
            MANAGE,
            Volunteer.objects.filter(community_id=community_id),
            public_id=leader_public_id,
        )
    try:
        with transaction.atomic():
            team = Team.objects.create(
                community_id=community_id,
                name=name.strip(),
                kind=kind,
                organisation=organisation,
                leader=leader,
                description=description.strip(),
            )
    except IntegrityError as exc:
        raise DomainError(
            _("A team of this name already exists."), code=VolunteersError.NAME_TAKEN, field="name"
        ) from exc
    if leader:
        team.members.add(leader)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=team,
        community_id=community_id,
        after={"name": team.name, "kind": kind},
    )
    return team


@transaction.atomic
def team_member_add(*, actor: Actor, team_id: int, volunteer_public_id: Any) -> Team:
    team = access(actor, MANAGE, Team.objects.all(), pk=team_id)
    volunteer = access(
        actor,
        MANAGE,
        Volunteer.objects.filter(community_id=team.community_id),
        public_id=volunteer_public_id,
    )
    team.members.add(volunteer)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=team,
        community_id=team.community_id,
        field="members",
        after={"added": volunteer.number},
    )
    return team


# ---------------------------------------------------------------- volunteers


def _next_number(community_id: int, year: int) -> str:
    prefix = f"ZY{year}"
    last = (
        Volunteer.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:06d}"


def _create_volunteer(**fields: Any) -> Volunteer:
    """Insert with the next free number; a race for a number retries, a second record for the
    same resident is refused."""
    year = fields["joined_on"].year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Volunteer.objects.create(
                    number=_next_number(fields["community_id"], year), **fields
                )
        except IntegrityError as exc:
            resident_id = fields.get("resident_id")
            if resident_id and Volunteer.objects.filter(resident_id=resident_id).exists():
                raise DomainError(
                    _("This resident is already a registered volunteer."),
                    code=VolunteersError.ALREADY_VOLUNTEER,
                ) from exc
    raise Conflict(_("Please try again."))


@transaction.atomic
def volunteer_register(
    *,
    actor: Actor,
    community_id: int,
    resident_public_id: Any = None,
    name: str = "",
    phone: str = "",
    gender: str = "",
    skills: str = "",
    availability: str = "",
    joined_on: dt.date | None = None,
) -> Volunteer:
    """Register a volunteer from a resident of the registry, or from outside the community with
    a name and a phone (stored encrypted with a lookup hash, shown masked)."""
    _community_allowed(actor, MANAGE, community_id)
    joined_on = joined_on or dates.local_today()
    fields: dict[str, Any] = {
        "community_id": community_id,
        "skills": skills.strip(),
        "availability": availability.strip(),
        "joined_on": joined_on,
    }
    if resident_public_id:
        resident = resident_get(actor, resident_public_id)
        if resident.community_id != community_id:
            raise NotFound(_("Not found."))
        if Volunteer.objects.filter(resident=resident).exists():
            raise DomainError(
                _("This resident is already a registered volunteer."),
                code=VolunteersError.ALREADY_VOLUNTEER,
            )
        account = points.account_open(
            community_id=community_id, resident_id=resident.pk, name=resident.name
        )
        fields.update(
            resident_id=resident.pk, name=resident.name, gender=resident.gender, account=account
        )
    else:
        name = name.strip()
        if not name:
            raise DomainError(_("Enter the name."), code=CoreError.REQUIRED, field="name")
        number = normalize_phone(phone)
        if not number:
            raise DomainError(
                _("A volunteer from outside the community needs a phone number."),
                code=CoreError.REQUIRED,
                field="phone",
            )
        phone_hash = pii.lookup_hash("phone", number)
        if Volunteer.objects.filter(community_id=community_id, phone_hash=phone_hash).exists():
            raise DomainError(
                _("A volunteer with this phone number is already registered."),
                code=VolunteersError.ALREADY_VOLUNTEER,
                field="phone",
            )
        account = points.account_open(community_id=community_id, name=name)
        fields.update(
            name=name,
            gender=gender,
            phone_encrypted=pii.encrypt(number),
            phone_hash=phone_hash,
            phone_masked=pii.mask_phone(number),
            account=account,
        )
    volunteer = _create_volunteer(**fields)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=volunteer,
        community_id=community_id,
        after={
            "number": volunteer.number,
            "name": volunteer.name,
            "phone": volunteer.phone_masked,
            "from_registry": bool(resident_public_id),
        },
    )
    return volunteer


@transaction.atomic
def volunteer_self_register(*, actor: Actor, skills: str = "", availability: str = "") -> Volunteer:
    """A resident registers himself as a volunteer in the portal (on his first sign-up)."""
    existing = volunteer_for_resident(actor)
    if existing:
        return existing
    household = own_household(actor)
    resident = (
        household_members(actor, household).filter(pk=actor.resident_id).first()
        if household and actor.resident_id
        else None
    )
    if resident is None:
        raise NotFound(_("Not found."))
    account = points.account_open(
        community_id=resident.community_id, resident_id=resident.pk, name=resident.name
    )
    volunteer = _create_volunteer(
        community_id=resident.community_id,
        resident_id=resident.pk,
        name=resident.name,
        gender=resident.gender,
        account=account,
        skills=skills.strip(),
        availability=availability.strip(),
        joined_on=dates.local_today(),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=volunteer,
        community_id=resident.community_id,
        after={"number": volunteer.number, "name": volunteer.name, "self": True},
    )
    return volunteer


@transaction.atomic
def volunteer_update(
    *,
    actor: Actor,
    volunteer_public_id: Any,
    skills: str,
    availability: str,
    status: str,
) -> Volunteer:
    volunteer = access(actor, MANAGE, Volunteer.objects.all(), public_id=volunteer_public_id)
    if status not in VolunteerStatus.values:
        raise DomainError(_("Choose a status."), code=CoreError.INVALID_CHOICE, field="status")
    before = {
        "skills": volunteer.skills,
        "availability": volunteer.availability,
        "status": volunteer.status,
    }
    after = {"skills": skills.strip(), "availability": availability.strip(), "status": status}
    Volunteer.objects.filter(pk=volunteer.pk).update(**after, updated_at=dates.local_now())
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=volunteer,
        community_id=volunteer.community_id,
        before=before,
        after=after,
    )
    volunteer.refresh_from_db()
    return volunteer


@transaction.atomic
def training_add(
    *,
    actor: Actor,
    volunteer_public_id: Any,
    title: str,
    held_on: dt.date,
    provider: str = "",
    hours: Decimal = Decimal(0),
) -> Training:
    volunteer = access(actor, MANAGE, Volunteer.objects.all(), public_id=volunteer_public_id)
    training = Training.objects.create(
        volunteer=volunteer, title=title.strip(), held_on=held_on, provider=provider, hours=hours
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=training,
        community_id=volunteer.community_id,
        after={"volunteer": volunteer.number, "title": training.title},
    )
    return training


@transaction.atomic
def award_add(
    *, actor: Actor, volunteer_public_id: Any, title: str, awarded_on: dt.date, issuer: str = ""
) -> Award:
    volunteer = access(actor, MANAGE, Volunteer.objects.all(), public_id=volunteer_public_id)
    award = Award.objects.create(
        volunteer=volunteer, title=title.strip(), awarded_on=awarded_on, issuer=issuer
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=award,
        community_id=volunteer.community_id,
        after={"volunteer": volunteer.number, "title": award.title},
    )
    return award


# ---------------------------------------------------------------- activities


@transaction.atomic
def activity_create(
    *,
    actor: Actor,
    community_id: int,
    title: str,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    description: str = "",
    team_id: int | None = None,
    organisation_id: int | None = None,
    hours_cap: Decimal | None = None,
) -> Activity:
    """Post an activity; whoever posts it is its organiser."""
    _community_allowed(actor, RUN_ACTIVITIES, community_id)
    if ends_at <= starts_at:
        raise DomainError(
            _("The activity must end after it starts."),
            code=CoreError.INVALID_DATE,
            field="ends_at",
        )
    if capacity < 1:
        raise DomainError(
            _("There must be at least one place."),
            code=CoreError.INVALID_NUMBER,
            field="capacity",
        )
    if hours_cap is not None and hours_cap <= 0:
        raise DomainError(
            _("The hours limit must be more than zero."),
            code=CoreError.INVALID_NUMBER,
            field="hours_cap",
        )
    team = organisation = None
    if team_id:
        team = Team.objects.filter(pk=team_id, community_id=community_id).first()
        if team is None:
            raise NotFound(_("Not found."), field="team")
    if organisation_id:
        organisation = SocialOrganisation.objects.filter(
            pk=organisation_id, community_id=community_id
        ).first()
        if organisation is None:
            raise NotFound(_("Not found."), field="organisation")
    activity = Activity.objects.create(
        community_id=community_id,
        title=title.strip(),
        description=description.strip(),
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        team=team,
        organisation=organisation,
        organiser_id=actor.user_id,
        hours_cap=hours_cap,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=activity,
        community_id=community_id,
        after={"title": activity.title, "starts_at": starts_at.isoformat(), "capacity": capacity},
    )
    return activity


@transaction.atomic
def activity_set_status(*, actor: Actor, activity_id: int, to_status: str) -> Activity:
    """Close, reopen, finish or cancel an activity one runs (along ACTIVITY_MACHINE), audited."""
    activity = access(actor, RUN_ACTIVITIES, manageable_activities(actor), pk=activity_id)
    transition = next(
        (t for t, status in ACTIVITY_STATUS_AFTER.items() if status == to_status), None
    )
    if transition is None:
        raise DomainError(
            _("This activity cannot change to that status."), code=CoreError.INVALID_TRANSITION
        )
    was = activity.status
    ACTIVITY_MACHINE.move(
        activity,
        transition,
        to=to_status,
        on_conflict=lambda: Conflict(_("Someone else changed this activity first.")),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=activity,
        community_id=activity.community_id,
        before={"status": was},
        after={"status": to_status},
    )
    activity.refresh_from_db()
    return activity


def _portal_activity(actor: Actor, activity_id: int) -> Activity:
    activity = Activity.objects.filter(
        pk=activity_id, community_id__in=communities_for(actor, PORTAL)
    ).first()
    if activity is None:
        raise NotFound(_("Not found."))
    return activity


@transaction.atomic
def activity_signup(
    *,
    actor: Actor,
    activity_id: int,
    at: dt.datetime | None = None,
    register_as_volunteer: bool = False,
) -> Signup:
    """A resident signs up in the portal: a seat while there is one, the waiting list after.

    At a residents' activity (a lecture, a festival, a class in a venue) the resident takes the
    place himself: no volunteer record is made. At a volunteer activity he must be a registered
    volunteer; someone who is not is told so, and is registered only when he asks for it
    (`register_as_volunteer`, the page's explicit "register and sign up" button) — never as a
    silent side effect."""
    at = at or dates.local_now()
    activity = _portal_activity(actor, activity_id)
    if activity.status != ActivityStatus.OPEN or activity.starts_at <= at:
        raise DomainError(
            _("Sign-up for this activity is closed."), code=VolunteersError.SIGNUP_CLOSED
        )
    if not actor.resident_id:
        raise NotFound(_("Not found."))
    volunteer = None
    if activity.audience == Audience.VOLUNTEERS:
        volunteer = volunteer_for_resident(actor)
        if volunteer is None:
            if not register_as_volunteer:
                raise DomainError(
                    _("This activity is for registered volunteers; register as one first."),
                    code=VolunteersError.NOT_A_VOLUNTEER,
                )
            volunteer = volunteer_self_register(actor=actor)
        if volunteer.status != VolunteerStatus.ACTIVE:
            raise DomainError(
                _("Your volunteer registration is not active."),
                code=VolunteersError.VOLUNTEER_INACTIVE,
            )
    return take_place(activity, volunteer=volunteer, resident_id=actor.resident_id)


def take_place(
    activity: Activity, *, volunteer: Volunteer | None, resident_id: int | None
) -> Signup:
    """The engine's one way to take a place (inside the caller's transaction): a seat with a
    conditional UPDATE while seats remain, else the waiting list; one live place per person."""
    seated = update_if(
        Activity,
        pk=activity.pk,
        where=Q(seats_taken__lt=F("capacity")),
        seats_taken=F("seats_taken") + 1,
    )
    status = SignupStatus.SIGNED_UP if seated else SignupStatus.WAITLISTED
    try:
        with transaction.atomic():
            signup = Signup.objects.create(
                activity=activity, volunteer=volunteer, resident_id=resident_id, status=status
            )
    except IntegrityError as exc:
        raise Conflict(
            _("You have already signed up for this activity."),
            code=VolunteersError.ALREADY_SIGNED_UP,
        ) from exc
    return signup


@transaction.atomic
def residents_activity_open(
    *,
    actor: Actor,
    community_id: int,
    title: str,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    description: str = "",
) -> Activity:
    """Open a residents' activity (sign-up, capacity, waiting list, QR check-in by this same
    engine) for a domain that holds its place — the venues domain, for an activity held in a
    venue booking. The calling domain has checked that the actor may hold the activity there;
    the actor becomes its organiser (he runs its check-in)."""
    if ends_at <= starts_at:
        raise DomainError(_("The activity must end after it starts."), code=CoreError.INVALID_DATE)
    if capacity < 1:
        raise DomainError(
            _("There must be at least one place."), code=CoreError.INVALID_NUMBER, field="capacity"
        )
    activity = Activity.objects.create(
        community_id=community_id,
        title=title.strip(),
        description=description.strip(),
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        audience=Audience.RESIDENTS,
        organiser_id=actor.user_id,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=activity,
        community_id=community_id,
        after={"title": activity.title, "starts_at": starts_at.isoformat(), "capacity": capacity},
    )
    return activity


def _move(signup: Signup, transition: str, to: str, **fields: Any) -> None:
    """Move a sign-up along SIGNUP_MACHINE; of two organisers clicking at once, one wins."""
    SIGNUP_MACHINE.move(
        signup,
        transition,
        to=to,
        on_conflict=lambda: Conflict(_("Someone else changed this sign-up first.")),
        **fields,
    )


@transaction.atomic
def signup_cancel(*, actor: Actor, signup_public_id: Any) -> Signup:
    """Cancel a sign-up (the volunteer or the organiser). A freed seat goes to the first on the
    waiting list."""
    signup = signup_get(actor, signup_public_id)
    activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
    held_a_seat = signup.status == SignupStatus.SIGNED_UP
    _move(signup, SignupTransition.CANCEL, SignupStatus.CANCELLED)
    if held_a_seat:
        first_waiting = (
            Signup.objects.filter(activity=activity, status=SignupStatus.WAITLISTED)
            .order_by("created_at", "id")
            .first()
        )
        if first_waiting:
            _move(first_waiting, SignupTransition.PROMOTE, SignupStatus.SIGNED_UP)
        else:
            update_if(
                Activity,
                pk=activity.pk,
                where=Q(seats_taken__gt=0),
                seats_taken=F("seats_taken") - 1,
            )
    signup.refresh_from_db()
    return signup


@transaction.atomic
def signup_check_in(
    *, actor: Actor, signup_public_id: Any, at: dt.datetime | None = None
) -> Signup:
    """The organiser checks a volunteer in."""
    signup = signup_run(actor, signup_public_id)
    _move(
        signup,
        SignupTransition.CHECK_IN,
        SignupStatus.CHECKED_IN,
        checked_in_at=at or dates.local_now(),
    )
    signup.refresh_from_db()
    return signup


@transaction.atomic
def signup_check_out(
    *, actor: Actor, signup_public_id: Any, at: dt.datetime | None = None
) -> Signup:
    """The organiser checks a volunteer out."""
    signup = signup_run(actor, signup_public_id)
    at = at or dates.local_now()
    if signup.checked_in_at and at < signup.checked_in_at:
        raise DomainError(_("Check-out cannot be before check-in."), code=CoreError.INVALID_DATE)
    _move(signup, SignupTransition.CHECK_OUT, SignupStatus.CHECKED_OUT, checked_out_at=at)
    signup.refresh_from_db()
    return signup


def hours_cap(activity: Activity, policy: PointsPolicy) -> Decimal:
    """The most hours one volunteer can earn at this activity: the activity's own limit or the
    community's, and (if the community says so) no more than the activity was scheduled for."""
    cap = activity.hours_cap or policy.max_hours_per_activity
    if policy.cap_to_schedule:
        scheduled = Decimal((activity.ends_at - activity.starts_at).total_seconds()) / 3600
        cap = min(cap, scheduled)
    return _quarter(cap)


def _quarter(hours: Decimal) -> Decimal:
    """Round down to a quarter hour (how volunteer hours are counted)."""
    return (Decimal(hours) / QUARTER).to_integral_value(rounding=ROUND_DOWN) * QUARTER


def computed_hours(signup: Signup, cap: Decimal) -> Decimal:
    if not (signup.checked_in_at and signup.checked_out_at):
        return Decimal(0)
    seconds = (signup.checked_out_at - signup.checked_in_at).total_seconds()
    return min(_quarter(Decimal(seconds) / 3600), cap)


def points_for_hours(hours: Decimal, policy: PointsPolicy) -> int:
    return int((hours * policy.points_per_hour).to_integral_value(rounding=ROUND_DOWN))


@transaction.atomic
def signup_confirm(
    *,
    actor: Actor,
    signup_public_id: Any,
    hours: Decimal | None = None,
    at: dt.datetime | None = None,
) -> Signup:
    """The organiser confirms the hours (computed from check-in/out, or corrected by him, never
    above the cap); the volunteer's hours grow and the points for them are paid in one go."""
    at = at or dates.local_now()
    signup = signup_run(actor, signup_public_id)
    # Checked first: the hours below are computed from a check-out that must exist.
    SIGNUP_MACHINE.check(SignupTransition.CONFIRM, signup.status)
    if signup.volunteer_id is None:
        raise DomainError(
            _("A resident at a residents' activity earns no volunteer hours."),
            code=CoreError.INVALID_TRANSITION,
        )
    policy = points.policy_for(signup.activity.community_id)
    cap = hours_cap(signup.activity, policy)
    computed = computed_hours(signup, cap)
    if hours is None:
        hours = computed
    else:
        hours = _quarter(Decimal(hours))
        if hours < 0 or hours > cap:
            raise DomainError(
                _("Hours must be between 0 and %(cap)s.") % {"cap": cap},
                code=CoreError.INVALID_NUMBER,
                field="hours",
            )
    _move(
        signup,
        SignupTransition.CONFIRM,
        SignupStatus.CONFIRMED,
        hours=hours,
        confirmed_at=at,
        confirmed_by_id=actor.user_id,
    )
    Volunteer.objects.filter(pk=signup.volunteer_id).update(hours_total=F("hours_total") + hours)
    earned = points_for_hours(hours, policy)
    if earned:
        assert signup.volunteer is not None
        account = points.lock_account(signup.volunteer.account_id)
        points.credit(
            account,
            kind=EntryKind.HOURS,
            points=earned,
            actor=actor,
            at=at,
            reason=f"{signup.activity.title} · {hours}h",
            ref=f"signup:{signup.public_id}",
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=signup,
        community_id=signup.activity.community_id,
        field="hours",
        before={"computed_hours": str(computed)},
        after={"hours": str(hours), "points": earned},
    )
    signup.refresh_from_db()
    return signup


@transaction.atomic
def signup_self_check(
    *, actor: Actor, activity_id: int, token: str, at: dt.datetime | None = None
) -> Signup:
    """Check-in by QR: the volunteer scans the code the organiser shows; the first scan checks
    him in, the second checks him out. The code proves he is at the place."""
    at = at or dates.local_now()
    activity = _portal_activity(actor, activity_id)
    if not token or token != activity.checkin_token:
        raise NotFound(_("Not found."))
    signup = (
        Signup.objects.filter(activity=activity, resident_id=actor.resident_id)
        .exclude(status=SignupStatus.CANCELLED)
        .first()
        if actor.resident_id
        else None
    )
    if signup is None:
        raise DomainError(
            _("You have not signed up for this activity."), code=VolunteersError.NOT_SIGNED_UP
        )
    # The first scan checks in, the second out; anything else the machine refuses.
    if signup.status == SignupStatus.SIGNED_UP:
        _move(signup, SignupTransition.CHECK_IN, SignupStatus.CHECKED_IN, checked_in_at=at)
    else:
        _move(signup, SignupTransition.CHECK_OUT, SignupStatus.CHECKED_OUT, checked_out_at=at)
    signup.refresh_from_db()
    return signup
