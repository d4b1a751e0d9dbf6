"""Volunteering's headline figures (issue 14): active volunteers and the month's new ones,
hours confirmed (the month, the year, and a twelve-month trend), activities held and points
in circulation. Live; four queries whatever the amount of data."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.core import dates
from linli.core.hooks import Figure, FigureGroup, FigureQuery, register_figures
from linli.volunteers.choices import SignupStatus, VolunteerStatus
from linli.volunteers.models import Activity, PointsAccount, Signup, Volunteer
from linli.volunteers.permissions import FIGURES

MONTHS = 12


def volunteer_figures(q: FigureQuery) -> list[Figure]:
    start, end = dates.month_bounds(q.month)
    first = dates.day_start(dates.add_months(q.month, 1 - MONTHS))
    year_start = dates.day_start(q.month.replace(month=1))
    volunteers = Volunteer.objects.filter(community_id__in=q.community_ids)
    signups = Signup.objects.filter(
        activity__community_id__in=q.community_ids, status=SignupStatus.CONFIRMED
    )
    accounts = PointsAccount.objects.filter(community_id__in=q.community_ids)
    activities = Activity.objects.filter(
        community_id__in=q.community_ids, starts_at__gte=start, starts_at__lt=end
    )
    if q.grid_id:
        volunteers = volunteers.filter(resident__household__building__grid_id=q.grid_id)
        signups = signups.filter(volunteer__resident__household__building__grid_id=q.grid_id)
        accounts = accounts.filter(resident__household__building__grid_id=q.grid_id)
    v = volunteers.aggregate(
        active=Count("id", filter=Q(status=VolunteerStatus.ACTIVE)),
        new=Count("id", filter=Q(joined_on__gte=q.month, joined_on__lt=dates.next_month(q.month))),
    )
    # Twelve monthly sums in one query (plain comparisons: no per-row date functions).
    months = [dates.add_months(q.month, i - MONTHS + 1) for i in range(MONTHS)]
    sums = {
        f"m{i}": Sum(
            "hours",
            filter=Q(
                confirmed_at__gte=dates.day_start(m),
                confirmed_at__lt=dates.day_start(dates.next_month(m)),
            ),
        )
        for i, m in enumerate(months)
    }
    hours = signups.filter(
        confirmed_at__gte=min(first, year_start), confirmed_at__lt=end
    ).aggregate(
        month=Sum("hours", filter=Q(confirmed_at__gte=start)),
        year=Sum("hours", filter=Q(confirmed_at__gte=year_start)),
        **sums,
    )
    series = [(f"{m:%Y-%m}", hours[f"m{i}"] or Decimal(0)) for i, m in enumerate(months)]
    url = reverse("volunteers:volunteers")
    return [
        Figure("volunteers.active", _("Volunteers"), v["active"], url=url),
        Figure("volunteers.new_month", _("New volunteers this month"), v["new"], url=url),
        Figure(
            "volunteers.hours_month",
            _("Volunteer hours this month"),
            hours["month"] or Decimal(0),
            unit=_("h"),
            series=tuple(series),
        ),
        Figure(
            "volunteers.hours_year",
            _("Volunteer hours this year"),
            hours["year"] or Decimal(0),
            unit=_("h"),
        ),
        Figure(
            "volunteers.activities_month",
            _("Volunteer activities this month"),
            activities.count() if not q.grid_id else None,
            url=reverse("volunteers:activities"),
        ),
        Figure(
            "volunteers.points_balance",
            _("Points held by residents"),
            accounts.aggregate(b=Sum("balance"))["b"] or 0,
            url=reverse("volunteers:leaderboard"),
        ),
    ]


def register() -> None:
    register_figures(
        FigureGroup(
            domain="volunteers",
            label=_("Volunteers"),
            perms=(FIGURES,),
            provider=volunteer_figures,
            order=40,
        )
    )
