"""Error codes of the training base (API contract: docs/api-errors.md). Generic meanings (a
missing value, a bad number or date, a refused transition) use `CoreError`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class TrainingError(ErrorCodes):
    LECTURER_BUSY = "lecturer_busy", _("The lecturer teaches another session at that time.")
    ROOM_BUSY = "room_busy", _("The classroom holds another session at that time.")
    NOT_ENOUGH_BEDS = "not_enough_beds", _("Fewer beds are free for those nights than asked.")
    CLASS_CLOSED = "class_closed", _("The class is completed or cancelled; it cannot change.")
    NAME_TAKEN = "name_taken", _("A category, course or lecturer of this name exists.")
