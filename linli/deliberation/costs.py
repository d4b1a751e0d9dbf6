"""Sharing an elevator's cost among a staircase's households, exact to the fen.

weight(household) = floor coefficient (data, per rule set) × registered exclusive area.
share(household) = amount × weight / Σ weight, in fen. Rounding rule (largest remainder, the
Hamilton method): every share is first rounded DOWN to the fen; the fen left over (fewer than
the number of households) go one each to the households with the largest remainders; equal
remainders go to the higher floor first, then to the lower room number. So the shares always
sum exactly to the amount, and the same input always gives the same split.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


class SplitError(ValueError):
    """The amount cannot be split (nothing to weigh it by, a negative amount)."""


@dataclass(frozen=True)
class Payer:
    key: str  # household id or flat
    floor: int
    area: Decimal
    room: str = ""


def coefficient(coefficients: Mapping[str, str | int | float], floor: int) -> Decimal:
    """The floor's coefficient: the entry for the floor, else the entry "default", else 0.
    Entries may be written as ranges, e.g. {"1-2": "0", "3": "0.6", "7+": "1.6"}."""
    if str(floor) in coefficients:
        return Decimal(str(coefficients[str(floor)]))
    for key, value in coefficients.items():
        if "-" in key:
            lo, _, hi = key.partition("-")
            if lo.isdigit() and hi.isdigit() and int(lo) <= floor <= int(hi):
                return Decimal(str(value))
        elif key.endswith("+") and key[:-1].isdigit() and floor >= int(key[:-1]):
            return Decimal(str(value))
    return Decimal(str(coefficients.get("default", 0)))


def split(
    amount_fen: int, payers: Sequence[Payer], coefficients: Mapping[str, str | int | float]
) -> dict[str, int]:
    """Split `amount_fen` by coefficient × area with largest-remainder rounding (see above)."""
    if amount_fen < 0:
        raise SplitError("the amount is negative")
    weights = {p.key: Fraction(coefficient(coefficients, p.floor) * p.area) for p in payers}
    if any(w < 0 for w in weights.values()):
        raise SplitError("a coefficient or area is negative")
    total = sum(weights.values(), Fraction(0))
    if amount_fen == 0:
        return {p.key: 0 for p in payers}
    if total == 0:
        raise SplitError("no household carries any weight, so the cost cannot be shared")
    exact = {k: amount_fen * w / total for k, w in weights.items()}
    shares = {k: int(v) for k, v in exact.items()}  # floor: every value is >= 0
    left = amount_fen - sum(shares.values())
    order = sorted(
        payers,
        key=lambda p: (-(exact[p.key] - shares[p.key]), -p.floor, _room_key(p.room), p.key),
    )
    for p in order[:left]:
        shares[p.key] += 1
    assert sum(shares.values()) == amount_fen
    return shares


def _room_key(room: str) -> tuple[int, str]:
    digits = "".join(ch for ch in room if ch.isdigit())
    return (int(digits) if digits else 0, room)


def subsidy_for(subsidies: Sequence[Sequence[int]], floors: int) -> int:
    """The subsidy in yuan for a building of `floors` storeys: rows [min_floors, yuan], the
    highest min_floors not above `floors` wins (e.g. [[5, 160000], [6, 180000], [7, 200000]])."""
    best = 0
    best_floor = -1
    for row in subsidies:
        min_floors, yuan = int(row[0]), int(row[1])
        if min_floors <= floors and min_floors > best_floor:
            best, best_floor = yuan, min_floors
    return best


def yuan(fen: int) -> str:
    """Fen as a yuan string with two places (no float on the way)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"
