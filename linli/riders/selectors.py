"""Reads of the workers' station, always from the actor's scope. Children's data only through
`enrolments`, which needs the class staff's permission."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.errors import DomainError, NotFound
from linli.core.permissions import Actor, access, for_actor
from linli.core.photos import check_photo
from linli.riders.choices import EnrolmentStatus, Payment, ReportStatus, WorkerKind, WorkerStatus
from linli.riders.models import (
    CanteenMeal,
    Enrolment,
    SafetyReport,
    StationVisit,
    SummerClass,
    Worker,
)
from linli.riders.permissions import CLASS_STAFF, MANAGE, PORTAL, VIEW


def worker_for_resident(actor: Actor) -> Worker | None:
    """The signed-in resident's own worker record."""
    if not actor.resident_id:
        return None
    return (
        for_actor(actor, PORTAL, Worker.objects.all()).filter(resident_id=actor.resident_id).first()
    )


def worker_list(actor: Actor, *, q: str = "", kind: str = "") -> QuerySet[Worker]:
    qs = for_actor(actor, VIEW, Worker.objects.filter(status=WorkerStatus.ACTIVE))
    if kind:
        qs = qs.filter(kind=kind)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(platform__contains=q) | Q(work_station__contains=q))
    return qs.select_related("resident__household__building", "resident__household__unit").order_by(
        "name", "id"
    )


def worker_get(actor: Actor, public_id: Any) -> Worker:
    return access(
        actor,
        VIEW,
        Worker.objects.select_related("resident__household__building", "resident__household__unit"),
        public_id=public_id,
    )


def worker_visits(actor: Actor, worker: Worker) -> QuerySet[StationVisit]:
    return for_actor(actor, VIEW, StationVisit.objects.filter(worker=worker)).order_by(
        "-visited_at"
    )


def worker_meals(actor: Actor, worker: Worker) -> QuerySet[CanteenMeal]:
    return for_actor(actor, VIEW, CanteenMeal.objects.filter(worker=worker)).order_by("-day", "-id")


def worker_reports(actor: Actor, worker: Worker) -> QuerySet[SafetyReport]:
    return for_actor(actor, VIEW, SafetyReport.objects.filter(worker=worker))


@dataclass(frozen=True)
class StationFigures:
    workers: int
    riders: int
    couriers: int
    drivers: int
    from_registry: int
    visits_this_month: int
    meals_this_month: int
    subsidised_this_month: int
    subsidy_yuan_this_month: Decimal
    reports_total: int
    reports_verified: int
    reports_pending: int
    class_places: int
    class_enrolled: int


def station_figures(
    actor: Actor, community_id: int, today: dt.date | None = None
) -> StationFigures:
    today = today or dates.local_today()
    month_start = today.replace(day=1)
    workers = for_actor(
        actor, VIEW, Worker.objects.filter(community_id=community_id, status=WorkerStatus.ACTIVE)
    ).aggregate(
        total=Count("id"),
        riders=Count("id", filter=Q(kind=WorkerKind.RIDER)),
        couriers=Count("id", filter=Q(kind=WorkerKind.COURIER)),
        drivers=Count("id", filter=Q(kind=WorkerKind.DRIVER)),
        residents=Count("id", filter=Q(resident__isnull=False)),
    )
    visits = for_actor(
        actor,
        VIEW,
        StationVisit.objects.filter(
            station__community_id=community_id,
            visited_at__gte=dates.day_start(month_start),
        ),
    ).count()
    meals = for_actor(
        actor,
        VIEW,
        CanteenMeal.objects.filter(station__community_id=community_id, day__gte=month_start),
    ).aggregate(
        n=Count("id"),
        subsidised=Count("id", filter=Q(payment=Payment.SUBSIDISED)),
    )
    reports = for_actor(
        actor, VIEW, SafetyReport.objects.filter(community_id=community_id)
    ).aggregate(
        total=Count("id"),
        verified=Count("id", filter=Q(status=ReportStatus.VERIFIED)),
        pending=Count(
            "id", filter=Q(status__in=[ReportStatus.NOT_FORWARDED, ReportStatus.FORWARDED])
        ),
    )
    classes = for_actor(
        actor, VIEW, SummerClass.objects.filter(community_id=community_id)
    ).aggregate(places=Sum("capacity"), enrolled=Sum("enrolled"))
    subsidy = Decimal(7) * meals["subsidised"]  # 15 yuan meal for 8: the station pays 7
    return StationFigures(
        workers=workers["total"],
        riders=workers["riders"],
        couriers=workers["couriers"],
        drivers=workers["drivers"],
        from_registry=workers["residents"],
        visits_this_month=visits,
        meals_this_month=meals["n"],
        subsidised_this_month=meals["subsidised"],
        subsidy_yuan_this_month=subsidy,
        reports_total=reports["total"],
        reports_verified=reports["verified"],
        reports_pending=reports["pending"],
        class_places=classes["places"] or 0,
        class_enrolled=classes["enrolled"] or 0,
    )


def meals_on(actor: Actor, day: dt.date) -> QuerySet[CanteenMeal]:
    return (
        for_actor(actor, VIEW, CanteenMeal.objects.filter(day=day))
        .select_related("worker")
        .order_by("meal", "id")
    )


def class_list(actor: Actor) -> QuerySet[SummerClass]:
    """Classes with their dates and places: the admin (VIEW) and the class staff."""
    return (
        for_actor(actor, VIEW, SummerClass.objects.all())
        | for_actor(actor, CLASS_STAFF, SummerClass.objects.all())
    ).order_by("-starts_on", "-id")


def class_get(actor: Actor, class_id: int) -> SummerClass:
    found = class_list(actor).filter(pk=class_id).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def enrolments(actor: Actor, summer_class: SummerClass) -> QuerySet[Enrolment]:
    """The children of a class: the class staff only (empty for everyone else)."""
    return (
        for_actor(actor, CLASS_STAFF, Enrolment.objects.filter(summer_class=summer_class))
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("worker")
        .order_by("status", "created_at", "id")
    )


def enrolment_get(actor: Actor, public_id: Any) -> Enrolment:
    """An enrolment (a child's data): the class staff only."""
    return access(actor, CLASS_STAFF, Enrolment.objects.all(), public_id=public_id)


def report_list(actor: Actor, *, status: str = "") -> QuerySet[SafetyReport]:
    qs = for_actor(actor, VIEW, SafetyReport.objects.all())
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("worker").order_by("-created_at", "-id")


def report_get(actor: Actor, public_id: Any) -> SafetyReport:
    """A report for the station's staff, or for the worker who filed it."""
    base = SafetyReport.objects.select_related("worker")
    found = for_actor(actor, VIEW, base).filter(public_id=public_id).first()
    if found:
        return found
    return access(
        actor, PORTAL, base.filter(worker__resident_id=actor.resident_id or 0), public_id=public_id
    )


def report_photo_type(report: SafetyReport) -> str:
    """The content type to serve a report's photo as: the one detected when it was stored (or,
    for a photo stored before types were kept, detected now); "" when there is no photo or it
    is not an allowed image."""
    if not report.photo:
        return ""
    if report.photo_type:
        return report.photo_type
    try:
        content_type, _extension = check_photo(cast("UploadedFile[bytes]", report.photo))
    except (DomainError, OSError):
        return ""
    return content_type


def reports_for_resident(actor: Actor) -> QuerySet[SafetyReport]:
    worker = worker_for_resident(actor)
    if worker is None:
        return SafetyReport.objects.none()
    return SafetyReport.objects.filter(worker=worker).order_by("-created_at", "-id")


def may_decide(actor: Actor, report: SafetyReport) -> bool:
    return for_actor(actor, MANAGE, SafetyReport.objects.filter(pk=report.pk)).exists()


def parents_matching(actor: Actor, summer_class: SummerClass, q: str) -> QuerySet[Worker]:
    """Workers of the class's community whose name matches, for the class staff to enrol a
    child of."""
    return (
        for_actor(actor, CLASS_STAFF, Worker.objects.filter(status=WorkerStatus.ACTIVE))
        .filter(community_id=summer_class.community_id, name__contains=q.strip())
        .order_by("name", "id")
    )


def meals_between(
    actor: Actor, community_id: int, start: dt.date, end: dt.date
) -> QuerySet[CanteenMeal]:
    return (
        for_actor(actor, VIEW, CanteenMeal.objects.all())
        .filter(station__community_id=community_id, day__gte=start, day__lte=end)
        .select_related("worker")
        .order_by("day", "meal", "id")
    )
