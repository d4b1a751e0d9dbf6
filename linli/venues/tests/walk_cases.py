"""Venues in the persona walk (`linli.testing.walk`): who sees venues, availability, bookings,
kits, loans, the service catalogue and records, utilisation and exports."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.core import dates
from linli.testing.walk import Case, Scene, everyone, sees
from linli.venues import services
from linli.venues.choices import KitKind, ProviderKind, VenueKind
from linli.venues.models import (
    Kit,
    KitItem,
    OpeningHours,
    ServiceCategory,
    ServiceProvider,
    Venue,
)

MANAGERS = ("admin", "service")
BOOKERS = (*MANAGERS, "organiser", "volunteer", "trainer")
READERS = (*BOOKERS, "viewer", "district")  # the community's venues without a grid
GRID_A = ("worker_a",)
STAFF_ALL = (*READERS, "worker_a", "worker_b", "other_admin")
BROWSE = (*STAFF_ALL, "resident_user")
KEEPERS = (*MANAGERS, "worker_a", "worker_b", "other_admin")
EXPORTERS = (*MANAGERS, "other_admin")


def _venue(world: Any, name: str, kind: str, **kw: Any) -> Venue:
    venue = Venue.objects.create(community=world.community, name=name, kind=kind, **kw)
    OpeningHours.objects.bulk_create(
        OpeningHours(venue=venue, weekday=d, opens=dt.time(8), closes=dt.time(21)) for d in range(7)
    )
    return venue


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), (200, 90, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("room.png", buffer.getvalue(), content_type="image/png")


def build(scene: Scene) -> Any:
    """A reading room residents book (the resident has a booking; it has a photo), a hall with
    an organiser's recurring booking (no photo), grid A's micro-home with a kit lent to the
    resident, and a service record waiting for his rating."""
    world = scene.world
    room = _venue(world, "城市书房", VenueKind.READING_ROOM, capacity=40, residents_may_book=True)
    services.venue_photo_set(actor=scene.actor("admin"), venue_id=room.pk, photo=_photo())
    hall = _venue(world, "睦邻会馆", VenueKind.HALL, capacity=100, needs_approval=True)
    home = _venue(
        world,
        "第一网格党建微家",
        VenueKind.MICRO_HOME,
        grid=world.grid_a,
        capacity=20,
        residents_may_book=True,
    )
    kit = Kit.objects.create(venue=home, kind=KitKind.HEALTH)
    item = KitItem.objects.create(kit=kit, name="血压计", quantity=2, available=2)
    day = dates.local_today() + dt.timedelta(days=2)
    start = dates.day_start(day).replace(hour=10)
    booking = services.booking_create(
        actor=scene.actor("resident_user"),
        venue=room,
        start=start,
        end=start + dt.timedelta(hours=1),
        purpose="读书会",
        attendance=3,
    )
    series = services.booking_series_create(
        actor=scene.actor("organiser"),
        request=services.SeriesRequest(
            venue_id=hall.pk,
            weekday=day.weekday(),
            start_time=dt.time(19),
            end_time=dt.time(21),
            first_day=day,
            last_day=day + dt.timedelta(weeks=3),
            purpose="合唱团排练",
            attendance=20,
            host="文昌合唱团",
        ),
    )
    loan = services.loan_create(actor=scene.actor("resident_user"), item_id=item.pk)
    category = ServiceCategory.objects.create(community=world.community, name="义务理发")
    provider = ServiceProvider.objects.create(
        community=world.community, name="红马甲", kind=ProviderKind.TEAM
    )
    record = services.record_create(
        actor=scene.actor("admin"),
        category_id=category.pk,
        provider_id=provider.pk,
        resident_id=world.resident_a1.pk,
        what="理发",
    )
    return SimpleNamespace(
        room=room,
        hall=hall,
        home=home,
        kit=kit,
        item=item,
        booking=booking,
        series=series,
        loan=loan,
        record=record,
        category=category,
        provider=provider,
    )


room = lambda s: {"venue_id": s.venues.room.pk}  # noqa: E731
hall = lambda s: {"venue_id": s.venues.hall.pk}  # noqa: E731
home = lambda s: {"venue_id": s.venues.home.pk}  # noqa: E731
booking = lambda s: {"public_id": s.venues.booking.public_id}  # noqa: E731
series = lambda s: {"public_id": s.venues.series.public_id}  # noqa: E731
kit = lambda s: {"kit_id": s.venues.kit.pk}  # noqa: E731
item = lambda s: {"item_id": s.venues.item.pk}  # noqa: E731
loan = lambda s: {"public_id": s.venues.loan.public_id}  # noqa: E731
record = lambda s: {"public_id": s.venues.record.public_id}  # noqa: E731
category = lambda s: {"category_id": s.venues.category.pk}  # noqa: E731
provider = lambda s: {"provider_id": s.venues.provider.pk}  # noqa: E731

CASES = {
    "venues:home": Case(expect=sees(*BROWSE)),
    "venues:venue": [
        Case(room, label="reading room", expect=sees(*READERS, "resident_user")),
        Case(hall, label="hall (staff only)", expect=sees(*READERS)),
        Case(home, label="grid A's micro-home", expect=sees(*READERS, *GRID_A, "resident_user")),
    ],
    "venues:book": [
        Case(room, label="reading room", expect=sees(*BOOKERS, "resident_user")),
        Case(hall, label="hall", expect=sees(*BOOKERS)),
    ],
    "venues:series_new": Case(hall, expect=sees(*BOOKERS)),
    "venues:closure_new": Case(hall, expect=sees(*MANAGERS)),
    "venues:series": Case(series, expect=sees(*READERS)),
    "venues:bookings": Case(expect=sees(*STAFF_ALL)),
    "venues:booking": Case(booking, expect=sees(*READERS, "resident_user")),
    "venues:booking_cancel": Case(booking),
    "venues:my_bookings": Case(expect=sees(*BOOKERS, "other_admin", "resident_user")),
    "venues:my_loans": Case(expect=sees("resident_user")),
    "venues:my_records": Case(expect=sees("resident_user")),
    "venues:kit": Case(kit, expect=sees(*READERS, *GRID_A, "resident_user")),
    "venues:borrow": Case(item),
    "venues:loans": Case(expect=sees(*KEEPERS)),
    "venues:loan_return": Case(loan),
    "venues:catalogue": Case(expect=sees(*BROWSE)),
    "venues:records": Case(expect=sees(*EXPORTERS)),
    "venues:record_new": Case(expect=sees(*EXPORTERS)),
    "venues:record_rate": Case(record),
    "venues:utilisation": Case(expect=sees(*STAFF_ALL)),
    "venues:export": [
        Case({"what": w}, label=w, expect=sees(*EXPORTERS))
        for w in ("bookings", "records", "utilisation")
    ],
    "venues:venue_new": Case(expect=sees(*MANAGERS, "other_admin")),
    "venues:venue_edit": Case(hall, expect=sees(*MANAGERS)),
    "venues:venue_hours": Case(hall, expect=sees(*MANAGERS)),
    "venues:venue_photo": [
        Case(room, label="reading room", expect=sees(*READERS, "resident_user")),
        Case(hall, label="hall without a photo", expect=sees()),
    ],
    "venues:category_new": Case(expect=sees(*EXPORTERS)),
    "venues:category_edit": Case(category, expect=sees(*MANAGERS)),
    "venues:providers": Case(expect=sees(*EXPORTERS)),
    "venues:provider_new": Case(expect=sees(*EXPORTERS)),
    "venues:provider_edit": Case(provider, expect=sees(*MANAGERS)),
    "venues:schedule_new": Case(expect=sees(*EXPORTERS)),
    # The API
    "/api/venues/venues": Case(expect=sees(*BROWSE)),
    "/api/venues/venues/{venue_id}": [
        Case(room, label="reading room", expect=sees(*READERS, "resident_user")),
        Case(hall, label="hall (staff only)", expect=sees(*READERS)),
        Case(home, label="micro-home", expect=sees(*READERS, *GRID_A, "resident_user")),
    ],
    "/api/venues/venues/{venue_id}/availability": Case(
        room, expect=sees(*READERS, "resident_user")
    ),
    "/api/venues/bookings": Case(expect=sees(*STAFF_ALL)),
    "/api/venues/bookings/mine": Case(expect=everyone()),
    "/api/venues/bookings/export": Case(expect=sees(*EXPORTERS)),
    "/api/venues/bookings/{public_id}": Case(booking, expect=sees(*READERS, "resident_user")),
    "/api/venues/bookings/{public_id}/cancel": Case(booking),
    "/api/venues/bookings/{public_id}/move": Case(booking),
    "/api/venues/bookings/{public_id}/decide": Case(booking),
    "/api/venues/series/{public_id}/cancel": Case(series),
    "/api/venues/utilisation": Case(expect=sees(*STAFF_ALL)),
    "/api/venues/kits/{kit_id}": Case(kit, expect=sees(*READERS, *GRID_A, "resident_user")),
    "/api/venues/kits/items/{item_id}/borrow": Case(item),
    "/api/venues/loans": Case(expect=sees(*KEEPERS)),
    "/api/venues/loans/mine": Case(expect=everyone()),
    "/api/venues/loans/{public_id}/return": Case(loan),
    "/api/venues/services/categories": Case(expect=sees(*BROWSE)),
    "/api/venues/records": Case(expect=sees(*EXPORTERS)),
    "/api/venues/records/export": Case(expect=sees(*EXPORTERS)),
    "/api/venues/records/mine": Case(expect=everyone()),
    "/api/venues/records/{public_id}/rate": Case(record),
    "/api/venues/venues/{venue_id}/hours": Case(hall, expect=sees(*READERS)),
    "/api/venues/venues/{venue_id}/photo": [
        Case(room, label="reading room", expect=sees(*READERS, "resident_user")),
        Case(hall, label="hall without a photo", expect=sees()),
    ],
    "/api/venues/services/categories/{category_id}": Case(category),
    "/api/venues/services/providers": Case(expect=sees(*EXPORTERS)),
    "/api/venues/services/providers/{provider_id}": Case(provider),
    "/api/venues/services/schedules": Case(expect=sees(*EXPORTERS)),
}
