"""Background work of the registry (huey)."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from linli.core import dates

# Uploaded spreadsheets hold ID and phone numbers; an upload nobody confirms is not kept longer.
STALE_IMPORT_DAYS = 7


def import_batches_forget_rows(older_than: dt.datetime) -> int:
    """Drop the encrypted rows of uncommitted import batches uploaded before `older_than`;
    the counts and the (PII-free) error table stay."""
    from linli.registry.models import ImportBatch

    return (
        ImportBatch.objects.filter(created_at__lt=older_than)
        .exclude(rows_encrypted="")
        .update(rows_encrypted="")
    )


@db_periodic_task(crontab(minute="37", hour="3"))
def nightly_forget_stale_import_rows() -> int:
    return import_batches_forget_rows(dates.local_now() - dt.timedelta(days=STALE_IMPORT_DAYS))
