"""Registrations of the venues domain (called from `VenuesConfig.ready()`): menus and tabs, the
API router, the demo builder, and the shared pages' hooks — the hub tile "预约场馆" and waiting
items (a booking today, a service to rate), the profile panel (a resident's bookings and
service records), cockpit figures and the staff search over venues."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import hooks
from linli.core.permissions import Actor, for_actor, has_perm
from linli.venues import selectors
from linli.venues.choices import RecordStatus
from linli.venues.models import Booking, ServiceRecord, Venue
from linli.venues.permissions import BOOK, EXPORT, KITS, MANAGE, PORTAL, SERVICES, VIEW

PANEL_ROWS = 5


def _panel(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    """A resident's latest bookings and service records, as far as the actor may see them."""
    bookings = Booking.objects.none()
    records = ServiceRecord.objects.none()
    if has_perm(actor, VIEW):
        bookings = for_actor(actor, VIEW, Booking.objects.all())
    if has_perm(actor, SERVICES):
        records = for_actor(actor, SERVICES, ServiceRecord.objects.all())
    if has_perm(actor, PORTAL) and actor.resident_id == resident_id:
        bookings = for_actor(actor, PORTAL, Booking.objects.all())
        records = for_actor(actor, PORTAL, ServiceRecord.objects.all())
    b = list(
        bookings.filter(resident_id=resident_id)
        .select_related("venue")
        .order_by("-starts_at")[:PANEL_ROWS]
    )
    r = list(
        records.filter(resident_id=resident_id)
        .select_related("category", "provider")
        .order_by("-served_at")[:PANEL_ROWS]
    )
    if not b and not r:
        return None
    return {"bookings": b, "records": r}


def _panel_export(actor: Actor, resident_id: int) -> list[dict[str, Any]]:
    context = _panel(actor, resident_id) or {"bookings": [], "records": []}
    rows: list[dict[str, Any]] = [
        {
            "kind": str(_("Booking")),
            "venue": b.venue.name,
            "when": b.starts_at.isoformat(),
            "status": b.status,
        }
        for b in context["bookings"]
    ]
    rows += [
        {
            "kind": str(_("Service record")),
            "service": rec.category.name,
            "when": rec.served_at.isoformat(),
            "rating": rec.rating,
        }
        for rec in context["records"]
    ]
    return rows


def _waiting(actor: Actor) -> list[hooks.WaitingItem]:
    items = [
        hooks.WaitingItem(
            kind="venues.booking_today",
            title=_("Today %(time)s: %(venue)s")
            % {"time": f"{timezone.localtime(b.starts_at):%H:%M}", "venue": b.venue.name},
            url=reverse("venues:booking", args=[b.public_id]),
            when=b.starts_at,
        )
        for b in selectors.bookings_today(actor)
    ]
    to_rate = selectors.records_for_resident(actor).filter(status=RecordStatus.OPEN)[:3]
    items += [
        hooks.WaitingItem(
            kind="venues.please_rate",
            title=_("Rate “%(service)s”") % {"service": r.category.name},
            url=reverse("venues:my_records"),
            when=r.served_at,
        )
        for r in to_rate
    ]
    return items


def _figures(query: hooks.FigureQuery) -> list[hooks.Figure]:
    h = selectors.headline(query.community_ids, query.month)
    url = reverse("venues:utilisation")
    return [
        hooks.Figure("venues.venues", gettext_lazy("Venues"), h.venues, url=reverse("venues:home")),
        hooks.Figure(
            "venues.utilisation", gettext_lazy("Venue utilisation"), h.rate, unit="%", url=url
        ),
        hooks.Figure("venues.bookings", gettext_lazy("Venue bookings"), h.bookings, url=url),
        hooks.Figure(
            "venues.booked_hours",
            gettext_lazy("Hours booked"),
            h.booked_hours,
            unit=gettext_lazy("h"),
        ),
        hooks.Figure(
            "venues.service_records",
            gettext_lazy("Convenience services given"),
            h.records,
            url=reverse("venues:catalogue"),
        ),
        hooks.Figure(
            "venues.service_rating", gettext_lazy("Average service rating"), h.rating, unit="★"
        ),
    ]


def _search(actor: Actor, query: str, limit: int) -> list[hooks.SearchHit]:
    venues = (
        for_actor(actor, VIEW, Venue.objects.all())
        .filter(Q(name__icontains=query) | Q(place__icontains=query))
        .order_by("name")[:limit]
    )
    return [
        hooks.SearchHit(
            kind=_("Venue"),
            label=v.name,
            url=reverse("venues:venue", args=[v.pk]),
            detail=v.get_kind_display(),
        )
        for v in venues
    ]


def register_all() -> None:
    from linli.core.api import register_router
    from linli.core.demo_hooks import register_demo
    from linli.core.navigation import register_nav, register_subnav
    from linli.venues.api import router
    from linli.venues.demo import build_demo

    register_router("/venues/", router)
    register_demo("venues", build_demo, order=60)
    register_nav(gettext_lazy("Venues"), "venues:home", VIEW, order=55)
    register_nav(gettext_lazy("Book a venue"), "venues:home", PORTAL, order=55)
    register_nav(gettext_lazy("My bookings"), "venues:my_bookings", PORTAL, order=56)
    for key, label, url_name, perms in (
        ("home", gettext_lazy("Venues"), "venues:home", (VIEW, PORTAL)),
        ("bookings", gettext_lazy("Bookings"), "venues:bookings", (VIEW,)),
        ("utilisation", gettext_lazy("Utilisation"), "venues:utilisation", (VIEW,)),
        ("loans", gettext_lazy("Kit loans"), "venues:loans", (KITS,)),
        ("services", gettext_lazy("Services"), "venues:catalogue", (VIEW, PORTAL, SERVICES)),
        ("records", gettext_lazy("Service records"), "venues:records", (SERVICES,)),
        ("mine", gettext_lazy("My bookings"), "venues:my_bookings", (PORTAL,)),
        ("my_loans", gettext_lazy("My loans"), "venues:my_loans", (PORTAL,)),
        ("my_records", gettext_lazy("Services I received"), "venues:my_records", (PORTAL,)),
    ):
        register_subnav("venues", key, label, url_name, *perms, group_label=gettext_lazy("Venues"))
    hooks.register_tile(
        hooks.Tile(
            key="venues.book",
            label=gettext_lazy("Book a venue"),
            url_name="venues:home",
            perms=(PORTAL,),
            icon="ti-calendar-event",
            order=30,
            badge_kinds=("venues.booking_today",),
        )
    )
    hooks.register_tile(
        hooks.Tile(
            key="venues.services",
            label=gettext_lazy("Convenience services"),
            url_name="venues:catalogue",
            perms=(PORTAL,),
            icon="ti-heart-handshake",
            order=31,
        )
    )
    hooks.register_waiting(
        hooks.WaitingSource(domain="venues", perms=(PORTAL, BOOK), items=_waiting)
    )
    hooks.register_panel(
        hooks.Panel(
            key="venues",
            title=gettext_lazy("Venues and services"),
            perms=(VIEW, SERVICES, PORTAL),
            template="venues/_panel.html",
            context=_panel,
            order=60,
            export=_panel_export,
        )
    )
    hooks.register_figures(
        hooks.FigureGroup(
            domain="venues",
            label=gettext_lazy("Venues and services"),
            perms=(VIEW, MANAGE, EXPORT),
            provider=_figures,
            order=60,
        )
    )
    hooks.register_search(
        hooks.SearchProvider(
            domain="venues", label=gettext_lazy("Venues"), perms=(VIEW,), search=_search
        )
    )
