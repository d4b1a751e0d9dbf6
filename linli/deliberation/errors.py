"""Deliberation's own error codes (generic ones are `linli.core.errors.CoreError`).
Published in docs/api-errors.md."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class DeliberationError(ErrorCodes):
    NOT_IN_ELECTORATE = (
        "not_in_electorate",
        _("The ballot's owner or flat is not in the vote's electorate."),
    )
    SECOND_BALLOT = (
        "second_ballot",
        _("This owner (head) already has a ballot; change it instead of casting another."),
    )
    VOTE_CLOSED = "vote_closed", _("The vote is closed or its deadline has passed.")
    AUTHORISATION_REQUIRED = (
        "authorisation_required",
        _("A proxy ballot needs the proxy's name and the written authorisation."),
    )
    THRESHOLD_NOT_MET = (
        "threshold_not_met",
        _("The consent thresholds (and the staircase's unanimity where required) do not hold."),
    )
    STAGE_GATED = (
        "stage_gated",
        _("The project cannot enter this stage yet (the message says what is missing)."),
    )
    SPLIT_IMPOSSIBLE = (
        "split_impossible",
        _("The cost cannot be split so that the shares sum exactly to it."),
    )
    NOTICE_NOT_OPEN = "notice_not_open", _("The notice is not published or its period is over.")
