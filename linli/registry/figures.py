"""The registry's headline figures for the cockpit and the monthly report (issue 14):
households, residents and the residents of each tag (BRIEF R1). Live counts of the people
registered now (the registry keeps no month-end snapshot; a past month's report keeps the
figures it was generated with). Two queries whatever the amount of data."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.core import dates
from linli.core.hooks import Figure, FigureGroup, FigureQuery, register_figures
from linli.registry.choices import HouseholdStatus, ResidentStatus, Tag
from linli.registry.models import Household, Resident
from linli.registry.permissions import FIGURES
from linli.registry.selectors import tag_q

TAGS = (
    Tag.ELDERLY,
    Tag.OVER_80,
    Tag.INFANT,
    Tag.DISABLED,
    Tag.LOW_INCOME,
    Tag.UNEMPLOYED,
    Tag.PARTY_MEMBER,
    Tag.NEW_EMPLOYMENT,
)


def registry_figures(q: FigureQuery) -> list[Figure]:
    today = dates.local_today()
    residents = Resident.objects.filter(
        community_id__in=q.community_ids, status=ResidentStatus.ACTIVE
    )
    households = Household.objects.filter(
        community_id__in=q.community_ids, status=HouseholdStatus.ACTIVE
    )
    if q.grid_id:
        residents = residents.filter(household__building__grid_id=q.grid_id)
        households = households.filter(building__grid_id=q.grid_id)
    counts = residents.aggregate(
        total=Count("id"), **{t.value: Count("id", filter=tag_q(t, today)) for t in TAGS}
    )
    household_count = households.count()
    url = reverse("registry:residents")
    tag_series = tuple((str(t.label), counts[t.value] or 0) for t in TAGS)
    figures = [
        Figure("registry.households", _("Households"), household_count, url=url),
        Figure("registry.residents", _("Residents"), counts["total"], url=url, series=tag_series),
    ]
    figures += [
        Figure(f"registry.tag.{t.value}", t.label, counts[t.value] or 0, url=f"{url}?tag={t.value}")
        for t in TAGS
    ]
    return figures


def register() -> None:
    register_figures(
        FigureGroup(
            domain="registry",
            label=_("Residents"),
            perms=(FIGURES,),
            provider=registry_figures,
            order=10,
        )
    )
