"""Error codes of the cockpit (API contract: docs/api-errors.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class CockpitError(ErrorCodes):
    FUTURE_MONTH = "future_month", _("A report can only be made for a month that has begun.")
