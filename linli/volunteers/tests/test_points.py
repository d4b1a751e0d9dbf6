"""The points ledger and the store: balances follow the entries, never go below zero, points
expire soonest first, cancellations give back exactly what was taken."""

import datetime as dt

import pytest
import time_machine
from django.db.models import Sum

from linli.core import dates
from linli.core.errors import Conflict, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.volunteers import points
from linli.volunteers.choices import EntryKind, RedemptionStatus
from linli.volunteers.models import PointsAccount, PointsEntry, PointsPolicy
from linli.volunteers.tests.conftest import fund


def ledger_sum(account):
    return PointsEntry.objects.filter(account=account).aggregate(s=Sum("points"))["s"] or 0


def test_a_resident_redeems_an_item_and_gets_a_pickup_code(
    resident_user, actor_of, resident_account, item
):
    fund(resident_account, 100)
    redemption = points.points_redeem(actor=actor_of(resident_user), item_id=item.id)
    resident_account.refresh_from_db()
    item.refresh_from_db()
    assert redemption.status == RedemptionStatus.RESERVED
    assert len(redemption.pickup_code) == 6 and redemption.pickup_code.isdigit()
    assert resident_account.balance == 70
    assert item.stock == 9
    assert ledger_sum(resident_account) == 70


def test_a_redemption_beyond_the_balance_is_refused_and_changes_nothing(
    resident_user, actor_of, resident_account, item
):
    fund(resident_account, 20)
    with pytest.raises(DomainError) as exc:
        points.points_redeem(actor=actor_of(resident_user), item_id=item.id)
    assert exc.value.code == "insufficient_points"
    item.refresh_from_db()
    resident_account.refresh_from_db()
    assert item.stock == 10 and resident_account.balance == 20


def test_an_item_out_of_stock_cannot_be_redeemed(resident_user, actor_of, resident_account, item):
    fund(resident_account, 1000)
    item.stock = 1
    item.save()
    points.points_redeem(actor=actor_of(resident_user), item_id=item.id)
    with pytest.raises(Conflict) as exc:
        points.points_redeem(actor=actor_of(resident_user), item_id=item.id)
    assert exc.value.code == "out_of_stock"
    resident_account.refresh_from_db()
    assert resident_account.balance == 970


def test_the_per_person_limit_counts_everything_not_cancelled(
    resident_user, actor_of, resident_account, item
):
    fund(resident_account, 1000)
    item.per_person_limit = 2
    item.save()
    actor = actor_of(resident_user)
    first = points.points_redeem(actor=actor, item_id=item.id)
    points.points_redeem(actor=actor, item_id=item.id)
    with pytest.raises(DomainError) as exc:
        points.points_redeem(actor=actor, item_id=item.id)
    assert exc.value.code == "redemption_limit"
    points.redemption_cancel(actor=actor, redemption_public_id=first.public_id)
    points.points_redeem(actor=actor, item_id=item.id)


def test_cancelling_before_pickup_returns_points_and_stock(
    resident_user, actor_of, resident_account, item
):
    fund(resident_account, 100)
    actor = actor_of(resident_user)
    redemption = points.points_redeem(actor=actor, item_id=item.id, quantity=2)
    cancelled = points.redemption_cancel(actor=actor, redemption_public_id=redemption.public_id)
    assert cancelled.status == RedemptionStatus.CANCELLED
    resident_account.refresh_from_db()
    item.refresh_from_db()
    assert resident_account.balance == 100 and item.stock == 10
    with pytest.raises(DomainError) as exc:
        points.redemption_cancel(actor=actor, redemption_public_id=redemption.public_id)
    assert exc.value.code == "invalid_transition"


def test_staff_confirm_pickup_by_code_and_then_it_cannot_be_cancelled(
    resident_user, admin, actor_of, resident_account, item
):
    fund(resident_account, 100)
    redemption = points.points_redeem(actor=actor_of(resident_user), item_id=item.id)
    picked = points.redemption_pickup(actor=actor_of(admin), code=redemption.pickup_code)
    assert picked.status == RedemptionStatus.PICKED_UP and picked.handled_by_id == admin.id
    with pytest.raises(DomainError) as exc:
        points.redemption_cancel(
            actor=actor_of(resident_user), redemption_public_id=redemption.public_id
        )
    assert exc.value.code == "invalid_transition"
    with pytest.raises(NotFound):
        points.redemption_pickup(actor=actor_of(admin), code=redemption.pickup_code)


def test_another_communitys_counter_cannot_hand_over_the_item(
    resident_user, other_admin, actor_of, resident_account, item
):
    fund(resident_account, 100)
    redemption = points.points_redeem(actor=actor_of(resident_user), item_id=item.id)
    with pytest.raises(NotFound):
        points.redemption_pickup(actor=actor_of(other_admin), code=redemption.pickup_code)


def test_points_expire_and_the_soonest_expiring_are_spent_first(
    world, resident_user, actor_of, resident_account, item
):
    PointsPolicy.objects.create(community=world.community, expiry_months=6)
    with time_machine.travel(dt.datetime(2025, 1, 10, 10, tzinfo=dt.UTC)):
        fund(resident_account, 40)  # expires 2025-07-10
    with time_machine.travel(dt.datetime(2025, 3, 10, 10, tzinfo=dt.UTC)):
        fund(resident_account, 50)  # expires 2025-09-10
    with time_machine.travel(dt.datetime(2025, 5, 1, 10, tzinfo=dt.UTC)):
        points.points_redeem(actor=actor_of(resident_user), item_id=item.id)  # 30 from the first
    sweep = points.points_expire(at=dates.day_start(dt.date(2025, 7, 11)))
    assert sweep.accounts == 1 and sweep.points == 10
    resident_account.refresh_from_db()
    assert resident_account.balance == 50 == ledger_sum(resident_account)
    expiry = PointsEntry.objects.get(account=resident_account, kind=EntryKind.EXPIRY)
    assert expiry.points == -10
    # Running the sweep again expires nothing more.
    assert points.points_expire(at=dates.day_start(dt.date(2025, 7, 12))).points == 0


def test_a_cancelled_redemption_of_expired_points_expires_them_again(
    world, resident_user, actor_of, resident_account, item
):
    PointsPolicy.objects.create(community=world.community, expiry_months=1)
    with time_machine.travel(dt.datetime(2025, 1, 10, 10, tzinfo=dt.UTC)):
        fund(resident_account, 30)
        redemption = points.points_redeem(actor=actor_of(resident_user), item_id=item.id)
    with time_machine.travel(dt.datetime(2025, 3, 1, 10, tzinfo=dt.UTC)):
        points.redemption_cancel(
            actor=actor_of(resident_user), redemption_public_id=redemption.public_id
        )
    resident_account.refresh_from_db()
    assert resident_account.balance == 0 == ledger_sum(resident_account)


def test_an_adjustment_needs_a_reason_and_is_audited(admin, actor_of, resident_account):
    actor = actor_of(admin)
    with pytest.raises(DomainError) as exc:
        points.points_adjust(actor=actor, account_id=resident_account.id, points=5, reason=" ")
    assert exc.value.code == "required"
    points.points_adjust(actor=actor, account_id=resident_account.id, points=15, reason="补录")
    points.points_adjust(actor=actor, account_id=resident_account.id, points=-5, reason="更正")
    with pytest.raises(DomainError):
        points.points_adjust(actor=actor, account_id=resident_account.id, points=-50, reason="x")
    resident_account.refresh_from_db()
    assert resident_account.balance == 10
    events = AuditEvent.objects.filter(object_type="volunteers.pointsaccount", field="points")
    assert [e.reason for e in events.order_by("id")] == ["补录", "更正"]


def test_only_the_admin_adjusts_points(
    organiser, volunteer, resident_user, actor_of, resident_account
):
    for user in (organiser, volunteer, resident_user):
        with pytest.raises(NotFound):
            points.points_adjust(
                actor=actor_of(user), account_id=resident_account.id, points=5, reason="x"
            )


def test_a_safety_report_pays_once(admin, actor_of, resident_account):
    actor = actor_of(admin)
    entry = points.points_award_safety_report(
        actor=actor, account_id=resident_account.id, report_ref="r1", reason="平安前哨"
    )
    assert entry and entry.points == 20
    with pytest.raises(Conflict):
        points.points_award_safety_report(
            actor=actor, account_id=resident_account.id, report_ref="r1", reason="平安前哨"
        )
    resident_account.refresh_from_db()
    assert resident_account.balance == 20


def test_the_database_refuses_a_negative_balance(resident_account):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PointsAccount.objects.filter(pk=resident_account.pk).update(balance=-1)


def test_allocate_takes_from_the_soonest_expiring_lots_first_never_expiring_last():
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    day = dt.timedelta(days=1)

    def lot(points_left, expires_in, age):
        expires = at + expires_in * day if expires_in is not None else None
        return points.OpenLot(
            PointsEntry(expires_at=expires, created_at=at - age * day), points_left
        )

    never, late, soon, soon_older = lot(50, None, 9), lot(10, 30, 5), lot(10, 3, 1), lot(5, 3, 2)
    taken = points.allocate([never, late, soon, soon_older], 30)
    assert [(lot_, n) for lot_, n in taken] == [(soon_older, 5), (soon, 10), (late, 10), (never, 5)]
    assert (never.left, late.left, soon.left, soon_older.left) == (45, 0, 0, 0)
    assert points.due_lots([never, late, lot(4, -1, 40)], at)[0].left == 4
    with pytest.raises(RuntimeError):
        points.allocate([never], 46)
