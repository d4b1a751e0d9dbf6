"""For any set of returns, the sum of the statements equals the accepted pieces × rates: exactly
before rounding, and after rounding each (worker, firm) line once, half-up, to the fen."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.core import dates
from linli.jobs import services
from linli.jobs.models import Batch, EarningEntry, Return, Statement, StatementLine

rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("50"), places=4)
returns = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, 60), st.integers(0, 5)),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rate_a=rates, rate_b=rates, work=returns)
def test_sum_of_statements_is_accepted_pieces_times_rates(shop, world, rate_a, rate_b, work):
    last = dates.add_months(dates.this_month(), -1)
    # Each example starts from no work (the ledger refuses deletes: a raw one resets the test).
    StatementLine.objects.all().delete()
    Statement.objects.all().delete()
    EarningEntry.objects.all()._raw_delete(EarningEntry.objects.db)
    Return.objects.all().delete()
    Batch.objects.all().delete()
    orders = [
        services.order_create(
            actor=shop.lead,
            firm_id=shop.firm.id,
            product=f"a{rate_a}",
            quantity=10_000,
            rate=rate_a,
            due_on=last,
            received_on=last,
        ),
        services.order_create(
            actor=shop.lead,
            firm_id=_other_firm(shop, world).id,
            product=f"b{rate_b}",
            quantity=10_000,
            rate=rate_b,
            due_on=last,
            received_on=last,
        ),
    ]
    workers = [shop.worker, shop.other, shop.other]
    expected_exact = Decimal(0)
    lines: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for order_index, worker_index, accepted, rejected in work:
        order = orders[order_index % 2]
        worker = workers[worker_index]
        if accepted + rejected == 0:
            continue
        batch = services.batch_dispatch(
            actor=shop.lead,
            order_id=order.id,
            worker_public_id=worker.public_id,
            quantity=accepted + rejected,
            on=last,
        )
        services.batch_return(
            actor=shop.lead,
            batch_id=batch.id,
            accepted=accepted,
            rejected=rejected,
            defect_reason="x" if rejected else "",
            on=last,
        )
        expected_exact += accepted * order.rate
        if accepted:
            lines[(worker.pk, order.firm_id)] += accepted * order.rate
    services.statements_issue(actor=shop.admin, community_id=world.community.id, month=last)
    issued = Statement.objects.filter(month=last)
    exact = issued.aggregate(s=Sum("exact"))["s"] or Decimal(0)
    total = issued.aggregate(s=Sum("total"))["s"] or Decimal(0)
    assert Decimal(exact) == expected_exact
    assert Decimal(total) == sum(
        (v.quantize(Decimal("0.01"), ROUND_HALF_UP) for v in lines.values()), Decimal(0)
    )
    # each firm's settlement is the sum of its lines over the statements
    for firm_id in {f for _w, f in lines}:
        firm_total = StatementLine.objects.filter(statement__month=last, firm_id=firm_id).aggregate(
            s=Sum("amount")
        )["s"]
        assert Decimal(firm_total) == sum(
            (
                v.quantize(Decimal("0.01"), ROUND_HALF_UP)
                for (w, f), v in lines.items()
                if f == firm_id
            ),
            Decimal(0),
        )


def _other_firm(shop, world):  # type: ignore[no-untyped-def]
    from linli.jobs.models import Firm

    firm, _created = Firm.objects.get_or_create(community=world.community, name="毛绒玩具厂")
    return firm
