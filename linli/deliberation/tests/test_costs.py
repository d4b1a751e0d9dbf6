"""The cost split: exact to the fen, summing to the amount, rounding as stated."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.deliberation import costs
from linli.deliberation.costs import Payer

YZ = {"1-2": "0", "3": "0.6", "4": "1.0", "5": "1.3", "6": "1.5", "7+": "1.6"}


def test_coefficients_by_floor_as_data() -> None:
    assert costs.coefficient(YZ, 1) == 0 and costs.coefficient(YZ, 2) == 0
    assert costs.coefficient(YZ, 3) == D("0.6")
    assert costs.coefficient(YZ, 9) == D("1.6")
    assert costs.coefficient({"default": "1"}, 4) == 1


def test_hand_worked_split_with_largest_remainder() -> None:
    # 100.00 yuan over floors 3 and 4 with equal areas: weights 0.6 and 1.0 -> 37.50 / 62.50.
    payers = [
        Payer("a", 3, D("50.00"), "301"),
        Payer("b", 4, D("50.00"), "401"),
        Payer("g", 1, D("50.00"), "101"),
    ]
    assert costs.split(10000, payers, YZ) == {"a": 3750, "b": 6250, "g": 0}
    # 1 fen over three equal weights: 0.333… each; the tie goes to the higher floor.
    three = [
        Payer("x", 3, D("10"), "301"),
        Payer("y", 5, D("10"), "501"),
        Payer("z", 4, D("10"), "401"),
    ]
    assert costs.split(1, three, {"default": "1"}) == {"x": 0, "y": 1, "z": 0}
    # 2 fen: the two highest floors.
    assert costs.split(2, three, {"default": "1"}) == {"x": 0, "y": 1, "z": 1}


def test_nothing_to_weigh_is_refused() -> None:
    with pytest.raises(costs.SplitError):
        costs.split(100, [Payer("g", 1, D("50"), "101")], YZ)
    with pytest.raises(costs.SplitError):
        costs.split(-1, [Payer("a", 3, D("50"), "301")], YZ)


def test_subsidy_by_storeys() -> None:
    rows = [[5, 160000], [6, 180000], [7, 200000]]
    assert costs.subsidy_for(rows, 4) == 0
    assert costs.subsidy_for(rows, 5) == 160000
    assert costs.subsidy_for(rows, 6) == 180000
    assert costs.subsidy_for(rows, 9) == 200000
    assert costs.yuan(12345) == "123.45" and costs.yuan(5) == "0.05"


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=20000)),
        min_size=1,
        max_size=24,
    ),
)
def test_shares_sum_exactly_and_each_is_within_a_fen(
    amount: int, rows: list[tuple[int, int]]
) -> None:
    payers = [
        Payer(str(i), floor, D(cm) / 100, f"{floor}0{i}") for i, (floor, cm) in enumerate(rows)
    ]
    coeffs = {"default": "1", "1": "0.5"}
    shares = costs.split(amount, payers, coeffs)
    assert sum(shares.values()) == amount
    total = sum(costs.coefficient(coeffs, p.floor) * p.area for p in payers)
    for p in payers:
        exact = D(amount) * costs.coefficient(coeffs, p.floor) * p.area / total
        assert abs(D(shares[p.key]) - exact) < 1
