"""Fixtures of the venues tests: a reading room residents may book, a hall that needs
approval, a micro-home in grid A with a kit."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core import dates
from linli.venues.choices import KitKind, VenueKind
from linli.venues.models import Kit, KitItem, OpeningHours, Venue


def open_daily(venue: Venue, opens: str = "08:00", closes: str = "21:00") -> Venue:
    OpeningHours.objects.bulk_create(
        OpeningHours(
            venue=venue,
            weekday=d,
            opens=dt.time.fromisoformat(opens),
            closes=dt.time.fromisoformat(closes),
        )
        for d in range(7)
    )
    return venue


def slot(
    days: int, hour: int, minute: int = 0, *, length: int = 60
) -> tuple[dt.datetime, dt.datetime]:
    """A slot `days` from today at hour:minute, `length` minutes long (community time)."""
    day = dates.local_today() + dt.timedelta(days=days)
    start = dates.day_start(day).replace(hour=hour, minute=minute)
    return start, start + dt.timedelta(minutes=length)


@pytest.fixture
def reading_room(world) -> Venue:
    venue = Venue.objects.create(
        community=world.community,
        kind=VenueKind.READING_ROOM,
        name="城市书房",
        area_m2=300,
        capacity=40,
        residents_may_book=True,
    )
    return open_daily(venue)


@pytest.fixture
def hall(world) -> Venue:
    venue = Venue.objects.create(
        community=world.community,
        kind=VenueKind.HALL,
        name="睦邻会馆",
        area_m2=600,
        capacity=120,
        needs_approval=True,
        residents_may_book=True,
    )
    return open_daily(venue)


@pytest.fixture
def micro_home(world) -> Venue:
    venue = Venue.objects.create(
        community=world.community,
        grid=world.grid_a,
        kind=VenueKind.MICRO_HOME,
        name="第一网格党建微家",
        area_m2=60,
        capacity=20,
        residents_may_book=True,
    )
    return open_daily(venue)


@pytest.fixture
def kit_item(micro_home) -> KitItem:
    kit = Kit.objects.create(venue=micro_home, kind=KitKind.HEALTH)
    return KitItem.objects.create(kit=kit, name="血压计", quantity=3, available=3)
