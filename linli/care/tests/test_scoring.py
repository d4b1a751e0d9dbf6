"""Scoring after GB/T 42195-2022 against hand-worked forms, every level boundary and the
adjustments; bad answers are refused naming the item. The standard comes from the tables
loaded by the data migration."""

from __future__ import annotations

import pytest

from linli.care import scoring
from linli.care.errors import CareError
from linli.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def form() -> scoring.Form:
    return scoring.load_form()


def full(form: scoring.Form) -> dict[str, int]:
    return {i.code: max(i.points) for i in form.items}


def with_total(form: scoring.Form, total: int) -> dict[str, int]:
    """Lower items from the top until the total is reached (consciousness kept above 0)."""
    answers = full(form)
    missing = 90 - total
    for item in form.items:
        if missing <= 0:
            break
        floor = 1 if item.code == "consciousness" else 0
        take = min(missing, answers[item.code] - floor)
        answers[item.code] -= take
        missing -= take
    assert sum(answers.values()) == total
    return answers


def test_the_stored_standard_has_26_items_out_of_90(form: scoring.Form) -> None:
    assert len(form.items) == 26
    assert sum(max(i.points) for i in form.items) == 90
    dims: dict[str, int] = {}
    for i in form.items:
        dims[i.dimension] = dims.get(i.dimension, 0) + 1
    assert dims == {"self_care": 8, "mobility": 4, "mental": 9, "perception": 5}


def test_hand_worked_form_mildly_impaired(form: scoring.Form) -> None:
    # An 82-year-old: needs help bathing (2) and with stairs (1), slower walking (3), forgets
    # recent events (2), wears glasses for small print (1), does not ride the bus alone (1).
    answers = full(form) | {
        "bathing": 2,
        "stairs": 1,
        "walking": 3,
        "memory": 2,
        "vision": 1,
        "transport": 1,
    }
    result = scoring.score(form, answers)
    # self-care 32-2=30, mobility 15-2-1=12, mental 28-2=26, perception 15-1-2=12
    assert result.dimension_totals == {
        "self_care": 30,
        "mobility": 12,
        "mental": 26,
        "perception": 12,
    }
    assert result.total == 80
    assert result.level == result.base_level == "mild"


def test_hand_worked_form_severely_impaired(form: scoring.Form) -> None:
    # Bed-bound after a stroke: self-care all 1 (8), mobility 1,1,0,0 (2), mental mostly
    # intact 4,4,4,3,3,2 + 1,0 + 2 (23), perception 1,1,1,0,2 (5): total 38.
    answers = {
        c: 1
        for c in (
            "eating",
            "grooming",
            "bathing",
            "dress_upper",
            "dress_lower",
            "urine",
            "bowel",
            "toileting",
        )
    }
    answers |= {"bed_position": 1, "bed_chair": 1, "walking": 0, "stairs": 0}
    answers |= {
        "time_orientation": 4,
        "place_orientation": 4,
        "person_orientation": 4,
        "memory": 3,
        "understanding": 3,
        "expression": 2,
        "aggression": 1,
        "depression": 0,
        "consciousness": 2,
    }
    answers |= {"vision": 1, "hearing": 1, "daily_affairs": 1, "transport": 0, "social": 2}
    result = scoring.score(form, answers)
    assert result.total == 8 + 2 + 23 + 5 == 38
    assert result.level == "severe"


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (90, "intact"),
        (89, "mild"),
        (66, "mild"),
        (65, "moderate"),
        (46, "moderate"),
        (45, "severe"),
        (30, "severe"),
        (29, "lost"),
        (1, "lost"),
    ],
)
def test_every_level_boundary(form: scoring.Form, total: int, level: str) -> None:
    result = scoring.score(form, with_total(form, total))
    assert (result.total, result.level) == (total, level)


def test_coma_is_completely_lost_whatever_the_total(form: scoring.Form) -> None:
    result = scoring.score(form, full(form) | {"consciousness": 0})
    assert result.total == 88
    assert result.base_level == "mild"
    assert result.level == "lost"
    assert result.adjustments == ["coma"]


def test_dementia_or_two_risk_events_raise_one_level_once(form: scoring.Form) -> None:
    answers = with_total(form, 70)
    assert scoring.score(form, answers, dementia=True).level == "moderate"
    assert scoring.score(form, answers, risk_events=2).level == "moderate"
    assert scoring.score(form, answers, risk_events=1).level == "mild"
    both = scoring.score(form, answers, dementia=True, risk_events=3)
    assert both.level == "moderate"  # alternatives: one grade, not two
    assert both.adjustments == ["dementia", "risk_events"]
    assert scoring.score(form, with_total(form, 10), dementia=True).level == "lost"  # capped


def test_a_missing_answer_is_refused_naming_the_item(form: scoring.Form) -> None:
    answers = full(form)
    del answers["memory"]
    with pytest.raises(DomainError) as exc:
        scoring.score(form, answers)
    assert exc.value.code == CareError.ITEM_MISSING
    assert exc.value.field == "memory"
    assert "记忆" in str(exc.value.message)


@pytest.mark.parametrize(
    ("code", "value"), [("stairs", 4), ("aggression", 2), ("eating", -1), ("vision", "x")]
)
def test_an_out_of_range_answer_is_refused_naming_the_item(
    form: scoring.Form, code: str, value: object
) -> None:
    with pytest.raises(DomainError) as exc:
        scoring.score(form, full(form) | {code: value})
    assert exc.value.code == CareError.ITEM_OUT_OF_RANGE
    assert exc.value.field == code


def test_the_cut_offs_are_data(form: scoring.Form) -> None:
    from linli.care.models import LevelBand

    LevelBand.objects.filter(level="mild").update(min_total=70)
    LevelBand.objects.filter(level="moderate").update(max_total=69)
    assert scoring.score(scoring.load_form(), with_total(form, 68)).level == "moderate"
