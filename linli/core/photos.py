"""Checking an uploaded photo, for every domain that keeps one (Community 110, the riders'
station, pickup people, venues): at most 5 MB and an image by its content (Pillow reads it),
not by its name or the browser's word; decompression bombs are refused. `photo_response`
answers with a stored one (pages and API alike)."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from linli.core.errors import CoreError, DomainError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuses decompression bombs long before memory suffers
# Pillow format → (content type, file extension)
ALLOWED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


def check_photo(upload: UploadedFile[bytes], field: str = "photo") -> tuple[str, str]:
    """(content type, extension) of a valid photo, or a DomainError on `field` that the person
    who sent it understands."""
    not_a_photo = DomainError(
        _("Only photos (JPEG, PNG or WebP) can be attached."),
        code=CoreError.INVALID_FILE,
        field=field,
    )
    if (upload.size or 0) > MAX_PHOTO_BYTES:
        raise DomainError(
            _("A photo may be at most %(mb)d MB.") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)},
            code=CoreError.INVALID_FILE,
            field=field,
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise not_a_photo
    if width * height > MAX_PIXELS:
        raise DomainError(_("This photo is too large."), code=CoreError.INVALID_FILE, field=field)
    return ALLOWED_FORMATS[fmt]


def photo_response(photo: FieldFile, content_type: str, *, max_age: int) -> FileResponse:
    """A stored photo as an answer: the image type detected when it was checked (never its file
    name's), the browser told not to guess, cached only by the person's own browser. A file
    missing from storage is a 404 (Http404 is the API's usual 404 too)."""
    try:
        handle = photo.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = f"private, max-age={max_age}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def store_photo(file: FieldFile, upload: UploadedFile[bytes], ext: str) -> None:
    """Save a checked photo through the storage API under a random name (the uploaded name may
    say who is on it); the row is saved by the caller."""
    upload.seek(0)
    file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)


def delete_after_commit(file: FieldFile, name: str | None) -> None:
    """Remove a replaced or removed photo's file once the change is committed: a rolled-back
    change keeps the file its row still points to. A storage that fails (the object store
    down) is logged and leaves the old file behind; the committed change stands."""
    if name:
        storage = file.storage
        transaction.on_commit(lambda: storage.delete(name), robust=True)
