"""A pickup person's photo: a guardian or a carer attaches one (an image by its content, at most
5 MB); the carer sees it when confirming a pickup; it is served only to the day-care's staff
(each view audited), the community admin and the child's own guardians, 404 to everybody else."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.accounts.selectors import actor_for_user
from linli.core.errors import DomainError
from linli.core.models import AuditEvent
from linli.core.photos import MAX_PHOTO_BYTES
from linli.nursery import services
from linli.nursery.models import PickupPerson


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def png(name: str = "aunt.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (90, 140, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def photo_url(child: Any, person: PickupPerson) -> str:
    return f"/nursery/children/{child.public_id}/people/{person.id}/photo/"


@pytest.fixture
def aunt(enrolled, resident_user) -> PickupPerson:  # type: ignore[no-untyped-def]
    return services.pickup_person_add(
        actor=actor_for_user(resident_user),
        public_id=enrolled.public_id,
        name="王阿姨",
        relation="保姆",
        phone="13611112222",
        photo=png(),
    )


def test_a_guardian_adds_a_person_with_a_photo_stored_under_a_random_name(enrolled, aunt):
    assert aunt.photo_type == "image/png"
    assert default_storage.exists(aunt.photo.name)
    assert "aunt" not in aunt.photo.name and aunt.photo.name.endswith(".png")


def test_a_bad_file_is_refused_and_nothing_is_written(enrolled, resident_user, carer_actor):
    guardian = actor_for_user(resident_user)
    before = PickupPerson.objects.count()
    fake = SimpleUploadedFile("x.jpg", b"MZ not an image at all", content_type="image/jpeg")
    with pytest.raises(DomainError) as refused:
        services.pickup_person_add(
            actor=guardian,
            public_id=enrolled.public_id,
            name="李叔叔",
            relation="邻居",
            phone="13611113333",
            photo=fake,
        )
    assert refused.value.code == "invalid_file" and refused.value.field == "photo"
    assert PickupPerson.objects.count() == before
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    person = PickupPerson.objects.filter(child=enrolled).first()
    assert person is not None
    with pytest.raises(DomainError):
        services.pickup_person_photo_set(
            actor=carer_actor,
            public_id=enrolled.public_id,
            person_id=person.id,
            photo=SimpleUploadedFile("g.gif", gif.getvalue(), content_type="image/gif"),
        )
    huge = SimpleUploadedFile("big.png", b"0" * (MAX_PHOTO_BYTES + 1), content_type="image/png")
    with pytest.raises(DomainError):
        services.pickup_person_photo_set(
            actor=carer_actor, public_id=enrolled.public_id, person_id=person.id, photo=huge
        )
    person.refresh_from_db()
    assert not person.photo


def test_a_carer_replaces_a_photo_and_sees_it_when_confirming_the_pickup(
    enrolled, aunt, carer, client_for, django_capture_on_commit_callbacks
):
    old = aunt.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        services.pickup_person_photo_set(
            actor=actor_for_user(carer),
            public_id=enrolled.public_id,
            person_id=aunt.id,
            photo=png("new.png"),
        )
    aunt.refresh_from_db()
    assert aunt.photo.name != old and not default_storage.exists(old)
    page = client_for(carer).get(f"/nursery/children/{enrolled.public_id}/").content.decode()
    assert photo_url(enrolled, aunt) in page


def test_the_photo_reaches_staff_admin_and_guardians_only_and_staff_views_are_audited(
    world, enrolled, aunt, client_for, carer, admin, resident_user, worker_a, worker_b, lead,
    organiser, care, volunteer, viewer, other_admin, district,
):  # fmt: skip
    url = photo_url(enrolled, aunt)
    for user in (carer, admin, resident_user):
        answer = client_for(user).get(url)
        assert answer.status_code == 200, user
        assert answer["Content-Type"] == "image/png"
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert b"".join(answer.streaming_content).startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(action="reveal", field="pickup_photo").count() == 2
    for user in (worker_a, worker_b, lead, organiser, care, volunteer, viewer, other_admin,
                 district):  # fmt: skip
        assert client_for(user).get(url).status_code == 404, user
    # a guessed URL: another child's id with this person's number, or a person without a photo
    assert client_for(carer).get(photo_url(world.resident_a1, aunt)).status_code == 404
    plain = PickupPerson.objects.filter(child=enrolled, is_guardian=True).get()
    assert client_for(resident_user).get(photo_url(enrolled, plain)).status_code == 404


def test_a_guardian_uploads_a_photo_from_the_phone_page(enrolled, resident_user, client_for):
    person = PickupPerson.objects.filter(child=enrolled, is_guardian=True).get()
    client = client_for(resident_user)
    prefix = f"photo-{enrolled.id}"
    answer = client.post(
        "/nursery/my/",
        {
            "action": "photo",
            "child": str(enrolled.public_id),
            f"{prefix}-person_id": str(person.id),
            f"{prefix}-photo": png(),
        },
    )
    assert answer.status_code == 302
    person.refresh_from_db()
    assert person.photo
    bad = client.post(
        "/nursery/my/",
        {
            "action": "photo",
            "child": str(enrolled.public_id),
            f"{prefix}-person_id": str(person.id),
            f"{prefix}-photo": SimpleUploadedFile("x.png", b"nope", content_type="image/png"),
        },
    )
    assert bad.status_code == 200 and "JPEG" in bad.content.decode()
