"""The monthly reports: on the 1st of each month at 02:30 (community time), every community's
report for the month just ended. The figure snapshots: every half hour (`snapshots.py`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from linli.core import dates


@db_periodic_task(crontab(day="1", hour="2", minute="30"))
def monthly_reports() -> int:
    from linli.cockpit.services import reports_generate_all

    return reports_generate_all(dates.add_months(dates.this_month(), -1))


@db_periodic_task(crontab(minute="*/30"))
def refresh_snapshots() -> int:
    from linli.cockpit.snapshots import refresh

    return refresh()
