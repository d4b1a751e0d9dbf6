"""The request desk's services: filing through every channel, routing, the lifecycle as the
issue tells it, the resident's verdict, reopening, cancelling, merging, reassigning, notes —
each transition with its event and audit row, invalid transitions refused."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import timezone

from linli.core.errors import Conflict, DomainError, NotFound
from linli.core.escalation import EscalationLevel
from linli.core.models import AuditEvent
from linli.hotline import services
from linli.hotline.choices import Status
from linli.hotline.models import (
    Category,
    GridEscalationContact,
    RequestEvent,
    ServiceRequest,
)
from linli.registry.models import Household

pytestmark = pytest.mark.django_db


def test_a_request_gets_its_categorys_deadlines(file_portal, world):
    req = file_portal()
    water = Category.objects.get(community=world.community, code="water")
    assert (water.visit_minutes, water.resolve_minutes) == (120, 24 * 60)
    assert req.due_resolve_at - req.submitted_at == dt.timedelta(hours=24)
    assert req.due_visit_at - req.submitted_at == dt.timedelta(hours=2)


def test_filing_in_a_community_without_categories_is_refused_and_creates_none(
    world, resident_user, actor_of, client_for, worker_a
):
    """A lookup never writes: the catalogue comes only from categories_ensure_defaults."""
    Category.objects.filter(community=world.community).delete()
    with pytest.raises(DomainError) as refused:
        services.request_file(
            actor=actor_of(resident_user),
            community_id=world.community.id,
            category_code="water",
            description="漏水",
            channel="portal",
            household_public_id=world.household_a1.public_id,
        )
    assert refused.value.code == "unknown_category"
    assert client_for(worker_a).get("/api/hotline/categories").json() == []
    assert client_for(worker_a).get("/hotline/new/").status_code == 200
    assert client_for(resident_user).get("/hotline/portal/new/").status_code == 200
    assert not Category.objects.filter(community=world.community).exists()


def test_a_community_admin_sets_up_the_default_categories_once(world, admin, other_admin, actor_of):
    Category.objects.filter(community=world.community).delete()
    with pytest.raises(NotFound):
        services.categories_ensure_defaults(
            actor=actor_of(other_admin), community_id=world.community.id
        )
    added = services.categories_ensure_defaults(
        actor=actor_of(admin), community_id=world.community.id
    )
    assert added == Category.objects.filter(community=world.community).count() >= 10
    assert (
        services.categories_ensure_defaults(actor=actor_of(admin), community_id=world.community.id)
        == 0
    )
    audit = AuditEvent.objects.filter(object_type="hotline.category", actor_id=admin.id)
    assert audit.count() == 1


def test_the_default_time_limits_follow_the_12345_practice(world):
    gas = Category.objects.get(community=world.community, code="gas_leak")
    assert (gas.contact_minutes, gas.visit_minutes, gas.resolve_minutes) == (15, 30, 120)
    general = Category.objects.get(community=world.community, code="sanitation")
    assert (general.contact_minutes, general.resolve_minutes) == (120, 7 * 24 * 60)
    complex_ = Category.objects.get(community=world.community, code="dispute")
    assert complex_.resolve_minutes == 15 * 24 * 60


def test_a_resident_files_for_his_household_and_it_goes_to_his_grid_worker(
    file_portal, world, worker_a, resident_user, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = file_portal()
    assert req.status == Status.SUBMITTED
    assert req.channel == "portal"
    assert (req.grid_id, req.building_id, req.household_id) == (
        world.grid_a.id,
        world.building_a.id,
        world.household_a1.id,
    )
    assert req.assignee_id == worker_a.id
    assert req.answers == {"extent": "本户"}
    assert [n.kind for n in outbox] == ["assigned"]
    assert outbox[0].user_id == worker_a.id
    assert AuditEvent.objects.filter(object_id=str(req.public_id), action="create").exists()


def test_a_resident_cannot_file_for_another_household(world, resident_user, actor_of):
    with pytest.raises(NotFound):
        services.request_file(
            actor=actor_of(resident_user),
            community_id=world.community.id,
            category_code="water",
            description="漏水",
            channel="portal",
            household_public_id=world.household_b1.public_id,
            answers={"extent": "本户"},
        )


def test_staff_cannot_use_the_portal_channel_and_residents_cannot_use_phone(
    world, resident_user, worker_a, actor_of
):
    with pytest.raises(NotFound):
        services.request_file(
            actor=actor_of(resident_user),
            community_id=world.community.id,
            category_code="noise",
            description="吵",
            channel="phone",
        )
    with pytest.raises(NotFound):
        services.request_file(
            actor=actor_of(worker_a),
            community_id=world.community.id,
            category_code="noise",
            description="吵",
            channel="portal",
            household_public_id=world.household_a1.public_id,
        )


def test_phone_intake_keeps_the_callers_phone_encrypted_and_masked(world, worker_a, actor_of):
    req = services.request_file(
        actor=actor_of(worker_a),
        community_id=world.community.id,
        category_code="noise",
        description="楼上装修太吵",
        channel="phone",
        household_public_id=world.household_a2.public_id,
        reporter_name="李芳",
        reporter_phone="13800000003",
    )
    assert req.reporter_phone_masked == "138****0003"
    assert "13800000003" not in req.reporter_phone_encrypted
    assert req.filed_by_id == worker_a.id


def test_a_grid_worker_cannot_take_a_call_for_a_household_outside_her_grid(
    world, worker_a, actor_of
):
    with pytest.raises(NotFound):
        services.request_file(
            actor=actor_of(worker_a),
            community_id=world.community.id,
            category_code="noise",
            description="吵",
            channel="phone",
            household_public_id=world.household_b1.public_id,
        )


def test_another_module_cannot_attach_a_household_of_another_community(world):
    other = Household.objects.exclude(community=world.community).get()
    for household_public_id in (other.public_id, "not-a-uuid", uuid.uuid4()):
        with pytest.raises(NotFound):
            services.request_file(
                actor=services.SYSTEM,
                community_id=world.community.id,
                category_code="safety_hazard",
                description="楼道电动车充电",
                channel="safety_outpost",
                household_public_id=household_public_id,
                answers={"hazard": "电动车违规充电"},
            )
    assert not ServiceRequest.objects.exists()
    req = services.request_file(
        actor=services.SYSTEM,
        community_id=world.community.id,
        category_code="safety_hazard",
        description="楼道电动车充电",
        channel="safety_outpost",
        household_public_id=str(world.household_b1.public_id),
        answers={"hazard": "电动车违规充电"},
    )
    assert (req.household_id, req.grid_id) == (world.household_b1.id, world.grid_b.id)
    assert req.household.address == "20-1-101"


def test_other_modules_file_through_the_one_service(world):
    req = services.request_file(
        actor=services.SYSTEM,
        community_id=world.community.id,
        category_code="safety_hazard",
        description="12栋楼道电动车充电",
        channel="safety_outpost",
        location_text="12栋2单元",
        answers={"hazard": "电动车违规充电"},
    )
    assert req.channel == "safety_outpost"
    assert req.priority == "emergency"
    assert req.grid_id is None
    assert req.due_contact_at - req.submitted_at == dt.timedelta(minutes=15)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"description": "  "}, "required"),
        ({"description": "x" * 4001}, "too_long"),
        ({"category_code": "nope"}, "unknown_category"),
        ({"lat": "91"}, "invalid_number"),
        ({"long": "abc"}, "invalid_number"),
        ({"answers": {"extent": "全小区"}}, "invalid_answer"),
        ({"answers": {}}, "invalid_answer"),
        ({"reporter_phone": "12"}, "invalid_phone"),
        ({"channel": "fax"}, "invalid_choice"),
    ],
)
def test_bad_input_is_a_clear_domain_error(world, kwargs, code):
    args = {
        "actor": services.SYSTEM,
        "community_id": world.community.id,
        "category_code": "water",
        "description": "漏水",
        "channel": "open311",
        "answers": {"extent": "本户"},
    }
    args.update(kwargs)
    with pytest.raises(DomainError) as info:
        services.request_file(**args)
    # The registry's phone check may still say "bad_phone" until it adopts CoreError.
    assert info.value.code == code or (code, info.value.code) == ("invalid_phone", "bad_phone")
    assert ServiceRequest.objects.count() == 0


def test_photos_are_checked_by_content_count_and_size(file_portal, photo, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    req = file_portal(photos=[photo(), photo("b.png", "PNG")])
    assert [p.content_type for p in req.photos.all()] == ["image/jpeg", "image/png"]
    fake = SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(DomainError) as info:
        file_portal(photos=[fake])
    assert info.value.code == "invalid_file" and info.value.field == "photos"
    with pytest.raises(DomainError) as info:
        file_portal(photos=[photo() for _ in range(4)])
    assert info.value.code == "invalid_file"
    big = SimpleUploadedFile("big.jpg", b"0" * (5 * 1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(DomainError) as info:
        file_portal(photos=[big])
    assert info.value.code == "invalid_file"


def test_the_whole_lifecycle_with_a_poor_rating_that_reopens_and_escalates(
    file_portal,
    world,
    worker_a,
    resident_user,
    actor_of,
    outbox,
    django_capture_on_commit_callbacks,
):
    GridEscalationContact.objects.create(
        community=world.community, grid=world.grid_a, level="grid_branch_secretary", name="王书记"
    )
    worker, resident = actor_of(worker_a), actor_of(resident_user)
    req = file_portal()
    req = services.request_accept(actor=worker, public_id=req.public_id)
    assert (req.status, req.contacted_in_time) == (Status.ACCEPTED, True)
    req = services.request_check_in(actor=worker, public_id=req.public_id, note="到门口了")
    assert req.status == Status.ON_SITE and req.door_seconds is not None
    req = services.request_resolve(actor=worker, public_id=req.public_id, note="换了阀门")
    assert req.status == Status.RESOLVED
    with django_capture_on_commit_callbacks(execute=True):
        req = services.request_rate(actor=resident, public_id=req.public_id, rating=2, solved=False)
    assert req.status == Status.ACCEPTED
    assert req.reopen_count == 1
    assert req.escalation_level == EscalationLevel.GRID_BRANCH_SECRETARY
    assert req.escalated_to_name == "王书记"
    # The reopening reaches the worker's inbox; the branch secretary has no account here (a
    # configured name and phone), so the desk logs the escalation for him (test_sweep).
    assert "reopened" in [n.kind for n in outbox]
    req = services.request_check_in(actor=worker, public_id=req.public_id)
    req = services.request_resolve(actor=worker, public_id=req.public_id, note="重新更换水管")
    req = services.request_rate(actor=resident, public_id=req.public_id, rating=5, solved=True)
    assert req.status == Status.CLOSED
    assert (req.rating, req.solved) == (5, True)
    kinds = list(RequestEvent.objects.filter(request=req).values_list("kind", flat=True))
    assert kinds == [
        "submitted",
        "accepted",
        "on_site",
        "resolved",
        "rated",
        "reopened",
        "escalated",
        "on_site",
        "resolved",
        "rated",
        "closed",
    ]
    audit = AuditEvent.objects.filter(object_id=str(req.public_id))
    transitions = [a.after.get("transition") for a in audit.order_by("id")]
    assert transitions == [
        "submit",
        "accept",
        "check_in",
        "resolve",
        "rate",
        "escalate",
        "check_in",
        "resolve",
        "rate",
    ]


def test_invalid_transitions_are_refused_with_a_clear_message(
    file_portal, worker_a, actor_of, english
):
    req = file_portal()
    with pytest.raises(DomainError) as info:
        services.request_resolve(actor=actor_of(worker_a), public_id=req.public_id, note="x")
    assert info.value.code == "invalid_transition"
    assert "Submitted" in info.value.message
    with pytest.raises(DomainError):
        services.request_check_in(actor=actor_of(worker_a), public_id=req.public_id)


def test_the_second_worker_to_accept_is_told_who_was_first(
    file_portal, world, worker_a, admin, actor_of, english
):
    req = file_portal()
    services.request_accept(actor=actor_of(worker_a), public_id=req.public_id)
    with pytest.raises(Conflict) as info:
        services.request_accept(actor=actor_of(admin), public_id=req.public_id)
    assert info.value.code == "already_accepted"
    assert "worker_a accepted this request first" in info.value.message


def test_late_first_contact_is_recorded_as_not_in_time(file_portal, worker_a, actor_of):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        req = file_portal()
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        req = services.request_accept(actor=actor_of(worker_a), public_id=req.public_id)
    assert req.contacted_in_time is False


def test_a_worker_of_another_grid_cannot_touch_the_request(file_portal, worker_b, actor_of):
    req = file_portal()
    with pytest.raises(NotFound):
        services.request_accept(actor=actor_of(worker_b), public_id=req.public_id)


def test_the_resident_reopens_within_seven_days_but_not_after(
    file_portal, worker_a, resident_user, actor_of
):
    worker, resident = actor_of(worker_a), actor_of(resident_user)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        req = file_portal()
        services.request_accept(actor=worker, public_id=req.public_id)
        services.request_resolve(actor=worker, public_id=req.public_id, note="修好了")
        services.request_rate(actor=resident, public_id=req.public_id, rating=4, solved=True)
    with time_machine.travel(start + dt.timedelta(days=6), tick=False):
        req = services.request_reopen(actor=resident, public_id=req.public_id, reason="又漏了")
    assert req.status == Status.ACCEPTED
    assert req.rating is None and req.reopen_count == 1
    with time_machine.travel(start + dt.timedelta(days=7), tick=False):
        services.request_resolve(actor=worker, public_id=req.public_id, note="再修")
    with (
        time_machine.travel(start + dt.timedelta(days=15), tick=False),
        pytest.raises(DomainError) as info,
    ):
        services.request_reopen(actor=resident, public_id=req.public_id, reason="还漏")
    assert info.value.code == "reopen_window_passed"


def test_the_resident_cancels_with_a_reason(file_portal, resident_user, actor_of):
    req = file_portal()
    with pytest.raises(DomainError):
        services.request_cancel(actor=actor_of(resident_user), public_id=req.public_id, reason="")
    req = services.request_cancel(
        actor=actor_of(resident_user), public_id=req.public_id, reason="自己修好了"
    )
    assert req.status == Status.CANCELLED and req.cancel_reason == "自己修好了"


def test_a_duplicate_is_merged_into_the_open_request(file_portal, world, worker_a, actor_of):
    first = file_portal()
    second = file_portal(description="楼道也在漏水")
    from linli.hotline import selectors

    worker = actor_of(worker_a)
    found = selectors.duplicate_candidates(
        worker, building_id=second.building_id, category_id=second.category_id, exclude_id=second.pk
    )
    assert list(found) == [first]
    merged = services.request_merge(
        actor=worker, public_id=second.public_id, into_public_id=first.public_id
    )
    assert merged.status == Status.MERGED and merged.merged_into_id == first.pk
    with pytest.raises(DomainError):
        services.request_merge(
            actor=worker, public_id=first.public_id, into_public_id=first.public_id
        )


def test_reassignment_needs_a_reason_and_someone_who_can_work_it(
    file_portal, world, admin, worker_a, worker_b, actor_of
):
    req = file_portal()
    boss = actor_of(admin)
    with pytest.raises(DomainError) as info:
        services.request_reassign(
            actor=boss, public_id=req.public_id, user_id=worker_b.id, reason="x"
        )
    assert info.value.code == "invalid_assignee"
    with pytest.raises(DomainError):
        services.request_reassign(actor=boss, public_id=req.public_id, user_id=admin.id, reason="")
    req = services.request_reassign(
        actor=boss, public_id=req.public_id, user_id=admin.id, reason="网格员休假"
    )
    assert req.assignee_id == admin.id
    with pytest.raises(NotFound):
        services.request_reassign(
            actor=actor_of(worker_a), public_id=req.public_id, user_id=worker_a.id, reason="x"
        )


def test_public_updates_and_internal_notes(file_portal, worker_a, resident_user, actor_of):
    from linli.hotline import selectors

    req = file_portal()
    worker = actor_of(worker_a)
    services.request_note(actor=worker, public_id=req.public_id, text="明早上门", public=True)
    services.request_note(actor=worker, public_id=req.public_id, text="住户脾气急", public=False)
    resident_sees = [e.text for e in selectors.request_events(actor_of(resident_user), req)]
    staff_sees = [e.text for e in selectors.request_events(worker, req)]
    assert "明早上门" in resident_sees and "住户脾气急" not in resident_sees
    assert "住户脾气急" in staff_sees


def test_routing_prefers_the_duty_roster_then_its_fallback(world, admin, worker_a, actor_of):
    from linli.hotline import routing

    monday = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    assert routing.route(world.community.id, world.grid_a.id, monday) == worker_a.id
    roster = {"actor": actor_of(admin), "community_id": world.community.id}
    # Each roster change counts at the next filing, though every process remembers the answer.
    services.duty_add(
        **roster, grid_id=world.grid_a.id, user_id=admin.id, weekday=0, is_fallback=False
    )
    assert routing.route(world.community.id, world.grid_a.id, monday) == admin.id
    tuesday = monday + dt.timedelta(days=1)
    assert routing.route(world.community.id, world.grid_a.id, tuesday) == worker_a.id
    services.duty_add(
        **roster, grid_id=world.grid_a.id, user_id=admin.id, weekday=None, is_fallback=True
    )
    assert routing.route(world.community.id, world.grid_a.id, tuesday) == admin.id
    # No grid: the community's duty officer, else an admin.
    assert routing.route(world.community.id, None, monday) == admin.id


def test_staff_record_a_rating_from_a_phone_call(file_portal, worker_a, actor_of):
    worker = actor_of(worker_a)
    req = file_portal()
    services.request_accept(actor=worker, public_id=req.public_id)
    services.request_resolve(actor=worker, public_id=req.public_id, note="ok")
    req = services.request_rate_from_call(
        actor=worker, public_id=req.public_id, rating=4, solved=True, call_note="电话回访本人"
    )
    assert req.status == Status.CLOSED
    event = RequestEvent.objects.get(request=req, kind="rated")
    assert event.data["source"] == "staff_recorded_call"


def test_category_time_limits_are_editable_per_community(world, admin, other_admin, actor_of):
    water = Category.objects.get(community=world.community, code="water")
    data = services.CategoryInput(
        name="停水漏水",
        priority="utility",
        contact_minutes=30,
        visit_minutes=60,
        resolve_minutes=12 * 60,
        questions=water.questions,
    )
    services.category_update(actor=actor_of(admin), category_id=water.id, data=data)
    water.refresh_from_db()
    assert (water.contact_minutes, water.visit_minutes) == (30, 60)
    with pytest.raises(NotFound):
        services.category_update(actor=actor_of(other_admin), category_id=water.id, data=data)
    bad = services.CategoryInput(**{**data.__dict__, "questions": [{"key": "a", "kind": "x"}]})
    with pytest.raises(DomainError):
        services.category_update(actor=actor_of(admin), category_id=water.id, data=bad)


def test_a_timestamp_is_stored_for_every_step(file_portal, worker_a, actor_of):
    worker = actor_of(worker_a)
    req = file_portal()
    services.request_accept(actor=worker, public_id=req.public_id)
    services.request_check_in(actor=worker, public_id=req.public_id)
    req = services.request_resolve(actor=worker, public_id=req.public_id, note="ok")
    assert (
        req.submitted_at <= req.accepted_at <= req.on_site_at <= req.resolved_at <= timezone.now()
    )
