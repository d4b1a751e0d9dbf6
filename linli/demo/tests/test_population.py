"""The demo planner on its own: no database, so these run in a blink."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from linli.demo.identities import CitizenIdFactory, PhoneFactory
from linli.demo.population import WENCHANG, WENHUI, grid_name, plan_demo
from linli.registry.validators import normalize_phone, parse_citizen_id

TODAY = dt.date(2026, 4, 17)
SMALL = dataclasses.replace(
    WENHUI, code="small", households=60, residents=170, infants=2, party_members=9
)


def _fingerprint(seed: int, today: dt.date = TODAY) -> list[tuple[object, ...]]:
    plan = plan_demo(seed=seed, today=today, specs=[SMALL, WENHUI], staff_usernames=["a"])
    return [
        (p.public_id, p.name, p.gender, p.birth_date, p.citizen_id, p.phone, p.relation)
        for community in plan.communities
        for p in community.residents()
    ]


def test_grid_names_are_written_in_chinese_numerals() -> None:
    assert [grid_name(n) for n in (1, 9, 10, 11, 20, 23)] == [
        "第一网格",
        "第九网格",
        "第十网格",
        "第十一网格",
        "第二十网格",
        "第二十三网格",
    ]


def test_the_same_seed_plans_the_same_people() -> None:
    assert _fingerprint(7) == _fingerprint(7)


def test_another_seed_plans_other_people() -> None:
    first, other = _fingerprint(7), _fingerprint(8)
    assert [row[1] for row in first] != [row[1] for row in other]


def test_another_day_keeps_the_names_and_moves_the_birth_dates() -> None:
    today, later = _fingerprint(7), _fingerprint(7, TODAY + dt.timedelta(days=100))
    assert [row[1] for row in today] == [row[1] for row in later]
    assert [row[3] for row in today] != [row[3] for row in later]


def test_a_small_community_meets_its_exact_figures() -> None:
    plan = plan_demo(seed=3, today=TODAY, specs=[SMALL])
    people = list(plan.main.residents())
    assert len(plan.main.households) == 60
    assert len(people) == 170
    assert sum(p.age < 3 for p in people) == 2
    assert sum(p.is_party_member for p in people) == 9
    assert all(1 <= len(h.members) <= 6 for h in plan.main.households)


def test_wenchang_is_planned_to_the_figures_of_the_brief() -> None:
    plan = plan_demo(seed=2026, today=TODAY, specs=[WENCHANG])
    people = list(plan.main.residents())
    assert len(plan.main.households) == 4219
    assert len(people) == 12618
    assert sum(p.age >= 60 for p in people) >= 2600
    assert sum(p.age < 3 for p in people) == 30
    assert sum(p.is_party_member for p in people) == 417
    assert {b.grid_number for b in plan.main.buildings} == set(range(1, 12))


def test_every_planned_person_has_a_consistent_birth_date_and_move_in() -> None:
    plan = plan_demo(seed=11, today=TODAY, specs=[SMALL])
    for household in plan.main.households:
        assert household.head.relation == "head"
        assert household.head.age >= 18
        for person in household.members:
            assert person.birth_date <= person.moved_in <= TODAY
            years = (
                TODAY.year
                - person.birth_date.year
                - ((TODAY.month, TODAY.day) < (person.birth_date.month, person.birth_date.day))
            )
            assert years == person.age


def test_citizen_ids_stay_valid_and_unique_when_many_share_a_birthday() -> None:
    factory = CitizenIdFactory(random.Random(1))
    birthday = dt.date(1958, 3, 21)
    numbers = [factory.issue(birthday, "M" if i % 2 else "F") for i in range(800)]
    assert len(set(numbers)) == 800
    for i, number in enumerate(numbers):
        parsed = parse_citizen_id(number)
        assert parsed.birth_date == birthday
        assert parsed.gender == ("M" if i % 2 else "F")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_demo_phone_numbers_are_valid_chinese_mobiles(seed: int) -> None:
    factory = PhoneFactory(random.Random(seed))
    numbers = [factory.issue() for _ in range(500)]
    assert len(set(numbers)) == 500
    assert all(normalize_phone(n) == n for n in numbers)
