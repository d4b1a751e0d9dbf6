import datetime as dt

import pytest

from linli.conftest import make_citizen_id
from linli.core.errors import DomainError, NotFound
from linli.core.models import AuditEvent
from linli.registry import services
from linli.registry.models import Household, Residency, Resident


def _data(**overrides):
    fields = dict(
        name="陈静",
        citizen_id=make_citizen_id(dt.date(1988, 4, 5), 77, male=False),
        phone="15012345678",
        relation="spouse",
    )
    fields.update(overrides)
    return services.clean_resident(**fields)


def test_gender_and_birth_date_come_from_the_id_number():
    data = _data()
    assert data.gender == "F"
    assert data.birth_date == dt.date(1988, 4, 5)


def test_birth_date_that_disagrees_with_the_id_is_refused():
    with pytest.raises(DomainError) as exc:
        _data(birth_date=dt.date(1988, 4, 6))
    assert exc.value.code == "birth_date_mismatch"


def test_move_in_creates_resident_residency_and_one_masked_audit_row(world, worker_a, actor_of):
    resident = services.resident_create(
        actor=actor_of(worker_a),
        household_public_id=world.household_a1.public_id,
        data=_data(),
        moved_in=dt.date(2024, 1, 1),
        move_in_reason="marriage",
    )
    assert resident.citizen_id_masked.startswith("3210") and "*" in resident.citizen_id_masked
    assert Residency.objects.get(resident=resident).moved_in == dt.date(2024, 1, 1)
    event = AuditEvent.objects.get(object_id=str(resident.public_id))
    assert event.action == "move_in"
    assert event.actor_label == "worker_a"
    assert event.after["citizen_id_masked"] == resident.citizen_id_masked
    assert "15012345678" not in str(event.after)


def test_a_citizen_id_is_registered_once(world, admin, actor_of):
    services.resident_create(
        actor=actor_of(admin), household_public_id=world.household_a2.public_id, data=_data()
    )
    with pytest.raises(DomainError) as exc:
        services.resident_create(
            actor=actor_of(admin), household_public_id=world.household_b1.public_id, data=_data()
        )
    assert exc.value.code == "id_taken"
    assert Resident.objects.filter(name="陈静").count() == 1


def test_grid_worker_cannot_write_outside_her_grid(world, worker_b, actor_of):
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        services.resident_create(
            actor=actor_of(worker_b), household_public_id=world.household_a1.public_id, data=_data()
        )
    assert AuditEvent.objects.count() == before
    assert not Resident.objects.filter(name="陈静").exists()


def test_update_records_only_changed_fields_masked(world, admin, actor_of):
    r = world.resident_a1
    current = services.resident_input_from(r)
    current.update(phone="13811112222", notes="独居")
    services.resident_update(
        actor=actor_of(admin),
        resident_public_id=r.public_id,
        data=services.clean_resident(
            **{k: v for k, v in current.items() if not k.startswith("is_")}
        ),
    )
    event = AuditEvent.objects.get(action="update", object_id=str(r.public_id))
    assert event.before == {"phone_masked": "138****0001", "notes": ""}
    assert event.after == {"phone_masked": "138****2222", "notes": "独居"}


def test_move_out_keeps_the_record_and_closes_the_residency(world, worker_a, actor_of):
    r = world.resident_a1_child
    services.resident_move_out(
        actor=actor_of(worker_a),
        resident_public_id=r.public_id,
        date=dt.date(2025, 5, 1),
        reason="relocation",
    )
    r.refresh_from_db()
    assert r.status == "moved_out"
    assert Residency.objects.get(resident=r).moved_out == dt.date(2025, 5, 1)
    with pytest.raises(DomainError) as exc:
        services.resident_move_out(
            actor=actor_of(worker_a),
            resident_public_id=r.public_id,
            date=dt.date(2025, 5, 2),
            reason="relocation",
        )
    assert exc.value.code == "invalid_transition"


def test_household_in_an_occupied_room_is_refused(world, admin, actor_of):
    with pytest.raises(DomainError) as exc:
        services.household_create(actor=actor_of(admin), unit_id=world.unit_a.id, room="301")
    assert exc.value.code == "room_taken"
    assert Household.objects.filter(unit=world.unit_a, room="301").count() == 1


def test_household_on_a_floor_the_building_lacks_is_refused(world, admin, actor_of):
    with pytest.raises(DomainError) as exc:
        services.household_create(actor=actor_of(admin), unit_id=world.unit_a.id, room="901")
    assert exc.value.code == "invalid_number"


def test_reveal_needs_a_reason_and_writes_an_audit_row(world, worker_a, actor_of):
    actor = actor_of(worker_a)
    with pytest.raises(DomainError):
        services.resident_reveal(
            actor=actor, resident_public_id=world.resident_a1.public_id, field="phone", reason=""
        )
    value = services.resident_reveal(
        actor=actor,
        resident_public_id=world.resident_a1.public_id,
        field="phone",
        reason="上门维修联系",
    )
    assert value == "13800000001"
    event = AuditEvent.objects.get(action="reveal")
    assert (event.actor_label, event.field, event.reason) == ("worker_a", "phone", "上门维修联系")
    assert event.object_id == str(world.resident_a1.public_id)


@pytest.mark.parametrize("persona", ["worker_b", "organiser", "care", "viewer", "other_admin"])
def test_roles_without_reveal_over_the_resident_get_not_found(world, persona, request, actor_of):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotFound):
        services.resident_reveal(
            actor=actor_of(user),
            resident_public_id=world.resident_a1.public_id,
            field="phone",
            reason="看看",
        )
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_resident_reads_his_own_data_without_an_audit_row(world, resident_user, actor_of):
    value = services.resident_reveal(
        actor=actor_of(resident_user),
        resident_public_id=world.resident_a1.public_id,
        field="citizen_id",
        reason="",
    )
    assert value == make_citizen_id(dt.date(1958, 3, 21), 1, True)
    with pytest.raises(NotFound):  # not even his son's
        services.resident_reveal(
            actor=actor_of(resident_user),
            resident_public_id=world.resident_a1_child.public_id,
            field="phone",
            reason="x",
        )


OTHER_ID = make_citizen_id(dt.date(1985, 8, 8), 5, False)  # 赵敏, 文汇社区 1-1-201


def test_an_id_taken_in_another_community_names_nobody_and_no_place(world, worker_a, actor_of):
    """Issue 8 item 15: the refusal must not tell a worker who holds the number elsewhere,
    where he lives, or whether he still lives there."""

    def refusal() -> DomainError:
        with pytest.raises(DomainError) as exc:
            services.resident_create(
                actor=actor_of(worker_a),
                household_public_id=world.household_a2.public_id,
                data=_data(name="赵敏", citizen_id=OTHER_ID, gender="F"),
            )
        return exc.value

    living = refusal()
    Resident.objects.filter(pk=world.other_resident.pk).update(status="moved_out")
    moved = refusal()
    assert living.code == moved.code == "id_taken"
    assert living.message == moved.message
    for secret in ("赵敏", "文汇", "1-1-201"):
        assert secret not in living.message
    assert living.details is None


def test_an_id_taken_inside_the_workers_reach_names_the_holder(world, worker_a, actor_of):
    taken = make_citizen_id(dt.date(1942, 1, 9), 3, False)  # 李芳, 12-2-302
    with pytest.raises(DomainError) as exc:
        services.resident_create(
            actor=actor_of(worker_a),
            household_public_id=world.household_a1.public_id,
            data=_data(name="李芳", citizen_id=taken, gender="F"),
        )
    assert "李芳" in exc.value.message and "12-2-302" in exc.value.message
