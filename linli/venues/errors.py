"""Error codes of venues, bookings, kits and convenience services (API contract:
docs/api-errors.md). Generic meanings (a bad date, a refused transition) use `CoreError`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class VenuesError(ErrorCodes):
    SLOT_TAKEN = "slot_taken", _("Another booking holds part of this time on the venue.")
    OFF_GRID = "off_grid", _("A booking must start and end on the venue's time grid.")
    OUTSIDE_HOURS = "outside_hours", _("The time lies outside the venue's opening hours.")
    CLOSED = "venue_closed", _("The venue is closed on that day.")
    OVER_CAPACITY = "over_capacity", _("More people than the venue holds.")
    NOT_BOOKABLE = "not_bookable", _("The venue does not take bookings from you.")
    IN_THE_PAST = "in_the_past", _("The time has already passed.")
    SERIES_CONFLICTS = "series_conflicts", _("Some dates of a recurring booking are not free.")
    OUT_OF_KIT_STOCK = "out_of_kit_stock", _("The kit has not enough of the item left.")
    DUPLICATE_NAME = "duplicate_name", _("Another one of the community already has this name.")
    NOT_YOURS = "not_yours", _("Only the person it concerns may do this.")
