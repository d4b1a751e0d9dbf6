"""Checking each row on its own, with no database access: household cells, choices and the
resident's fields (through the same `clean_resident` the pages and the API use)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from linli.core import pii
from linli.core.errors import CoreError, DomainError
from linli.registry.choices import DisabilityLevel, Relation, Tenure
from linli.registry.errors import RegistryError
from linli.registry.importing.parser import ParsedFile
from linli.registry.importing.spec import (
    FIELD_TO_KEY,
    FLAG_FIELDS,
    KEYS,
    NO_TEXTS,
    YES_TEXTS,
    RowError,
    choice_lookups,
    header_of,
)
from linli.registry.services import ResidentData, clean_area, clean_resident

_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE8_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_UNIT_RE = re.compile(r"^(\d+)\s*(单元)?$")
_BUILDING_SUFFIX_RE = re.compile(r"\s*(号楼|栋|幢|号)$")


def _normalize_date(text: str) -> str:
    m = _DATE_RE.match(text) or _DATE8_RE.match(text)
    if not m:
        return text
    y, mo, d = m.groups()
    return f"{y}-{int(mo):02d}-{int(d):02d}"


@dataclass
class CleanRow:
    """A row after the checks that need no database: household cells and resident data."""

    number: int
    building: str = ""
    unit: int | None = None
    room: str = ""
    floor: int | None = None
    area: Decimal | None = None
    tenure: str = ""
    data: ResidentData | None = None
    id_hash: str = ""
    phone_hash: str = ""
    errors: list[RowError] = field(default_factory=list)
    # The cells given for the household, to check that rows of one new room agree.
    given: dict[str, Any] = field(default_factory=dict)


def row_error(row: int, key: str, code: str, message: str) -> RowError:
    return RowError(row=row, column=header_of(key), code=code, message=str(message))


def _from_domain(row: int, exc: DomainError, default_key: str) -> RowError:
    key = FIELD_TO_KEY.get(exc.field or "", default_key)
    return row_error(row, key, exc.code, exc.message)


def _choice(row: CleanRow, kind: str, text: str, errors: list[RowError]) -> str:
    code = choice_lookups()[kind].get(text.strip().lower())
    if code is None:
        errors.append(
            row_error(
                row.number,
                kind,
                CoreError.INVALID_CHOICE,
                _("%(value)s is not a valid %(field)s.")
                % {"value": text, "field": header_of(kind)},
            )
        )
        return ""
    return code


def clean_row(number: int, cells: list[str], numeric_id: bool = False) -> CleanRow:
    """Check one row with no database access; collects one error per bad column group."""
    v = dict(zip(KEYS, cells, strict=True))
    row = CleanRow(number=number)
    errors = row.errors

    for key in ("building", "unit", "room"):
        if not v[key]:
            errors.append(
                row_error(
                    number,
                    key,
                    CoreError.REQUIRED,
                    _("%(field)s is required.") % {"field": header_of(key)},
                )
            )
    row.building = _BUILDING_SUFFIX_RE.sub("", v["building"]) if v["building"] else ""
    if v["unit"]:
        m = _UNIT_RE.match(v["unit"])
        if m:
            row.unit = int(m.group(1))
        else:
            errors.append(
                row_error(number, "unit", CoreError.INVALID_NUMBER, _("The unit must be a number."))
            )
    row.room = v["room"]
    if len(row.room) > 20:
        errors.append(
            row_error(number, "room", CoreError.TOO_LONG, _("The room number is too long."))
        )
    if v["floor"]:
        try:
            row.floor = int(v["floor"].removesuffix("层").removesuffix("楼"))
        except ValueError:
            errors.append(
                row_error(
                    number,
                    "floor",
                    CoreError.INVALID_NUMBER,
                    _("The floor must be a whole number."),
                )
            )
        else:
            row.given["floor"] = row.floor
    try:
        row.area = clean_area(v["area"])
    except DomainError as exc:
        errors.append(_from_domain(number, exc, "area"))
    else:
        if row.area is not None:
            row.given["area"] = row.area
    row.tenure = _choice(row, "tenure", v["tenure"], errors) if v["tenure"] else Tenure.OWNER
    if v["tenure"]:
        row.given["tenure"] = row.tenure

    flags: dict[str, bool] = {}
    for key, model_field in FLAG_FIELDS.items():
        text = v[key].strip().lower()
        if text in YES_TEXTS:
            flags[model_field] = True
        elif text in NO_TEXTS:
            flags[model_field] = False
        else:
            errors.append(
                row_error(
                    number,
                    key,
                    CoreError.INVALID_CHOICE,
                    _("%(value)s is not a valid %(field)s.")
                    % {"value": v[key], "field": header_of(key)},
                )
            )
    if not v["relation"]:
        errors.append(
            row_error(
                number,
                "relation",
                CoreError.REQUIRED,
                _("%(field)s is required.") % {"field": header_of("relation")},
            )
        )
    relation = _choice(row, "relation", v["relation"], errors) if v["relation"] else ""
    disability = _choice(row, "disability", v["disability"], errors)

    if numeric_id:
        errors.append(
            row_error(
                number,
                "citizen_id",
                RegistryError.ID_NOT_TEXT,
                _(
                    "Excel stored the citizen ID number as a number and may have changed its "
                    "last digits; format the column as text and type the number again."
                ),
            )
        )
        return row
    gender_text = v["gender"]
    gender_code = choice_lookups()["gender"].get(gender_text.strip().lower(), gender_text)
    try:
        row.data = clean_resident(
            name=v["name"],
            citizen_id=v["citizen_id"],
            birth_date=_normalize_date(v["birth_date"]),
            gender=gender_code,
            phone=v["phone"],
            # A placeholder when the relation is bad (already reported), so that the
            # resident's other cells are still checked.
            relation=relation or Relation.OTHER,
            disability_level=disability or DisabilityLevel.NONE,
            notes=v["notes"],
            flags=flags,
        )
    except DomainError as exc:
        errors.append(_from_domain(number, exc, "name"))
        return row
    if errors:
        row.data = None
        return row
    row.id_hash = pii.lookup_hash("citizen_id", row.data.citizen_id)
    row.phone_hash = pii.lookup_hash("phone", row.data.phone)
    return row


def clean_rows(parsed: ParsedFile) -> list[CleanRow]:
    return [
        clean_row(number, cells, number in parsed.numeric_id_rows) for number, cells in parsed.rows
    ]
