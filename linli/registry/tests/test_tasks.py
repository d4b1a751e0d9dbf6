import datetime as dt

import time_machine

from linli.registry.models import ImportBatch
from linli.registry.tasks import nightly_forget_stale_import_rows


def test_unconfirmed_uploads_lose_their_personal_rows_after_a_week(world, admin):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        old = ImportBatch.objects.create(
            community=world.community,
            file_sha256="a" * 64,
            rows_encrypted="token-old",
            total_rows=3,
        )
    with time_machine.travel(dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC), tick=False):
        recent = ImportBatch.objects.create(
            community=world.community, file_sha256="b" * 64, rows_encrypted="token-new"
        )
    with time_machine.travel(dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC), tick=False):
        nightly_forget_stale_import_rows.call_local()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.rows_encrypted == "" and old.total_rows == 3
    assert recent.rows_encrypted == "token-new"
