"""The Party organisation's own error codes (the generic ones are `linli.core.errors.CoreError`:
`required`, `too_long`, `invalid_choice`, `invalid_date`, `invalid_transition`, `not_found`,
`conflict`, ...). Published in docs/api-errors.md."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.errors import ErrorCodes


class PartyError(ErrorCodes):
    ORGANISATION_EXISTS = (
        "organisation_exists",
        _("The community, grid or building already has such a Party organisation."),
    )
    INVALID_PARENT = (
        "invalid_parent",
        _("The organisation cannot hang under this parent in the Party tree."),
    )
    MEMBER_EXISTS = "member_exists", _("The resident is already recorded as a Party member.")
    MEMBER_NOT_ACTIVE = (
        "member_not_active",
        _("Only an active member of the community can hold an office or be named."),
    )
    RESIDENT_ELSEWHERE = (
        "resident_elsewhere",
        _("The resident does not live in the organisation's community."),
    )
    ALREADY_IN_ORGANISATION = (
        "already_in_organisation",
        _("The member already belongs to the organisation chosen."),
    )
    UNKNOWN_MEMBER = (
        "unknown_member",
        _("A member named for an activity is not an active member of the community."),
    )
    OFFICE_TAKEN = (
        "office_taken",
        _("The office is held; end the current holder's office first."),
    )
    OFFICE_ENDED = "office_ended", _("The office has already ended.")
    ACTION_MARK_SECRETARY_ONLY = (
        "action_mark_secretary_only",
        _("Only a secretary can be marked as action branch secretary."),
    )
    HOST_NOT_RESIDENT = (
        "host_not_resident",
        _("A central household is the home of an active member who lives in the community."),
    )
    CENTRAL_HOUSEHOLD_EXISTS = (
        "central_household_exists",
        _("The home, its household or its host is already part of a central household."),
    )
    CENTRAL_HOUSEHOLD_CLOSED = (
        "central_household_closed",
        _("The central household has been closed."),
    )
    HOUSEHOLD_ALREADY_LINKED = (
        "household_already_linked",
        _("The household is looked after by another central household (the message names it)."),
    )
    MEMBER_ALREADY_LINKED = (
        "member_already_linked",
        _("The member serves with another central household (the message names it)."),
    )
    HOST_LINK = "host_link", _("The host always serves with their own central household.")
