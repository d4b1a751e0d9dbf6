"""Writes to the Party organisation: members, transfers, offices, the 三带 links and
organisational life. Every change leaves an audit row; refused changes leave nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.dates import local_today
from linli.core.errors import Conflict, CoreError, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.party import services
from linli.party.choices import (
    RELATION_MACHINE,
    STANDING_MACHINE,
    AttendanceStatus,
    OfficeRole,
    OrgKind,
    Relation,
    RelationTransition,
    Standing,
)
from linli.party.models import (
    Attendance,
    HouseholdLink,
    Member,
    MemberLink,
    Office,
    Organisation,
    Transfer,
)


@pytest.fixture
def org_actor(organiser, actor_of):
    return actor_of(organiser)


def test_an_organiser_records_a_resident_as_a_member(world, party, org_actor):
    member = services.member_create(
        actor=org_actor,
        organisation_id=party.branch_a.pk,
        resident_public_id=world.resident_a1_child.public_id,
        joined_on=dt.date(2015, 7, 1),
        standing=Standing.PROBATIONARY,
    )
    assert member.display_name == "张小明"
    assert member.name == ""  # the name stays on the resident record only
    event = AuditEvent.objects.get(action="create", object_id=str(member.public_id))
    assert event.after["name"] == "张小明"


def test_a_member_who_does_not_live_here_is_recorded_by_name_with_a_note(party, org_actor):
    member = services.member_create(
        actor=org_actor,
        organisation_id=party.themed.pk,
        name="吴远",
        non_resident_note="组织关系挂靠",
        joined_on=dt.date(1999, 7, 1),
    )
    assert member.resident is None and member.display_name == "吴远"


def test_a_resident_is_a_member_only_once(world, party, org_actor):
    with pytest.raises(Conflict) as caught:
        services.member_create(
            actor=org_actor,
            organisation_id=party.branch_b.pk,
            resident_public_id=world.resident_a1.public_id,
            joined_on=dt.date(2015, 7, 1),
        )
    assert caught.value.code == "member_exists"


def test_a_resident_of_another_community_cannot_join_here(world, party, other_admin, actor_of):
    with pytest.raises(NotFound):
        services.member_create(
            actor=actor_of(other_admin),
            organisation_id=party.branch_a.pk,
            resident_public_id=world.other_resident.public_id,
            joined_on=dt.date(2015, 7, 1),
        )


def test_grid_workers_and_viewers_cannot_change_the_organisation(
    world, party, worker_a, viewer, actor_of
):
    for user in (worker_a, viewer):
        with pytest.raises(NotFound):
            services.member_create(
                actor=actor_of(user),
                organisation_id=party.branch_a.pk,
                name="某人",
                joined_on=dt.date(2015, 7, 1),
            )


def test_a_probationary_member_is_confirmed_once(party, org_actor):
    services.member_confirm_full(actor=org_actor, member_public_id=party.m_a2.public_id)
    party.m_a2.refresh_from_db()
    assert party.m_a2.standing == Standing.FULL
    with pytest.raises(DomainError) as caught:
        services.member_confirm_full(actor=org_actor, member_public_id=party.m_a2.public_id)
    assert caught.value.code == "invalid_transition"
    assert AuditEvent.objects.filter(object_id=str(party.m_a2.public_id)).count() == 1


def test_invalid_moves_of_standing_and_relation_are_clear_domain_errors(party, org_actor):
    with pytest.raises(DomainError) as caught:
        services.member_confirm_full(actor=org_actor, member_public_id=party.m_a1.public_id)
    assert caught.value.code == CoreError.INVALID_TRANSITION
    assert "Full member" in caught.value.message or "正式党员" in caught.value.message
    with pytest.raises(DomainError) as caught:
        services.member_transfer_in(
            actor=org_actor,
            organisation_id=party.branch_a.pk,
            external="x",
            member_public_id=party.m_a1.public_id,
        )
    assert caught.value.code == CoreError.INVALID_TRANSITION
    services.member_transfer_out(
        actor=org_actor, member_public_id=party.m_b1.public_id, external="江都区党委"
    )
    with pytest.raises(DomainError) as caught:
        services.member_transfer_out(
            actor=org_actor, member_public_id=party.m_b1.public_id, external="x"
        )
    assert caught.value.code == CoreError.INVALID_TRANSITION
    assert Transfer.objects.filter(member=party.m_b1).count() == 1


def test_the_services_move_members_through_the_machines_in_choices(party, org_actor, monkeypatch):
    """The machines in choices.py are the rule, not documentation: forbid a move there and
    the service refuses it."""
    monkeypatch.setitem(STANDING_MACHINE.allowed_from, "confirm_full", ())
    with pytest.raises(DomainError) as caught:
        services.member_confirm_full(actor=org_actor, member_public_id=party.m_a2.public_id)
    assert caught.value.code == CoreError.INVALID_TRANSITION
    party.m_a2.refresh_from_db()
    assert party.m_a2.standing == Standing.PROBATIONARY
    assert RELATION_MACHINE.available(Relation.ACTIVE) == [RelationTransition.TRANSFER_OUT]


def test_the_loser_of_two_confirmations_is_told_who_won(party, org_actor, monkeypatch):
    stale = Member.objects.get(pk=party.m_a2.pk)
    services.member_confirm_full(actor=org_actor, member_public_id=party.m_a2.public_id)
    # The second request read the member before the first one wrote.
    monkeypatch.setattr(services, "_member", lambda actor, public_id, **kw: stale)
    with pytest.raises(Conflict) as caught:
        services.member_confirm_full(actor=org_actor, member_public_id=party.m_a2.public_id)
    assert "李芳" in caught.value.message
    assert AuditEvent.objects.filter(object_id=str(party.m_a2.public_id)).count() == 1


def test_dates_outside_the_partys_history_or_in_the_future_are_refused(party, org_actor):
    with pytest.raises(DomainError) as caught:
        services.member_create(
            actor=org_actor,
            organisation_id=party.themed.pk,
            name="钱七",
            joined_on=dt.date(1900, 1, 1),
        )
    assert (caught.value.code, caught.value.field) == ("invalid_date", "joined_on")
    # Offices end on the day of a transfer out: it cannot be before one of them began.
    with pytest.raises(DomainError) as caught:
        services.member_transfer_out(
            actor=org_actor,
            member_public_id=party.m_b1.public_id,
            external="x",
            on=dt.date(2019, 12, 31),
        )
    assert (caught.value.code, caught.value.field) == ("invalid_date", "on")
    with pytest.raises(DomainError):
        services.member_move(
            actor=org_actor,
            member_public_id=party.m_b1.public_id,
            organisation_id=party.themed.pk,
            on=local_today() + dt.timedelta(days=30),
        )
    party.m_b1.refresh_from_db()
    assert party.m_b1.relation == Relation.ACTIVE and party.m_b1.organisation == party.branch_b
    assert not Transfer.objects.exists()


def test_transferring_out_ends_offices_and_links_and_keeps_the_history(party, org_actor):
    services.central_link_member(
        actor=org_actor,
        central_public_id=party.central.public_id,
        member_public_id=party.m_b1.public_id,
        on=dt.date(2025, 1, 6),
    )
    services.member_transfer_out(
        actor=org_actor,
        member_public_id=party.m_b1.public_id,
        external="江都区仙女镇党委",
        on=dt.date(2025, 3, 1),
    )
    party.m_b1.refresh_from_db()
    assert party.m_b1.relation == Relation.TRANSFERRED_OUT
    assert not Office.objects.filter(member=party.m_b1, ended_on__isnull=True).exists()
    assert not MemberLink.objects.filter(member=party.m_b1, ended_on__isnull=True).exists()
    transfer = Transfer.objects.get(member=party.m_b1)
    assert (transfer.kind, transfer.external, transfer.from_organisation) == (
        "out",
        "江都区仙女镇党委",
        party.branch_b,
    )
    assert AuditEvent.objects.filter(
        action="move_out", object_id=str(party.m_b1.public_id)
    ).exists()
    with pytest.raises(DomainError):
        services.member_transfer_out(
            actor=org_actor, member_public_id=party.m_b1.public_id, external="x"
        )


def test_a_member_who_left_can_transfer_back_in(party, org_actor):
    services.member_transfer_out(
        actor=org_actor, member_public_id=party.m_b1.public_id, external="甲"
    )
    services.member_transfer_in(
        actor=org_actor,
        organisation_id=party.themed.pk,
        member_public_id=party.m_b1.public_id,
        external="甲",
    )
    party.m_b1.refresh_from_db()
    assert party.m_b1.relation == Relation.ACTIVE and party.m_b1.organisation == party.themed
    assert list(Transfer.objects.filter(member=party.m_b1).values_list("kind", flat=True)) == [
        "out",
        "in",
    ]


def test_a_new_member_can_arrive_by_transfer(world, party, org_actor):
    member = services.member_transfer_in(
        actor=org_actor,
        organisation_id=party.branch_a.pk,
        resident_public_id=world.resident_a1_child.public_id,
        joined_on=dt.date(2012, 7, 1),
        external="扬州大学机关党委",
    )
    assert Transfer.objects.get(member=member).to_organisation == party.branch_a


def test_moving_between_organisations_is_recorded(party, org_actor):
    services.member_move(
        actor=org_actor, member_public_id=party.m_a2.public_id, organisation_id=party.themed.pk
    )
    transfer = Transfer.objects.get(member=party.m_a2)
    assert (transfer.kind, transfer.from_organisation, transfer.to_organisation) == (
        "internal",
        party.branch_a,
        party.themed,
    )
    with pytest.raises(DomainError):
        services.member_move(
            actor=org_actor,
            member_public_id=party.m_a2.public_id,
            organisation_id=party.themed.pk,
        )


def test_an_organisation_has_one_secretary_at_a_time(party, org_actor):
    with pytest.raises(Conflict) as caught:
        services.office_assign(
            actor=org_actor,
            organisation_id=party.branch_a.pk,
            member_public_id=party.m_a2.public_id,
            role=OfficeRole.SECRETARY,
        )
    assert caught.value.code == "office_taken"
    office = Office.objects.get(organisation=party.branch_a, role=OfficeRole.SECRETARY)
    services.office_end(actor=org_actor, office_id=office.pk)
    services.office_assign(
        actor=org_actor,
        organisation_id=party.branch_a.pk,
        member_public_id=party.m_a2.public_id,
        role=OfficeRole.SECRETARY,
        is_action_secretary=True,
    )
    assert (
        Office.objects.get(
            organisation=party.branch_a, role=OfficeRole.SECRETARY, ended_on__isnull=True
        ).member
        == party.m_a2
    )


def test_only_a_secretary_carries_the_action_branch_mark(party, org_actor):
    with pytest.raises(DomainError) as caught:
        services.office_assign(
            actor=org_actor,
            organisation_id=party.branch_b.pk,
            member_public_id=party.m_a2.public_id,
            role=OfficeRole.DEPUTY_SECRETARY,
            is_action_secretary=True,
        )
    assert caught.value.code == "action_mark_secretary_only"


def test_the_tree_refuses_a_second_branch_for_a_grid_and_a_group_in_the_wrong_grid(
    world, party, org_actor
):
    with pytest.raises(Conflict):
        services.organisation_create(
            actor=org_actor,
            community_id=world.community.pk,
            kind=OrgKind.GRID_BRANCH,
            name="又一个",
            parent_id=party.committee.pk,
            grid_id=world.grid_a.pk,
        )
    with pytest.raises(DomainError) as caught:
        services.organisation_create(
            actor=org_actor,
            community_id=world.community.pk,
            kind=OrgKind.BUILDING_GROUP,
            name="20号楼党小组",
            parent_id=party.branch_a.pk,
            building_id=world.building_b.pk,
        )
    assert caught.value.code == "invalid_parent"
    group = services.organisation_create(
        actor=org_actor,
        community_id=world.community.pk,
        kind=OrgKind.BUILDING_GROUP,
        name="20号楼党小组",
        parent_id=party.branch_b.pk,
        building_id=world.building_b.pk,
    )
    assert group.grid == world.grid_b
    assert Organisation.objects.filter(community=world.community).count() == 6


def test_a_household_is_looked_after_by_one_central_household(world, party, org_actor):
    services.central_link_household(
        actor=org_actor,
        central_public_id=party.central.public_id,
        household_public_id=world.household_a2.public_id,
    )
    other = services.central_household_create(
        actor=org_actor, host_member_public_id=party.m_b1.public_id
    )
    with pytest.raises(Conflict) as caught:
        services.central_link_household(
            actor=org_actor,
            central_public_id=other.public_id,
            household_public_id=world.household_a2.public_id,
        )
    assert caught.value.code == "household_already_linked"
    services.central_unlink_household(
        actor=org_actor,
        central_public_id=party.central.public_id,
        household_public_id=world.household_a2.public_id,
    )
    services.central_link_household(
        actor=org_actor,
        central_public_id=other.public_id,
        household_public_id=world.household_a2.public_id,
    )
    links = HouseholdLink.objects.filter(household=world.household_a2).order_by("id")
    assert [(link.central_id, link.ended_on is None) for link in links] == [
        (party.central.pk, False),
        (other.pk, True),
    ]


def test_a_new_central_household_starts_with_its_host_and_its_own_home(world, party, org_actor):
    central = services.central_household_create(
        actor=org_actor, host_member_public_id=party.m_b1.public_id
    )
    assert central.household == world.household_b1
    assert MemberLink.objects.get(central=central).member == party.m_b1
    assert HouseholdLink.objects.get(central=central).household == world.household_b1


def test_a_member_serves_with_one_central_household_and_the_host_cannot_be_unlinked(
    party, org_actor
):
    MemberLink.objects.create(central=party.central, member=party.m_a1, linked_on=local_today())
    services.central_link_member(
        actor=org_actor,
        central_public_id=party.central.public_id,
        member_public_id=party.m_a2.public_id,
    )
    with pytest.raises(Conflict):
        services.central_link_member(
            actor=org_actor,
            central_public_id=party.central.public_id,
            member_public_id=party.m_a2.public_id,
        )
    with pytest.raises(DomainError) as caught:
        services.central_unlink_member(
            actor=org_actor,
            central_public_id=party.central.public_id,
            member_public_id=party.m_a1.public_id,
        )
    assert caught.value.code == "host_link"
    services.central_unlink_member(
        actor=org_actor,
        central_public_id=party.central.public_id,
        member_public_id=party.m_a2.public_id,
    )
    with pytest.raises(NotFound):
        services.central_unlink_member(
            actor=org_actor,
            central_public_id=party.central.public_id,
            member_public_id=party.m_a2.public_id,
        )


def test_every_membership_and_link_change_is_audited(world, party, org_actor):
    before = AuditEvent.objects.count()
    calls = [
        lambda: services.member_create(
            actor=org_actor,
            organisation_id=party.themed.pk,
            name="甲",
            joined_on=dt.date(2000, 1, 1),
        ),
        lambda: services.member_confirm_full(
            actor=org_actor, member_public_id=party.m_a2.public_id
        ),
        lambda: services.member_move(
            actor=org_actor, member_public_id=party.m_a2.public_id, organisation_id=party.themed.pk
        ),
        lambda: services.office_assign(
            actor=org_actor,
            organisation_id=party.themed.pk,
            member_public_id=party.m_a2.public_id,
            role=OfficeRole.COMMITTEE_MEMBER,
        ),
        lambda: services.central_link_household(
            actor=org_actor,
            central_public_id=party.central.public_id,
            household_public_id=world.household_a2.public_id,
        ),
        lambda: services.central_unlink_household(
            actor=org_actor,
            central_public_id=party.central.public_id,
            household_public_id=world.household_a2.public_id,
        ),
        lambda: services.central_link_member(
            actor=org_actor,
            central_public_id=party.central.public_id,
            member_public_id=party.m_b1.public_id,
        ),
        lambda: services.central_unlink_member(
            actor=org_actor,
            central_public_id=party.central.public_id,
            member_public_id=party.m_b1.public_id,
        ),
        lambda: services.member_transfer_out(
            actor=org_actor, member_public_id=party.m_b1.public_id, external="乙"
        ),
        lambda: services.member_transfer_in(
            actor=org_actor,
            organisation_id=party.branch_b.pk,
            member_public_id=party.m_b1.public_id,
            external="乙",
        ),
        lambda: services.central_household_create(
            actor=org_actor, host_member_public_id=party.m_b1.public_id
        ),
    ]
    party_rows = AuditEvent.objects.filter(object_type__startswith="party.")
    before = party_rows.count()
    for n, call in enumerate(calls, start=1):
        call()
        assert party_rows.count() == before + n, f"change {n} left no audit row"
    links = AuditEvent.objects.filter(object_type="party.centralhousehold", field="household")
    assert {e.action for e in links} == {"create", "update"}
    assert all(e.actor_label == "organiser" for e in party_rows.all()[: len(calls)])


def test_an_activity_records_attendance_for_every_member_of_the_organisation(party, org_actor):
    activity = services.activity_create(
        actor=org_actor,
        organisation_id=party.branch_a.pk,
        kind="theme_day",
        held_on=dt.date(2025, 5, 10),
        topic="主题党日",
        present=[party.m_a1.public_id, party.m_b1.public_id],
        excused=[party.m_a2.public_id],
    )
    statuses = dict(
        Attendance.objects.filter(activity=activity).values_list("member__public_id", "status")
    )
    assert statuses == {
        party.m_a1.public_id: AttendanceStatus.PRESENT,
        party.m_a2.public_id: AttendanceStatus.EXCUSED,
        party.m_b1.public_id: AttendanceStatus.PRESENT,  # a guest from branch B
    }
    with pytest.raises(DomainError) as caught:
        services.activity_create(
            actor=org_actor,
            organisation_id=party.branch_a.pk,
            kind="theme_day",
            held_on=dt.date(2025, 5, 10),
            topic="x",
            present=[party.other_member.public_id],
        )
    assert caught.value.code == "unknown_member"
    assert Member.objects.count() == 5


def test_the_registry_tag_follows_transfers_out_and_back_in(world, party, org_actor):
    member = Member.objects.filter(resident__isnull=False).select_related("resident").first()
    resident = member.resident
    services.member_transfer_out(actor=org_actor, member_public_id=member.public_id, external="乙")
    resident.refresh_from_db()
    assert resident.is_party_member is False
    services.member_transfer_in(
        actor=org_actor,
        organisation_id=member.organisation_id,
        member_public_id=member.public_id,
        external="乙",
    )
    resident.refresh_from_db()
    assert resident.is_party_member is True
    flags = AuditEvent.objects.filter(object_id=str(resident.public_id), action="update")
    assert [e.after for e in flags.order_by("id")][-1] == {"is_party_member": True}
