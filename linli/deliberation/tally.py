"""The tally engine: one pure function decides every vote, the live ones and the calculator API.

Rules (docs/deliberation.md cites them):

- **Civil Code art. 278**: a joint decision needs owners holding at least 2/3 of the exclusive
  area AND at least 2/3 of the owners by number to take part. A major matter (maintenance fund,
  renovation and rebuilding — an elevator retrofit —, changing the use of common parts) needs at
  least 3/4 of the participating area AND at least 3/4 of the participating owners to agree; any
  other matter more than 1/2 of both. "以上" includes the boundary (>=); "过半数" does not (>).
- **Heads** (SPC interpretation on building ownership, art. 9): one exclusive unit is one owner;
  several units of one owner are ONE head whose areas add up; co-owners of one flat are one head.
  The engine therefore works on *heads* (`Voter`): a head's area is the sum of his flats' areas,
  and one head casts one ballot for all his flats (`voters_from_flats` folds flats into heads).
- An abstention takes part and does not agree; "unreachable" (or no ballot) does not take part.
- "unanimous": every head of the electorate agrees (so every head takes part).

Arithmetic is exact: areas are `Decimal` with two places, thresholds are fractions compared by
cross-multiplication (`part * den >= whole * num`), so 2/3 of 300.00 m² is met by exactly 200.00.
An empty electorate never passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

AGREE = "agree"
OBJECT = "object"
ABSTAIN = "abstain"
UNREACHABLE = "unreachable"
CHOICES = (AGREE, OBJECT, ABSTAIN, UNREACHABLE)
PARTICIPATING = frozenset({AGREE, OBJECT, ABSTAIN})

MAJOR = "major"
ORDINARY = "ordinary"
UNANIMOUS = "unanimous"
RULES = (MAJOR, ORDINARY, UNANIMOUS)

CENT = Decimal("0.01")


class TallyInputError(ValueError):
    """The input cannot be tallied (an unknown rule or choice, a negative area, a ballot for a
    flat outside the electorate, two different ballots from one head). `field` names the part."""

    def __init__(self, message: str, *, field: str = "", code: str = "invalid") -> None:
        super().__init__(message)
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Threshold:
    """`part / whole` must reach `fraction`: inclusive (以上, >=) or strict (过半数, >)."""

    fraction: Fraction
    inclusive: bool

    def met(self, part: Decimal | int, whole: Decimal | int) -> bool:
        if whole <= 0:
            return False
        lhs = Decimal(part) * self.fraction.denominator
        rhs = Decimal(whole) * self.fraction.numerator
        return lhs >= rhs if self.inclusive else lhs > rhs

    def label(self) -> str:
        sign = "≥" if self.inclusive else ">"
        return f"{sign} {self.fraction.numerator}/{self.fraction.denominator}"


@dataclass(frozen=True)
class Rule:
    """A decision rule: participation of the electorate, approval of the participants."""

    code: str
    participation: Threshold
    approval: Threshold
    unanimous: bool = False


TWO_THIRDS = Threshold(Fraction(2, 3), inclusive=True)
STANDARD_RULES: dict[str, Rule] = {
    MAJOR: Rule(MAJOR, TWO_THIRDS, Threshold(Fraction(3, 4), inclusive=True)),
    ORDINARY: Rule(ORDINARY, TWO_THIRDS, Threshold(Fraction(1, 2), inclusive=False)),
    UNANIMOUS: Rule(
        UNANIMOUS, Threshold(Fraction(1), inclusive=True), Threshold(Fraction(1), True), True
    ),
}


def rule_for(code: str) -> Rule:
    try:
        return STANDARD_RULES[code]
    except KeyError:
        raise TallyInputError(
            f"unknown rule {code!r}", field="rule", code="invalid_choice"
        ) from None


@dataclass(frozen=True)
class Voter:
    """One head: his key, the summed exclusive area of his flats, and his ballot."""

    key: str
    area: Decimal
    ballot: str = UNREACHABLE


@dataclass(frozen=True)
class Counts:
    """What a tally needs, however it was counted (in Python or by the database)."""

    total_area: Decimal
    total_owners: int
    participating_area: Decimal
    participating_owners: int
    agreeing_area: Decimal
    agreeing_owners: int


@dataclass(frozen=True)
class Tally:
    rule: str
    counts: Counts
    participation_area_ok: bool
    participation_owners_ok: bool
    approval_area_ok: bool
    approval_owners_ok: bool

    @property
    def participation_ok(self) -> bool:
        return self.participation_area_ok and self.participation_owners_ok

    @property
    def approval_ok(self) -> bool:
        return self.approval_area_ok and self.approval_owners_ok

    @property
    def passed(self) -> bool:
        return self.participation_ok and self.approval_ok

    def as_dict(self) -> dict[str, Any]:
        c = self.counts
        return {
            "total_area": _area(c.total_area),
            "total_owners": c.total_owners,
            "participating_area": _area(c.participating_area),
            "participating_owners": c.participating_owners,
            "agreeing_area": _area(c.agreeing_area),
            "agreeing_owners": c.agreeing_owners,
            "participation_ok": self.participation_ok,
            "approval_ok": self.approval_ok,
            "passed": self.passed,
        }


def _area(value: Decimal) -> str:
    return str(value.quantize(CENT))


def count(voters: Iterable[Voter]) -> Counts:
    """Count heads and areas (the brute-force way: every head once)."""
    total_area = part_area = agree_area = Decimal(0)
    total = part = agree = 0
    for v in voters:
        if v.ballot not in CHOICES:
            raise TallyInputError(f"unknown ballot {v.ballot!r}", field="ballots")
        total += 1
        total_area += v.area
        if v.ballot in PARTICIPATING:
            part += 1
            part_area += v.area
            if v.ballot == AGREE:
                agree += 1
                agree_area += v.area
    return Counts(total_area, total, part_area, part, agree_area, agree)


def decide(rule: Rule, c: Counts) -> Tally:
    """Apply `rule` to counted figures. This is the one place thresholds are compared."""
    if rule.unanimous:
        everyone = c.total_owners > 0 and c.agreeing_owners == c.total_owners
        took_part = c.total_owners > 0 and c.participating_owners == c.total_owners
        return Tally(rule.code, c, took_part, took_part, everyone, everyone)
    return Tally(
        rule.code,
        c,
        rule.participation.met(c.participating_area, c.total_area),
        rule.participation.met(c.participating_owners, c.total_owners),
        rule.approval.met(c.agreeing_area, c.participating_area),
        rule.approval.met(c.agreeing_owners, c.participating_owners),
    )


def tally(rule: Rule | str, voters: Iterable[Voter]) -> Tally:
    """The pure tally of heads: `decide(rule, count(voters))`."""
    return decide(rule_for(rule) if isinstance(rule, str) else rule, count(voters))


@dataclass(frozen=True)
class Flat:
    flat: str
    area: Decimal
    owner: str


def parse_area(value: Any, *, field: str = "area") -> Decimal:
    """A registered exclusive area: a non-negative decimal with at most two places."""
    try:
        area = Decimal(str(value))
    except Exception:
        raise TallyInputError(
            f"{value!r} is not an area", field=field, code="invalid_number"
        ) from None
    if not area.is_finite() or area < 0 or area != area.quantize(CENT) or area >= Decimal(10**7):
        raise TallyInputError(f"{value!r} is not an area", field=field, code="invalid_number")
    return area.quantize(CENT)


def voters_from_flats(flats: Iterable[Flat], ballots: Mapping[str, str]) -> list[Voter]:
    """Fold flats into heads (SPC art. 9) and give each head his ballot.

    Flats with the same `owner` are one head with their areas summed (an owner of several
    units; co-owners of one flat share one owner key). A head's ballot is the ballot given for
    any of his flats; two different ballots for one head's flats are refused (one head, one
    ballot). A ballot for a flat outside the electorate is refused; a head without a ballot did
    not take part.
    """
    heads: dict[str, list[Any]] = {}
    owner_of: dict[str, str] = {}
    for f in flats:
        if f.flat in owner_of:
            raise TallyInputError(f"flat {f.flat!r} is listed twice", field="electorate")
        owner_of[f.flat] = f.owner
        head = heads.setdefault(f.owner, [Decimal(0), None])
        head[0] += f.area
    for flat, ballot in ballots.items():
        if flat not in owner_of:
            raise TallyInputError(
                f"flat {flat!r} is not in the electorate", field="ballots", code="not_in_electorate"
            )
        if ballot not in CHOICES:
            raise TallyInputError(
                f"unknown ballot {ballot!r}", field="ballots", code="invalid_choice"
            )
        head = heads[owner_of[flat]]
        if head[1] is not None and head[1] != ballot:
            raise TallyInputError(
                f"owner {owner_of[flat]!r} has two different ballots",
                field="ballots",
                code="second_ballot",
            )
        head[1] = ballot
    return [Voter(key, area, ballot or UNREACHABLE) for key, (area, ballot) in heads.items()]


def tally_flats(rule: str, flats: Iterable[Flat], ballots: Mapping[str, str]) -> Tally:
    """The calculator: flats with owners and per-flat ballots, through the same engine."""
    return tally(rule_for(rule), voters_from_flats(flats, ballots))


def what_if(rule: Rule, voters: Iterable[Voter], objecting: Iterable[str]) -> Tally:
    """Would it still pass if these heads objected (whatever they chose)?"""
    keys = set(objecting)
    return tally(rule, [Voter(v.key, v.area, OBJECT) if v.key in keys else v for v in voters])
