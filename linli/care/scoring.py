"""Scoring of an ability assessment after GB/T 42195-2022, driven entirely by the standard's
data (`AssessmentItem`, `LevelBand`, `LevelAdjustment` rows): the code knows only how to add
points up, find the band and apply an adjustment; the numbers live in the tables.

`score(form, answers, dementia=, risk_events=)` is pure: it takes the loaded `Form` so that
tests can score hand-worked forms without the database and a page scores with three queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from linli.care.errors import CareError
from linli.core.errors import DomainError


@dataclass(frozen=True)
class Item:
    code: str
    dimension: str
    dimension_name: str
    number: int
    name: str
    points: tuple[int, ...]


@dataclass(frozen=True)
class Band:
    level: str
    rank: int
    min_total: int
    max_total: int


@dataclass(frozen=True)
class Adjustment:
    code: str
    condition: str
    subject: str
    value: int
    effect: str
    target: str
    description: str


@dataclass(frozen=True)
class Form:
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    adjustments: tuple[Adjustment, ...]

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if band.min_total <= total <= band.max_total:
                return band
        raise LookupError(f"no level band holds {total}")

    def by_rank(self, rank: int) -> Band:
        ranks = sorted(self.bands, key=lambda b: b.rank)
        return ranks[max(0, min(rank, len(ranks) - 1))]

    def by_level(self, level: str) -> Band:
        return next(b for b in self.bands if b.level == level)


@dataclass(frozen=True)
class Result:
    answers: dict[str, int]
    dimension_totals: dict[str, int]
    total: int
    base_level: str
    level: str
    adjustments: list[str] = field(default_factory=list)


def load_form() -> Form:
    """The standard as stored (three queries)."""
    from linli.care.models import AssessmentItem, LevelAdjustment, LevelBand

    items = tuple(
        Item(
            code=i.code,
            dimension=i.dimension,
            dimension_name=i.dimension_name,
            number=i.number,
            name=i.name,
            points=tuple(int(o["points"]) for o in i.options),
        )
        for i in AssessmentItem.objects.order_by("number")
    )
    bands = tuple(
        Band(level=b.level, rank=b.rank, min_total=b.min_total, max_total=b.max_total)
        for b in LevelBand.objects.order_by("rank")
    )
    adjustments = tuple(
        Adjustment(
            code=a.code,
            condition=a.condition,
            subject=a.subject,
            value=a.value,
            effect=a.effect,
            target=a.target,
            description=a.description,
        )
        for a in LevelAdjustment.objects.order_by("order")
    )
    return Form(items=items, bands=bands, adjustments=adjustments)


def _points(item: Item, raw: Any) -> int:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise DomainError(
            _("Item %(number)d “%(name)s” has no answer.")
            % {"number": item.number, "name": item.name},
            code=CareError.ITEM_MISSING,
            field=item.code,
        )
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        value = -1
    if value not in item.points or isinstance(raw, bool):
        raise DomainError(
            _("Item %(number)d “%(name)s”: %(value)s is not one of its points (%(allowed)s).")
            % {
                "number": item.number,
                "name": item.name,
                "value": str(raw)[:10],
                "allowed": ", ".join(str(p) for p in sorted(item.points)),
            },
            code=CareError.ITEM_OUT_OF_RANGE,
            field=item.code,
        )
    return value


def _applies(adj: Adjustment, answers: Mapping[str, int], flags: Mapping[str, int]) -> bool:
    if adj.condition == "item_at_most":
        return answers.get(adj.subject, adj.value + 1) <= adj.value
    if adj.condition == "flag":
        return bool(flags.get(adj.subject))
    if adj.condition == "count_at_least":
        return flags.get(adj.subject, 0) >= adj.value
    return False


def score(
    form: Form, answers: Mapping[str, Any], *, dementia: bool = False, risk_events: int = 0
) -> Result:
    """Check every item's answer (missing or out of range: refused, naming the item), add the
    points up by dimension, find the band, then adjust: a "set" adjustment decides the level
    outright; "worsen" adjustments are alternatives (the standard: any one of them raises the
    level by one grade), applied once."""
    clean = {item.code: _points(item, answers.get(item.code)) for item in form.items}
    unknown = set(answers) - set(clean)
    if unknown:
        raise DomainError(
            _("Unknown assessment item: %(code)s") % {"code": sorted(unknown)[0][:40]},
            code=CareError.ITEM_OUT_OF_RANGE,
            field=sorted(unknown)[0][:40],
        )
    dims: dict[str, int] = {}
    for item in form.items:
        dims[item.dimension] = dims.get(item.dimension, 0) + clean[item.code]
    total = sum(clean.values())
    base = form.band_for(total)
    flags = {"dementia": int(dementia), "risk_events": int(risk_events)}
    applied: list[str] = []
    level = base
    for adj in form.adjustments:
        if adj.effect == "set" and _applies(adj, clean, flags):
            return Result(
                clean, dims, total, base.level, form.by_level(adj.target).level, [adj.code]
            )
    worsen = [a for a in form.adjustments if a.effect == "worsen" and _applies(a, clean, flags)]
    if worsen:
        level = form.by_rank(base.rank + 1)
        applied = [a.code for a in worsen]
    return Result(clean, dims, total, base.level, level.level, applied)
