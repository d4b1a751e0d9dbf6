"""Background work of the request desk: the time-limit sweep every five minutes."""

from __future__ import annotations

import os
from dataclasses import asdict

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from linli.hotline.services import request_sweep


# Every five minutes; LINLI_SWEEP_MINUTES=1 lets the several-servers check see a tick.
@db_periodic_task(crontab(minute=f"*/{int(os.environ.get('LINLI_SWEEP_MINUTES', '5'))}"))
def hotline_sweep() -> dict[str, int]:
    """Due soon, overdue, escalation and unrated closing (idempotent; see request_sweep)."""
    return asdict(request_sweep())


@db_periodic_task(crontab(minute="17"))
def hotline_rating_reminders() -> int:
    """Hourly: households reminded to rate requests resolved two days ago (once each)."""
    from linli.hotline.reminders import rating_reminders_send

    return rating_reminders_send()
