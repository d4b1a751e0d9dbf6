"""Uploaded files on an S3-compatible object store (django-storages), tested against moto's
S3 server on 127.0.0.1: a photo filed on the portal lands in the bucket, is served through
Linli's own photo view, and `manage.py backup` copies it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.core.management import call_command

from linli.hotline.models import ServiceRequest
from linli.hotline.tests.conftest import make_photo

BUCKET = "linli-media"


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = Path(sys.executable).parent / "moto_server"
    proc = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_server):
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "location": "media",
                "default_acl": "private",
                "addressing_style": "path",
            },
        },
    }
    return s3


@pytest.mark.django_db(transaction=True)
def test_a_photo_goes_to_the_object_store_and_back(
    world, resident_user, worker_a, client_for, s3_storage, tmp_path
):
    client = client_for(resident_user)
    household = world.household_a1.public_id
    response = client.post(
        f"/hotline/portal/new/?household={household}",
        {
            "household": str(household),
            "category": "water",
            "q-water-extent": "本户",
            "description": "卫生间水管漏水",
            "photos": [make_photo()],
        },
    )
    assert response.status_code == 302
    photo = ServiceRequest.objects.get().photos.get()
    keys = [o["Key"] for o in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"media/{photo.file.name}"]
    served = client_for(worker_a).get(f"/hotline/photos/{photo.public_id}/")
    assert served.status_code == 200
    body = b"".join(served.streaming_content)
    stored = s3_storage.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert body == stored and len(body) > 0
    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert list(manifest["files"]) == [photo.file.name]
