"""The reminder the day before an activity: everyone signed up (or waiting for a place) who
has an account gets one message per activity, through `core.notify` (inbox and browser)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import selectors as accounts
from linli.core.dates import day_bounds, local_today
from linli.core.notify import Message, publish
from linli.volunteers.choices import ActivityStatus, SignupStatus
from linli.volunteers.models import Activity, Signup


def activity_reminders(*, today: dt.date | None = None) -> int:
    """Remind the people signed up for tomorrow's activities (local date). The message key is
    per activity and person, so a task that runs twice (or every hour) reminds once; a person
    who signs up later the same day is reminded by the next run. Returns the activities."""
    start, end = day_bounds((today or local_today()) + dt.timedelta(days=1))
    activities = list(
        Activity.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=(ActivityStatus.OPEN, ActivityStatus.CLOSED),
        ).only("pk", "title", "place", "starts_at", "community_id")
    )
    if not activities:
        return 0
    residents: dict[int, set[int]] = {a.pk: set() for a in activities}
    for activity_id, resident_id in Signup.objects.filter(
        activity__in=activities,
        status__in=(SignupStatus.SIGNED_UP, SignupStatus.WAITLISTED),
        resident__isnull=False,
    ).values_list("activity_id", "resident_id"):
        residents[activity_id].add(resident_id)
    for activity in activities:
        if not residents[activity.pk]:
            continue
        user_ids = tuple(accounts.resident_user_ids(Q(resident__in=residents[activity.pk])))
        if not user_ids:
            continue
        with transaction.atomic():
            publish(
                Message(
                    key=f"volunteers.activity_reminder:{activity.pk}",
                    kind="volunteers.activity_reminder",
                    user_ids=user_ids,
                    title=_("Tomorrow %(time)s: %(title)s")
                    % {
                        "time": timezone.localtime(activity.starts_at).strftime("%H:%M"),
                        "title": activity.title,
                    },
                    body=activity.place,
                    url=reverse("volunteers:activity", args=[activity.pk]),
                    community_id=activity.community_id,
                )
            )
    return len(activities)
