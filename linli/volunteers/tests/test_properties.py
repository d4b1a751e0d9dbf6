"""Property test (hypothesis): whatever sequence of earnings, redemptions, cancellations and
expiries happens, the balance equals the sum of the ledger, never goes below zero, the lots
hold exactly the balance, and stock never goes below zero nor loses an item."""

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.core.errors import DomainError
from linli.volunteers import points
from linli.volunteers.choices import EntryKind, RedemptionStatus
from linli.volunteers.models import PointsEntry, PointsPolicy, Redemption, StoreItem

START = dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC)

operations = st.lists(
    st.one_of(
        st.tuples(st.just("earn"), st.integers(1, 80)),
        st.tuples(st.just("redeem"), st.integers(0, 1), st.integers(1, 3)),
        st.tuples(st.just("cancel"), st.integers(0, 30)),
        st.tuples(st.just("wait"), st.integers(1, 90)),
        st.tuples(st.just("expire"), st.just(0)),
        st.tuples(st.just("adjust"), st.integers(-60, 60)),
    ),
    max_size=30,
)


class Rollback(Exception):
    pass


def check(account, items, initial_stock):
    account.refresh_from_db()
    total = PointsEntry.objects.filter(account=account).aggregate(s=Sum("points"))["s"] or 0
    assert account.balance == total
    assert account.balance >= 0
    lots = sum(lot.left for lot in points.open_lots(account.pk))
    assert lots == account.balance
    for item, initial in zip(items, initial_stock, strict=True):
        item.refresh_from_db()
        assert item.stock >= 0
        held = (
            Redemption.objects.filter(item=item)
            .exclude(status=RedemptionStatus.CANCELLED)
            .aggregate(q=Sum("quantity"))["q"]
            or 0
        )
        assert item.stock + held == initial


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_any_sequence_keeps_the_ledger_and_stock_consistent(
    ops, world, resident_user, admin, actor_of
):
    actor = actor_of(resident_user)
    staff = actor_of(admin)
    try:
        with transaction.atomic():
            PointsPolicy.objects.update_or_create(
                community=world.community, defaults={"expiry_months": 2}
            )
            account = points.account_open(
                community_id=world.community.id,
                resident_id=world.resident_a1.id,
                name="张晓",
            )
            items = [
                StoreItem.objects.create(community=world.community, name="米", price=25, stock=3),
                StoreItem.objects.create(
                    community=world.community, name="油", price=10, stock=5, per_person_limit=2
                ),
            ]
            initial = [3, 5]
            clock = START
            redemptions = []
            for op, *args in ops:
                try:
                    if op == "earn":
                        with transaction.atomic():
                            locked = points.lock_account(account.pk)
                            points.credit(
                                locked,
                                kind=EntryKind.HOURS,
                                points=args[0],
                                actor=points.SYSTEM,
                                at=clock,
                            )
                    elif op == "redeem":
                        with transaction.atomic():
                            redemptions.append(
                                points.points_redeem(
                                    actor=actor,
                                    item_id=items[args[0]].id,
                                    quantity=args[1],
                                    at=clock,
                                )
                            )
                    elif op == "cancel" and redemptions:
                        target = redemptions[args[0] % len(redemptions)]
                        with transaction.atomic():
                            points.redemption_cancel(
                                actor=actor, redemption_public_id=target.public_id, at=clock
                            )
                    elif op == "wait":
                        clock += dt.timedelta(days=args[0])
                    elif op == "expire":
                        points.points_expire(at=clock)
                    elif op == "adjust" and args[0]:
                        with transaction.atomic():
                            points.points_adjust(
                                actor=staff, account_id=account.id, points=args[0], reason="核对"
                            )
                except DomainError:
                    pass
                check(account, items, initial)
            raise Rollback
    except Rollback:
        pass
