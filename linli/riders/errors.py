"""Error codes of the workers' station (API contract: docs/api-errors.md). Generic meanings
use `CoreError`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class RidersError(ErrorCodes):
    WORKER_REGISTERED = "worker_registered", _("The worker is registered at the station already.")
    MEAL_RECORDED = "meal_recorded", _("The worker's meal at this sitting is recorded already.")
    CHILD_ENROLLED = "child_enrolled", _("The child is enrolled in the class already.")
