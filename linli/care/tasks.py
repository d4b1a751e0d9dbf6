"""Background work of elderly care: the proactive sweep every fifteen minutes and the nightly
scheduling of plan visits two weeks ahead."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from linli.care.services import SCHEDULE_DAYS, proactive_sweep, visits_schedule
from linli.core import dates


@db_periodic_task(crontab(minute="*/15"))
def care_sweep() -> dict[str, int]:
    """Sync the register, mark missed visits, raise proactive tasks, escalate (idempotent)."""
    result = proactive_sweep()
    return {"raised": result.raised, "missed": result.missed, "escalated": result.escalated}


@db_periodic_task(crontab(hour="2", minute="10"))
def care_schedule() -> int:
    """Keep every active plan's visits scheduled two weeks ahead (idempotent)."""
    return visits_schedule(start=dates.local_today() + dt.timedelta(days=1), days=SCHEDULE_DAYS)
