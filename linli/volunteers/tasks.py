"""Background work of volunteering (huey): the nightly expiry of points whose time has come,
and the reminder the day before an activity."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="15", hour="2"))
def nightly_expire_points() -> int:
    """Expire lots past their date (one account per transaction); returns the points expired."""
    from linli.volunteers.points import points_expire

    return points_expire().points


@db_periodic_task(crontab(minute="5"))
def hourly_activity_reminders() -> int:
    """The day before an activity, remind those signed up (once each: the key is per
    activity and person, so the hourly runs add only people who signed up since)."""
    from linli.volunteers.reminders import activity_reminders

    return activity_reminders()
