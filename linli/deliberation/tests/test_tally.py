"""The tally engine, hand-worked (every line of the issue's Acceptance) and by property."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.deliberation import tally as t
from linli.deliberation.tally import Flat, TallyInputError, Voter


def voters(*rows: tuple[str, str, str]) -> list[Voter]:
    return [Voter(k, D(a), b) for k, a, b in rows]


def test_exactly_two_thirds_participation_by_area_is_enough() -> None:
    # 300.00 m² in all; exactly 200.00 m² take part (以上 includes the boundary).
    # Heads: 3 of 3 take part... no: 2 of 3 (exactly 2/3, also enough).
    vs = voters(("A", "100.00", "agree"), ("B", "100.00", "agree"), ("C", "100.00", "unreachable"))
    r = t.tally("major", vs)
    assert r.counts.participating_area == D("200.00")
    assert r.participation_area_ok and r.participation_owners_ok
    assert r.passed


def test_just_below_two_thirds_by_area_fails() -> None:
    vs = voters(("A", "99.99", "agree"), ("B", "100.00", "agree"), ("C", "100.01", "unreachable"))
    r = t.tally("major", vs)
    assert not r.participation_area_ok  # 199.99 of 300.00
    assert r.participation_owners_ok  # 2 of 3 heads
    assert not r.passed


def test_exactly_three_quarters_of_heads_agree_passes_a_major_matter() -> None:
    # 4 heads, all take part, 3 agree: exactly 3/4 (以上). Areas equal.
    vs = voters(
        ("A", "80.00", "agree"),
        ("B", "80.00", "agree"),
        ("C", "80.00", "agree"),
        ("D", "80.00", "object"),
    )
    r = t.tally("major", vs)
    assert r.approval_owners_ok and r.approval_area_ok and r.passed


def test_just_below_three_quarters_of_heads_fails() -> None:
    # 8 heads; 5 agree, 3 object: 5/8 < 3/4.
    rows = [(f"H{i}", "50.00", "agree" if i < 5 else "object") for i in range(8)]
    r = t.tally("major", voters(*rows))
    assert not r.approval_owners_ok and not r.passed


def test_majority_by_heads_that_fails_by_area() -> None:
    # Ordinary matter: 3 small flats agree (3 of 4 heads), one large flat objects: 150 of 330 m².
    vs = voters(
        ("A", "50.00", "agree"),
        ("B", "50.00", "agree"),
        ("C", "50.00", "agree"),
        ("D", "180.00", "object"),
    )
    r = t.tally("ordinary", vs)
    assert r.approval_owners_ok
    assert not r.approval_area_ok
    assert not r.passed


def test_half_exactly_is_not_a_majority() -> None:
    # 过半数 does not include the boundary: 2 of 4 heads, 100 of 200 m².
    vs = voters(
        ("A", "50.00", "agree"),
        ("B", "50.00", "agree"),
        ("C", "50.00", "object"),
        ("D", "50.00", "abstain"),
    )
    r = t.tally("ordinary", vs)
    assert not r.approval_owners_ok and not r.approval_area_ok


def test_abstention_takes_part_and_does_not_agree() -> None:
    vs = voters(("A", "60.00", "agree"), ("B", "60.00", "abstain"), ("C", "60.00", "abstain"))
    r = t.tally("ordinary", vs)
    assert r.counts.participating_owners == 3 and r.counts.agreeing_owners == 1
    assert r.participation_ok and not r.approval_ok
    # Had the abstainers been unreachable, participation would fail instead.
    r2 = t.tally(
        "ordinary",
        voters(
            ("A", "60.00", "agree"), ("B", "60.00", "unreachable"), ("C", "60.00", "unreachable")
        ),
    )
    assert not r2.participation_ok and r2.approval_ok


def test_owner_of_two_flats_is_one_head_with_both_areas() -> None:
    flats = [
        Flat("101", D("75.50"), "O1"),
        Flat("102", D("60.25"), "O1"),
        Flat("201", D("75.50"), "O2"),
    ]
    r = t.tally_flats("ordinary", flats, {"101": "agree", "201": "object"})
    assert r.counts.total_owners == 2
    assert r.counts.total_area == D("211.25")
    # O1's one ballot covers both of his flats.
    assert r.counts.agreeing_area == D("135.75") and r.counts.agreeing_owners == 1
    assert r.as_dict()["agreeing_area"] == "135.75"


def test_owner_of_two_flats_cannot_cast_two_different_ballots() -> None:
    flats = [Flat("101", D("75.50"), "O1"), Flat("102", D("60.25"), "O1")]
    with pytest.raises(TallyInputError) as err:
        t.tally_flats("ordinary", flats, {"101": "agree", "102": "object"})
    assert err.value.code == "second_ballot"


def test_flat_with_co_owners_is_one_head() -> None:
    # 301 belongs to a couple (one owner key for the co-ownership): one head, not two.
    flats = [Flat("301", D("88.00"), "O3A+O3B"), Flat("302", D("88.00"), "O4")]
    r = t.tally_flats("major", flats, {"301": "agree", "302": "agree"})
    assert r.counts.total_owners == 2 and r.counts.agreeing_owners == 2 and r.passed


def test_areas_to_two_decimals_are_exact() -> None:
    # 0.01 m² decides: 3 × 33.33 = 99.99 agree of 133.33 participating ≥ 3/4 (99.9975)? No.
    vs = voters(
        ("A", "33.33", "agree"),
        ("B", "33.33", "agree"),
        ("C", "33.33", "agree"),
        ("D", "33.34", "object"),
    )
    r = t.tally("major", vs)
    assert r.counts.participating_area == D("133.33")
    assert r.counts.agreeing_area == D("99.99")
    assert not r.approval_area_ok  # 99.99 × 4 = 399.96 < 133.33 × 3 = 399.99
    assert r.approval_owners_ok


def test_unanimous_needs_every_head() -> None:
    vs = voters(("A", "70.00", "agree"), ("B", "70.00", "agree"))
    assert t.tally("unanimous", vs).passed
    assert not t.tally("unanimous", [*vs, Voter("C", D("1.00"), "abstain")]).passed
    assert not t.tally("unanimous", [*vs, Voter("C", D("1.00"), "unreachable")]).passed


def test_no_ballot_did_not_take_part_and_empty_never_passes() -> None:
    flats = [
        Flat("101", D("50.00"), "O1"),
        Flat("102", D("50.00"), "O2"),
        Flat("103", D("50.00"), "O3"),
    ]
    r = t.tally_flats("ordinary", flats, {"101": "agree"})
    assert r.counts.participating_owners == 1 and not r.participation_ok
    assert not t.tally("ordinary", []).passed
    assert not t.tally("unanimous", []).passed


def test_bad_input_is_refused() -> None:
    flats = [Flat("101", D("50.00"), "O1")]
    with pytest.raises(TallyInputError):
        t.tally_flats("ordinary", flats, {"999": "agree"})
    with pytest.raises(TallyInputError):
        t.tally_flats("ordinary", flats, {"101": "maybe"})
    with pytest.raises(TallyInputError):
        t.tally_flats("supermajority", flats, {})
    with pytest.raises(TallyInputError):
        t.parse_area("75.505")
    with pytest.raises(TallyInputError):
        t.parse_area("-1")
    with pytest.raises(TallyInputError):
        t.tally_flats("ordinary", [*flats, Flat("101", D("1"), "O2")], {})


def test_what_if_these_flats_object() -> None:
    vs = voters(
        ("A", "80.00", "agree"),
        ("B", "80.00", "agree"),
        ("C", "80.00", "agree"),
        ("D", "80.00", "agree"),
    )
    rule = t.rule_for("major")
    assert t.tally(rule, vs).passed
    assert t.what_if(rule, vs, ["A"]).passed  # 3 of 4: exactly 3/4
    assert not t.what_if(rule, vs, ["A", "B"]).passed


# --- properties -------------------------------------------------------------------------------

area = st.integers(min_value=0, max_value=30000).map(lambda c: D(c) / 100)
ballot = st.sampled_from(t.CHOICES)
electorate = st.lists(st.tuples(area, ballot), min_size=0, max_size=25)
rule = st.sampled_from(t.RULES)


def _voters(rows: list[tuple[D, str]]) -> list[Voter]:
    return [Voter(f"H{i}", a, b) for i, (a, b) in enumerate(rows)]


def _rank(r: t.Tally) -> tuple[int, ...]:
    return (r.passed, r.participation_ok, r.approval_ok)  # type: ignore[return-value]


@settings(max_examples=300, deadline=None)
@given(rule, electorate, st.data())
def test_changing_a_ballot_to_agree_never_lowers_the_result(
    code: str, rows: list[tuple[D, str]], data: st.DataObject
) -> None:
    if not rows:
        return
    i = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    before = t.tally(code, _voters(rows))
    changed = list(rows)
    changed[i] = (rows[i][0], t.AGREE)
    after = t.tally(code, _voters(changed))
    assert after.passed >= before.passed
    assert after.counts.agreeing_owners >= before.counts.agreeing_owners
    assert after.counts.agreeing_area >= before.counts.agreeing_area


@settings(max_examples=300, deadline=None)
@given(rule, electorate)
def test_tally_equals_a_brute_force_recount(code: str, rows: list[tuple[D, str]]) -> None:
    r = t.tally(code, _voters(rows))
    total_a = sum((a for a, _ in rows), D(0))
    part = [(a, b) for a, b in rows if b in ("agree", "object", "abstain")]
    agree = [(a, b) for a, b in part if b == "agree"]
    part_a = sum((a for a, _ in part), D(0))
    agree_a = sum((a for a, _ in agree), D(0))
    n, np_, na = len(rows), len(part), len(agree)
    if code == "unanimous":
        expect = n > 0 and na == n
    else:
        participation = n > 0 and total_a > 0 and 3 * part_a >= 2 * total_a and 3 * np_ >= 2 * n
        if code == "major":
            approval = np_ > 0 and part_a > 0 and 4 * agree_a >= 3 * part_a and 4 * na >= 3 * np_
        else:
            approval = np_ > 0 and part_a > 0 and 2 * agree_a > part_a and 2 * na > np_
        expect = participation and approval
    assert r.passed == expect
    assert (r.counts.total_owners, r.counts.participating_owners, r.counts.agreeing_owners) == (
        n,
        np_,
        na,
    )
    assert (r.counts.total_area, r.counts.participating_area, r.counts.agreeing_area) == (
        total_a,
        part_a,
        agree_a,
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(area, st.integers(min_value=0, max_value=6), ballot), min_size=1, max_size=20
    ),
    rule,
)
def test_flats_fold_into_heads_like_a_recount(rows: list[tuple[D, int, str]], code: str) -> None:
    """Flats of one owner (owner index) carry that owner's ballot; the calculator equals the
    tally of heads counted by hand."""
    owner_ballot: dict[str, str] = {}
    flats, ballots = [], {}
    for i, (a, owner, b) in enumerate(rows):
        key = f"O{owner}"
        owner_ballot.setdefault(key, b)
        flats.append(Flat(f"F{i}", a, key))
        if owner_ballot[key] != "unreachable":
            ballots[f"F{i}"] = owner_ballot[key]
    heads: dict[str, D] = {}
    for f in flats:
        heads[f.owner] = heads.get(f.owner, D(0)) + f.area
    expect = t.tally(code, [Voter(k, a, owner_ballot[k]) for k, a in heads.items()])
    assert t.tally_flats(code, flats, ballots) == expect
