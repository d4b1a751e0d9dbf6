"""A small deliberation scene on the test world: ownership of the world's flats plus a
six-storey staircase of twelve flats (two per floor) in grid A, one owner of two flats, one
co-owned flat; a matter, a meeting, a notice, a staircase vote and an elevator project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from linli.core import dates
from linli.core.permissions import Actor
from linli.deliberation import services
from linli.deliberation.models import Property
from linli.registry.models import Household
from linli.testing.factories import HouseholdFactory, UnitFactory
from linli.testing.world import World


def own(h: Household, area: str, key: str, resident_id: int | None = None) -> Property:
    return Property.objects.create(
        household=h,
        community_id=h.community_id,
        grid_id=h.building.grid_id,
        building_id=h.building_id,
        unit_id=h.unit_id,
        area=Decimal(area),
        owner_key=key,
        owner_label=key,
        owner_resident_id=resident_id,
    )


def build_scene(world: World, admin: Actor) -> SimpleNamespace:
    today = dates.local_today()
    b = world.building_a
    b.floors = 6
    b.has_elevator = False
    b.save(update_fields=["floors", "has_elevator"])
    # The world's flats of building A: A1 (the resident's, unit 2 room 301) and A2.
    own(world.household_a1, "75.50", "OA1", world.resident_a1.pk)
    own(world.household_a2, "60.25", "OA2", world.resident_a2.pk)
    own(world.household_b1, "80.00", "OB1", world.resident_b1.pk)
    unit = UnitFactory.create(building=b, number=5)
    flats = []
    for floor in range(1, 7):
        for door in (1, 2):
            flats.append(HouseholdFactory.create(unit=unit, room=f"{floor}0{door}", floor=floor))
    for i, h in enumerate(flats):
        key = "S-TWO" if h.room in ("501", "502") else ("S-COUPLE" if h.room == "301" else f"S{i}")
        own(h, "70.00" if h.floor % 2 else "65.50", key)
    # The resident's own staircase (unit_a: A1 and A2) gets an elevator project.
    project = services.project_create(
        actor=admin,
        unit_id=world.unit_a.pk,
        total_cost_yuan="600000.00",
        maintenance_yuan="8000",
        electricity_yuan="2400",
    )
    matter = services.matter_create(
        actor=admin, title="加装电梯", scope="building", building_id=b.pk
    )
    meeting = services.meeting_create(
        actor=admin,
        title="居民会议",
        kind="residents",
        scope="building",
        building_id=b.pk,
        starts_at=dates.day_start(today),
        place_name="议事亭",
        agenda="加装电梯",
        invited=10,
        matter_public_id=matter.public_id,
    )
    notice = services.notice_create(
        actor=admin,
        title="公示",
        body="公示内容",
        scope="building",
        building_id=b.pk,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=6),
    )
    services.notice_publish(actor=admin, public_id=notice.public_id)
    objection = services.objection_lodge(
        actor=admin, notice_public_id=notice.public_id, about="噪音", objector="王先生"
    )
    vote = services.vote_open(
        actor=admin,
        title="楼栋表决",
        scope="staircase",
        unit_id=unit.pk,
        rule_set_code="yangzhou-elevator",
        opens_on=today,
        closes_on=today + dt.timedelta(days=14),
    )
    building_vote = services.vote_open(
        actor=admin,
        title="楼栋议事",
        scope="building",
        building_id=b.pk,
        base_rule="ordinary",
        opens_on=today,
        closes_on=today + dt.timedelta(days=14),
    )
    return SimpleNamespace(
        unit=unit,
        flats=flats,
        project=project,
        matter=matter,
        meeting=meeting,
        notice=notice,
        objection=objection,
        vote=vote,
        building_vote=building_vote,
    )
