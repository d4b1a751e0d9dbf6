"""The reminder the day before an activity: those signed up with an account get it once, even
if the task runs twice; a cancelled place and other days' activities get nothing."""

from __future__ import annotations

import datetime as dt

from linli.accounts.models import User
from linli.core.dates import at, local_today
from linli.notify.models import Notification
from linli.volunteers.choices import SignupStatus
from linli.volunteers.models import Activity, Signup
from linli.volunteers.reminders import activity_reminders


def make_activity(world, organiser, day: dt.date, title: str) -> Activity:
    start = at(day, 9, 30)
    return Activity.objects.create(
        community=world.community,
        title=title,
        place="12栋",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=5,
        organiser=organiser,
    )


def test_the_day_before_an_activity_its_signed_up_residents_are_reminded_once(
    world, organiser, resident_user
):
    User.objects.create_user(username="resident_b", resident=world.resident_b1)
    today = local_today()
    tomorrow = make_activity(world, organiser, today + dt.timedelta(days=1), "楼道清洁")
    later = make_activity(world, organiser, today + dt.timedelta(days=3), "义诊")
    Signup.objects.create(activity=tomorrow, resident=world.resident_a1, status="signed_up")
    Signup.objects.create(
        activity=tomorrow, resident=world.resident_b1, status=SignupStatus.CANCELLED
    )
    Signup.objects.create(activity=later, resident=world.resident_a1, status="signed_up")
    for _run in range(2):
        assert activity_reminders(today=today) == 1
    sent = Notification.objects.filter(kind="volunteers.activity_reminder")
    assert [n.user_id for n in sent] == [resident_user.pk]
    assert "09:30" in sent.get().title and "楼道清洁" in sent.get().title
    assert sent.get().url == f"/volunteers/activities/{tomorrow.pk}/"
