"""Every read of the training base, starting from `for_actor` (outside the scope: nothing, or a
404 for one object). The quote and the totals run a constant number of queries whatever the
size of the class or the years of history (tests and bench/bench_training.py count them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.hooks import Figure, FigureQuery
from linli.core.permissions import Actor, access, for_actor
from linli.training.choices import COUNTED, ClassStatus
from linli.training.models import (
    Attendance,
    Bed,
    BedNight,
    Course,
    CourseCategory,
    Lecturer,
    LodgingRoom,
    MealPlan,
    Session,
    Trainee,
    TrainingClass,
)
from linli.training.permissions import VIEW

FEN = Decimal("0.01")


def category_list(actor: Actor) -> QuerySet[CourseCategory]:
    return for_actor(actor, VIEW, CourseCategory.objects.all()).annotate(
        course_count=Count("courses")
    )


def course_list(actor: Actor, *, category_id: int | None = None, q: str = "") -> QuerySet[Course]:
    qs = (
        for_actor(actor, VIEW, Course.objects.all())
        .select_related("category")
        .prefetch_related(Prefetch("lecturers", queryset=Lecturer.objects.order_by("name")))
    )
    if category_id:
        qs = qs.filter(category_id=category_id)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(category__name__icontains=q))
    return qs


def course_get(actor: Actor, course_id: int) -> Course:
    return access(actor, VIEW, course_list(actor), pk=course_id)


def lecturer_list(actor: Actor) -> QuerySet[Lecturer]:
    return for_actor(actor, VIEW, Lecturer.objects.all()).annotate(
        course_count=Count("courses", distinct=True)
    )


def class_list(
    actor: Actor, *, status: str = "", year: int | None = None, q: str = ""
) -> QuerySet[TrainingClass]:
    qs = for_actor(actor, VIEW, TrainingClass.objects.all())
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(starts_on__year=year)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(organisation__icontains=q) | Q(code__icontains=q))
    return qs


def class_get(actor: Actor, public_id: Any) -> TrainingClass:
    return access(actor, VIEW, TrainingClass.objects.all(), public_id=public_id)


def class_sessions(klass: TrainingClass) -> QuerySet[Session]:
    """The class's timetable (the class was loaded through the actor's scope)."""
    return (
        Session.objects.filter(training_class=klass)
        .select_related("course", "lecturer")
        .annotate(present=Count("attendances"))
        .order_by("starts_at", "id")
    )


def class_roster(klass: TrainingClass) -> QuerySet[Trainee]:
    return Trainee.objects.filter(training_class=klass).order_by("id")


def class_meals(klass: TrainingClass) -> QuerySet[MealPlan]:
    return MealPlan.objects.filter(training_class=klass).order_by("day")


@dataclass(frozen=True)
class NightLodging:
    night: dt.date
    beds: int
    rooms: str


def class_lodging(klass: TrainingClass) -> list[NightLodging]:
    """Per night: how many beds the class holds and in which rooms (one query)."""
    per_night: dict[dt.date, tuple[int, set[str]]] = {}
    for night, room in BedNight.objects.filter(training_class=klass).values_list(
        "night", "bed__room__number"
    ):
        beds, rooms = per_night.get(night, (0, set()))
        rooms.add(room)
        per_night[night] = (beds + 1, rooms)
    return [
        NightLodging(night=n, beds=b, rooms="、".join(sorted(r)))
        for n, (b, r) in sorted(per_night.items())
    ]


def session_get(actor: Actor, session_id: int) -> Session:
    return access(
        actor,
        VIEW,
        Session.objects.select_related("training_class", "course", "lecturer"),
        pk=session_id,
    )


def session_roster(session: Session) -> list[tuple[Trainee, dt.datetime | None]]:
    """The class's trainees with the time each checked in to the session (two queries)."""
    seen = dict(
        Attendance.objects.filter(session=session).values_list("trainee_id", "checked_in_at")
    )
    return [(t, seen.get(t.pk)) for t in class_roster(session.training_class)]


# ---------------------------------------------------------------- the quote


@dataclass(frozen=True)
class QuoteLine:
    label: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


@dataclass
class Quote:
    """Courses + lodging + meals. Every amount is a price with two decimals times a whole
    count, so it is exact; each section and the total are sums of exact amounts. No rounding
    happens; amounts are quantized to the fen (ROUND_HALF_UP) only as a guard for display."""

    courses: list[QuoteLine] = field(default_factory=list)
    lodging: list[QuoteLine] = field(default_factory=list)
    meals: list[QuoteLine] = field(default_factory=list)

    @staticmethod
    def _sum(lines: list[QuoteLine]) -> Decimal:
        return sum((line.amount for line in lines), Decimal("0.00")).quantize(
            FEN, rounding=ROUND_HALF_UP
        )

    @property
    def courses_total(self) -> Decimal:
        return self._sum(self.courses)

    @property
    def lodging_total(self) -> Decimal:
        return self._sum(self.lodging)

    @property
    def meals_total(self) -> Decimal:
        return self._sum(self.meals)

    @property
    def total(self) -> Decimal:
        return (self.courses_total + self.lodging_total + self.meals_total).quantize(
            FEN, rounding=ROUND_HALF_UP
        )


def class_quote(klass: TrainingClass) -> Quote:
    """The class's quote from its live sessions, bed-nights and meal plans (three queries)."""
    quote = Quote()
    n = klass.trainee_count
    for s in (
        Session.objects.filter(training_class=klass, cancelled=False)
        .select_related("course")
        .order_by("starts_at", "id")
    ):
        start = dates.local_date(s.starts_at)
        quote.courses.append(
            QuoteLine(
                label=f"{start:%m-%d} {s.course.title}",
                quantity=n,
                unit_price=s.fee,
                amount=s.fee * n,
            )
        )
    for row in (
        BedNight.objects.filter(training_class=klass)
        .values("night", "rate")
        .annotate(beds=Count("id"))
        .order_by("night", "rate")
    ):
        beds = int(row["beds"])
        rate = Decimal(row["rate"])
        quote.lodging.append(
            QuoteLine(
                label=_("Night of %(day)s") % {"day": f"{row['night']:%m-%d}"},
                quantity=beds,
                unit_price=rate,
                amount=rate * beds,
            )
        )
    labels = (
        ("breakfasts", "breakfast_price", _("breakfast")),
        ("lunches", "lunch_price", _("lunch")),
        ("dinners", "dinner_price", _("dinner")),
    )
    for plan in class_meals(klass):
        for count_field, price_field, label in labels:
            count = getattr(plan, count_field)
            if count:
                price: Decimal = getattr(plan, price_field)
                quote.meals.append(
                    QuoteLine(
                        label=f"{plan.day:%m-%d} {label}",
                        quantity=count,
                        unit_price=price,
                        amount=price * count,
                    )
                )
    return quote


# ---------------------------------------------------------------- lodging overview


@dataclass(frozen=True)
class RoomRow:
    room: LodgingRoom
    beds: int
    taken: int


def lodging_overview(actor: Actor, night: dt.date) -> list[RoomRow]:
    """Each guest room with its beds and how many are taken on `night` (two queries)."""
    rooms = list(
        for_actor(actor, VIEW, LodgingRoom.objects.all()).annotate(bed_count=Count("beds"))
    )
    taken = dict(
        BedNight.objects.filter(bed__room__in=[r.pk for r in rooms], night=night)
        .values("bed__room_id")
        .annotate(n=Count("id"))
        .values_list("bed__room_id", "n")
    )
    return [
        RoomRow(room=r, beds=getattr(r, "bed_count", 0), taken=taken.get(r.pk, 0)) for r in rooms
    ]


def bed_total(actor: Actor) -> int:
    return for_actor(actor, VIEW, LodgingRoom.objects.all()).aggregate(n=Count("beds"))["n"] or 0


def beds_of(actor: Actor) -> QuerySet[Bed]:
    rooms = for_actor(actor, VIEW, LodgingRoom.objects.all())
    return Bed.objects.filter(room__in=rooms)


# ---------------------------------------------------------------- totals


@dataclass(frozen=True)
class TotalRow:
    label: str
    classes: int
    visits: int


def _counted(actor: Actor) -> QuerySet[TrainingClass]:
    return for_actor(actor, VIEW, TrainingClass.objects.filter(status__in=COUNTED))


def totals_by_year(actor: Actor) -> list[TotalRow]:
    """Trainee visits (人次: trainees of confirmed, running and completed classes) and classes
    per year of arrival (one query)."""
    rows = (
        _counted(actor)
        .annotate(year=ExtractYear("starts_on"))
        .values("year")
        .annotate(classes=Count("id"), visits=Sum("trainee_count"))
        .order_by("year")
    )
    return [
        TotalRow(label=str(r["year"]), classes=r["classes"], visits=r["visits"] or 0) for r in rows
    ]


def totals_by_province(actor: Actor, *, year: int | None = None) -> list[TotalRow]:
    """The same per province of the visiting organisation, most visits first (one query)."""
    qs = _counted(actor)
    if year:
        qs = qs.filter(starts_on__year=year)
    rows = (
        qs.values("province")
        .annotate(classes=Count("id"), visits=Sum("trainee_count"))
        .order_by("-visits", "province")
    )
    return [
        TotalRow(label=r["province"], classes=r["classes"], visits=r["visits"] or 0) for r in rows
    ]


def status_counts(actor: Actor) -> dict[str, int]:
    rows = (
        for_actor(actor, VIEW, TrainingClass.objects.all())
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    counts = dict.fromkeys(ClassStatus.values, 0)
    counts.update(dict(rows))
    return counts


def cockpit_figures(query: FigureQuery) -> list[Figure]:
    """Trainee visits and classes of the query month's year (one query)."""
    year = query.month.year
    row = TrainingClass.objects.filter(
        community_id__in=query.community_ids, status__in=COUNTED, starts_on__year=year
    ).aggregate(classes=Count("id"), visits=Sum("trainee_count"))
    return [
        Figure(
            key="training.visits_this_year",
            label=_("Trainee visits this year"),
            value=row["visits"] or 0,
            unit=_("visits"),
            url="/training/totals/",
        ),
        Figure(
            key="training.classes_this_year",
            label=_("Training classes this year"),
            value=row["classes"] or 0,
            url="/training/",
        ),
    ]
