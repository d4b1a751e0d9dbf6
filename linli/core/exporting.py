"""The one way to take data out as an Excel workbook: build it, answer it, audit it.

    sheet = Sheet(title=_("Volunteers"), headers=[...], rows=(... for v in qs.iterator()))
    data = build_workbook([sheet])
    with transaction.atomic():
        record_export(actor=actor, what="volunteers.volunteers", community_id=cid, rows=n)
    return xlsx_response(data, "volunteers-20261129.xlsx")

Services build and audit (`export_*` services return `Export`); views only answer it with
`xlsx_response`. Every text cell is written as text, never as a formula: a resident's note
`=HYPERLINK(...)` reaches an admin's spreadsheet as the characters he typed (OWASP "CSV
injection"). Personal data leaves masked; the caller reads rows through scoped selectors.

Audit rows of exports share one shape: action `export`, `object_type="export"`,
`object_id=<app>.<what>` (e.g. `registry.residents`), `object_label` the file name,
`after={"rows": n, **details}`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from linli.core.audit import audit_record
from linli.core.models import AuditEvent
from linli.core.permissions import Actor

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_OBJECT_TYPE = "export"
# Characters with which a spreadsheet program starts a formula (or DDE payload).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass
class Sheet:
    """One worksheet: a title (Excel allows 31 characters), a header row and data rows."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=tuple)


@dataclass(frozen=True)
class Export:
    """A built workbook ready to be answered: bytes, file name and row count."""

    content: bytes
    filename: str
    rows: int


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_PREFIXES)


def _cell(ws: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell | Any:
    if isinstance(value, (dt.datetime, dt.date, int, float, Decimal)) or value is None:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # Excel has no time zones; already local
        if not bold:
            return value
    cell = WriteOnlyCell(ws, value=value if not isinstance(value, str) else None)
    if isinstance(value, str):
        # Assigning a string that starts with "=" would make openpyxl write a formula; set the
        # value and force the text type so that it is stored (and shown) as typed.
        cell.value = value
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True  # Excel shows it as text even after editing the cell
    if bold:
        cell.font = Font(bold=True)
    return cell


def build_workbook(sheets: Sequence[Sheet]) -> tuple[bytes, int]:
    """The .xlsx bytes of `sheets` (write-only, so large exports stay in constant memory) and
    the number of data rows written."""
    book = Workbook(write_only=True)
    count = 0
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        for index, width in enumerate(sheet.widths):
            ws.column_dimensions[_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        ws.append([_cell(ws, h, bold=True) for h in sheet.headers])
        for row in sheet.rows:
            ws.append([_cell(ws, v) for v in row])
            count += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count


def record_export(
    *,
    actor: Actor,
    what: str,
    filename: str,
    rows: int,
    community_id: int | None,
    **details: Any,
) -> AuditEvent:
    """The audit row of an export (call inside the service's transaction). `what` is
    `<app>.<dataset>`, e.g. `registry.residents`."""
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type=EXPORT_OBJECT_TYPE,
        object_id=what[:64],
        object_label=filename,
        community_id=community_id,
        after={"rows": rows, **details},
    )


def xlsx_response(export: Export) -> HttpResponse:
    """Answer a built workbook as a download."""
    response = HttpResponse(export.content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data, even masked, is not left in shared caches or the browser's.
    response["Cache-Control"] = "no-store, private"
    return response


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))
