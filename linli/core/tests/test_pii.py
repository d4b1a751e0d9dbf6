import datetime as dt
from pathlib import Path

import pytest
from django.db import connection

from linli.conftest import make_citizen_id
from linli.core import pii


def test_masks_follow_the_house_format():
    assert pii.mask_citizen_id("32100219580321001X") == "3210**********001X"
    assert pii.mask_phone("13812345678") == "138****5678"


def test_encryption_round_trips_and_differs_each_time():
    a, b = pii.encrypt("13812345678"), pii.encrypt("13812345678")
    assert a != b and "13812345678" not in a
    assert pii.decrypt(a) == "13812345678"


def test_lookup_hash_is_keyed_and_separates_kinds():
    assert pii.lookup_hash("phone", "13812345678") == pii.lookup_hash("phone", "13812345678")
    assert pii.lookup_hash("phone", "13812345678") != pii.lookup_hash("citizen_id", "13812345678")
    import hashlib

    assert pii.lookup_hash("phone", "13812345678") != hashlib.sha256(b"13812345678").hexdigest()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="inspects the SQLite file")
def test_the_sqlite_file_holds_no_id_number_or_phone_in_plain_text(
    transactional_db, tmp_path: Path
):
    from linli.registry.models import Building, Community, Grid, Household, Resident, Unit
    from linli.registry.services import ResidentData

    c = Community.objects.create(name="c", code="c", subdistrict="s", district="d", city="y")
    g = Grid.objects.create(community=c, number=1, name="g")
    b = Building.objects.create(community=c, grid=g, number="1", floors=6)
    u = Unit.objects.create(building=b, number=1)
    h = Household.objects.create(
        community=c, building=b, unit=u, room="101", floor=1, tenure="owner"
    )
    cid = make_citizen_id(dt.date(1950, 1, 2), 9, True)
    data = ResidentData(
        name="张三",
        gender="M",
        birth_date=dt.date(1950, 1, 2),
        relation="head",
        citizen_id=cid,
        phone="13912345678",
    )
    Resident.objects.create(community=c, household=h, **data.model_fields())
    copy = tmp_path / "copy.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    raw = copy.read_bytes()
    assert cid.encode() not in raw
    assert b"13912345678" not in raw
    assert "张三".encode() in raw  # the copy really holds the data
