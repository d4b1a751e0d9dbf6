import datetime as dt
import os

import pytest
import time_machine
from django.conf import settings
from huey.contrib.djhuey import HUEY

from linli.accounts.models import LoginFailure
from linli.accounts.tasks import purge_login_failures


@pytest.mark.skipif("REDIS_URL" not in os.environ, reason="the Redis pass of CI")
def test_background_work_goes_through_redis_when_redis_url_is_set():
    assert type(HUEY.storage).__name__ == "RedisStorage"
    HUEY.storage.conn.ping()


def test_purge_removes_only_failures_outside_the_lock_window(db):
    with time_machine.travel(dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC), tick=False):
        LoginFailure.objects.create(username_key="user:old")
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, 50, tzinfo=dt.UTC), tick=False):
        LoginFailure.objects.create(username_key="user:recent")
        result = purge_login_failures()
        deleted = result.get() if hasattr(result, "get") else result
    assert deleted == 1
    assert list(LoginFailure.objects.values_list("username_key", flat=True)) == ["user:recent"]
    assert settings.HUEY["immediate"]
