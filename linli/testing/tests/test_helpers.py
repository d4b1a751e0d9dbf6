"""The test helpers test themselves: the personal-data scan, the query-count check, and the
persona walk catching each kind of problem it exists to catch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linli.registry.models import Resident
from linli.testing import assert_constant_queries, assert_no_plain_pii, walk
from linli.testing.factories import ResidentFactory, make_citizen_id
from linli.testing.pii import Person, find_plain_pii
from linli.testing.world import make_persona

pytestmark = pytest.mark.django_db

B1_ID = make_citizen_id(dt.date(1970, 11, 30), 4, True)


def test_the_scan_finds_plain_ids_and_phones_except_the_allowed(world):
    assert_no_plain_pii("张晓 138****0001 3210**********0134", world)
    with pytest.raises(AssertionError, match="plain phone of b1"):
        assert_no_plain_pii("王建国 13900000001", world)
    with pytest.raises(AssertionError, match="plain citizen ID of b1"):
        assert_no_plain_pii(f"<td>{B1_ID}</td>", world)
    assert_no_plain_pii("13900000001", world, allowed={"b1"})
    assert_no_plain_pii("13900000001", {"x": ("", "13900000002")})


def test_the_scan_finds_a_mask_beside_the_birth_date_for_readers_who_may_not_reveal(world):
    page = "王建国 3210**********0499 1970年11月30日"
    assert find_plain_pii(page, world, may_reveal=True) == []
    assert find_plain_pii(page, world, family={"b1"}) == []
    problems = find_plain_pii(page, world)
    assert len(problems) == 1 and "masked ID of b1" in problems[0]
    assert find_plain_pii("3210**********0499 1971-11-30", world) == []


def test_the_scan_reads_residents_and_persons_too(db):
    resident = ResidentFactory.create(phone="13611112222")
    assert isinstance(resident, Resident)
    assert resident.citizen_id_masked and resident.phone_masked == "136****2222"
    with pytest.raises(AssertionError, match="plain phone"):
        assert_no_plain_pii("call 13611112222", [resident])
    with pytest.raises(AssertionError, match="plain phone of courier"):
        assert_no_plain_pii("13655556666", [Person("courier", phone="13655556666")])


def test_constant_queries_pass_and_growing_ones_name_the_counts(world):
    counts = assert_constant_queries(lambda n: list(Resident.objects.all()[:n]), [1, 5])
    assert counts == {1: 1, 5: 1}

    def n_plus_one(n: int) -> None:
        for resident in Resident.objects.all()[:n]:
            _ = resident.household.room

    with pytest.raises(AssertionError, match=r"size 1: 2, size 4: 5"):
        assert_constant_queries(n_plus_one, [1, 4])


@pytest.fixture
def meta_walk(world: Any, settings: Any) -> Any:
    settings.ROOT_URLCONF = "linli.testing.tests.meta_root_urls"
    scene = walk.Scene(world, {"worker_b": make_persona("worker_b", world), "anonymous": None})
    routes = walk.discover_routes.__wrapped__()  # this URL configuration, not the cached one
    return scene, routes


def test_the_walk_reports_crashes_leaks_wrong_statuses_and_bad_input(meta_walk):
    scene, routes = meta_walk
    book = walk.CaseBook(
        cases={
            "meta:leak": [walk.Case({"n": 1})],
            "meta:fine": [walk.Case({"n": 1}, expect=walk.sees("admin"))],
            "meta:uncovered": [walk.Case(skip="a meta-test")],
        }
    )
    walker = walk.Walker("worker_b", scene)
    failures = "\n".join(walker.walk(routes, book))
    assert "meta:crash /meta/crash/: GET raised RuntimeError: boom" in failures
    assert "meta:leak /meta/leak/1/: plain phone of b1 (13900000001)" in failures
    assert "meta:mask /meta/mask/: masked ID of b1" not in failures  # grid B's worker may reveal
    assert "meta:fine /meta/fine/1/: GET answered 200, expected 404" in failures
    assert "GET of a missing object answered 200" in failures  # /meta/fine/987654321/
    assert "meta:form /meta/form/: POST of junk raised ValueError" in failures


def test_the_walk_names_routes_without_a_case(meta_walk, monkeypatch):
    _scene, routes = meta_walk
    monkeypatch.setattr(walk, "discover_routes", lambda: routes)
    monkeypatch.setattr(
        walk,
        "load_cases",
        lambda: walk.CaseBook(cases={"gone": [walk.Case()]}, origin={"gone": "x"}),
    )
    problems = "\n".join(walk.coverage_problems())
    assert "no walk case for meta:uncovered (/meta/uncovered/<int:n>/)" in problems
    assert '"meta:uncovered": Case(lambda s: {"n": ...}),' in problems
    assert "walk case for a route that does not exist: gone" in problems
