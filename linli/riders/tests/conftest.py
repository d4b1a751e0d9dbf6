"""Fixtures of the riders' tests: photos in a temporary media root, a rider who is the
world's resident, an outside courier and a summer class."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.hotline import services as hotline_services
from linli.riders import services
from linli.riders.models import SummerClass, Worker


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def make_photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile("hazard.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def rider(world, admin, resident_user, actor_of) -> Worker:
    # Safety reports go to Community 110, which files them under its default categories.
    hotline_services.categories_ensure_defaults(
        actor=hotline_services.SYSTEM, community_id=world.community.id
    )
    return services.worker_register(
        actor=actor_of(admin),
        community_id=world.community.id,
        kind="rider",
        platform="美团",
        work_station="美团曲江站",
        resident_public_id=world.resident_a1.public_id,
    )


@pytest.fixture
def courier(world, admin, actor_of) -> Worker:
    return services.worker_register(
        actor=actor_of(admin),
        community_id=world.community.id,
        kind="courier",
        platform="顺丰",
        name="刘快",
        phone="13655556666",
    )


@pytest.fixture
def summer_class(world) -> SummerClass:
    return SummerClass.objects.create(
        community=world.community,
        name="爱新暑托班",
        place="睦邻会馆",
        starts_on=dt.date(2026, 7, 6),
        ends_on=dt.date(2026, 8, 14),
        capacity=1,
    )


@pytest.fixture
def neighbour(world, admin, actor_of, rider):
    """Another resident of the community (李芳, household A2), registered as a driver: his
    reports are not the rider's, and the rider's are not his."""
    from linli.accounts.models import RoleAssignment, User
    from linli.core.roles import Role

    user = User.objects.create_user(
        username="neighbour", password="x", resident=world.resident_a2, display_name="李芳"
    )
    RoleAssignment.objects.create(
        user=user, role=Role.RESIDENT, household=world.household_a2, community=world.community
    )
    services.worker_register(
        actor=actor_of(admin),
        community_id=world.community.id,
        kind="driver",
        platform="滴滴",
        resident_public_id=world.resident_a2.public_id,
    )
    return user


def file_report(actor, place: str = "12栋楼道", **extra):
    return services.report_file(
        actor=actor, category="fire", place=place, description="电动车充电", **extra
    )
