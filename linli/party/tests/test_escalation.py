"""Community 110's escalation chain resolves through the Party tree."""

from __future__ import annotations

from linli.core.escalation import (
    COMMUNITY_SECRETARY,
    GRID_BRANCH_SECRETARY,
    EscalationContact,
    escalation_chain,
)
from linli.party.escalation import party_escalation_chain


def test_the_chain_is_the_grid_branch_secretary_then_the_community_secretary(world, party):
    world.community.service_phone = "0514-87654110"
    world.community.save()
    chain = escalation_chain(world.community.pk, world.grid_b.pk)
    assert chain == [
        # A resident without a staff account: the community's number, no account.
        EscalationContact(GRID_BRANCH_SECRETARY, "王建国", "0514-87654110", None),
        # The community secretary has a staff account: its work phone, and it can be assigned.
        EscalationContact(COMMUNITY_SECRETARY, "钱多多", "0514-80000001", party.secretary_user.pk),
    ]


def test_without_a_grid_only_the_community_secretary_is_given(world, party):
    assert [c.level for c in party_escalation_chain(world.community.pk, None)] == [
        COMMUNITY_SECRETARY
    ]


def test_an_ended_office_is_not_escalated_to(world, party):
    party.branch_a.offices.update(ended_on="2024-01-01")
    chain = party_escalation_chain(world.community.pk, world.grid_a.pk)
    assert [c.level for c in chain] == [COMMUNITY_SECRETARY]


def test_a_community_without_a_tree_yields_nobody(world, party):
    assert party_escalation_chain(world.other_community.pk, None) == []
