"""Fixtures of the care tests: the register synced from the test world, a provider, a plan."""

from __future__ import annotations

from typing import Any

import pytest

from linli.care import services
from linli.care.models import Elder, Provider, Service
from linli.core import dates
from linli.testing.world import World


@pytest.fixture(autouse=True)
def care_standard_loaded(request: Any) -> None:
    """Migration 0002 loads the GB/T 42195 standard and the catalogue as rows. A transactional
    test that ran earlier on the same worker flushes every table, those rows included: load
    them again before a database test that needs them."""
    if "transactional_db" in request.fixturenames:
        return
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    if Service.objects.exists():
        return
    import importlib

    from django.apps import apps

    migration = importlib.import_module("linli.care.migrations.0002_standard_and_catalogue")
    migration.load(apps, None)  # it only writes rows; SQLite allows no schema editor here


def all_answers(points: int | None = None, **overrides: int) -> dict[str, int]:
    """Every item at its maximum (or `points` capped at each item's maximum), then overrides."""
    from linli.care.models import AssessmentItem

    out = {}
    for item in AssessmentItem.objects.all():
        out[item.code] = item.max_points if points is None else min(points, item.max_points)
    out.update(overrides)
    return out


@pytest.fixture
def elders(world: World) -> dict[str, Elder]:
    """a1 (68, with his son), a2 (84, living alone)."""
    services.elders_sync()
    return {
        "a1": Elder.objects.get(resident=world.resident_a1),
        "a2": Elder.objects.get(resident=world.resident_a2),
    }


@pytest.fixture
def provider(world: World) -> Provider:
    return Provider.objects.create(community=world.community, name="颐康居家养老服务中心")


@pytest.fixture
def plan(elders: dict[str, Elder], provider: Provider, care: Any, actor_of: Any) -> Any:
    svc = Service.objects.get(code="cleaning_house")
    return services.plan_create(
        actor=actor_of(care),
        elder_public_id=elders["a2"].public_id,
        provider_id=provider.pk,
        items=[services.PlanLine(svc.pk, 7, 9)],
        starts_on=dates.local_today(),
    )
