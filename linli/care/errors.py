"""Error codes of elderly care (API contract: docs/api-errors.md). Generic meanings (a missing
value, a bad number or date, a refused transition) use `CoreError`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class CareError(ErrorCodes):
    ITEM_MISSING = "item_missing", _("An assessment item has no answer (the item is named).")
    ITEM_OUT_OF_RANGE = (
        "item_out_of_range",
        _("An assessment item's answer is not one of its points (the item is named)."),
    )
    NOT_AN_ELDER = "not_an_elder", _("The person is not in the elders register or has left it.")
    CHECKOUT_BEFORE_CHECKIN = (
        "checkout_before_checkin",
        _("A visit cannot end before it started."),
    )
    BED_OCCUPIED = "bed_occupied", _("The bed is held by another elder.")
    ALREADY_ADMITTED = "already_admitted", _("The elder already holds a bed.")
    CENTRE_FULL = "centre_full", _("The day-care centre is full that day.")
    ALREADY_ATTENDING = "already_attending", _("The elder's attendance that day is recorded.")
    ALREADY_RATED = "already_rated", _("The visit has been rated already.")
    ALREADY_WAITING = "already_waiting", _("The elder is on the waiting list already.")
