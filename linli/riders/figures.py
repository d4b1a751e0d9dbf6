"""The riders' station's headline figures (issue 14): new-employment workers registered,
the month's station visits and canteen meals, and safety reports filed and verified.
Live; four queries whatever the amount of data. A grid drill-down has none of these (the
station serves the community, workers are not counted by grid)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.core import dates
from linli.core.hooks import Figure, FigureGroup, FigureQuery, register_figures
from linli.riders.choices import ReportStatus, WorkerStatus
from linli.riders.models import CanteenMeal, SafetyReport, StationVisit, Worker
from linli.riders.permissions import FIGURES


def rider_figures(q: FigureQuery) -> list[Figure]:
    if q.grid_id:
        return []
    start, end = dates.month_bounds(q.month)
    workers = Worker.objects.filter(
        community_id__in=q.community_ids, status=WorkerStatus.ACTIVE
    ).count()
    visits = StationVisit.objects.filter(
        station__community_id__in=q.community_ids, visited_at__gte=start, visited_at__lt=end
    ).count()
    meals = CanteenMeal.objects.filter(
        station__community_id__in=q.community_ids,
        day__gte=q.month,
        day__lt=dates.next_month(q.month),
    ).count()
    reports = SafetyReport.objects.filter(
        community_id__in=q.community_ids, created_at__gte=start, created_at__lt=end
    ).aggregate(total=Count("id"), verified=Count("id", filter=Q(status=ReportStatus.VERIFIED)))
    return [
        Figure(
            "riders.workers", _("New-employment workers"), workers, url=reverse("riders:workers")
        ),
        Figure("riders.visits_month", _("Station visits this month"), visits),
        Figure("riders.meals_month", _("Canteen meals this month"), meals),
        Figure(
            "riders.reports_month",
            _("Safety reports this month"),
            reports["total"],
            url=reverse("riders:reports"),
            series=((str(_("Verified")), reports["verified"]),),
        ),
    ]


def register() -> None:
    register_figures(
        FigureGroup(
            domain="riders",
            label=_("New-employment workers"),
            perms=(FIGURES,),
            provider=rider_figures,
            order=50,
        )
    )
