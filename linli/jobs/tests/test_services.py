"""Dispatch, returns and the quality check, the ledger, statements and settlements, and every
refused input of the issue (a clear message, nothing written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from linli.accounts.selectors import actor_for_user
from linli.core import dates
from linli.core.errors import DomainError, NotFound
from linli.jobs import money, selectors, services
from linli.jobs.models import Batch, EarningEntry, Order, Return, Statement


def test_dispatch_return_and_check_arithmetic(shop):
    batch = services.batch_dispatch(
        actor=shop.lead,
        order_id=shop.order.id,
        worker_public_id=shop.worker.public_id,
        quantity=300,
    )
    services.batch_return(
        actor=shop.lead,
        batch_id=batch.id,
        accepted=200,
        rejected=10,
        rework=20,
        defect_reason="漏穿",
    )
    batch.refresh_from_db()
    assert (batch.settled, batch.accepted, batch.rejected, batch.rework, batch.open_pieces) == (
        210,
        200,
        10,
        20,
        90,
    )
    services.batch_return(actor=shop.lead, batch_id=batch.id, accepted=90)
    batch.refresh_from_db()
    assert batch.open_pieces == 0
    order = Order.objects.get(pk=shop.order.pk)
    assert (order.dispatched, order.accepted, order.left) == (300, 290, 700)
    month = selectors.worker_month(shop.worker, dates.this_month())
    assert month.pieces == 290
    assert month.exact == Decimal("96.6570")  # 290 × 0.3333, exact
    assert month.amount == Decimal("96.66")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"quantity": 1001}, "not_enough_left"),
        ({"quantity": -5}, "invalid_number"),
        ({"quantity": 0}, "invalid_number"),
    ],
)
def test_bad_dispatch_is_refused_and_writes_nothing(shop, kwargs, code):
    with pytest.raises(DomainError) as exc:
        services.batch_dispatch(
            actor=shop.lead,
            order_id=shop.order.id,
            worker_public_id=shop.worker.public_id,
            **kwargs,
        )
    assert exc.value.code == code
    assert not Batch.objects.exists()
    assert Order.objects.get(pk=shop.order.pk).dispatched == 0


def test_never_more_than_the_order_has_left(shop):
    services.batch_dispatch(
        actor=shop.lead,
        order_id=shop.order.id,
        worker_public_id=shop.worker.public_id,
        quantity=900,
    )
    with pytest.raises(DomainError) as exc:
        services.batch_dispatch(
            actor=shop.lead,
            order_id=shop.order.id,
            worker_public_id=shop.other.public_id,
            quantity=101,
        )
    assert "100" in exc.value.message


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"accepted": 51}, "more_than_out"),
        ({"accepted": 40, "rework": 11, "defect_reason": "x"}, "more_than_out"),
        ({"accepted": -1}, "invalid_number"),
        ({"rejected": 3}, "defect_reason_required"),
        ({}, "invalid_number"),
    ],
)
def test_bad_return_is_refused_and_writes_nothing(shop, kwargs, code):
    batch = services.batch_dispatch(
        actor=shop.lead, order_id=shop.order.id, worker_public_id=shop.worker.public_id, quantity=50
    )
    with pytest.raises(DomainError) as exc:
        services.batch_return(actor=shop.lead, batch_id=batch.id, **kwargs)
    assert exc.value.code == code
    assert not Return.objects.exists() and not EarningEntry.objects.exists()
    batch.refresh_from_db()
    assert batch.settled == 0


@pytest.mark.parametrize("rate", ["0.12345", "-1", "0", "abc", "1e-5", "NaN"])
def test_a_bad_rate_is_refused(shop, rate):
    before = Order.objects.count()
    with pytest.raises(DomainError) as exc:
        services.order_create(
            actor=shop.lead,
            firm_id=shop.firm.id,
            product="x",
            quantity=10,
            rate=rate,
            due_on=dates.local_today(),
        )
    assert exc.value.field == "rate"
    assert Order.objects.count() == before


def test_rate_of_four_decimals_is_kept_exactly(shop):
    order = services.order_create(
        actor=shop.lead,
        firm_id=shop.firm.id,
        product="x",
        quantity=10,
        rate="0.0001",
        due_on=dates.local_today(),
    )
    assert order.rate == Decimal("0.0001")


def test_ledger_is_append_only_corrections_are_new_entries(shop):
    batch = services.batch_dispatch(
        actor=shop.lead,
        order_id=shop.order.id,
        worker_public_id=shop.worker.public_id,
        quantity=100,
    )
    services.batch_return(actor=shop.lead, batch_id=batch.id, accepted=100)
    with pytest.raises(TypeError):
        EarningEntry.objects.filter(worker=shop.worker).update(pieces=1)
    with pytest.raises(TypeError):
        EarningEntry.objects.filter(worker=shop.worker).delete()
    services.entry_correct(
        actor=shop.lead,
        worker_public_id=shop.worker.public_id,
        order_id=shop.order.id,
        pieces=-3,
        reason="复检发现3件残次",
    )
    assert EarningEntry.objects.count() == 2
    assert selectors.worker_month(shop.worker, dates.this_month()).pieces == 97
    with pytest.raises(DomainError):
        services.entry_correct(
            actor=shop.lead,
            worker_public_id=shop.worker.public_id,
            order_id=shop.order.id,
            pieces=-98,
            reason="x",
        )


def _last_month_work(shop, accepted_a: int, accepted_b: int) -> dt.date:
    """Returns dated last month (dispatched then too)."""
    last = dates.add_months(dates.this_month(), -1)
    for worker, n in ((shop.worker, accepted_a), (shop.other, accepted_b)):
        batch = services.batch_dispatch(
            actor=shop.lead,
            order_id=shop.order.id,
            worker_public_id=worker.public_id,
            quantity=n,
            on=last,
        )
        services.batch_return(
            actor=shop.lead, batch_id=batch.id, accepted=n, on=last + dt.timedelta(days=1)
        )
    return last


def test_statements_issue_once_immutable_and_settlement_checked(shop, admin):
    last = _last_month_work(shop, 7, 5)
    with pytest.raises(DomainError) as exc:
        services.statements_issue(
            actor=shop.admin, community_id=shop.firm.community_id, month=dates.this_month()
        )
    assert exc.value.code == "month_not_over"
    assert (
        services.statements_issue(actor=shop.admin, community_id=shop.firm.community_id, month=last)
        == 2
    )
    assert (
        services.statements_issue(actor=shop.admin, community_id=shop.firm.community_id, month=last)
        == 0
    )
    mine = Statement.objects.get(worker=shop.worker)
    assert mine.exact == Decimal("2.3331") and mine.total == Decimal("2.33")
    # nothing can be added to an issued month
    batch = services.batch_dispatch(
        actor=shop.lead,
        order_id=shop.order.id,
        worker_public_id=shop.worker.public_id,
        quantity=5,
        on=last,
    )
    with pytest.raises(DomainError) as exc:
        services.batch_return(
            actor=shop.lead, batch_id=batch.id, accepted=5, on=last + dt.timedelta(days=2)
        )
    assert exc.value.code == "month_closed"
    with pytest.raises(DomainError):
        services.entry_correct(
            actor=shop.lead,
            worker_public_id=shop.worker.public_id,
            order_id=shop.order.id,
            pieces=1,
            reason="x",
            on=last,
        )
    (settlement,) = selectors.settlements(shop.admin, last)
    assert settlement.amount == Decimal("2.33") + Decimal("1.67") and settlement.checked
    # the lead may not pay; the admin pays once, how, when, by whom
    with pytest.raises(NotFound):
        services.statement_pay(actor=shop.lead, public_id=mine.public_id, method="bank")
    paid = services.statement_pay(
        actor=shop.admin, public_id=mine.public_id, method="wechat", reference="WX1"
    )
    assert paid.status == "paid" and paid.paid_by_id == admin.id and paid.paid_method == "wechat"
    with pytest.raises(DomainError):
        services.statement_pay(actor=shop.admin, public_id=mine.public_id, method="bank")


def test_paying_an_unissued_statement_is_refused(shop):
    with pytest.raises(NotFound):
        services.statement_pay(
            actor=shop.admin, public_id="00000000-0000-0000-0000-000000000000", method="bank"
        )


def test_a_worker_sees_only_his_own(shop, resident_user, world):
    _last_month_work(shop, 3, 4)
    me = actor_for_user(resident_user)
    assert selectors.own_worker(me) == shop.worker
    other_statement_month = dates.add_months(dates.this_month(), -1)
    services.statements_issue(
        actor=shop.admin, community_id=world.community.id, month=other_statement_month
    )
    theirs = Statement.objects.get(worker=shop.other)
    with pytest.raises(NotFound):
        selectors.own_statement(me, theirs.public_id)
    mine = Statement.objects.get(worker=shop.worker)
    assert selectors.own_statement(me, mine.public_id) == mine


def test_a_team_lead_must_be_a_party_member(shop, world):
    with pytest.raises(DomainError) as exc:
        services.team_create(
            actor=shop.admin,
            community_id=world.community.id,
            name="x",
            leader_public_id=world.resident_b1.public_id,
        )
    assert exc.value.code == "not_party_member"


def test_outreach_lists_unemployed_and_low_income_not_yet_working(shop, world):
    from linli.registry.models import Resident
    from linli.testing.factories import ResidentFactory

    idle = ResidentFactory.create(
        household=world.household_a2, birth_date=dt.date(1990, 1, 1), is_unemployed=True
    )
    Resident.objects.filter(pk=world.resident_a1.pk).update(is_unemployed=True)  # already a worker
    ids = [r.id for r in selectors.outreach_list(shop.lead)]
    assert idle.id in ids and world.resident_a1.id not in ids


def test_statistics_query_count_is_constant(shop, django_assert_max_num_queries):
    _last_month_work(shop, 3, 4)
    with django_assert_max_num_queries(4):
        stats = selectors.statistics_for(shop.lead)
    assert stats.months[-2].employed == 2


def test_to_fen_is_half_up():
    assert money.to_fen(Decimal("0.005")) == Decimal("0.01")
    assert money.to_fen(Decimal("0.0049")) == Decimal("0.00")
    assert money.to_fen(Decimal("2.345")) == Decimal("2.35")
