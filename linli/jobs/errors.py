"""Error codes of the doorstep jobs (API contract: docs/api-errors.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class JobsError(ErrorCodes):
    NOT_ENOUGH_LEFT = "not_enough_left", _("The order has fewer pieces left than asked for.")
    MORE_THAN_OUT = "more_than_out", _("More pieces returned than the batch has out.")
    RATE_PRECISION = "rate_precision", _("A piece rate has at most 4 decimals.")
    DEFECT_REASON_REQUIRED = (
        "defect_reason_required",
        _("Rejected or reworked pieces need a defect reason."),
    )
    MONTH_CLOSED = "month_closed", _("The month's statement is issued; post it in an open month.")
    MONTH_NOT_OVER = "month_not_over", _("Statements are issued once the month is over.")
    ALREADY_WORKER = "already_worker", _("The resident is a worker already.")
    NOT_PARTY_MEMBER = "not_party_member", _("A team lead must be a Party member.")
