"""The complete error table of a batch, as a spreadsheet."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from linli.registry.models import ImportBatch


def build_error_report(batch: ImportBatch) -> bytes:
    """Every error of a batch as a spreadsheet (the page shows only the first few hundred)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("errors")
    ws.append([_("Row"), _("Column"), _("Code"), _("Reason")])
    for e in batch.errors:
        ws.append(
            [e.get("row") or "", e.get("column", ""), e.get("code", ""), e.get("message", "")]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
