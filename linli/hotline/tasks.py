"""Background work of the request desk: the time-limit sweep every five minutes."""

from __future__ import annotations

from dataclasses import asdict

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from linli.hotline.services import request_sweep


@db_periodic_task(crontab(minute="*/5"))
def hotline_sweep() -> dict[str, int]:
    """Due soon, overdue, escalation and unrated closing (idempotent; see request_sweep)."""
    return asdict(request_sweep())


@db_periodic_task(crontab(minute="17"))
def hotline_rating_reminders() -> int:
    """Hourly: households reminded to rate requests resolved two days ago (once each)."""
    from linli.hotline.reminders import rating_reminders_send

    return rating_reminders_send()
