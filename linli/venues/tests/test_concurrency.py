"""Contention is settled by the database (run on SQLite and on PostgreSQL): 50 clients racing
for one slot get exactly one booking; 30 residents borrowing the last 3 blood-pressure meters
get exactly 3 loans and the shelf never goes below zero."""

from __future__ import annotations

from linli.accounts.models import RoleAssignment, User
from linli.accounts.selectors import actor_for_user
from linli.registry.models import Household
from linli.testing.factories import ResidentFactory
from linli.testing.races import race, run_at_once
from linli.venues import services
from linli.venues.choices import HOLDING
from linli.venues.models import Booking, Loan
from linli.venues.tests.conftest import slot

pytestmark = race


def make_residents(world, n):
    household = Household.objects.get(pk=world.household_a2.pk)
    actors = []
    for i in range(n):
        resident = ResidentFactory(household=household, name=f"居民{i}", relation="other")
        user = User.objects.create_user(username=f"v{i}", password="x", resident=resident)
        RoleAssignment.objects.create(
            user=user, role="resident", household=household, community=world.community
        )
        actors.append(actor_for_user(user))
    return actors


def test_fifty_clients_racing_for_one_slot_get_exactly_one(transactional_db, world, reading_room):
    actors = make_residents(world, 50)
    # Everyone wants 10:00–11:00, half of them offset by 30 minutes: all overlap pairwise.
    jobs = []
    for i, actor in enumerate(actors):
        s, e = slot(2, 10, 30 * (i % 2))
        jobs.append(
            lambda a=actor, s=s, e=e: services.booking_create(
                actor=a, venue=reading_room.pk, start=s, end=e, purpose="自习", attendance=1
            )
        )
    outcomes = run_at_once(jobs)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) == {"ok", "slot_taken"}, outcomes
    held = list(Booking.objects.filter(venue=reading_room, status__in=HOLDING))
    assert len(held) == 1


def test_thirty_residents_borrowing_the_last_three(transactional_db, world, kit_item):
    actors = make_residents(world, 30)
    outcomes = run_at_once(
        [lambda a=a: services.loan_create(actor=a, item_id=kit_item.pk) for a in actors]
    )
    assert outcomes.count("ok") == 3, outcomes
    assert set(outcomes) == {"ok", "out_of_kit_stock"}, outcomes
    kit_item.refresh_from_db()
    assert kit_item.available == 0
    assert Loan.objects.filter(item=kit_item).count() == 3
