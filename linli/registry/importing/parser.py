"""Reading the uploaded .xlsx: refuse hostile or broken files, find the header row, map the
headers to columns and return the cell texts of every non-empty row."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from linli.core import pii
from linli.core.errors import CoreError, DomainError
from linli.registry.errors import RegistryError
from linli.registry.importing.spec import (
    COLUMNS,
    EXAMPLE_MARK,
    KEYS,
    NO,
    NOTES_INDEX,
    YES,
    header_lookup,
    norm_header,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
# What the .xlsx may unpack to, summed over its parts (a zip bomb is small on the wire and
# huge unpacked). A full 50,000-row ledger unpacks to about 60 MB.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
# Rows read below the header, blank ones included (a sheet of a million blank rows costs as
# much to read as a million full ones).
MAX_ROWS = 50_000


@dataclass
class ParsedFile:
    """Cell texts in `KEYS` order with their Excel row numbers. `numeric_id_rows` are rows
    whose ID cell Excel held as a number (which loses digits)."""

    rows: list[tuple[int, list[str]]]
    numeric_id_rows: set[int] = field(default_factory=set)

    def dump(self) -> str:
        """Encrypted, compressed JSON for storage in the batch."""
        payload = json.dumps(
            {
                "keys": list(KEYS),
                "rows": self.rows,
                "numeric_id_rows": sorted(self.numeric_id_rows),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        return pii.encrypt(base64.b64encode(zlib.compress(payload, 6)).decode())

    @classmethod
    def load(cls, token: str) -> ParsedFile:
        data = json.loads(zlib.decompress(base64.b64decode(pii.decrypt(token))))
        keys = data["keys"]
        index = [keys.index(k) if k in keys else -1 for k in KEYS]
        rows = [
            (int(n), [values[i] if i >= 0 else "" for i in index]) for n, values in data["rows"]
        ]
        return cls(rows=rows, numeric_id_rows=set(data["numeric_id_rows"]))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


# What a broken or hostile file can raise while openpyxl reads it (a part whose zip header
# understates its size stops at that size and fails its CRC: BadZipFile).
_UNREADABLE = (zipfile.BadZipFile, zlib.error, KeyError, OSError, ValueError, EOFError, SyntaxError)


def _not_excel() -> DomainError:
    return DomainError(
        _("This is not an Excel (.xlsx) file. Save the spreadsheet as .xlsx and try again."),
        code=CoreError.INVALID_FILE,
        field="file",
    )


def _check_archive(data: bytes) -> None:
    """Refuse a file that would unpack to more than `MAX_UNPACKED_BYTES` before anything is
    unpacked. The sizes come from the zip's directory; Python's zipfile never inflates a part
    beyond the size declared there (a part that lies fails its CRC), so the sum bounds it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_excel() from exc
    if len(parts) > MAX_ZIP_ENTRIES or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise DomainError(
            _(
                "This file unpacks to more than %(size)s MB, far more than a resident ledger"
                " needs. Copy the resident rows into the template and upload that."
            )
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)},
            code=CoreError.INVALID_FILE,
            field="file",
        )


def _open_sheet(data: bytes) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, *_UNREADABLE) as exc:
        raise _not_excel() from exc
    return workbook, workbook.worksheets[0]


def parse_workbook(data: bytes) -> ParsedFile:
    """Read the first sheet: find the header row (a title row above it is allowed), map the
    headers to columns and return every non-empty row. A broken file raises DomainError."""
    workbook, sheet = _open_sheet(data)
    try:
        return _parse_sheet(sheet)
    except _UNREADABLE as exc:
        raise _not_excel() from exc
    finally:
        workbook.close()


def _parse_sheet(sheet: Any) -> ParsedFile:
    lookup = header_lookup()
    rows_iter: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
    header_row = 0
    positions: dict[str, int] = {}
    for number, values in enumerate(rows_iter, start=1):
        found = {}
        for i, v in enumerate(values):
            key = lookup.get(norm_header(_cell_text(v))) if v is not None else None
            if key and key not in found:
                found[key] = i
        if len(found) >= 3:
            header_row, positions = number, found
            break
        if number >= 10:
            break
    if not header_row:
        raise DomainError(
            _("The header row was not found. Start from the template and keep its headers."),
            code=RegistryError.NO_HEADER,
            field="file",
        )
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise DomainError(
            _("Columns are missing: %(columns)s.") % {"columns": "、".join(missing)},
            code=RegistryError.MISSING_COLUMNS,
            field="file",
            details={"columns": missing},
        )
    index = [positions.get(k, -1) for k in KEYS]
    id_pos = positions.get("citizen_id", -1)
    parsed = ParsedFile(rows=[])
    for number, values in enumerate(rows_iter, start=header_row + 1):
        if number - header_row > MAX_ROWS:  # blank rows count: reading them costs too
            raise DomainError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": MAX_ROWS},
                code=RegistryError.TOO_MANY_ROWS,
                field="file",
            )
        width = len(values)
        texts = [_cell_text(values[i]) if 0 <= i < width else "" for i in index]
        if not any(texts) or texts[NOTES_INDEX] == EXAMPLE_MARK:
            continue
        if 0 <= id_pos < width and isinstance(values[id_pos], (int, float)):
            parsed.numeric_id_rows.add(number)
        parsed.rows.append((number, texts))
    if not parsed.rows:
        raise DomainError(
            _("The file has no resident rows."), code=RegistryError.EMPTY_FILE, field="file"
        )
    return parsed
