"""Checking a request's uploaded photos: at most three, each checked by `core.photos`."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from linli.core.errors import CoreError, DomainError
from linli.core.photos import check_photo
from linli.hotline.choices import MAX_PHOTOS


def check_photos(
    photos: Sequence[UploadedFile[bytes]],
) -> list[tuple[UploadedFile[bytes], str, str]]:
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            _("At most %(n)d photos per request.") % {"n": MAX_PHOTOS},
            code=CoreError.INVALID_FILE,
            field="photos",
        )
    return [(p, *check_photo(p, field="photos")) for p in photos]
