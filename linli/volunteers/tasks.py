"""Background work of volunteering (huey): the nightly expiry of points whose time has come."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="15", hour="2"))
def nightly_expire_points() -> int:
    """Expire lots past their date (one account per transaction); returns the points expired."""
    from linli.volunteers.points import points_expire

    return points_expire().points
