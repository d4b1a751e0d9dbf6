"""A venue's photo (issue 10, "Photos optional"): those who manage the venue upload, replace and
remove it on the edit page or through the API (a file is a photo by its content, at most 5 MB;
anything else is refused and nothing changes; every change audited; a replaced file leaves the
storage); whoever may see the venue sees it on the venue's page and gets its bytes; everybody
else gets 404."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.accounts.selectors import actor_for_user
from linli.core.errors import DomainError
from linli.core.models import AuditEvent
from linli.venues import services
from linli.venues.choices import VenueKind
from linli.venues.models import Venue

NOT_A_PHOTO = "只能上传照片（JPEG、PNG 或 WebP 格式）。"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image(name: str = "hall.png", fmt: str = "PNG", colour: tuple[int, int, int] = (200, 90, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), colour).save(buffer, format=fmt)
    kind = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=kind)


def text_as_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "photo.jpg", b"just some notes, not a photo\n", content_type="image/jpeg"
    )


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def page_url(venue: Venue) -> str:
    return f"/venues/{venue.pk}/photo/"


def api_url(venue: Venue) -> str:
    return f"/api/venues/venues/{venue.pk}/photo"


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def upload_on_page(client: Any, venue: Venue, photo: SimpleUploadedFile) -> Any:
    return client.post(f"/venues/{venue.pk}/edit/", {"action": "photo", "photo-photo": photo})


@pytest.fixture
def with_photo(reading_room, admin) -> Venue:
    return services.venue_photo_set(
        actor=actor_for_user(admin), venue_id=reading_room.pk, photo=image("first.png")
    )


# --- pages ----------------------------------------------------------------------------------------


def test_staff_upload_a_png_and_the_venue_page_shows_it_and_serves_its_bytes(
    reading_room, admin, client_for, _media
):
    client = client_for(admin)
    edit = client.get(f"/venues/{reading_room.pk}/edit/").content.decode()
    assert 'enctype="multipart/form-data"' in edit and 'name="photo-photo"' in edit
    # the settings form is shown filled in, not as a refused submission
    assert 'value="城市书房"' in edit and "invalid-feedback" not in edit
    upload = image()
    answer = upload_on_page(client, reading_room, upload)
    assert answer.status_code == 302 and answer["Location"] == f"/venues/{reading_room.pk}/"
    reading_room.refresh_from_db()
    assert reading_room.photo_type == "image/png"
    # stored under a random name, not the uploader's
    assert reading_room.photo.name.endswith(".png") and "hall" not in reading_room.photo.name
    page = client.get(f"/venues/{reading_room.pk}/").content.decode()
    assert 'data-testid="venue-photo"' in page
    assert f'src="{page_url(reading_room)}?v=' in page
    assert 'alt="城市书房的照片"' in page  # "Photo of 城市书房" in the default language
    served = client.get(page_url(reading_room))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    upload.seek(0)
    assert body(served) == upload.read()
    event = AuditEvent.objects.get(object_type="venues.venue", field="photo")
    assert event.action == "update" and event.after == {"photo": True}
    assert event.before == {"photo": False}


def test_a_venue_without_a_photo_shows_none_and_its_photo_url_is_404(
    reading_room, admin, client_for
):
    client = client_for(admin)
    page = client.get(f"/venues/{reading_room.pk}/").content.decode()
    assert 'data-testid="venue-photo"' not in page
    assert client.get(page_url(reading_room)).status_code == 404
    assert client.get(f"/api/venues/venues/{reading_room.pk}").json()["photo_url"] is None


def test_a_text_file_named_jpg_is_refused_with_a_clear_message_and_nothing_changes(
    with_photo, admin, client_for, _media
):
    before_name = with_photo.photo.name
    files = stored_files(_media)
    events = AuditEvent.objects.count()
    answer = upload_on_page(client_for(admin), with_photo, text_as_jpg())
    assert answer.status_code == 200
    page = answer.content.decode()
    assert 'data-testid="error-photo"' in page and NOT_A_PHOTO in page
    with_photo.refresh_from_db()
    assert with_photo.photo.name == before_name and with_photo.photo_type == "image/png"
    assert stored_files(_media) == files
    assert AuditEvent.objects.count() == events


def test_the_service_refuses_a_gif_and_an_oversized_file_before_writing_anything(
    reading_room, admin, _media
):
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    huge = SimpleUploadedFile("big.png", b"0" * (5 * 1024 * 1024 + 1), content_type="image/png")
    for bad in (SimpleUploadedFile("a.gif", gif.getvalue(), content_type="image/gif"), huge):
        with pytest.raises(DomainError) as refused:
            services.venue_photo_set(
                actor=actor_for_user(admin), venue_id=reading_room.pk, photo=bad
            )
        assert refused.value.code == "invalid_file" and refused.value.field == "photo"
    reading_room.refresh_from_db()
    assert not reading_room.photo
    assert stored_files(_media) == []
    assert not AuditEvent.objects.filter(field="photo").exists()


def test_staff_replace_the_photo_and_the_old_file_leaves_the_storage(
    with_photo, service, client_for, django_capture_on_commit_callbacks
):
    old = with_photo.photo.name
    client = client_for(service)  # the service centre staff manage venues too
    with django_capture_on_commit_callbacks(execute=True):
        answer = upload_on_page(client, with_photo, image("new.jpg", "JPEG"))
    assert answer.status_code == 302
    with_photo.refresh_from_db()
    assert with_photo.photo.name != old and with_photo.photo_type == "image/jpeg"
    assert default_storage.exists(with_photo.photo.name)
    assert not default_storage.exists(old)
    served = client.get(page_url(with_photo))
    assert served["Content-Type"] == "image/jpeg" and body(served).startswith(b"\xff\xd8")


def test_staff_remove_the_photo_on_the_edit_page(
    with_photo, admin, client_for, django_capture_on_commit_callbacks
):
    old = with_photo.photo.name
    client = client_for(admin)
    assert (
        'data-testid="venue-photo-remove"'
        in client.get(f"/venues/{with_photo.pk}/edit/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/venues/{with_photo.pk}/edit/", {"action": "photo_remove"})
    assert answer.status_code == 302
    with_photo.refresh_from_db()
    assert not with_photo.photo and not with_photo.photo_type
    assert not default_storage.exists(old)
    assert client.get(page_url(with_photo)).status_code == 404
    assert AuditEvent.objects.filter(field="photo", after={"photo": False}).count() == 1


def test_saving_the_settings_keeps_the_photo(with_photo, admin, client_for):
    answer = client_for(admin).post(
        f"/venues/{with_photo.pk}/edit/",
        {
            "name": "城市书房（新）",
            "kind": with_photo.kind,
            "area_m2": "300",
            "capacity": "40",
            "slot_minutes": "30",
            "residents_may_book": "on",
            "active": "on",
        },
    )
    assert answer.status_code == 302
    with_photo.refresh_from_db()
    assert with_photo.name == "城市书房（新）" and with_photo.photo_type == "image/png"


# --- who sees it ----------------------------------------------------------------------------------


def test_a_resident_sees_the_photo_of_a_venue_residents_may_book(
    world, with_photo, admin, resident_user, client_for
):
    client = client_for(resident_user)
    page = client.get(f"/venues/{with_photo.pk}/").content.decode()
    assert f'src="{page_url(with_photo)}?v=' in page
    served = client.get(page_url(with_photo))
    assert served.status_code == 200 and body(served).startswith(b"\x89PNG")
    api = client.get(f"/api/venues/venues/{with_photo.pk}").json()
    assert api["photo_url"].startswith(api_url(with_photo) + "?v=")
    assert client.get(api["photo_url"]).status_code == 200
    # ... but not of a venue only staff book, nor can he change one
    staff_room = Venue.objects.create(
        community=world.community, kind=VenueKind.MEETING_ROOM, name="会议室", capacity=10
    )
    services.venue_photo_set(actor=actor_for_user(admin), venue_id=staff_room.pk, photo=image())
    assert client.get(page_url(staff_room)).status_code == 404
    assert client.get(api_url(staff_room)).status_code == 404
    assert client.post(api_url(with_photo), {"photo": image()}).status_code == 404
    assert client.delete(api_url(with_photo)).status_code == 404


def test_outside_the_venue_s_community_or_grid_the_photo_and_its_upload_are_404(
    with_photo, micro_home, admin, other_admin, worker_b, client_for, _media
):
    services.venue_photo_set(
        actor=actor_for_user(admin), venue_id=micro_home.pk, photo=image("home.webp", "WEBP")
    )
    files = stored_files(_media)
    events = AuditEvent.objects.count()
    outsider = client_for(other_admin)
    assert outsider.get(page_url(with_photo)).status_code == 404
    assert outsider.get(api_url(with_photo)).status_code == 404
    assert upload_on_page(outsider, with_photo, image()).status_code == 404
    assert (
        outsider.post(f"/venues/{with_photo.pk}/edit/", {"action": "photo_remove"}).status_code
        == 404
    )
    # even a bad file is a 404 (not a 400 telling that the venue exists)
    refused = outsider.post(api_url(with_photo), {"photo": text_as_jpg()})
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert outsider.delete(api_url(with_photo)).status_code == 404
    # a grid worker of grid B: grid A's micro-home is not his
    other_grid = client_for(worker_b)
    assert other_grid.get(page_url(micro_home)).status_code == 404
    assert other_grid.post(api_url(micro_home), {"photo": image()}).status_code == 404
    assert stored_files(_media) == files and AuditEvent.objects.count() == events


# --- API ------------------------------------------------------------------------------------------


def test_the_api_uploads_replaces_and_removes_the_photo_and_audits_each(
    reading_room, admin, client_for, django_capture_on_commit_callbacks, _media
):
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(api_url(reading_room), {"photo": image()})
    assert first.status_code == 200, first.content
    url = first.json()["photo_url"]
    assert url.startswith(api_url(reading_room) + "?v=")
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    reading_room.refresh_from_db()
    old = reading_room.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(api_url(reading_room), {"photo": image("b.webp", "WEBP")})
    assert second.status_code == 200
    assert second.json()["photo_url"] != url  # a new address: no stale copy from a cache
    reading_room.refresh_from_db()
    assert reading_room.photo_type == "image/webp"
    assert not default_storage.exists(old)
    assert len(stored_files(_media)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        removed = client.delete(api_url(reading_room))
    assert removed.status_code == 200 and removed.json()["photo_url"] is None
    assert stored_files(_media) == []
    assert client.get(api_url(reading_room)).status_code == 404
    events = AuditEvent.objects.filter(object_type="venues.venue", field="photo").order_by("id")
    assert [(e.before, e.after) for e in events] == [
        ({"photo": False}, {"photo": True}),
        ({"photo": True}, {"photo": True}),
        ({"photo": True}, {"photo": False}),
    ]
    assert all(e.actor_id == admin.pk for e in events)


def test_the_api_refuses_a_bad_file_with_the_usual_error_body_and_writes_nothing(
    with_photo, admin, client_for, _media
):
    files = stored_files(_media)
    events = AuditEvent.objects.count()
    answer = client_for(admin).post(api_url(with_photo), {"photo": text_as_jpg()})
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_file"
    assert answer.json()["field"] == "photo"
    assert answer.json()["message"] == NOT_A_PHOTO
    with_photo.refresh_from_db()
    assert with_photo.photo_type == "image/png"
    assert stored_files(_media) == files and AuditEvent.objects.count() == events
    # no file at all: the usual validation answer
    missing = client_for(admin).post(api_url(with_photo), {})
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"


def test_the_openapi_schema_documents_the_multipart_upload(admin, client_for):
    schema = client_for(admin).get("/api/openapi.json").json()
    operations = schema["paths"]["/api/venues/venues/{venue_id}/photo"]
    assert set(operations) == {"get", "post", "delete"}
    form = operations["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["photo"]["format"] == "binary" and form["required"] == ["photo"]
    assert "image/png" in operations["get"]["responses"]["200"]["content"]
    venue_out = schema["components"]["schemas"]["VenueOut"]["properties"]
    assert "photo_url" in venue_out
