"""The complete error table of a batch, as a spreadsheet."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor
from linli.registry.importing.services import batch_get
from linli.registry.models import ImportBatch


def build_error_report(batch: ImportBatch) -> bytes:
    """Every error of a batch as a spreadsheet (the page shows only the first few hundred).
    Messages quote what the file held, so they are written as text, never as formulas."""
    rows = (
        [e.get("row") or "", e.get("column", ""), e.get("code", ""), e.get("message", "")]
        for e in batch.errors
    )
    data, _count = build_workbook(
        [Sheet(title="errors", headers=[_("Row"), _("Column"), _("Code"), _("Reason")], rows=rows)]
    )
    return data


def export_import_errors(*, actor: Actor, batch_public_id: Any) -> Export:
    """The error report of a batch the actor may import into (NotFound otherwise); audited
    like every export, since its messages may name residents of the community."""
    batch = batch_get(actor, batch_public_id)
    filename = f"import-errors-{batch.public_id}.xlsx"
    data = build_error_report(batch)
    with transaction.atomic():
        record_export(
            actor=actor,
            what="registry.import_errors",
            filename=filename,
            rows=len(batch.errors),
            community_id=batch.community_id,
            batch=str(batch.public_id),
        )
    return Export(content=data, filename=filename, rows=len(batch.errors))
