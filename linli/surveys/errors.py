"""Error codes of surveys (API contract: docs/api-errors.md). Generic meanings use
`CoreError` (REQUIRED, INVALID_CHOICE, INVALID_NUMBER, INVALID_DATE, TOO_LONG)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class SurveysError(ErrorCodes):
    NOT_OPEN = "survey_not_open", _("The survey is not open for answers today.")
    ALREADY_ANSWERED = "survey_already_answered", _("This survey has been answered already.")
    NOT_TARGETED = "survey_not_targeted", _("The survey is not aimed at this resident.")
    ANONYMOUS_IDENTITY = (
        "survey_anonymous_identity",
        _("An anonymous survey's answer may not carry who gave it."),
    )
    BAD_QUESTIONS = "survey_bad_questions", _("The questions cannot be read (see the message).")
