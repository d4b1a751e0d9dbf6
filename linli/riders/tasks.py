"""Background work of the workers' station (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/30"))
def forward_pending_reports() -> int:
    """Retry safety reports Community 110 did not take yet; returns how many went through."""
    from linli.core.permissions import system_actor
    from linli.riders.services import reports_forward_pending

    return reports_forward_pending(actor=system_actor("riders"))
