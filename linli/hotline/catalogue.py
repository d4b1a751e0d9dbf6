"""The default catalogue of request types (Chinese names are data) and the checking of the
extra questions a category asks and of the answers a caller gives.

A community gets the default catalogue from `services.categories_ensure_defaults` (the demo,
or its admin on the settings page); its admins then edit time limits and questions there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from linli.core.errors import DomainError
from linli.hotline.choices import DEFAULT_LIMITS, Priority, QuestionKind
from linli.hotline.errors import HotlineError

SAFETY_HAZARD = "safety_hazard"  # the riders' safety-outpost reports file under this code


@dataclass(frozen=True)
class CategorySeed:
    code: str
    name: str
    group: str
    priority: str
    description: str = ""
    questions: list[dict[str, Any]] = field(default_factory=list)


def _single(key: str, label: str, choices: list[str], required: bool = True) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "kind": QuestionKind.SINGLE,
        "required": required,
        "choices": choices,
    }


DEFAULT_CATALOGUE: tuple[CategorySeed, ...] = (
    CategorySeed(
        SAFETY_HAZARD,
        "安全隐患",
        "安全",
        Priority.EMERGENCY,
        "消防通道堵塞、电动车违规充电、高空坠物等",
        # Not required: other modules (the riders' safety outposts) file without answering.
        [
            _single(
                "hazard",
                "隐患类型",
                ["消防通道堵塞", "电动车违规充电", "高空坠物", "其他"],
                required=False,
            )
        ],
    ),
    CategorySeed("gas_leak", "燃气泄漏", "安全", Priority.EMERGENCY, "闻到燃气味、燃气报警"),
    CategorySeed(
        "elder_help",
        "独居老人紧急求助",
        "安全",
        Priority.EMERGENCY,
        "老人摔倒、联系不上等",
    ),
    CategorySeed(
        "water",
        "停水漏水",
        "水电气暖",
        Priority.UTILITY,
        "停水、水管爆裂、楼上漏水",
        [_single("extent", "影响范围", ["本户", "本单元", "整栋楼"])],
    ),
    CategorySeed("power", "停电及线路故障", "水电气暖", Priority.UTILITY, "停电、跳闸、楼道线路"),
    CategorySeed("gas_heating", "燃气供暖故障", "水电气暖", Priority.UTILITY, "燃气不通、暖气不热"),
    CategorySeed(
        "elevator",
        "电梯故障",
        "水电气暖",
        Priority.UTILITY,
        "电梯停运、异响",
        [_single("trapped", "是否有人被困", ["是", "否"])],
    ),
    CategorySeed(
        "facility",
        "公共设施维修",
        "环境设施",
        Priority.GENERAL,
        "路灯、门禁、楼道灯、健身器材",
        [
            {
                "key": "items",
                "label": "涉及设施",
                "kind": QuestionKind.MULTIPLE,
                "required": False,
                "choices": ["路灯", "门禁", "楼道灯", "健身器材", "其他"],
            }
        ],
    ),
    CategorySeed("sanitation", "环境卫生", "环境设施", Priority.GENERAL, "垃圾清运、楼道堆物"),
    CategorySeed(
        "noise",
        "噪音扰民",
        "邻里",
        Priority.GENERAL,
        "装修、广场舞、夜间噪音",
        [{"key": "when", "label": "发生时段", "kind": QuestionKind.TEXT, "required": False}],
    ),
    CategorySeed(
        "parking",
        "停车秩序",
        "环境设施",
        Priority.GENERAL,
        "乱停车、占用消防通道",
        [{"key": "vehicles", "label": "车辆数", "kind": QuestionKind.NUMBER, "required": False}],
    ),
    CategorySeed(
        "consult",
        "政策咨询",
        "咨询",
        Priority.GENERAL,
        "养老、医保、低保、就业政策",
        [
            {
                "key": "callback",
                "label": "希望回电日期",
                "kind": QuestionKind.DATE,
                "required": False,
            }
        ],
    ),
    CategorySeed("dispute", "邻里纠纷", "邻里", Priority.COMPLEX, "需要调解的矛盾"),
    CategorySeed("property", "物业服务", "环境设施", Priority.COMPLEX, "物业管理与收费问题"),
)


def default_limits(priority: str) -> tuple[int | None, int | None, int]:
    return DEFAULT_LIMITS[priority]


MAX_TEXT_ANSWER = 200


def clean_questions(raw: Any) -> list[dict[str, Any]]:
    """Check a category's question list (from the settings page or the admin)."""
    if not isinstance(raw, list):
        raise DomainError(
            _("The questions must be a list."),
            code=HotlineError.INVALID_QUESTIONS,
            field="questions",
        )
    cleaned: list[dict[str, Any]] = []
    keys: set[str] = set()
    for item in raw:
        if not isinstance(item, dict):
            raise DomainError(
                _("Each question must be an object."),
                code=HotlineError.INVALID_QUESTIONS,
                field="questions",
            )
        key = str(item.get("key", "")).strip()
        label = str(item.get("label", "")).strip()
        kind = str(item.get("kind", ""))
        if not key or not key.replace("_", "").isalnum() or not key.isascii() or key in keys:
            raise DomainError(
                _("Each question needs its own key of letters, digits and _."),
                code=HotlineError.INVALID_QUESTIONS,
                field="questions",
            )
        if not label:
            raise DomainError(
                _("Each question needs a label."), code=HotlineError.INVALID_QUESTIONS
            )
        if kind not in QuestionKind.values:
            raise DomainError(
                _("Unknown question kind: %(kind)s") % {"kind": kind},
                code=HotlineError.INVALID_QUESTIONS,
                field="questions",
            )
        question: dict[str, Any] = {
            "key": key,
            "label": label[:100],
            "kind": kind,
            "required": bool(item.get("required", False)),
        }
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices = [str(c).strip() for c in item.get("choices") or [] if str(c).strip()]
            if len(choices) < 2:
                raise DomainError(
                    _("A choice question needs at least two choices."),
                    code=HotlineError.INVALID_QUESTIONS,
                    field="questions",
                )
            question["choices"] = choices
        keys.add(key)
        cleaned.append(question)
    return cleaned


def _answer_error(label: str, problem: str) -> DomainError:
    return DomainError(
        _("%(question)s: %(problem)s") % {"question": label, "problem": problem},
        code=HotlineError.INVALID_ANSWER,
        field="answers",
    )


def clean_answers(questions: list[dict[str, Any]], raw: dict[str, Any] | None) -> dict[str, Any]:
    """The answers to a category's questions, typed; unknown keys are dropped."""
    raw = raw or {}
    answers: dict[str, Any] = {}
    for q in questions:
        key, label, kind = q["key"], q["label"], q["kind"]
        value = raw.get(key)
        empty = value is None or value == "" or value == []
        if empty:
            if q.get("required"):
                raise _answer_error(label, _("an answer is required."))
            continue
        if kind == QuestionKind.TEXT:
            answers[key] = str(value).strip()[:MAX_TEXT_ANSWER]
        elif kind == QuestionKind.NUMBER:
            try:
                number = float(str(value).strip())
            except ValueError:
                raise _answer_error(label, _("enter a number.")) from None
            if number != number or abs(number) > 1e9:  # NaN or absurd
                raise _answer_error(label, _("enter a number."))
            answers[key] = int(number) if number.is_integer() else number
        elif kind == QuestionKind.SINGLE:
            if isinstance(value, list):
                value = value[0] if len(value) == 1 else ""
            if str(value) not in q["choices"]:
                raise _answer_error(label, _("choose one of the options."))
            answers[key] = str(value)
        elif kind == QuestionKind.MULTIPLE:
            values = value if isinstance(value, list) else [value]
            picked = [str(v) for v in values]
            if any(v not in q["choices"] for v in picked):
                raise _answer_error(label, _("choose from the options."))
            answers[key] = [c for c in q["choices"] if c in picked]
        elif kind == QuestionKind.DATE:
            try:
                answers[key] = dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
            except ValueError:
                raise _answer_error(label, _("enter a date like 2026-03-01.")) from None
    return answers
