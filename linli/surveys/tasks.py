"""Follow-ups after Community 110 requests: every ten minutes, ask the household of each
request closed in the last two days how it went (`services.followup_send` is idempotent)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/10"))
def followups_after_requests() -> int:
    from linli.surveys.services import followups_for_closed_requests

    return followups_for_closed_requests(timezone.now() - dt.timedelta(days=2))
