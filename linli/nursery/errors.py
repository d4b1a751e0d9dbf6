"""Error codes of the day-care (API contract: docs/api-errors.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class NurseryError(ErrorCodes):
    CONSENT_REQUIRED = "consent_required", _("A guardian's consent must be recorded first.")
    AGE_OUT_OF_BAND = "age_out_of_band", _("The child's age does not fit the class's band.")
    ALREADY_ENROLLED = "already_enrolled", _("The child is enrolled or waiting already.")
    HEALTH_CHECK_REQUIRED = (
        "health_check_required",
        _("A passed health check is needed before admission."),
    )
    CLASS_TOO_LARGE = "class_too_large", _("A class may not exceed its band's limit.")
    PICKUP_REFUSED = "pickup_refused", _("The person is not on the child's pickup list.")
    NOT_PRESENT = "not_present", _("The child has not been checked in today.")
