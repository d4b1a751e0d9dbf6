"""The request desk's own error codes (the generic ones are `linli.core.errors.CoreError`:
`required`, `too_long`, `invalid_choice`, `invalid_number`, `invalid_date`, `invalid_file`,
`invalid_transition`, `conflict`, ...). Published in docs/api-errors.md."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class HotlineError(ErrorCodes):
    ALREADY_ACCEPTED = (
        "already_accepted",
        _("Another worker accepted the request first (the message names who)."),
    )
    UNKNOWN_CATEGORY = (
        "unknown_category",
        _("The community has no active request category with this code."),
    )
    INVALID_ANSWER = "invalid_answer", _("An answer to a category's question is not valid.")
    INVALID_QUESTIONS = "invalid_questions", _("A category's list of questions is not valid.")
    INVALID_ASSIGNEE = (
        "invalid_assignee",
        _("The person cannot take the request (outside their scope, or already theirs)."),
    )
    INVALID_MERGE = (
        "invalid_merge",
        _("A request merges only into another one of its community still being worked."),
    )
    REOPEN_WINDOW_PASSED = (
        "reopen_window_passed",
        _("The request was resolved too long ago to be reopened; file a new one."),
    )
    RESIDENT_ONLY = (
        "resident_only",
        _("Only the resident may do this (staff record a phoned-in verdict instead)."),
    )
    NOT_PUBLISHABLE = (
        "not_publishable",
        _("Only the resident's own channels (portal, Open311) may publish a description."),
    )
