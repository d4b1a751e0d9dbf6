"""The Party tree as Community 110's escalation chain (`linli.core.escalation`).

Above the grid worker a request goes to the grid branch secretary of the household's grid,
then to the community Party secretary. A secretary with a Linli staff account is given with
that account (so the desk can assign the request) and its work phone; one without an account
is given by name with the community's Community 110 number, never a phone from the registry.
"""

from __future__ import annotations

from linli.core.escalation import COMMUNITY_SECRETARY, GRID_BRANCH_SECRETARY, EscalationContact
from linli.party.choices import OfficeRole, OrgKind
from linli.party.models import Office
from linli.registry.models import Community


def _contact(level: str, office: Office, service_phone: str) -> EscalationContact:
    account = office.member.account
    return EscalationContact(
        level=level,
        name=office.member.display_name,
        phone=(account.work_phone if account is not None else "") or service_phone,
        user_id=account.pk if account is not None else None,
    )


def party_escalation_chain(community_id: int, grid_id: int | None) -> list[EscalationContact]:
    """The grid branch secretary (when the grid is known and its branch has one) and the
    community secretary, in that order; empty when the tree knows nobody (two queries)."""
    offices = list(
        Office.objects.filter(
            organisation__community_id=community_id,
            role=OfficeRole.SECRETARY,
            ended_on__isnull=True,
            organisation__kind__in=[OrgKind.GRID_BRANCH, OrgKind.COMMITTEE],
        )
        .select_related("organisation", "member__resident", "member__account")
        .order_by("id")
    )
    if not offices:
        return []
    service_phone = (
        Community.objects.filter(pk=community_id).values_list("service_phone", flat=True).first()
        or ""
    )
    chain: list[EscalationContact] = []
    branch = next(
        (
            o
            for o in offices
            if o.organisation.kind == OrgKind.GRID_BRANCH
            and grid_id is not None
            and o.organisation.grid_id == grid_id
        ),
        None,
    )
    if branch is not None:
        chain.append(_contact(GRID_BRANCH_SECRETARY, branch, service_phone))
    committee = next((o for o in offices if o.organisation.kind == OrgKind.COMMITTEE), None)
    if committee is not None:
        chain.append(_contact(COMMUNITY_SECRETARY, committee, service_phone))
    return chain
