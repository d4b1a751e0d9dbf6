"""Fixtures of the volunteers tests: store items, accounts with points, an activity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from linli.core.permissions import Actor
from linli.volunteers import points
from linli.volunteers.choices import EntryKind
from linli.volunteers.models import Activity, PointsAccount, StoreItem


def fund(account: PointsAccount, amount: int, at: dt.datetime | None = None) -> None:
    """Give an account `amount` points the way a confirmed service would."""
    with transaction.atomic():
        locked = points.lock_account(account.pk)
        points.credit(
            locked,
            kind=EntryKind.RULE,
            points=amount,
            actor=points.SYSTEM,
            at=at,
            reason="test",
        )


@pytest.fixture
def resident_account(world, resident_user) -> PointsAccount:
    return points.account_open(
        community_id=world.community.id,
        resident_id=world.resident_a1.id,
        name=world.resident_a1.name,
    )


@pytest.fixture
def item(world) -> StoreItem:
    return StoreItem.objects.create(
        community=world.community, name="洗衣液", price=30, stock=10, per_person_limit=None
    )


@pytest.fixture
def activity(world, organiser) -> Activity:
    start = timezone.now() + dt.timedelta(days=2)
    return Activity.objects.create(
        community=world.community,
        title="楼道清洁",
        place="12栋",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=2,
        organiser=organiser,
    )


@pytest.fixture
def system() -> Actor:
    return points.SYSTEM
