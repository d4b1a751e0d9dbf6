"""Fixtures of the notification tests: texts go to the in-memory SMS outbox, uploads to a
temporary media root, and a resident account in grid B (household B1) exists on demand."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from linli.accounts.models import RoleAssignment, User
from linli.core import pii
from linli.core.roles import Role
from linli.notify.channels import OutboxSmsBackend
from linli.testing.world import World


@pytest.fixture(autouse=True)
def _sms_outbox(settings: Any, tmp_path: Any) -> Iterator[list[tuple[str, str]]]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFY_SMS_BACKEND = "linli.notify.channels.OutboxSmsBackend"
    OutboxSmsBackend.outbox.clear()
    OutboxSmsBackend.fail_next.clear()
    yield OutboxSmsBackend.outbox
    OutboxSmsBackend.outbox.clear()
    OutboxSmsBackend.fail_next.clear()


@pytest.fixture
def sms() -> list[tuple[str, str]]:
    return OutboxSmsBackend.outbox


@pytest.fixture
def resident_b(world: World) -> User:
    """The head of household B1 (grid B) with a resident account."""
    user = User.objects.create_user(
        username="resident_b",
        password="x-Password-123",
        resident=world.resident_b1,
        phone_hash=pii.lookup_hash("phone", "13900000001"),
    )
    RoleAssignment.objects.create(
        user=user, role=Role.RESIDENT, household=world.household_b1, community=world.community
    )
    return user
