"""Importing residents from the community office's Excel ledger (BRIEF R1).

The office keeps one row per resident with the household's columns repeated on each row. An
import runs in two steps:

1. `import_dry_run` parses the upload, checks every row and stores the result as an
   `ImportBatch` (rows encrypted: they hold ID and phone numbers). Nothing is written to the
   registry, so the admin sees every problem at once, with Excel row numbers and column headers.
2. `import_commit` checks the rows again against the registry as it is *now* and, only if no
   row is bad, writes households, residents, residencies and their audit rows in one
   transaction. Rows already registered identically count as unchanged, so importing the same
   file twice changes nothing.

Speed matters (a 20,000-row ledger): validation preloads buildings, units, households and ID
hashes into dicts and the writes are bulk inserts; no query runs per row. The CPU-heavy work
(parsing, ID and phone checks, encryption, pinyin) happens outside the write transaction
because on SQLite that transaction holds the database's single write lock.

`COLUMNS` is the one description of the spreadsheet: the template, the parser and the export
all read it. Its Chinese headers and labels are data (the format community offices use), not
interface text, so they are not translated.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import IO, Any

from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.core import pii
from linli.core.audit import audit_record, snapshot
from linli.core.errors import DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, communities_for, for_actor
from linli.registry.choices import (
    DisabilityLevel,
    Gender,
    HouseholdStatus,
    MoveReason,
    Relation,
    ResidentStatus,
    Tag,
    Tenure,
)
from linli.registry.models import (
    Building,
    Community,
    Household,
    ImportBatch,
    Residency,
    Resident,
    Unit,
)
from linli.registry.permissions import IMPORT
from linli.registry.services import (
    HOUSEHOLD_AUDIT_FIELDS,
    RESIDENT_AUDIT_FIELDS,
    ResidentData,
    citizen_id_taken_error,
    clean_area,
    clean_resident,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
# What the .xlsx may unpack to, summed over its parts (a zip bomb is small on the wire and
# huge unpacked). A full 50,000-row ledger unpacks to about 60 MB.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
# Rows read below the header, blank ones included (a sheet of a million blank rows costs as
# much to read as a million full ones).
MAX_ROWS = 50_000
# Rows whose notes say exactly this are the template's example and are skipped.
EXAMPLE_MARK = "示例行（导入时忽略）"
# SQLite allows 999 parameters per statement; stay below it for IN (...) lookups.
IN_CHUNK = 900


# ---------------------------------------------------------------- the column spec


@dataclass(frozen=True)
class Column:
    """One spreadsheet column. `header` is what the office sees; `aliases` are other headers
    ledgers use for the same thing; `text` columns are formatted as text in the template so
    that Excel keeps ID numbers and phones intact."""

    key: str
    header: str
    required: bool = False
    width: int = 12
    help: str = ""
    values: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()
    text: bool = False


YES, NO = "是", "否"

# Chinese labels of the registry's choices as the office writes them (data, not UI text).
GENDER_LABELS: dict[str, str] = {Gender.MALE: "男", Gender.FEMALE: "女"}
TENURE_LABELS: dict[str, str] = {Tenure.OWNER: "业主", Tenure.TENANT: "租户"}
RELATION_LABELS: dict[str, str] = {
    Relation.HEAD: "户主",
    Relation.SPOUSE: "配偶",
    Relation.CHILD: "子女",
    Relation.PARENT: "父母",
    Relation.GRANDCHILD: "孙子女",
    Relation.GRANDPARENT: "祖父母",
    Relation.SIBLING: "兄弟姐妹",
    Relation.CHILD_IN_LAW: "儿媳女婿",
    Relation.OTHER: "其他",
}
DISABILITY_LABELS: dict[str, str] = {
    DisabilityLevel.NONE: "无",
    DisabilityLevel.GRADE_1: "一级",
    DisabilityLevel.GRADE_2: "二级",
    DisabilityLevel.GRADE_3: "三级",
    DisabilityLevel.GRADE_4: "四级",
}
TAG_LABELS: dict[str, str] = {
    Tag.ELDERLY: "老年人(60+)",
    Tag.OVER_80: "80岁以上",
    Tag.INFANT: "婴幼儿(0-3岁)",
    Tag.DISABLED: "残疾/失能半失能",
    Tag.LOW_INCOME: "低保/困难",
    Tag.UNEMPLOYED: "失业",
    Tag.LAND_LOST: "失地农民",
    Tag.PARTY_MEMBER: "党员",
    Tag.NEW_EMPLOYMENT: "新就业群体",
}
# Words real ledgers use for the same relations.
RELATION_SYNONYMS: dict[str, str] = {
    "本人": Relation.HEAD,
    "妻": Relation.SPOUSE,
    "妻子": Relation.SPOUSE,
    "夫": Relation.SPOUSE,
    "丈夫": Relation.SPOUSE,
    "子": Relation.CHILD,
    "女": Relation.CHILD,
    "儿子": Relation.CHILD,
    "女儿": Relation.CHILD,
    "长子": Relation.CHILD,
    "长女": Relation.CHILD,
    "次子": Relation.CHILD,
    "次女": Relation.CHILD,
    "父亲": Relation.PARENT,
    "母亲": Relation.PARENT,
    "孙子": Relation.GRANDCHILD,
    "孙女": Relation.GRANDCHILD,
    "外孙": Relation.GRANDCHILD,
    "外孙女": Relation.GRANDCHILD,
    "祖父": Relation.GRANDPARENT,
    "祖母": Relation.GRANDPARENT,
    "外祖父": Relation.GRANDPARENT,
    "外祖母": Relation.GRANDPARENT,
    "兄弟": Relation.SIBLING,
    "姐妹": Relation.SIBLING,
    "儿媳": Relation.CHILD_IN_LAW,
    "女婿": Relation.CHILD_IN_LAW,
}
# Recorded tags: column key → Resident boolean field.
FLAG_FIELDS: dict[str, str] = {
    "low_income": "is_low_income",
    "unemployed": "is_unemployed",
    "land_lost": "is_land_lost_farmer",
    "party_member": "is_party_member",
    "new_employment": "is_new_employment_worker",
}

_YES_NO_HELP = "填“是”或“否”，留空视为“否”。"
COLUMNS: tuple[Column, ...] = (
    Column(
        "building",
        "楼栋",
        required=True,
        width=8,
        help="楼栋号，须是本社区已登记的楼栋，如 12。",
        example="12",
        aliases=("楼号", "栋号", "楼栋号"),
        text=True,
    ),
    Column(
        "unit",
        "单元",
        required=True,
        width=6,
        help="单元号（数字），须是该楼栋已登记的单元，如 2。",
        example="2",
        aliases=("单元号",),
    ),
    Column(
        "room",
        "房号",
        required=True,
        width=8,
        help="房间号，如 301。该房间还没有在住户时，导入时新建一户。",
        example="301",
        aliases=("房间号", "室号", "门牌号"),
        text=True,
    ),
    Column(
        "floor",
        "楼层",
        width=6,
        help="可不填：按房号推算（301 → 3 楼）。仅新建户时使用。",
        example="3",
        aliases=("层",),
    ),
    Column(
        "area",
        "建筑面积(㎡)",
        width=12,
        help="可不填。仅新建户时使用。",
        example="88.5",
        aliases=("建筑面积", "面积", "建筑面积（㎡）", "建筑面积(m2)", "建筑面积(平方米)"),
    ),
    Column(
        "tenure",
        "产权",
        width=8,
        help="“业主”或“租户”，留空视为业主。仅新建户时使用。",
        values="业主 / 租户",
        example="业主",
        aliases=("产权性质", "居住性质"),
    ),
    Column("name", "姓名", required=True, width=10, help="必填。", example="张晓"),
    Column(
        "citizen_id",
        "公民身份号码",
        width=22,
        help="18 位，最后一位可为 X；请以文本格式填写。可不填（无证件者须填出生日期与性别）。",
        example="",  # filled with a valid example number by `example_row`
        aliases=("身份证号", "身份证号码", "公民身份证号码", "证件号码"),
        text=True,
    ),
    Column(
        "gender",
        "性别",
        width=6,
        help="可不填：按身份证号推算；填写时须与身份证号一致。",
        values="男 / 女",
        example="男",
    ),
    Column(
        "birth_date",
        "出生日期",
        width=12,
        help="YYYY-MM-DD。可不填：按身份证号推算；填写时须与身份证号一致。",
        example="1980-01-01",
        aliases=("出生年月日", "生日"),
        text=True,
    ),
    Column(
        "phone",
        "联系电话",
        width=14,
        help="手机或固定电话，可不填。",
        example="13812345678",
        aliases=("电话", "手机", "手机号", "手机号码", "联系方式"),
        text=True,
    ),
    Column(
        "relation",
        "与户主关系",
        required=True,
        width=10,
        help="必填。",
        values=" / ".join(RELATION_LABELS.values()),
        example="户主",
        aliases=("关系", "与户主的关系"),
    ),
    Column(
        "disability",
        "残疾等级",
        width=8,
        help="留空视为无。",
        values=" / ".join(DISABILITY_LABELS.values()),
        example="无",
        aliases=("残疾",),
    ),
    Column(
        "low_income",
        "低保/困难",
        width=9,
        help=_YES_NO_HELP,
        values="是 / 否",
        example="否",
        aliases=("低保", "困难", "低保困难"),
    ),
    Column("unemployed", "失业", width=6, help=_YES_NO_HELP, values="是 / 否", example="否"),
    Column("land_lost", "失地农民", width=8, help=_YES_NO_HELP, values="是 / 否", example="否"),
    Column("party_member", "党员", width=6, help=_YES_NO_HELP, values="是 / 否", example="否"),
    Column(
        "new_employment",
        "新就业群体",
        width=10,
        help="快递员、外卖骑手、网约车司机等。" + _YES_NO_HELP,
        values="是 / 否",
        example="否",
    ),
    Column("notes", "备注", width=24, help="可不填。", example=EXAMPLE_MARK),
)
COLUMN_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)
# DomainError.field of the services → column key.
FIELD_TO_KEY: dict[str, str] = {
    "name": "name",
    "citizen_id": "citizen_id",
    "birth_date": "birth_date",
    "gender": "gender",
    "phone": "phone",
    "relation": "relation",
    "disability_level": "disability",
    "area_m2": "area",
    "room": "room",
    "floor": "floor",
    "tenure": "tenure",
    "notes": "notes",
}
# Fields compared to decide that a registered resident is "unchanged".
_COMPARED: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("gender", "gender"),
    ("birth_date", "birth_date"),
    ("relation", "relation"),
    ("disability_level", "disability"),
    ("notes", "notes"),
    ("phone_hash", "phone"),
    *((f, k) for k, f in FLAG_FIELDS.items()),
)


_NOTES = KEYS.index("notes")


def header_of(key: str) -> str:
    return COLUMN_BY_KEY[key].header if key in COLUMN_BY_KEY else ""


def _norm_header(text: str) -> str:
    return (
        re.sub(r"\s+", "", text)
        .replace("（", "(")
        .replace("）", ")")
        .replace("m²", "㎡")
        .replace("平方米", "㎡")
        .lower()
    )


@lru_cache(maxsize=1)
def _header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for c in COLUMNS:
        for name in (c.header, *c.aliases):
            lookup[_norm_header(name)] = c.key
    return lookup


def _labels(
    enum: type[models.TextChoices], zh: dict[str, str], extra: dict[str, str] | None
) -> dict[str, str]:
    """Every text accepted for a choice: its code, the office's Chinese label, and its
    interface labels in English and Chinese."""
    lookup: dict[str, str] = {}
    for choice in enum:
        code = str(choice.value)
        lookup[code.lower()] = code
        if code in zh:
            lookup[zh[code]] = code
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                lookup[str(choice.label).strip().lower()] = code
    for text, code in (extra or {}).items():
        lookup[text] = code
    return lookup


@lru_cache(maxsize=1)
def _choice_lookups() -> dict[str, dict[str, str]]:
    disability_extra: dict[str, str] = {"": DisabilityLevel.NONE, "否": DisabilityLevel.NONE}
    for n, zh in zip("1234", "一二三四", strict=True):
        disability_extra.update({f"{n}级": n, zh: n, f"{zh}级": n, f"{n}級": n})
    return {
        "gender": _labels(Gender, GENDER_LABELS, {"m": "M", "f": "F"}),
        "tenure": _labels(
            Tenure,
            TENURE_LABELS,
            {"产权人": "owner", "房主": "owner", "租客": "tenant", "承租人": "tenant"},
        ),
        "relation": _labels(Relation, RELATION_LABELS, RELATION_SYNONYMS),
        "disability": _labels(DisabilityLevel, DISABILITY_LABELS, disability_extra),
    }


_YES_TEXTS = frozenset({"是", "y", "yes", "1", "true", "√", "✓", "有"})
_NO_TEXTS = frozenset({"", "否", "n", "no", "0", "false", "×", "无"})


# ---------------------------------------------------------------- parsing the file


@dataclass
class RowError:
    """One problem in one cell. `row` is the Excel row number (0 for the whole file)."""

    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


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
        code="bad_file",
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
            code="file_too_large",
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
    lookup = _header_lookup()
    rows_iter: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
    header_row = 0
    positions: dict[str, int] = {}
    for number, values in enumerate(rows_iter, start=1):
        found = {}
        for i, v in enumerate(values):
            key = lookup.get(_norm_header(_cell_text(v))) if v is not None else None
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
            code="no_header",
            field="file",
        )
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise DomainError(
            _("Columns are missing: %(columns)s.") % {"columns": "、".join(missing)},
            code="missing_columns",
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
                code="too_many_rows",
                field="file",
            )
        width = len(values)
        texts = [_cell_text(values[i]) if 0 <= i < width else "" for i in index]
        if not any(texts) or texts[_NOTES] == EXAMPLE_MARK:
            continue
        if 0 <= id_pos < width and isinstance(values[id_pos], (int, float)):
            parsed.numeric_id_rows.add(number)
        parsed.rows.append((number, texts))
    if not parsed.rows:
        raise DomainError(_("The file has no resident rows."), code="empty_file", field="file")
    return parsed


# ---------------------------------------------------------------- checking rows


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


def _error(row: int, key: str, code: str, message: str) -> RowError:
    return RowError(row=row, column=header_of(key), code=code, message=str(message))


def _from_domain(row: int, exc: DomainError, default_key: str) -> RowError:
    key = FIELD_TO_KEY.get(exc.field or "", default_key)
    return _error(row, key, exc.code, exc.message)


def _choice(row: CleanRow, kind: str, text: str, errors: list[RowError]) -> str:
    code = _choice_lookups()[kind].get(text.strip().lower())
    if code is None:
        errors.append(
            _error(
                row.number,
                kind,
                "bad_choice",
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
                _error(
                    number, key, "required", _("%(field)s is required.") % {"field": header_of(key)}
                )
            )
    row.building = _BUILDING_SUFFIX_RE.sub("", v["building"]) if v["building"] else ""
    if v["unit"]:
        m = _UNIT_RE.match(v["unit"])
        if m:
            row.unit = int(m.group(1))
        else:
            errors.append(_error(number, "unit", "bad_number", _("The unit must be a number.")))
    row.room = v["room"]
    if len(row.room) > 20:
        errors.append(_error(number, "room", "too_long", _("The room number is too long.")))
    if v["floor"]:
        try:
            row.floor = int(v["floor"].removesuffix("层").removesuffix("楼"))
        except ValueError:
            errors.append(
                _error(number, "floor", "bad_number", _("The floor must be a whole number."))
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
        if text in _YES_TEXTS:
            flags[model_field] = True
        elif text in _NO_TEXTS:
            flags[model_field] = False
        else:
            errors.append(
                _error(
                    number,
                    key,
                    "bad_choice",
                    _("%(value)s is not a valid %(field)s.")
                    % {"value": v[key], "field": header_of(key)},
                )
            )
    if not v["relation"]:
        errors.append(
            _error(
                number,
                "relation",
                "required",
                _("%(field)s is required.") % {"field": header_of("relation")},
            )
        )
    relation = _choice(row, "relation", v["relation"], errors) if v["relation"] else ""
    disability = _choice(row, "disability", v["disability"], errors)

    if numeric_id:
        errors.append(
            _error(
                number,
                "citizen_id",
                "id_not_text",
                _(
                    "Excel stored the citizen ID number as a number and may have changed its "
                    "last digits; format the column as text and type the number again."
                ),
            )
        )
        return row
    gender_text = v["gender"]
    gender_code = _choice_lookups()["gender"].get(gender_text.strip().lower(), gender_text)
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


# ---------------------------------------------------------------- checking against the registry


@dataclass
class NewHousehold:
    building: Building
    unit: Unit
    room: str
    floor: int
    area: Decimal | None
    tenure: str
    first_row: int
    given: dict[str, Any]


@dataclass
class NewResident:
    row: CleanRow
    key: tuple[int, str]  # (unit id, room) of the household


@dataclass
class ImportPlan:
    """What committing would do, or why it cannot."""

    total_rows: int
    errors: list[RowError]
    error_rows: int
    unchanged_rows: int
    new_households: dict[tuple[int, str], NewHousehold]
    households: dict[tuple[int, str], Household]
    new_residents: list[NewResident]

    @property
    def ok_rows(self) -> int:
        return self.total_rows - self.error_rows


def _chunks(items: list[Any], size: int = IN_CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _registered_by_hash(hashes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Residents (in any community: the ID number is unique nationally) holding these IDs."""
    found: dict[str, dict[str, Any]] = {}
    wanted = sorted({h for h in hashes if h})
    fields = [
        "id",
        "community_id",
        "household_id",
        "status",
        "citizen_id_hash",
        "household__building__number",
        "household__unit__number",
        "household__room",
        *(f for f, _k in _COMPARED),
    ]
    for chunk in _chunks(wanted):
        for r in Resident.objects.filter(citizen_id_hash__in=chunk).values(*fields):
            r["address"] = "-".join(
                str(r.pop(f))
                for f in (
                    "household__building__number",
                    "household__unit__number",
                    "household__room",
                )
            )
            found[r["citizen_id_hash"]] = r
    return found


def _residents_of(household_ids: Iterable[int]) -> dict[tuple[int, str, dt.date], dict[str, Any]]:
    """Active residents of these households by (household, name, birth date)."""
    found: dict[tuple[int, str, dt.date], dict[str, Any]] = {}
    fields = ["id", "household_id", "citizen_id_hash", *(f for f, _k in _COMPARED)]
    for chunk in _chunks(sorted(set(household_ids))):
        qs = Resident.objects.filter(household_id__in=chunk, status=ResidentStatus.ACTIVE)
        for r in qs.values(*fields):
            found[(r["household_id"], r["name"], r["birth_date"])] = r
    return found


def _differences(row: CleanRow, registered: dict[str, Any]) -> list[str]:
    """Column keys where the row disagrees with the registered resident."""
    assert row.data is not None
    data = row.data
    mine: dict[str, Any] = {
        "name": data.name,
        "gender": data.gender,
        "birth_date": data.birth_date,
        "relation": data.relation,
        "disability_level": data.disability_level,
        "notes": data.notes,
        "phone_hash": row.phone_hash,
        **{f: data.flags.get(f, False) for f in FLAG_FIELDS.values()},
    }
    return [key for f, key in _COMPARED if mine[f] != registered[f]]


def _floor_from_room(room: str) -> int:
    # As household_create does: 301 → 3, 1201 → 12; short room numbers are on floor 1.
    digits = "".join(ch for ch in room if ch.isdigit())
    return int(digits[:-2]) if len(digits) >= 3 else 1


def resolve(community: Community, rows: list[CleanRow]) -> ImportPlan:
    """Check the cleaned rows against the registry as it is now: places exist, ID numbers are
    free (or registered identically), no duplicates in the file. A handful of queries."""
    buildings = {b.number: b for b in Building.objects.filter(community=community)}
    units = {
        (u.building_id, u.number): u
        for u in Unit.objects.filter(building__community=community).select_related("building")
    }
    active = {
        (h.unit_id, h.room): h
        for h in Household.objects.filter(
            community=community, status=HouseholdStatus.ACTIVE
        ).select_related("building", "unit")
    }
    by_hash = _registered_by_hash(r.id_hash for r in rows if r.data is not None)

    errors: list[RowError] = []
    bad_rows: set[int] = set()
    new_households: dict[tuple[int, str], NewHousehold] = {}
    households: dict[tuple[int, str], Household] = {}
    placed: list[tuple[CleanRow, tuple[int, str]]] = []

    for row in rows:
        row_errors = list(row.errors)
        key: tuple[int, str] | None = None
        building = buildings.get(row.building) if row.building else None
        if row.building and building is None:
            row_errors.append(
                _error(
                    row.number,
                    "building",
                    "unknown_building",
                    _("There is no building %(number)s in this community.")
                    % {"number": row.building},
                )
            )
        unit = units.get((building.id, row.unit)) if building and row.unit is not None else None
        if building and row.unit is not None and unit is None:
            row_errors.append(
                _error(
                    row.number,
                    "unit",
                    "unknown_unit",
                    _("Building %(building)s has no unit %(unit)s.")
                    % {"building": building.number, "unit": row.unit},
                )
            )
        if unit is not None and row.room and len(row.room) <= 20:
            key = (unit.id, row.room)
            if key in active:
                households[key] = active[key]
            elif key in new_households:
                first = new_households[key]
                for name, value in row.given.items():
                    if name not in first.given:
                        # The room's first row left it empty: the first row giving it wins.
                        first.given[name] = (value, row.number)
                        setattr(first, name, value)
                    elif first.given[name][0] != value:
                        row_errors.append(
                            _error(
                                row.number,
                                name,
                                "household_mismatch",
                                _("This room's %(column)s differs from row %(row)s.")
                                % {"column": header_of(name), "row": first.given[name][1]},
                            )
                        )
                if not 1 <= first.floor <= first.building.floors:
                    row_errors.append(
                        _error(
                            row.number,
                            "floor",
                            "bad_floor",
                            _("Floor %(floor)s does not exist in this building.")
                            % {"floor": first.floor},
                        )
                    )
            else:
                assert building is not None
                floor = row.floor if row.floor is not None else _floor_from_room(row.room)
                if not 1 <= floor <= building.floors:
                    row_errors.append(
                        _error(
                            row.number,
                            "floor",
                            "bad_floor",
                            _("Floor %(floor)s does not exist in this building.")
                            % {"floor": floor},
                        )
                    )
                else:
                    new_households[key] = NewHousehold(
                        building=building,
                        unit=unit,
                        room=row.room,
                        floor=floor,
                        area=row.area,
                        tenure=row.tenure,
                        first_row=row.number,
                        given={k: (v, row.number) for k, v in row.given.items()},
                    )
        if row_errors:
            errors.extend(row_errors)
            bad_rows.add(row.number)
        elif key is not None:
            placed.append((row, key))

    # Residents already registered in the households the file names, for rows without an ID.
    existing_ids = {h.id for h in households.values()}
    by_person = _residents_of(existing_ids)

    unchanged = 0
    new_residents: list[NewResident] = []
    seen_ids: dict[str, int] = {}
    seen_people: dict[tuple[tuple[int, str], str, dt.date], int] = {}

    def fail(row: CleanRow, key: str, code: str, message: str) -> None:
        errors.append(_error(row.number, key, code, message))
        bad_rows.add(row.number)

    for row, key in placed:
        data = row.data
        assert data is not None
        person = (key, data.name, data.birth_date)
        if row.id_hash:
            if row.id_hash in seen_ids:
                fail(
                    row,
                    "citizen_id",
                    "duplicate_id",
                    _("The same citizen ID number is in row %(row)s.")
                    % {"row": seen_ids[row.id_hash]},
                )
                continue
            seen_ids[row.id_hash] = row.number
        if person in seen_people:
            fail(
                row,
                "name",
                "duplicate_row",
                _("The same person (name and birth date) is in row %(row)s.")
                % {"row": seen_people[person]},
            )
            continue
        seen_people[person] = row.number

        household = households.get(key)
        registered = by_hash.get(row.id_hash) if row.id_hash else None
        if registered is None and household is not None:
            match = by_person.get((household.id, data.name, data.birth_date))
            if match is not None and (not row.id_hash or not match["citizen_id_hash"]):
                if row.id_hash:
                    fail(
                        row,
                        "citizen_id",
                        "possible_duplicate",
                        _(
                            "A resident with this name and birth date is already registered in "
                            "this household without a citizen ID number; add the number on the "
                            "resident's page instead."
                        ),
                    )
                    continue
                registered = {**match, "status": ResidentStatus.ACTIVE}
        if registered is None:
            new_residents.append(NewResident(row=row, key=key))
            continue
        if registered.get("community_id", community.id) != community.id:
            # Another community's resident: say neither who, nor where, nor whether he still
            # lives there (issue 8 item 15).
            fail(row, "citizen_id", "id_taken", citizen_id_taken_error(None).message)
        elif registered["status"] != ResidentStatus.ACTIVE:
            fail(
                row,
                "citizen_id",
                "id_moved_out",
                _(
                    "This citizen ID number belongs to a resident who has moved out; record "
                    "the return on the resident's page."
                ),
            )
        elif household is None or registered["household_id"] != household.id:
            fail(
                row,
                "citizen_id",
                "id_taken",
                _("This citizen ID number is already registered to %(name)s (%(address)s).")
                % {"name": registered["name"], "address": registered.get("address", "")},
            )
        else:
            diff = _differences(row, registered)
            if diff:
                fail(
                    row,
                    diff[0],
                    "resident_differs",
                    _(
                        "This resident is already registered in this household with other "
                        "details (%(columns)s); change them on the resident's page."
                    )
                    % {"columns": "、".join(header_of(k) for k in diff)},
                )
            else:
                unchanged += 1

    errors.sort(key=lambda e: (e.row, KEYS.index(_key_of(e.column)) if e.column else -1))
    placed_keys = {nr.key for nr in new_residents if nr.row.number not in bad_rows}
    return ImportPlan(
        total_rows=len(rows),
        errors=errors,
        error_rows=len(bad_rows),
        unchanged_rows=unchanged,
        new_households={k: v for k, v in new_households.items() if k in placed_keys},
        households=households,
        new_residents=[nr for nr in new_residents if nr.row.number not in bad_rows],
    )


@lru_cache(maxsize=1)
def _header_to_key() -> dict[str, str]:
    return {c.header: c.key for c in COLUMNS}


def _key_of(header: str) -> str:
    return _header_to_key().get(header, KEYS[0])


# ---------------------------------------------------------------- services


def import_communities(actor: Actor) -> QuerySet[Community]:
    """Communities the actor may import into."""
    return Community.objects.filter(id__in=list(communities_for(actor, IMPORT))).order_by("name")


def _target_community(actor: Actor, community_id: int | None) -> Community:
    ids = list(communities_for(actor, IMPORT))
    if not ids:
        raise NotFound(_("Not found."))
    if community_id is None:
        if len(ids) > 1:
            raise DomainError(
                _("Choose the community to import into."),
                code="community_required",
                field="community",
            )
        community_id = ids[0]
    if community_id not in ids:
        raise NotFound(_("Not found."))
    return Community.objects.get(pk=community_id)


def _apply(batch: ImportBatch, plan: ImportPlan) -> None:
    batch.errors = [e.as_dict() for e in plan.errors]
    batch.total_rows = plan.total_rows
    batch.ok_rows = plan.ok_rows
    batch.error_rows = plan.error_rows
    batch.unchanged_rows = plan.unchanged_rows
    batch.new_households = len(plan.new_households)
    batch.new_residents = len(plan.new_residents)
    batch.status = ImportBatch.Status.FAILED if plan.errors else ImportBatch.Status.PENDING


def import_dry_run(
    *, actor: Actor, file: IO[bytes], file_name: str = "", community_id: int | None = None
) -> ImportBatch:
    """Check an uploaded ledger without touching the registry and keep the result as a batch.

    Not one big transaction on purpose: parsing and checking take seconds for a large file
    and must not hold SQLite's write lock; only saving the batch is a (short) write. A file
    that cannot be read at all raises DomainError; bad rows are reported in the batch.
    """
    community = _target_community(actor, community_id)
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)},
            code="file_too_large",
            field="file",
        )
    parsed = parse_workbook(data)
    plan = resolve(community, clean_rows(parsed))
    batch = ImportBatch(
        community=community,
        actor_id=actor.user_id,
        actor_label=actor.label[:150],
        file_name=(file_name or "")[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        rows_encrypted=parsed.dump(),
    )
    _apply(batch, plan)
    with transaction.atomic():
        batch.save()
    return batch


def batch_get(actor: Actor, public_id: Any) -> ImportBatch:
    """A batch of a community the actor may import into, or NotFound."""
    return access(
        actor, IMPORT, ImportBatch.objects.select_related("community"), public_id=public_id
    )


def batch_list(actor: Actor, limit: int = 10) -> list[ImportBatch]:
    return list(
        for_actor(actor, IMPORT, ImportBatch.objects.all()).defer("rows_encrypted", "errors")[
            :limit
        ]
    )


def previous_import(batch: ImportBatch) -> ImportBatch | None:
    """An earlier committed import of the very same file into the same community."""
    return (
        ImportBatch.objects.filter(
            community_id=batch.community_id,
            file_sha256=batch.file_sha256,
            status=ImportBatch.Status.COMMITTED,
        )
        .exclude(pk=batch.pk)
        .defer("rows_encrypted", "errors")
        .order_by("-committed_at")
        .first()
    )


def import_commit(*, actor: Actor, batch_public_id: Any) -> ImportBatch:
    """Write a checked batch: all rows or none.

    The rows are cleaned (ID, phone, encryption, pinyin: the slow part) before the
    transaction; inside it the rows are checked again against the registry as it is now,
    because it may have changed since the dry run, and only then written. The batch comes
    back `committed`, or `failed` with its errors (and nothing written). Committing a batch
    again does nothing.
    """
    batch = batch_get(actor, batch_public_id)
    if batch.status == ImportBatch.Status.COMMITTED:
        return batch
    if not batch.rows_encrypted:
        raise DomainError(
            _("This upload can no longer be imported; upload the file again."), code="expired"
        )
    rows = clean_rows(ParsedFile.load(batch.rows_encrypted))
    # Prepare new residents' stored fields outside the lock, from an optimistic check.
    optimistic = resolve(batch.community, rows)
    prepared = {nr.row.number: _stored_fields(nr.row) for nr in optimistic.new_residents}

    with transaction.atomic():
        batch = access(
            actor,
            IMPORT,
            ImportBatch.objects.select_for_update().select_related("community"),
            public_id=batch_public_id,
        )
        if batch.status == ImportBatch.Status.COMMITTED:
            return batch
        plan = resolve(batch.community, rows)
        _apply(batch, plan)
        if plan.errors:
            batch.save()
            return batch
        try:
            with transaction.atomic():
                _write(actor, batch, plan, prepared)
        except IntegrityError:
            batch.status = ImportBatch.Status.FAILED
            batch.errors = [
                RowError(
                    row=0,
                    column="",
                    code="conflict",
                    message=_(
                        "Someone registered one of these rooms or citizen ID numbers while "
                        "the import ran. Nothing was imported; check the file again."
                    ),
                ).as_dict()
            ]
            batch.save()
            return batch
        batch.status = ImportBatch.Status.COMMITTED
        batch.committed_at = timezone.now()
        batch.rows_encrypted = ""  # the registry now holds the data; keep no second copy
        batch.save()
    return batch


def commit_refused_message(batch: ImportBatch) -> str:
    """Why a commit wrote nothing, in one sentence."""
    if batch.error_rows:
        return ngettext(
            "Nothing was imported: %(count)s row has errors.",
            "Nothing was imported: %(count)s rows have errors.",
            batch.error_rows,
        ) % {"count": batch.error_rows}
    if batch.errors:
        return str(batch.errors[0].get("message", ""))
    return _("Nothing was imported.")


def _stored_fields(row: CleanRow) -> dict[str, Any]:
    assert row.data is not None
    return row.data.model_fields()


def _write(
    actor: Actor, batch: ImportBatch, plan: ImportPlan, prepared: dict[int, dict[str, Any]]
) -> None:
    """Bulk-insert the plan and its audit rows (inside the caller's transaction)."""
    community_id = batch.community_id
    new_households = [
        Household(
            community_id=community_id,
            building=nh.building,
            unit=nh.unit,
            room=nh.room,
            floor=nh.floor,
            area_m2=nh.area,
            tenure=nh.tenure,
            status=HouseholdStatus.ACTIVE,
        )
        for nh in plan.new_households.values()
    ]
    Household.objects.bulk_create(new_households, batch_size=500)
    if any(h.pk is None for h in new_households):  # databases that return no ids
        by_key = {
            (h.unit_id, h.room): h.pk
            for h in Household.objects.filter(
                community_id=community_id, status=HouseholdStatus.ACTIVE
            ).only("id", "unit_id", "room")
        }
        for h in new_households:
            h.pk = h.id = by_key[(h.unit_id, h.room)]
    households = dict(plan.households)
    households.update({(h.unit_id, h.room): h for h in new_households})

    residents = []
    for nr in plan.new_residents:
        fields = prepared.get(nr.row.number) or _stored_fields(nr.row)
        residents.append(
            Resident(community_id=community_id, household=households[nr.key], **fields)
        )
    Resident.objects.bulk_create(residents, batch_size=500)
    if any(r.pk is None for r in residents):
        ids: dict[Any, int] = {}
        for chunk in _chunks([r.public_id for r in residents]):
            ids.update(Resident.objects.filter(public_id__in=chunk).values_list("public_id", "id"))
        for r in residents:
            r.pk = r.id = ids[r.public_id]

    today = timezone.localdate()
    Residency.objects.bulk_create(
        [
            Residency(
                resident=r,
                household=r.household,
                moved_in=today,
                move_in_reason=MoveReason.IMPORT,
            )
            for r in residents
        ],
        batch_size=1000,
    )

    base = {
        "actor_id": actor.user_id,
        "actor_label": actor.label[:150],
        "community_id": community_id,
    }
    events = [
        AuditEvent(
            action=AuditEvent.Action.CREATE,
            object_type=Household._meta.label_lower,
            object_id=str(h.public_id),
            object_label=str(h)[:200],
            reason=MoveReason.IMPORT,
            after=snapshot(h, HOUSEHOLD_AUDIT_FIELDS),
            **base,
        )
        for h in new_households
    ]
    events += [
        AuditEvent(
            action=AuditEvent.Action.MOVE_IN,
            object_type=Resident._meta.label_lower,
            object_id=str(r.public_id),
            object_label=str(r)[:200],
            reason=MoveReason.IMPORT,
            after=snapshot(r, RESIDENT_AUDIT_FIELDS),
            **base,
        )
        for r in residents
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        obj=batch,
        community_id=community_id,
        after={
            "file_name": batch.file_name,
            "file_sha256": batch.file_sha256,
            "rows": plan.total_rows,
            "new_households": len(new_households),
            "new_residents": len(residents),
            "unchanged_rows": plan.unchanged_rows,
        },
    )


# ---------------------------------------------------------------- the template


def example_values() -> list[str]:
    from linli.registry.validators import id_check_char

    first17 = "11010119800101001"
    values = {c.key: c.example for c in COLUMNS}
    values["citizen_id"] = first17 + id_check_char(first17)
    return [values[k] for k in KEYS]


def build_template(community: Community | None = None) -> bytes:
    """The blank ledger: headers, one example row (skipped on import), drop-down lists for the
    choice columns, a 说明 sheet explaining each column and, for a community, its buildings."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "居民信息"
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE9D9")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    ws.append([c.header for c in COLUMNS])
    ws.append(example_values())
    grey = Font(italic=True, color="808080")
    last_row = 5000
    for i, c in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i)
        cell.font = bold
        cell.fill = required_fill if c.required else header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[letter].width = c.width + 2
        ws.cell(row=2, column=i).font = grey
        if c.text:
            # Text format keeps Excel from turning ID numbers into 3.21E+17.
            ws.column_dimensions[letter].number_format = "@"
            ws.cell(row=2, column=i).number_format = "@"
        options = _dropdown(c.key)
        if options:
            dv = DataValidation(type="list", formula1=f'"{",".join(options)}"', allow_blank=True)
            dv.add(f"{letter}2:{letter}{last_row}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    help_sheet = wb.create_sheet("说明")
    help_sheet.append(["列名", "是否必填", "说明", "可填写的值"])
    for cell in help_sheet[1]:
        cell.font = bold
        cell.fill = header_fill
    for c in COLUMNS:
        help_sheet.append([c.header, "必填" if c.required else "", c.help, c.values])
    help_sheet.append([])
    for line in (
        "每行一位居民；同一户的每位成员都重复填写楼栋、单元、房号。",
        "第 2 行是示例（备注为“" + EXAMPLE_MARK + "”），导入时会被跳过，可以删除。",
        "房间还没有在住户时，导入时新建一户（建筑面积、产权、楼层取该户第一行）。",
        "身份证号已登记在同一户且信息相同的行视为“未变化”，重复导入同一文件不会重复登记。",
        "只要有一行有错，整份文件都不会导入；请按错误表修改后重新上传。",
    ):
        help_sheet.append([line])
    for letter, width in zip("ABCD", (16, 10, 60, 50), strict=True):
        help_sheet.column_dimensions[letter].width = width

    if community is not None:
        places = wb.create_sheet("楼栋单元")
        places.append(["楼栋", "单元", "层数", "网格"])
        for cell in places[1]:
            cell.font = bold
            cell.fill = header_fill
        for unit in (
            Unit.objects.filter(building__community=community)
            .select_related("building__grid")
            .order_by("building__id", "number")
        ):
            places.append(
                [unit.building.number, unit.number, unit.building.floors, unit.building.grid.name]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _dropdown(key: str) -> list[str]:
    if key in FLAG_FIELDS:
        return [YES, NO]
    return {
        "tenure": list(TENURE_LABELS.values()),
        "gender": list(GENDER_LABELS.values()),
        "relation": list(RELATION_LABELS.values()),
        "disability": list(DISABILITY_LABELS.values()),
    }.get(key, [])


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
