"""Contention is settled by the database (run on SQLite and on PostgreSQL): 50 residents
redeeming the last 10 items at once get exactly 10 redemptions; one resident firing 20
redemptions whose balance covers 3 gets exactly 3 and the right balance."""

from django.db.models import Sum

from linli.accounts.models import RoleAssignment, User
from linli.registry.models import Household
from linli.testing.factories import ResidentFactory
from linli.testing.races import race, run_at_once
from linli.volunteers import points
from linli.volunteers.models import PointsAccount, PointsEntry, Redemption, StoreItem
from linli.volunteers.tests.conftest import fund

pytestmark = race


def make_residents(world, n):
    """n residents with accounts in household A2 (each his own actor)."""
    from linli.accounts.selectors import actor_for_user

    household = Household.objects.get(pk=world.household_a2.pk)
    actors = []
    for i in range(n):
        # A resident living there (open residency): household grants count only then.
        resident = ResidentFactory(household=household, name=f"居民{i}", relation="other")
        user = User.objects.create_user(username=f"r{i}", password="x", resident=resident)
        RoleAssignment.objects.create(
            user=user, role="resident", household=household, community=world.community
        )
        account = points.account_open(
            community_id=world.community.id, resident_id=resident.id, name=resident.name
        )
        fund(account, 100)
        actors.append(actor_for_user(user))
    return actors


def test_fifty_residents_racing_for_ten_items_get_exactly_ten(transactional_db, world):
    item = StoreItem.objects.create(community=world.community, name="大米", price=50, stock=10)
    actors = make_residents(world, 50)
    outcomes = run_at_once(
        [lambda a=a: points.points_redeem(actor=a, item_id=item.id) for a in actors]
    )
    assert outcomes.count("ok") == 10, outcomes
    assert set(outcomes) == {"ok", "out_of_stock"}, outcomes
    item.refresh_from_db()
    assert item.stock == 0
    assert Redemption.objects.filter(item=item).count() == 10
    assert PointsAccount.objects.filter(balance=50).count() == 10
    assert PointsAccount.objects.aggregate(s=Sum("balance"))["s"] == 50 * 100 - 10 * 50


def test_twenty_redemptions_by_one_resident_whose_points_cover_three(
    transactional_db, world, resident_user
):
    from linli.accounts.selectors import actor_for_user

    item = StoreItem.objects.create(community=world.community, name="毛巾", price=30, stock=100)
    account = points.account_open(
        community_id=world.community.id, resident_id=world.resident_a1.id, name="张晓"
    )
    fund(account, 100)
    actor = actor_for_user(resident_user)
    outcomes = run_at_once(
        [lambda: points.points_redeem(actor=actor, item_id=item.id) for _ in range(20)]
    )
    assert outcomes.count("ok") == 3, outcomes
    assert set(outcomes) == {"ok", "insufficient_points"}, outcomes
    account.refresh_from_db()
    assert account.balance == 10
    total = PointsEntry.objects.filter(account=account).aggregate(s=Sum("points"))["s"]
    assert total == 10
    item.refresh_from_db()
    assert item.stock == 97
