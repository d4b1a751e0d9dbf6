"""Every write of the training base. Keyword-only, `actor` first, one transaction each; objects
load through `core.permissions.access` (outside the scope is a 404); bad input is a
`DomainError` with a clear message and nothing is written.

Contention is settled by the database:

- a lecturer (and a classroom) is never in two sessions at once: on PostgreSQL an exclusion
  constraint (migration 0002) turns the loser of a race into an IntegrityError, reported as
  "the lecturer is busy"; on SQLite the transaction begins IMMEDIATE (settings), so writers queue
  and the overlap check inside it sees the winner's row;
- a bed is given once a night by the unique constraint (bed, night) on both databases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import dates, pii
from linli.core.audit import audit_record
from linli.core.errors import Conflict, CoreError, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, communities_for
from linli.registry.validators import normalize_phone
from linli.training.choices import (
    CLASS_MACHINE,
    CLASS_STATUS_AFTER,
    EDITABLE,
    PROVINCES,
    ClassStatus,
    ClassTransition,
    CourseFormat,
    LecturerKind,
)
from linli.training.errors import TrainingError
from linli.training.models import (
    Attendance,
    Bed,
    BedNight,
    Course,
    CourseCategory,
    Lecturer,
    MealPlan,
    Session,
    Trainee,
    TrainingClass,
)
from linli.training.permissions import MANAGE
from linli.venues import selectors as venue_selectors
from linli.venues import services as venue_services
from linli.venues.choices import BookingStatus

# Money: yuan with two places (fen). A price is refused beyond this.
MAX_FEE = Decimal("1000000.00")
FEN = Decimal("0.01")
# A class stays at most this long; a session lasts at most a day.
MAX_CLASS_DAYS = 60
MAX_TRAINEES = 2000
MAX_MEALS = 10_000


def _community_allowed(actor: Actor, community_id: int) -> None:
    if community_id not in communities_for(actor, MANAGE):
        raise NotFound(_("Not found."))


def _text(value: str, field: str, *, required: bool = True, limit: int = 120) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(_("This field is required."), code=CoreError.REQUIRED, field=field)
    if len(text) > limit:
        raise DomainError(
            _("At most %(n)d characters.") % {"n": limit}, code=CoreError.TOO_LONG, field=field
        )
    return text


def money(value: Any, field: str = "fee") -> Decimal:
    """A price in yuan: a finite, non-negative decimal with at most two places (fen). 12.345
    is refused rather than rounded: nobody should be billed a price he did not type."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(
            _("Enter an amount in yuan, e.g. 120.50."), code=CoreError.INVALID_NUMBER, field=field
        ) from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_FEE:
        raise DomainError(
            _("An amount must lie between 0 and 1,000,000 yuan."),
            code=CoreError.INVALID_NUMBER,
            field=field,
        )
    if amount != amount.quantize(FEN):
        raise DomainError(
            _("An amount has at most two decimal places (fen)."),
            code=CoreError.INVALID_NUMBER,
            field=field,
        )
    return amount.quantize(FEN)


def _count(value: Any, field: str, *, minimum: int, maximum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(
            _("Enter a whole number."), code=CoreError.INVALID_NUMBER, field=field
        ) from exc
    if number != value and not isinstance(value, str):
        raise DomainError(_("Enter a whole number."), code=CoreError.INVALID_NUMBER, field=field)
    if not minimum <= number <= maximum:
        raise DomainError(
            _("Enter a number from %(lo)d to %(hi)d.") % {"lo": minimum, "hi": maximum},
            code=CoreError.INVALID_NUMBER,
            field=field,
        )
    return number


def _choice(value: str, choices: Iterable[str], field: str) -> str:
    if value not in set(choices):
        raise DomainError(
            _("Choose one of the offered values."), code=CoreError.INVALID_CHOICE, field=field
        )
    return value


def _unique_create(model: type[Any], message: str, **fields: Any) -> Any:
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError as exc:
        raise DomainError(message, code=TrainingError.CATALOGUE_NAME_TAKEN, field="name") from exc


# ---------------------------------------------------------------- catalogue


@transaction.atomic
def category_create(
    *, actor: Actor, community_id: int, name: str, order: int = 0
) -> CourseCategory:
    _community_allowed(actor, community_id)
    name = _text(name, "name", limit=80)
    category: CourseCategory = _unique_create(
        CourseCategory,
        _("A category of this name exists."),
        community_id=community_id,
        name=name,
        order=order,
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=category, community_id=community_id
    )
    return category


@transaction.atomic
def lecturer_create(
    *,
    actor: Actor,
    community_id: int,
    name: str,
    kind: str,
    affiliation: str = "",
    topics: str = "",
) -> Lecturer:
    _community_allowed(actor, community_id)
    lecturer: Lecturer = _unique_create(
        Lecturer,
        _("A lecturer of this name exists."),
        community_id=community_id,
        name=_text(name, "name", limit=50),
        kind=_choice(kind, LecturerKind.values, "kind"),
        affiliation=_text(affiliation, "affiliation", required=False),
        topics=_text(topics, "topics", required=False, limit=200),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=lecturer,
        community_id=community_id,
        after={"name": lecturer.name, "kind": lecturer.kind},
    )
    return lecturer


@transaction.atomic
def course_create(
    *,
    actor: Actor,
    community_id: int,
    category_id: int,
    title: str,
    format: str,
    duration_minutes: Any,
    fee: Any,
    lecturer_ids: Iterable[int] = (),
    site: str = "",
    summary: str = "",
) -> Course:
    """A course of the catalogue. A site visit names its site (e.g. 映像文昌)."""
    _community_allowed(actor, community_id)
    category = access(actor, MANAGE, CourseCategory.objects.all(), pk=category_id)
    if category.community_id != community_id:
        raise NotFound(_("Not found."))
    fmt = _choice(format, CourseFormat.values, "format")
    site = _text(site, "site", required=fmt == CourseFormat.SITE_VISIT, limit=80)
    ids = sorted(set(lecturer_ids))
    lecturers = list(Lecturer.objects.filter(community_id=community_id, pk__in=ids))
    if len(lecturers) != len(ids):
        raise DomainError(
            _("A chosen lecturer does not exist."), code=CoreError.INVALID_CHOICE, field="lecturers"
        )
    course: Course = _unique_create(
        Course,
        _("A course of this title exists."),
        community_id=community_id,
        category=category,
        title=_text(title, "title"),
        format=fmt,
        site=site,
        duration_minutes=_count(duration_minutes, "duration_minutes", minimum=15, maximum=480),
        fee=money(fee),
        summary=_text(summary, "summary", required=False, limit=2000),
    )
    course.lecturers.set(lecturers)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=course,
        community_id=community_id,
        after={"title": course.title, "fee": str(course.fee), "format": course.format},
    )
    return course


# ---------------------------------------------------------------- classes


def _check_dates(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on is None or ends_on is None:
        raise DomainError(_("Enter both dates."), code=CoreError.INVALID_DATE, field="starts_on")
    if ends_on < starts_on:
        raise DomainError(
            _("The class cannot leave before it arrives."),
            code=CoreError.INVALID_DATE,
            field="ends_on",
        )
    if (ends_on - starts_on).days + 1 > MAX_CLASS_DAYS:
        raise DomainError(
            _("A class stays at most %(n)d days.") % {"n": MAX_CLASS_DAYS},
            code=CoreError.INVALID_DATE,
            field="ends_on",
        )
    if not (dates.year_in_range(starts_on.year) and dates.year_in_range(ends_on.year)):
        raise DomainError(_("The date is out of range."), code=CoreError.INVALID_DATE)


def _next_code(community_id: int, year: int) -> str:
    prefix = f"{year}-"
    last = (
        TrainingClass.objects.filter(community_id=community_id, code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def class_create(
    *,
    actor: Actor,
    community_id: int,
    name: str,
    organisation: str,
    province: str,
    city: str = "",
    contact_name: str,
    contact_phone: str = "",
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    trainee_count: Any,
    dietary_notes: str = "",
    notes: str = "",
) -> TrainingClass:
    """Book a class (an enquiry until confirmed). The contact's phone is stored encrypted and
    masked; the class number is `<year>-<n>`."""
    _community_allowed(actor, community_id)
    _check_dates(starts_on, ends_on)
    assert starts_on is not None and ends_on is not None
    count = _count(trainee_count, "trainee_count", minimum=1, maximum=MAX_TRAINEES)
    try:
        phone = normalize_phone(contact_phone)
    except DomainError as exc:
        raise DomainError(exc.message, code=exc.code, field="contact_phone") from exc
    fields = {
        "community_id": community_id,
        "name": _text(name, "name"),
        "organisation": _text(organisation, "organisation"),
        "province": _choice(province, PROVINCES, "province"),
        "city": _text(city, "city", required=False, limit=30),
        "contact_name": _text(contact_name, "contact_name", limit=50),
        "contact_phone_encrypted": pii.encrypt(phone),
        "contact_phone_masked": pii.mask_phone(phone),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "trainee_count": count,
        "dietary_notes": _text(dietary_notes, "dietary_notes", required=False, limit=200),
        "notes": _text(notes, "notes", required=False, limit=2000),
    }
    try:
        with transaction.atomic():
            klass = TrainingClass.objects.create(
                code=_next_code(community_id, starts_on.year), **fields
            )
    except IntegrityError as exc:  # two bookings took the same number at once
        raise Conflict(_("Please try again.")) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=klass,
        community_id=community_id,
        after={
            "code": klass.code,
            "organisation": klass.organisation,
            "province": klass.province,
            "contact_phone": klass.contact_phone_masked,
            "starts_on": str(starts_on),
            "ends_on": str(ends_on),
            "trainee_count": count,
        },
    )
    return klass


def _class_for_update(actor: Actor, public_id: Any) -> TrainingClass:
    """The class, locked for this transaction, which must still be open to changes."""
    klass = access(actor, MANAGE, TrainingClass.objects.select_for_update(), public_id=public_id)
    if klass.status not in EDITABLE:
        raise DomainError(
            _("The class is %(status)s; it cannot change any more.")
            % {"status": klass.get_status_display()},
            code=TrainingError.CLASS_CLOSED,
        )
    return klass


@transaction.atomic
def class_transition(*, actor: Actor, public_id: Any, transition: str) -> TrainingClass:
    """Move a class along its machine. Cancelling gives its beds back and cancels its sessions
    in the same transaction."""
    klass = access(actor, MANAGE, TrainingClass.objects.all(), public_id=public_id)
    if transition not in CLASS_STATUS_AFTER:
        raise DomainError(
            _("Choose one of the offered values."),
            code=CoreError.INVALID_CHOICE,
            field="transition",
        )
    before = klass.status
    CLASS_MACHINE.move(klass, transition, to=CLASS_STATUS_AFTER[transition])
    if transition == ClassTransition.CANCEL:
        BedNight.objects.filter(training_class=klass).delete()
        live = Session.objects.filter(training_class=klass, cancelled=False)
        _release_classrooms(actor, live.filter(booking__isnull=False).select_related("booking"))
        live.update(cancelled=True)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=klass,
        community_id=klass.community_id,
        field="status",
        before={"status": before},
        after={"status": klass.status},
    )
    return klass


# ---------------------------------------------------------------- timetable


def _busy(qs: Any, starts_at: dt.datetime, ends_at: dt.datetime) -> Session | None:
    found: Session | None = (
        qs.filter(cancelled=False, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .select_related("training_class", "course")
        .first()
    )
    return found


def _busy_error(code: TrainingError, clash: Session, who: str, field: str) -> DomainError:
    message = (
        _("%(who)s is busy then: %(course)s for class %(code)s, %(start)s–%(end)s.")
        if code == TrainingError.LECTURER_BUSY
        else _("%(who)s is taken then: %(course)s for class %(code)s, %(start)s–%(end)s.")
    )
    start = timezone.localtime(clash.starts_at)
    end = timezone.localtime(clash.ends_at)
    return DomainError(
        message
        % {
            "who": who,
            "course": clash.course.title,
            "code": clash.training_class.code,
            "start": f"{start:%Y-%m-%d %H:%M}",
            "end": f"{end:%H:%M}",
        },
        code=code,
        field=field,
    )


@transaction.atomic
def session_add(
    *,
    actor: Actor,
    public_id: Any,
    course_id: int,
    starts_at: dt.datetime | None,
    lecturer_id: int | None = None,
    room: str = "",
    venue_id: int | None = None,
) -> Session:
    """Put a course on a class's timetable. It lasts the course's duration, lies within the
    class's stay, and its lecturer (one of the course's, if the course names any) and classroom
    are free then. A classroom of the service centre (`venue_id`), or the venue a site visit
    goes to (its `site` names a venue of the community, e.g. 映像文昌), is booked through the venues
    domain (`venues.services.booking_create`: its opening hours, closures, capacity, time grid
    and free time all apply, and its refusal refuses the session) in the same transaction."""
    klass = _class_for_update(actor, public_id)
    course = access(actor, MANAGE, Course.objects.all(), pk=course_id)
    if course.community_id != klass.community_id:
        raise NotFound(_("Not found."))
    if starts_at is None:
        raise DomainError(_("Enter the start."), code=CoreError.INVALID_DATE, field="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    ends_at = starts_at + dt.timedelta(minutes=course.duration_minutes)
    day_start = dates.day_start(klass.starts_on)
    day_end = dates.day_start(klass.ends_on + dt.timedelta(days=1))
    if starts_at < day_start or ends_at > day_end:
        raise DomainError(
            _("The session must lie within the class's stay (%(start)s to %(end)s).")
            % {"start": klass.starts_on, "end": klass.ends_on},
            code=CoreError.INVALID_DATE,
            field="starts_at",
        )
    lecturer: Lecturer | None = None
    if lecturer_id:
        lecturer = access(actor, MANAGE, Lecturer.objects.all(), pk=lecturer_id)
        if lecturer.community_id != klass.community_id:
            raise NotFound(_("Not found."))
        own = set(course.lecturers.values_list("pk", flat=True))
        if own and lecturer.pk not in own:
            raise DomainError(
                _("%(name)s does not teach this course.") % {"name": lecturer.name},
                code=CoreError.INVALID_CHOICE,
                field="lecturer",
            )
        clash = _busy(Session.objects.filter(lecturer=lecturer), starts_at, ends_at)
        if clash:
            raise _busy_error(TrainingError.LECTURER_BUSY, clash, lecturer.name, "lecturer")
    booking = None
    if not venue_id and course.format == CourseFormat.SITE_VISIT:
        # A site visit to a venue of the community (映像文昌) books that venue like a classroom.
        site_venue = venue_selectors.venue_named(klass.community_id, course.site)
        venue_id = site_venue.pk if site_venue else None
    if venue_id:
        booking = venue_services.booking_create(
            actor=actor,
            venue=venue_id,
            start=starts_at,
            end=ends_at,
            purpose=_("Training: %(course)s") % {"course": course.title},
            attendance=klass.trainee_count,
            host=f"{klass.code} {klass.organisation}"[:100],
        )
        room = booking.venue.name
    room = _text(
        room or (course.site if course.format == CourseFormat.SITE_VISIT else ""),
        "room",
        required=False,
        limit=80,
    )
    if room and booking is None:
        clash = _busy(
            Session.objects.filter(training_class__community_id=klass.community_id, room=room),
            starts_at,
            ends_at,
        )
        if clash and course.format != CourseFormat.SITE_VISIT:
            raise _busy_error(TrainingError.ROOM_BUSY, clash, room, "room")
    try:
        with transaction.atomic():
            session = Session.objects.create(
                training_class=klass,
                course=course,
                lecturer=lecturer,
                starts_at=starts_at,
                ends_at=ends_at,
                room=room,
                booking=booking,
                fee=course.fee,
            )
    except IntegrityError as exc:  # PostgreSQL's exclusion constraint: someone was faster
        if lecturer is not None:
            clash = _busy(Session.objects.filter(lecturer=lecturer), starts_at, ends_at)
            if clash:
                raise _busy_error(
                    TrainingError.LECTURER_BUSY, clash, lecturer.name, "lecturer"
                ) from exc
        raise DomainError(
            _("The lecturer or the classroom was taken a moment ago."),
            code=TrainingError.LECTURER_BUSY,
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=klass,
        community_id=klass.community_id,
        field="sessions",
        after={
            "course": course.title,
            "lecturer": lecturer.name if lecturer else "",
            "starts_at": starts_at.isoformat(),
            "room": room,
        },
    )
    return session


def _release_classrooms(actor: Actor, sessions: Iterable[Session]) -> None:
    """Cancel the venue bookings of sessions that have not started (through the venues
    domain); a booking already under way stays as it is, as the venue's record."""
    now = timezone.now()
    for session in sessions:
        booking = session.booking
        if (
            booking is not None
            and booking.starts_at > now
            and booking.status in (BookingStatus.REQUESTED, BookingStatus.APPROVED)
        ):
            venue_services.booking_cancel(actor=actor, public_id=booking.public_id)


@transaction.atomic
def session_cancel(*, actor: Actor, session_id: int) -> Session:
    session = access(
        actor, MANAGE, Session.objects.select_related("training_class", "booking"), pk=session_id
    )
    _class_for_update(actor, session.training_class.public_id)
    if session.cancelled:
        return session
    _release_classrooms(actor, [session])
    Session.objects.filter(pk=session.pk).update(cancelled=True)
    session.cancelled = True
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=session.training_class,
        community_id=session.training_class.community_id,
        field="sessions",
        before={"session": session.pk},
        after={"cancelled": True},
    )
    return session


# ---------------------------------------------------------------- lodging


@transaction.atomic
def lodging_book(
    *,
    actor: Actor,
    public_id: Any,
    beds: Any,
    first_night: dt.date | None = None,
    last_night: dt.date | None = None,
) -> list[BedNight]:
    """Give the class `beds` beds for each night from `first_night` to `last_night` (by
    default every night of its stay: arrival day to the night before departure). Each trainee
    keeps one bed for the whole stay; the lowest free beds are taken, rooms filled in order.
    More beds than the base has, or than are free those nights, is refused and nothing is
    written. Bookings of one base are serialised by locking its beds; the unique constraint
    (bed, night) is the last guard against two bookings of one bed."""
    klass = _class_for_update(actor, public_id)
    count = _count(beds, "beds", minimum=1, maximum=MAX_TRAINEES)
    first = first_night or klass.starts_on
    last = last_night or max(klass.starts_on, klass.ends_on - dt.timedelta(days=1))
    if last < first:
        raise DomainError(
            _("The last night cannot come before the first."),
            code=CoreError.INVALID_DATE,
            field="last_night",
        )
    if first < klass.starts_on or last > klass.ends_on:
        raise DomainError(
            _("The nights must lie within the class's stay (%(start)s to %(end)s).")
            % {"start": klass.starts_on, "end": klass.ends_on},
            code=CoreError.INVALID_DATE,
            field="first_night",
        )
    nights = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    # Locking the base's beds (in one fixed order) makes bookings of one base wait for each
    # other, so a later booking sees the beds an earlier one took and picks the next free ones.
    all_beds = list(
        Bed.objects.filter(room__community_id=klass.community_id)
        .select_related("room")
        .select_for_update(of=("self",))
        .order_by("room__number", "label")
    )
    if count > len(all_beds):
        raise DomainError(
            _("The base has only %(n)d beds.") % {"n": len(all_beds)},
            code=TrainingError.NOT_ENOUGH_BEDS,
            field="beds",
        )
    taken = set(
        BedNight.objects.filter(
            bed__room__community_id=klass.community_id, night__in=nights
        ).values_list("bed_id", flat=True)
    )
    free = [b for b in all_beds if b.pk not in taken]
    if len(free) < count:
        raise DomainError(
            _("Only %(n)d beds are free on every one of those nights.") % {"n": len(free)},
            code=TrainingError.NOT_ENOUGH_BEDS,
            field="beds",
        )
    rows = [
        BedNight(bed=bed, night=night, training_class=klass, rate=bed.room.rate)
        for bed in free[:count]
        for night in nights
    ]
    try:
        with transaction.atomic():
            created = BedNight.objects.bulk_create(rows)
    except IntegrityError as exc:  # another booking took one of these beds a moment ago
        raise Conflict(
            _("Some of these beds were just given to another class; try again."),
            code=TrainingError.NOT_ENOUGH_BEDS,
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=klass,
        community_id=klass.community_id,
        field="lodging",
        after={"beds": count, "first_night": str(first), "last_night": str(last)},
    )
    return created


@transaction.atomic
def lodging_release(*, actor: Actor, public_id: Any) -> int:
    """Give back every bed the class holds."""
    klass = _class_for_update(actor, public_id)
    released, _detail = BedNight.objects.filter(training_class=klass).delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=klass,
        community_id=klass.community_id,
        field="lodging",
        after={"released": released},
    )
    return released


# ---------------------------------------------------------------- catering


@transaction.atomic
def meals_set(
    *,
    actor: Actor,
    public_id: Any,
    day: dt.date | None,
    breakfasts: Any = 0,
    lunches: Any = 0,
    dinners: Any = 0,
    dietary_notes: str = "",
    breakfast_price: Any = None,
    lunch_price: Any = None,
    dinner_price: Any = None,
) -> MealPlan:
    """Set one day's meals of a class (replacing what was planned for that day)."""
    klass = _class_for_update(actor, public_id)
    if day is None or not klass.starts_on <= day <= klass.ends_on:
        raise DomainError(
            _("The day must lie within the class's stay (%(start)s to %(end)s).")
            % {"start": klass.starts_on, "end": klass.ends_on},
            code=CoreError.INVALID_DATE,
            field="day",
        )
    values: dict[str, Any] = {
        "breakfasts": _count(breakfasts, "breakfasts", minimum=0, maximum=MAX_MEALS),
        "lunches": _count(lunches, "lunches", minimum=0, maximum=MAX_MEALS),
        "dinners": _count(dinners, "dinners", minimum=0, maximum=MAX_MEALS),
        "dietary_notes": _text(dietary_notes, "dietary_notes", required=False, limit=200),
    }
    for name, price in (
        ("breakfast_price", breakfast_price),
        ("lunch_price", lunch_price),
        ("dinner_price", dinner_price),
    ):
        if price is not None and price != "":
            values[name] = money(price, name)
    plan, _created = MealPlan.objects.update_or_create(
        training_class=klass, day=day, defaults=values
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=klass,
        community_id=klass.community_id,
        field="meals",
        after={"day": str(day), **{k: str(v) for k, v in values.items()}},
    )
    return plan


@transaction.atomic
def meals_plan_stay(*, actor: Actor, public_id: Any) -> list[MealPlan]:
    """Plan three meals a day for every trainee on every day of the stay (no breakfast on the
    arrival day, no dinner on the departure day); days already planned keep their plan."""
    klass = _class_for_update(actor, public_id)
    planned = set(MealPlan.objects.filter(training_class=klass).values_list("day", flat=True))
    n = klass.trainee_count
    rows = []
    for i in range(klass.days):
        day = klass.starts_on + dt.timedelta(days=i)
        if day in planned:
            continue
        rows.append(
            MealPlan(
                training_class=klass,
                day=day,
                breakfasts=0 if i == 0 and klass.days > 1 else n,
                lunches=n,
                dinners=0 if i == klass.days - 1 and klass.days > 1 else n,
                dietary_notes=klass.dietary_notes,
            )
        )
    created = MealPlan.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=klass,
        community_id=klass.community_id,
        field="meals",
        after={"days_planned": len(created)},
    )
    return created


# ---------------------------------------------------------------- roster and check-in


@transaction.atomic
def trainees_add(*, actor: Actor, public_id: Any, names: str) -> list[Trainee]:
    """Add trainees to a class's roster, one per line (`name` or `name, post`). The roster
    never holds more names than the class has trainees."""
    klass = _class_for_update(actor, public_id)
    rows: list[Trainee] = []
    for line in (names or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _sep, position = line.replace("，", ",").partition(",")
        rows.append(
            Trainee(
                training_class=klass,
                name=_text(name, "names", limit=50),
                position=_text(position, "names", required=False, limit=80),
            )
        )
    if not rows:
        raise DomainError(_("Enter at least one name."), code=CoreError.REQUIRED, field="names")
    existing = Trainee.objects.filter(training_class=klass).count()
    if existing + len(rows) > klass.trainee_count:
        raise DomainError(
            _("The class has %(n)d trainees; the roster cannot hold more names.")
            % {"n": klass.trainee_count},
            code=CoreError.INVALID_NUMBER,
            field="names",
        )
    created = Trainee.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=klass,
        community_id=klass.community_id,
        field="roster",
        after={"added": len(created)},
    )
    return created


@transaction.atomic
def session_check_in(*, actor: Actor, session_id: int, trainee_ids: Iterable[int]) -> int:
    """Check trainees of the session's class in (once each; repeating is harmless). Returns
    how many were newly checked in."""
    session = access(actor, MANAGE, Session.objects.select_related("training_class"), pk=session_id)
    if session.cancelled:
        raise DomainError(_("The session is cancelled."), code=CoreError.INVALID_TRANSITION)
    if session.training_class.status not in (ClassStatus.CONFIRMED, ClassStatus.IN_PROGRESS):
        raise DomainError(
            _("Trainees check in once the class is confirmed."),
            code=CoreError.INVALID_TRANSITION,
        )
    ids = set(trainee_ids)
    trainees = list(Trainee.objects.filter(training_class_id=session.training_class_id, pk__in=ids))
    if len(trainees) != len(ids):
        raise NotFound(_("Not found."))
    now = timezone.now()
    before = Attendance.objects.filter(session=session).count()
    Attendance.objects.bulk_create(
        [Attendance(session=session, trainee=t, checked_in_at=now) for t in trainees],
        ignore_conflicts=True,
    )
    added = Attendance.objects.filter(session=session).count() - before
    if added:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=session.training_class,
            community_id=session.training_class.community_id,
            field="check_in",
            after={"session": session.pk, "checked_in": added},
        )
    return added
