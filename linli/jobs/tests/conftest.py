"""Doorstep-jobs test helpers: a firm, an order, a team and a worker (the resident persona)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from linli.accounts.selectors import actor_for_user
from linli.core import dates
from linli.jobs import services
from linli.registry.models import Resident


@pytest.fixture
def shop(world, admin, lead):  # type: ignore[no-untyped-def]
    """A firm with one order (1,000 pieces at ¥0.3333), a team led by a Party member and two
    workers: the resident persona (张晓, A1) and 王建国 (B1)."""
    admin_actor = actor_for_user(admin)
    lead_actor = actor_for_user(lead)
    Resident.objects.filter(pk=world.resident_a2.pk).update(is_party_member=True)
    world.resident_a2.refresh_from_db()
    firm = services.firm_create(actor=admin_actor, community_id=world.community.id, name="玉器坊")
    order = services.order_create(
        actor=lead_actor,
        firm_id=firm.id,
        product="手串穿珠",
        quantity=1000,
        rate=Decimal("0.3333"),
        due_on=dates.local_today() + dt.timedelta(days=30),
    )
    team = services.team_create(
        actor=admin_actor,
        community_id=world.community.id,
        name="李芳组",
        leader_public_id=world.resident_a2.public_id,
    )
    worker = services.worker_add(
        actor=lead_actor,
        community_id=world.community.id,
        resident_public_id=world.resident_a1.public_id,
        team_id=team.id,
    )
    other = services.worker_add(
        actor=lead_actor,
        community_id=world.community.id,
        resident_public_id=world.resident_b1.public_id,
        team_id=team.id,
    )
    return SimpleNamespace(
        admin=admin_actor,
        lead=lead_actor,
        firm=firm,
        order=order,
        team=team,
        worker=worker,
        other=other,
    )
