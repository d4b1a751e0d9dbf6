"""Each process remembers the Open311 client an api_key names (linli.core.memo): a second call
reads no client row, and a client switched off or given a new key in the admin is refused at
its next call."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.accounts.models import User
from linli.open311.models import Open311Client

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"


@pytest.fixture
def api_key(world) -> str:
    client = Open311Client(name="市民服务平台", community=world.community)
    raw = client.set_key()
    client.save()
    return raw


@pytest.fixture
def root(client_for):  # type: ignore[no-untyped-def]
    return client_for(User.objects.create_superuser("root", password="x"))


def _file(client, key: str) -> int:  # type: ignore[no-untyped-def]
    data = {"api_key": key, "service_code": "noise", "lat": "32.39", "long": "119.42"}
    return int(client.post(URL, data).status_code)


def _admin_form(row: Open311Client, **changes: str) -> dict[str, str]:
    form = {"name": row.name, "community": str(row.community_id), "contact": row.contact}
    if row.active:
        form["active"] = "on"
    form.update(changes)
    return {k: v for k, v in form.items() if v != ""}


def test_a_second_call_reads_no_client_row(client, world, api_key):
    assert _file(client, api_key) == 201
    with CaptureQueriesContext(connection) as ctx:
        assert _file(client, api_key) == 201
    assert not [q for q in ctx.captured_queries if 'FROM "open311_open311client"' in q["sql"]]


def test_a_client_switched_off_in_the_admin_is_refused_at_its_next_call(
    client, world, api_key, root
):
    assert _file(client, api_key) == 201  # remembered from here on
    row = Open311Client.objects.get()
    form = _admin_form(row)
    del form["active"]  # the box unticked
    response = root.post(f"/admin/open311/open311client/{row.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _file(client, api_key) == 403


def test_a_new_key_from_the_admin_replaces_the_old_one_at_once(client, world, api_key, root):
    assert _file(client, api_key) == 201
    row = Open311Client.objects.get()
    response = root.post(
        f"/admin/open311/open311client/{row.pk}/change/",
        _admin_form(row, new_key="on"),
        follow=True,
    )
    assert response.status_code == 200
    assert _file(client, api_key) == 403
    row.refresh_from_db()
    new_key = next(
        word
        for word in response.content.decode().split()
        if word.startswith(row.key_prefix) and len(word) > len(row.key_prefix)
    )
    assert _file(client, new_key.strip("—,.<>\"'")) == 201
