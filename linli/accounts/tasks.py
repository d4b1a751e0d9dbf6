"""Background housekeeping for accounts (huey)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


def purge_login_failures_before(cutoff: dt.datetime) -> int:
    """Delete failed sign-ins older than `cutoff`; they no longer count toward a lock."""
    from linli.accounts.models import LoginFailure

    deleted, _ = LoginFailure.objects.filter(at__lt=cutoff).delete()
    return deleted


@db_task()
def purge_login_failures() -> int:
    window = dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    return purge_login_failures_before(timezone.now() - window)


@db_periodic_task(crontab(minute="17", hour="3"))
def nightly_purge_login_failures() -> int:
    return int(purge_login_failures.call_local())
