"""What care registers with core.hooks: the profile panel only for who may read the register,
cockpit figures, the hub tile's badge and the waiting items; notifications published."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from linli.care import hooks, services
from linli.care.models import Elder, Provider, Service, Visit
from linli.core import hooks as core_hooks
from linli.core.dates import this_month
from linli.core.notify import Message

pytestmark = pytest.mark.django_db


def test_panel_only_for_the_register(
    elders: dict[str, Elder],
    world: Any,
    worker_a: Any,
    worker_b: Any,
    volunteer: Any,
    actor_of: Any,
) -> None:
    keys = [p.key for p in core_hooks.panels_for(actor_of(worker_a))]
    assert "care" in keys
    assert "care" not in [p.key for p in core_hooks.panels_for(actor_of(volunteer))]
    ctx = hooks.panel_context(actor_of(worker_a), world.resident_a2.pk)
    assert ctx is not None and ctx["records"] is False
    assert hooks.panel_context(actor_of(worker_b), world.resident_a2.pk) is None  # other grid


def test_figures_tile_and_waiting(
    elders: dict[str, Elder],
    world: Any,
    care: Any,
    resident_user: Any,
    actor_of: Any,
    monkeypatch: Any,
) -> None:
    sent: list[Message] = []
    monkeypatch.setattr("linli.core.notify._SINKS", [sent.append])
    provider = Provider.objects.create(community=world.community, name="P")
    visit = Visit.objects.create(
        elder=elders["a1"],
        community=world.community,
        grid=world.grid_a,
        household=world.household_a1,
        service=Service.objects.get(code="cleaning_house"),
        provider=provider,
        scheduled_at=timezone.now(),
    )
    services.visit_check_in(actor=actor_of(care), public_id=visit.public_id)
    services.visit_check_out(actor=actor_of(care), public_id=visit.public_id)
    # at check-out only the care rating is asked; the surveys follow-up waits for the stars
    assert [m.kind for m in sent] == ["care.please_rate"]
    assert all(m.user_ids == (resident_user.pk,) for m in sent)
    resident = actor_of(resident_user)
    assert hooks.badge(resident) == 1
    assert [w.kind for w in hooks.waiting(resident)] == ["care.please_rate"]
    query = core_hooks.FigureQuery(
        community_ids=frozenset({world.community.id}), month=this_month()
    )
    figures = {f.key: f.value for f in hooks.figures(query)}
    assert (
        figures["care.elders"] == 2
        and figures["care.visits"] == 1
        and figures["care.on_time"] == 100
    )
    # the stars close the visit; then, once, the surveys follow-up (core.followups)
    sent.clear()
    services.visit_rate(actor=resident, public_id=visit.public_id, rating=5)
    assert [m.kind for m in sent] == ["surveys.followup"]
    assert hooks.waiting(resident) == [] and hooks.badge(resident) == 0
