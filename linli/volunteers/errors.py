"""Error codes of volunteering and the points store (API contract: docs/api-errors.md). Generic
meanings (a missing value, a bad number or date, a refused transition) use `CoreError`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class VolunteersError(ErrorCodes):
    NAME_TAKEN = "name_taken", _("An organisation, team or store item of this name exists.")
    ALREADY_VOLUNTEER = "already_volunteer", _("The person is already a registered volunteer.")
    SIGNUP_CLOSED = "signup_closed", _("Sign-up for the activity is closed.")
    NOT_A_VOLUNTEER = "not_a_volunteer", _("The activity is for registered volunteers only.")
    VOLUNTEER_INACTIVE = "volunteer_inactive", _("The volunteer's registration is not active.")
    ALREADY_SIGNED_UP = "already_signed_up", _("The volunteer has signed up already.")
    NOT_SIGNED_UP = "not_signed_up", _("The volunteer has not signed up for the activity.")
    INSUFFICIENT_POINTS = "insufficient_points", _("The points balance does not cover it.")
    POINTS_ALREADY_PAID = "points_already_paid", _("This source has paid its points already.")
    REDEMPTION_LIMIT = "redemption_limit", _("One person may redeem no more of this item.")
    OUT_OF_STOCK = "out_of_stock", _("The store item is out of stock.")
