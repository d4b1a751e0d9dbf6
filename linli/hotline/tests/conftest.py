"""Fixtures of the request desk's tests: photos go to a temporary media root, notifications
are read back from the inboxes (`outbox`), and a few helpers file requests as the world's
personas."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.hotline import services
from linli.notify.models import Notification


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    yield


@pytest.fixture(autouse=True)
def _catalogue(request: pytest.FixtureRequest) -> None:
    """Tests on the world get its communities' default categories, as the demo or a
    community admin would have set them up (filing never creates them)."""
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    for community in (world.community, world.other_community):
        services.categories_ensure_defaults(actor=services.SYSTEM, community_id=community.id)


class Outbox:
    """The desk's messages in every inbox, oldest first (`kind` without the "hotline."
    prefix, as the desk names its events)."""

    def _rows(self) -> list[Any]:
        rows = list(Notification.objects.filter(kind__startswith="hotline.").order_by("id"))
        for row in rows:
            row.kind = row.kind.removeprefix("hotline.")
        return rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows())

    def __getitem__(self, index: int) -> Any:
        return self._rows()[index]

    def __len__(self) -> int:
        return len(self._rows())


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


def make_photo(
    name: str = "p.jpg", fmt: str = "JPEG", size: tuple[int, int] = (40, 30)
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


@pytest.fixture
def photo() -> Callable[..., SimpleUploadedFile]:
    return make_photo


@pytest.fixture
def file_portal(world, resident_user, actor_of) -> Callable[..., Any]:
    """File a request as the world's resident for household A1 (grid A)."""

    def file(
        category: str = "water",
        description: str = "厨房水管漏水",
        actor: Any = None,
        **extra: Any,
    ):
        extra.setdefault("answers", {"extent": "本户"} if category == "water" else None)
        return services.request_file(
            actor=actor or actor_of(resident_user),
            community_id=world.community.id,
            category_code=category,
            description=description,
            channel="portal",
            household_public_id=world.household_a1.public_id,
            **extra,
        )

    return file
