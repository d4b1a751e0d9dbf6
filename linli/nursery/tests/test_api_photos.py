"""A pickup person's photo over the JSON API (issue 12): a guardian or the day-care's staff
attach, replace or remove it (multipart `photo`), and `photo_url` on the pickup list serves the
bytes through the API with the caller's session or token. Same scope as the pages: everybody
else gets 404; bad files and malformed bodies are 4xx with the usual error body and change
nothing; every write is audited."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from linli.accounts import services as accounts_services
from linli.accounts.models import RoleAssignment, User
from linli.accounts.selectors import actor_for_user
from linli.core.models import AuditEvent
from linli.core.photos import MAX_PHOTO_BYTES
from linli.core.roles import Role
from linli.nursery import services
from linli.nursery.models import PickupPerson


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes(colour: tuple[int, int, int] = (90, 140, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(content: bytes, name: str = "face.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def photo_api(child: Any, person: PickupPerson) -> str:
    return f"/api/nursery/children/{child.public_id}/pickup-people/{person.id}/photo"


def stored_files(settings: Any) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def photo_audits() -> int:
    return AuditEvent.objects.filter(object_type="nursery.pickupperson").count()


@pytest.fixture
def guardian_entry(enrolled) -> PickupPerson:  # type: ignore[no-untyped-def]
    """The guardian who consented: on the child's list from enrolment, without a photo."""
    return PickupPerson.objects.get(child=enrolled, is_guardian=True)


@pytest.fixture
def aunt(enrolled, resident_user) -> PickupPerson:  # type: ignore[no-untyped-def]
    """A nanny the guardian put on the list with a photo."""
    return services.pickup_person_add(
        actor=actor_for_user(resident_user),
        public_id=enrolled.public_id,
        name="王阿姨",
        relation="保姆",
        phone="13611112222",
        photo=upload(png_bytes((200, 40, 40)), "aunt.png"),
    )


@pytest.fixture
def neighbour(world) -> User:  # type: ignore[no-untyped-def]
    """A resident of another household of the same community (李芳, A2)."""
    user = User.objects.create_user(
        username="neighbour", password="x", resident=world.resident_a2, display_name="李芳"
    )
    RoleAssignment.objects.create(
        user=user, role=Role.RESIDENT, household=world.household_a2, community=world.community
    )
    return user


def test_a_guardian_uploads_a_png_and_the_pickup_list_links_to_those_bytes(
    enrolled, guardian_entry, resident_user, client_for
):
    client = client_for(resident_user)
    content = png_bytes()
    answer = client.post(photo_api(enrolled, guardian_entry), {"photo": upload(content)})
    assert answer.status_code == 200, answer.content
    assert answer.json()["photo_url"] == photo_api(enrolled, guardian_entry)

    listed = client.get(f"/api/nursery/children/{enrolled.public_id}").json()["pickup_people"]
    url = next(p["photo_url"] for p in listed if p["id"] == guardian_entry.id)
    assert url == photo_api(enrolled, guardian_entry)
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == content
    event = AuditEvent.objects.get(object_type="nursery.pickupperson", action="update")
    assert event.actor_id == resident_user.id and event.after == {"photo": True}


def test_staff_replace_the_photo_and_the_old_file_leaves_storage(
    enrolled, aunt, carer, client_for, settings, django_capture_on_commit_callbacks
):
    old = aunt.photo.name
    content = png_bytes((10, 200, 10))
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(carer).post(photo_api(enrolled, aunt), {"photo": upload(content)})
    assert answer.status_code == 200, answer.content
    aunt.refresh_from_db()
    assert aunt.photo.name != old
    assert not default_storage.exists(old)
    assert stored_files(settings) == {aunt.photo.name}
    served = client_for(carer).get(answer.json()["photo_url"])
    assert b"".join(served.streaming_content) == content
    event = AuditEvent.objects.filter(object_type="nursery.pickupperson", action="update").get()
    assert event.actor_id == carer.id


def test_a_guardian_removes_the_photo_and_the_file_leaves_storage(
    enrolled, aunt, resident_user, client_for, settings, django_capture_on_commit_callbacks
):
    client = client_for(resident_user)
    old = aunt.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.delete(photo_api(enrolled, aunt))
    assert answer.status_code == 200, answer.content
    assert answer.json()["photo_url"] is None
    aunt.refresh_from_db()
    assert not aunt.photo and not default_storage.exists(old)
    assert stored_files(settings) == set()
    event = AuditEvent.objects.filter(object_type="nursery.pickupperson", action="update").get()
    assert (event.before, event.after) == ({"photo": True}, {"photo": False})
    # the photo is gone: reading it or removing it again is a 404, and writes nothing
    assert client.get(photo_api(enrolled, aunt)).status_code == 404
    assert client.delete(photo_api(enrolled, aunt)).status_code == 404
    assert photo_audits() == 2  # the aunt's creation and the removal


def test_outsiders_get_404_for_upload_removal_and_photo_and_nothing_changes(
    enrolled, aunt, client_for, settings, neighbour, worker_a, lead, care, volunteer,
    other_admin, viewer,
):  # fmt: skip
    before_files, before_audits = stored_files(settings), photo_audits()
    url = photo_api(enrolled, aunt)
    for user in (neighbour, worker_a, lead, care, volunteer, other_admin, viewer):
        client = client_for(user)
        posted = client.post(url, {"photo": upload(png_bytes())})
        assert posted.status_code == 404, user
        assert posted.json()["code"] == "not_found"
        assert client.delete(url).status_code == 404, user
        assert client.get(url).status_code == 404, user
    aunt.refresh_from_db()
    assert aunt.photo
    assert stored_files(settings) == before_files
    assert photo_audits() == before_audits
    # signed out: the sign-in answer, not the photo
    assert Client().get(url).status_code == 401


def test_a_person_of_another_child_is_a_404_even_for_staff(
    world, enrolled, aunt, carer, client_for
):
    guessed = f"/api/nursery/children/{world.resident_a1.public_id}/pickup-people/{aunt.id}/photo"
    assert client_for(carer).post(guessed, {"photo": upload(png_bytes())}).status_code == 404


@pytest.mark.usefixtures("english")
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_changes(
    enrolled, aunt, resident_user, client_for, settings
):
    old = aunt.photo.name
    before_files, before_audits = stored_files(settings), photo_audits()
    client = client_for(resident_user)
    not_an_image = client.post(
        photo_api(enrolled, aunt), {"photo": upload(b"MZ not an image at all", "x.png")}
    )
    assert not_an_image.status_code == 400
    body = not_an_image.json()
    assert (body["code"], body["field"]) == ("invalid_file", "photo")
    assert body["message"] == "Only photos (JPEG, PNG or WebP) can be attached."
    too_large = client.post(
        photo_api(enrolled, aunt), {"photo": upload(b"0" * (MAX_PHOTO_BYTES + 1), "big.png")}
    )
    assert too_large.status_code == 400
    assert too_large.json()["code"] == "invalid_file"
    assert too_large.json()["message"] == "A photo may be at most 5 MB."
    aunt.refresh_from_db()
    assert aunt.photo.name == old
    assert stored_files(settings) == before_files
    assert photo_audits() == before_audits


def _multipart(fields: dict[str, Any]) -> bytes:
    return encode_multipart(BOUNDARY, fields)


def test_malformed_bodies_are_4xx_with_the_error_body_and_write_nothing(
    enrolled, aunt, carer, client_for, settings
):
    """What a schema fuzzer sends: no body, garbage, the file under another name, an empty
    file, JSON, multipart without a boundary. A 400 or the 422 of any schema mismatch, never a
    500, and nothing written."""
    old = aunt.photo.name
    before_files, before_audits = stored_files(settings), photo_audits()
    client = client_for(carer)
    url = photo_api(enrolled, aunt)
    form = MULTIPART_CONTENT
    attempts: list[tuple[str, bytes, str]] = [
        ("an empty body", b"", form),
        ("garbage", b"\x00\xff garbage \r\n--" * 50, form),
        ("the file under another name", _multipart({"file": upload(png_bytes())}), form),
        ("a text field named photo", _multipart({"photo": "not a file"}), form),
        ("an empty file", _multipart({"photo": upload(b"", "empty.png")}), form),
        ("JSON", b'{"photo": "aGVsbG8="}', "application/json"),
        ("multipart without a boundary", b"--x\r\n", "multipart/form-data"),
    ]
    for what, body, content_type in attempts:
        answer = client.generic("POST", url, body, content_type=content_type)
        assert answer.status_code in (400, 422), (what, answer.status_code)
        error = answer.json()
        assert error["code"] in ("invalid_input", "invalid_file"), (what, error)
        assert error["message"], what
    aunt.refresh_from_db()
    assert aunt.photo.name == old
    assert stored_files(settings) == before_files
    assert photo_audits() == before_audits


def test_an_empty_file_is_refused_as_not_a_photo(enrolled, aunt, carer, client_for):
    answer = client_for(carer).post(photo_api(enrolled, aunt), {"photo": upload(b"", "e.png")})
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_file"


def test_photo_url_works_with_a_bearer_token_and_a_read_only_token_cannot_upload(
    enrolled, aunt, carer, settings
):
    carer_actor = actor_for_user(carer)
    read_row, read_only = accounts_services.api_token_create(
        actor=carer_actor, name="pickup desk", access_level="read", domains=["nursery"], days=30
    )
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {read_only}")
    listed = reader.get(f"/api/nursery/children/{enrolled.public_id}").json()["pickup_people"]
    url = next(p["photo_url"] for p in listed if p["id"] == aunt.id)
    served = reader.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == aunt.photo.open("rb").read()
    reveal = AuditEvent.objects.filter(field="pickup_photo", action="reveal").get()
    assert (reveal.actor_id, reveal.token_id) == (carer.id, read_row.pk)
    refused = reader.post(url, {"photo": upload(png_bytes())})
    assert refused.status_code == 403 and refused.json()["code"] == "token_scope"

    write_row, writing = accounts_services.api_token_create(
        actor=carer_actor, name="pickup desk", access_level="write", domains=["nursery"], days=30
    )
    writer = Client(HTTP_AUTHORIZATION=f"Bearer {writing}")
    answer = writer.post(url, {"photo": upload(png_bytes((1, 2, 3)))})
    assert answer.status_code == 200, answer.content
    replaced = AuditEvent.objects.get(object_type="nursery.pickupperson", action="update")
    assert (replaced.actor_id, replaced.token_id) == (carer.id, write_row.pk)


def test_the_schema_documents_the_multipart_upload_and_the_image_answer(admin, client_for):
    schema = client_for(admin).get("/api/openapi.json").json()
    item = schema["paths"]["/api/nursery/children/{public_id}/pickup-people/{person_id}/photo"]
    assert set(item) == {"get", "post", "delete"}
    body = item["post"]["requestBody"]["content"]
    assert set(body) == {"multipart/form-data"}
    form = body["multipart/form-data"]["schema"]
    assert form["required"] == ["photo"]
    assert form["properties"]["photo"]["format"] == "binary"
    assert set(item["get"]["responses"]["200"]["content"]) == {
        "image/jpeg",
        "image/png",
        "image/webp",
    }
