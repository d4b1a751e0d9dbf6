import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client

from linli.conftest import PASSWORD, make_citizen_id
from linli.core import pii
from linli.registry.models import Resident
from linli.registry.selectors import ResidentFilters, resident_list

NEW_KEY = "a-brand-new-key-for-personal-data-0123456789"


def test_rotation_rekeys_ids_phones_and_resident_logins(
    world, resident_user, admin, actor_of, settings, monkeypatch
):
    monkeypatch.setenv("LINLI_NEW_PII_KEY", NEW_KEY)
    old_token = Resident.objects.get(pk=world.resident_a1.pk).citizen_id_encrypted
    call_command("rotate_pii_key")
    settings.PII_KEY = NEW_KEY  # what the operator does next
    r = Resident.objects.get(pk=world.resident_a1.pk)
    assert r.citizen_id_encrypted != old_token
    assert pii.decrypt(r.citizen_id_encrypted) == make_citizen_id(dt.date(1958, 3, 21), 1, True)
    assert pii.decrypt(r.phone_encrypted) == "13800000001"
    # Exact search and de-duplication keep working under the new key.
    assert [x.name for x in resident_list(actor_of(admin), ResidentFilters(q="13900000001"))] == [
        "王建国"
    ]
    # The resident still signs in with his phone number.
    client = Client()
    response = client.post("/accounts/login/", {"username": "13800000001", "password": PASSWORD})
    assert response.status_code == 302


def test_rotation_refuses_a_missing_or_short_key(world, monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.delenv("LINLI_NEW_PII_KEY", raising=False)
    with pytest.raises(CommandError):
        call_command("rotate_pii_key")
