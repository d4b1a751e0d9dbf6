"""Backup and restore (linli.core.backup): the test world with an uploaded file is backed up,
the database emptied, the backup restored, and every table's row count and each personal-data
column's checksum found equal; a backup made under another LINLI_PII_KEY is refused."""

from __future__ import annotations

import json
import sqlite3

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from linli.core import backup, pii
from linli.registry.models import Resident
from linli.testing.world import build_world


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_backup_empty_restore_and_everything_is_equal(media, tmp_path):
    world = build_world()
    default_storage.save("hotline/photo.jpg", ContentFile(b"\xff\xd8 a photo"))
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["row_counts"]["registry_resident"] == Resident.objects.count() > 0
    assert "registry_resident.citizen_id_encrypted" in manifest["personal_data_sha256"]
    assert list(manifest["files"]) == ["hotline/photo.jpg"]
    if connection.vendor == "sqlite":  # the copy itself holds what the manifest says
        copy = sqlite3.connect(folder / "db.sqlite3")
        tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert backup.measure(copy.cursor(), tables)["row_counts"] == manifest["row_counts"]
        copy.close()

    # the disaster: the database and the files are gone
    call_command("flush", "--no-input")
    default_storage.delete("hotline/photo.jpg")
    assert Resident.objects.count() == 0
    # a database that holds data is refused
    build_world()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(folder))
    call_command("flush", "--no-input")

    call_command("restore", str(folder))
    restored = Resident.objects.get(pk=world.resident_a1.pk)
    assert pii.decrypt(restored.citizen_id_encrypted) == pii.decrypt(
        world.resident_a1.citizen_id_encrypted
    )
    with default_storage.open("hotline/photo.jpg") as handle:
        assert handle.read() == b"\xff\xd8 a photo"
    backup.verify(manifest)  # counts and checksums equal (restore checked them as well)

    # tampering is caught
    manifest["row_counts"]["registry_resident"] += 1
    with pytest.raises(backup.BackupError, match="registry_resident"):
        backup.verify(manifest)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_another_pii_key(settings, media, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    settings.PII_KEY = "another-key-" + "z" * 40
    with pytest.raises(CommandError, match="different LINLI_PII_KEY"):
        call_command("restore", str(folder))
