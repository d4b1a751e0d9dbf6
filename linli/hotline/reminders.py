"""The rating reminder: a request resolved two days ago and still unrated reminds its
household once (the message key makes a second run a no-op)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.selectors import household_users
from linli.core.notify import Message, publish
from linli.hotline.choices import Status
from linli.hotline.models import ServiceRequest

REMIND_AFTER = dt.timedelta(days=2)


def rating_reminders_send(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Remind the households of requests resolved more than two days ago and not rated
    (each request once per resolution). Returns how many requests were reminded about."""
    now = now or timezone.now()
    rows = list(
        ServiceRequest.objects.filter(
            status=Status.RESOLVED,
            resolved_at__lte=now - REMIND_AFTER,
            household_id__isnull=False,
        )
        .order_by("resolved_at")
        .values("pk", "public_id", "household_id", "community_id", "reopen_count")[:limit]
    )
    users = household_users({r["household_id"] for r in rows})
    sent = 0
    with transaction.atomic():
        for row in rows:
            user_ids = tuple(users.get(row["household_id"], ()))
            if not user_ids:
                continue
            publish(
                Message(
                    key=f"hotline.rate_reminder:{row['pk']}:{row['reopen_count']}",
                    kind="hotline.rate_reminder",
                    user_ids=user_ids,
                    title=_("Reminder: please rate request %(number)s.")
                    % {"number": f"{row['pk']:06d}"},
                    url=reverse("hotline:request", args=[row["public_id"]]),
                    community_id=row["community_id"],
                )
            )
            sent += 1
    return sent
