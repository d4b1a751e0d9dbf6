"""Checking uploaded photos: at most three, each at most 5 MB, and an image by its content
(Pillow reads it), not by its name or the browser's word."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from linli.core.errors import CoreError, DomainError
from linli.hotline.choices import MAX_PHOTO_BYTES, MAX_PHOTOS

# Pillow format → (content type, file extension)
ALLOWED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
MAX_PIXELS = 40_000_000  # refuses decompression bombs long before memory suffers


def check_photo(upload: UploadedFile[bytes]) -> tuple[str, str]:
    """(content type, extension) of a valid photo, or a DomainError a resident understands."""
    if (upload.size or 0) > MAX_PHOTO_BYTES:
        raise DomainError(
            _("A photo may be at most %(mb)d MB.") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)},
            code=CoreError.INVALID_FILE,
            field="photos",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(
            _("Only photos (JPEG, PNG or WebP) can be attached."),
            code=CoreError.INVALID_FILE,
            field="photos",
        ) from None
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise DomainError(
            _("Only photos (JPEG, PNG or WebP) can be attached."),
            code=CoreError.INVALID_FILE,
            field="photos",
        )
    if width * height > MAX_PIXELS:
        raise DomainError(
            _("This photo is too large."), code=CoreError.INVALID_FILE, field="photos"
        )
    return ALLOWED_FORMATS[fmt]


def check_photos(
    photos: Sequence[UploadedFile[bytes]],
) -> list[tuple[UploadedFile[bytes], str, str]]:
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            _("At most %(n)d photos per request.") % {"n": MAX_PHOTOS},
            code=CoreError.INVALID_FILE,
            field="photos",
        )
    return [(p, *check_photo(p)) for p in photos]
