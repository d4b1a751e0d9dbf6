"""The Party's headline figures (issue 14): members, central households and the 三带
coverage of households and members, and the meetings and activities held in the month.
Live; five queries whatever the amount of data."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.core.dates import next_month
from linli.core.hooks import Figure, FigureGroup, FigureQuery, register_figures
from linli.party.choices import ActivityKind, Relation
from linli.party.models import Activity, CentralHousehold, HouseholdLink, Member, MemberLink
from linli.party.permissions import FIGURES
from linli.registry.choices import HouseholdStatus
from linli.registry.models import Household


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None


def party_figures(q: FigureQuery) -> list[Figure]:
    members = Member.objects.filter(community_id__in=q.community_ids, relation=Relation.ACTIVE)
    households = Household.objects.filter(
        community_id__in=q.community_ids, status=HouseholdStatus.ACTIVE
    )
    centrals = CentralHousehold.objects.filter(
        community_id__in=q.community_ids, ended_on__isnull=True
    )
    activities = Activity.objects.filter(
        organisation__community_id__in=q.community_ids,
        held_on__gte=q.month,
        held_on__lt=next_month(q.month),
    )
    if q.grid_id:
        members = members.filter(resident__household__building__grid_id=q.grid_id)
        households = households.filter(building__grid_id=q.grid_id)
        centrals = centrals.filter(household__building__grid_id=q.grid_id)
        activities = activities.filter(organisation__grid_id=q.grid_id)
    open_mlink = MemberLink.objects.filter(member=OuterRef("pk"), ended_on__isnull=True)
    m = members.aggregate(total=Count("id"), linked=Count("id", filter=Q(Exists(open_mlink))))
    open_hlink = HouseholdLink.objects.filter(household=OuterRef("pk"), ended_on__isnull=True)
    h = households.aggregate(total=Count("id"), linked=Count("id", filter=Q(Exists(open_hlink))))
    by_kind = {
        row["kind"]: row["n"]
        for row in activities.order_by().values("kind").annotate(n=Count("id"))
    }
    return [
        Figure("party.members", _("Party members"), m["total"], url=reverse("party:members")),
        Figure(
            "party.central_households",
            _("Central households (三带)"),
            centrals.count(),
            url=reverse("party:centrals"),
        ),
        Figure(
            "party.household_coverage",
            _("Households linked to a central household"),
            _percent(h["linked"], h["total"]),
            unit="%",
            url=reverse("party:coverage"),
        ),
        Figure(
            "party.member_coverage",
            _("Members linked to a central household"),
            _percent(m["linked"], m["total"]),
            unit="%",
            url=reverse("party:coverage"),
        ),
        Figure(
            "party.activities_month",
            _("Meetings and activities this month"),
            sum(by_kind.values()),
            series=tuple((str(ActivityKind(k).label), n) for k, n in sorted(by_kind.items())),
        ),
    ]


def register() -> None:
    register_figures(
        FigureGroup(
            domain="party",
            label=_("Party building"),
            perms=(FIGURES,),
            provider=party_figures,
            order=20,
        )
    )
