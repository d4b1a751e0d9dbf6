"""The money rules of the doorstep jobs, in one place (docs/jobs.md "Money").

- Amounts are `Decimal`, never floats. A piece rate has at most 4 decimals.
- A ledger entry's amount is exact: pieces × rate (at most 4 decimals, nothing rounded).
- Rounding to the fen happens once: on a statement line (one worker, one firm, one month), of
  the exact sum of that line's entries, half-up. A statement's total is the sum of its lines;
  a firm's settlement for a month is the sum of its lines over all statements.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from linli.core.errors import CoreError, DomainError
from linli.jobs.choices import FEN, RATE_PLACES
from linli.jobs.errors import JobsError

MAX_RATE = Decimal("100000")


def to_fen(exact: Decimal) -> Decimal:
    """Round an exact amount to the fen, half-up (the only rounding there is)."""
    return exact.quantize(FEN, rounding=ROUND_HALF_UP)


def earning(pieces: int, rate: Decimal) -> Decimal:
    """The exact amount of `pieces` at `rate` (no rounding)."""
    return Decimal(pieces) * rate


def clean_rate(value: object) -> Decimal:
    """A piece rate: a positive decimal with at most 4 decimals, else a domain error."""
    try:
        rate = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(
            _("Enter a piece rate in yuan."), code=CoreError.INVALID_NUMBER, field="rate"
        ) from exc
    if not rate.is_finite() or rate <= 0 or rate >= MAX_RATE:
        raise DomainError(
            _("A piece rate is more than 0 and less than 100,000 yuan."),
            code=CoreError.INVALID_NUMBER,
            field="rate",
        )
    exponent = rate.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > RATE_PLACES:
        raise DomainError(
            _("A piece rate has at most 4 decimals (0.0001 yuan)."),
            code=JobsError.RATE_PRECISION,
            field="rate",
        )
    return rate
