"""The one description of the resident spreadsheet: its columns, the Chinese labels of the
registry's choices as offices write them, and the error record every step reports with.

The headers and labels are data (the format community offices use), not interface text, so
they are not translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils import translation

from linli.registry.choices import DisabilityLevel, Gender, Relation, Tag, Tenure

# Rows whose notes say exactly this are the template's example and are skipped.
EXAMPLE_MARK = "示例行（导入时忽略）"


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
COMPARED: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("gender", "gender"),
    ("birth_date", "birth_date"),
    ("relation", "relation"),
    ("disability_level", "disability"),
    ("notes", "notes"),
    ("phone_hash", "phone"),
    *((f, k) for k, f in FLAG_FIELDS.items()),
)


NOTES_INDEX = KEYS.index("notes")


def header_of(key: str) -> str:
    return COLUMN_BY_KEY[key].header if key in COLUMN_BY_KEY else ""


def norm_header(text: str) -> str:
    return (
        re.sub(r"\s+", "", text)
        .replace("（", "(")
        .replace("）", ")")
        .replace("m²", "㎡")
        .replace("平方米", "㎡")
        .lower()
    )


@lru_cache(maxsize=1)
def header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for c in COLUMNS:
        for name in (c.header, *c.aliases):
            lookup[norm_header(name)] = c.key
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
def choice_lookups() -> dict[str, dict[str, str]]:
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


YES_TEXTS = frozenset({"是", "y", "yes", "1", "true", "√", "✓", "有"})
NO_TEXTS = frozenset({"", "否", "n", "no", "0", "false", "×", "无"})


@dataclass
class RowError:
    """One problem in one cell. `row` is the Excel row number (0 for the whole file)."""

    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@lru_cache(maxsize=1)
def _header_to_key() -> dict[str, str]:
    return {c.header: c.key for c in COLUMNS}


def key_of(header: str) -> str:
    return _header_to_key().get(header, KEYS[0])
