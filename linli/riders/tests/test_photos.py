"""Safety-report photos (issue 8 item 9): checked by the one photo check before anything is
stored, named and served by the type Pillow detects, never by the uploader's file name."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.core.errors import DomainError
from linli.riders import services
from linli.riders.models import SafetyReport


def _image(fmt: str, name: str, size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def _file(actor, photo):
    return services.report_file(
        actor=actor, category="fire", place="12栋楼道", description="电动车充电", photo=photo
    )


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "riders"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_png_named_pdf_is_stored_and_served_as_a_png(
    world, resident_user, actor_of, client_for, rider
):
    report = _file(actor_of(resident_user), _image("PNG", "evil.pdf"))
    assert report.photo.name.endswith(".png")
    assert "evil" not in report.photo.name
    response = client_for(resident_user).get(f"/riders/reports/{report.public_id}/photo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_format_outside_the_allow_list_is_refused_before_anything_is_stored(
    world, resident_user, actor_of, rider, settings
):
    with pytest.raises(DomainError) as exc:
        _file(actor_of(resident_user), _image("GIF", "hazard.jpg"))
    assert exc.value.code == "invalid_file" and exc.value.field == "photo"
    assert "JPEG" in exc.value.message
    assert not SafetyReport.objects.exists()
    assert _stored_files(settings) == []


def test_a_photo_over_the_pixel_limit_is_refused_before_anything_is_stored(
    world, resident_user, actor_of, rider, settings, monkeypatch
):
    monkeypatch.setattr("linli.core.photos.MAX_PIXELS", 1000)
    with pytest.raises(DomainError) as exc:
        _file(actor_of(resident_user), _image("JPEG", "hazard.jpg", size=(40, 30)))
    assert exc.value.code == "invalid_file" and exc.value.field == "photo"
    assert not SafetyReport.objects.exists()
    assert _stored_files(settings) == []


def test_the_report_page_shows_a_refused_photo_on_the_form(
    world, resident_user, client_for, rider, english
):
    response = client_for(resident_user).post(
        "/riders/report/",
        {
            "category": "fire",
            "place": "12栋楼道",
            "description": "电动车充电",
            "photo": _image("GIF", "hazard.gif"),
        },
    )
    assert response.status_code == 200
    assert "Only photos (JPEG, PNG or WebP) can be attached." in response.content.decode()
    assert not SafetyReport.objects.exists()


def test_a_photo_stored_before_types_were_kept_is_served_by_its_detected_type(
    world, resident_user, actor_of, client_for, rider
):
    report = _file(actor_of(resident_user), None)
    report.photo.save("evil.pdf", _image("PNG", "evil.pdf"), save=True)
    client = client_for(resident_user)
    response = client.get(f"/riders/reports/{report.public_id}/photo/")
    assert response["Content-Type"] == "image/png"
    report.photo.save("evil.html", SimpleUploadedFile("evil.html", b"<script>x</script>"))
    assert client.get(f"/riders/reports/{report.public_id}/photo/").status_code == 404
