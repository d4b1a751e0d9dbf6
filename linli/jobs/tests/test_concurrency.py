"""Never more than the order has left, under concurrency (SQLite and PostgreSQL): twelve
dispatches of 100 pieces racing for an order of 1,000 give exactly ten batches; twelve returns of
the same 10 pieces of a batch of 50 settle exactly five."""

from __future__ import annotations

from linli.jobs import services
from linli.jobs.models import Batch, EarningEntry, Order
from linli.testing.races import race, run_at_once

pytestmark = race


def test_racing_dispatches_and_returns_never_exceed_what_is_left(transactional_db, shop):
    outcomes = run_at_once(
        [
            lambda: services.batch_dispatch(
                actor=shop.lead,
                order_id=shop.order.id,
                worker_public_id=shop.worker.public_id,
                quantity=100,
            )
            for _ in range(12)
        ]
    )
    assert outcomes.count("ok") == 10, outcomes
    assert set(outcomes) == {"ok", "not_enough_left"}, outcomes
    assert Order.objects.get(pk=shop.order.pk).dispatched == 1000
    assert Batch.objects.count() == 10
    # Returns: twelve returns of 10 pieces each racing for a batch of 50.
    batch = Batch.objects.order_by("id").first()
    assert batch is not None
    Batch.objects.filter(pk=batch.pk).update(quantity=50)
    Order.objects.filter(pk=shop.order.pk).update(dispatched=950)
    outcomes = run_at_once(
        [
            lambda: services.batch_return(actor=shop.lead, batch_id=batch.id, accepted=10)
            for _ in range(12)
        ]
    )
    assert outcomes.count("ok") == 5, outcomes
    assert set(outcomes) == {"ok", "more_than_out"}, outcomes
    assert EarningEntry.objects.count() == 5
    batch.refresh_from_db()
    assert batch.settled == 50 and batch.accepted == 50
