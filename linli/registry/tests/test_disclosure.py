"""Roles that may not reveal personal numbers cannot rebuild them (issue 8 item 2).

For every such role, the test gathers everything it can see about a resident — pages, API,
exports, searches — and counts the citizen ID numbers and phone numbers consistent with all of
it. Each count must stay at 10,000 or more. Before the fix, the masked ID (first 4 and last 4)
beside the birth date left about 9 candidates, and a search by full number confirmed the right
one: the count was 1.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable

import pytest

from linli.conftest import make_citizen_id
from linli.core import dates
from linli.core.models import AuditEvent
from linli.registry.models import Residency, Resident
from linli.registry.services import ResidentData
from linli.registry.validators import ID_CHECK, ID_WEIGHTS

BAR = 10_000
NO_REVEAL = ["organiser", "care", "viewer", "resident_user"]
BABY_BIRTH = dt.date(2023, 4, 17)


@pytest.fixture
def baby(world):
    """A child born into household A1: his move-in date is his birth date."""
    cid = make_citizen_id(BABY_BIRTH, 31, True)
    data = ResidentData(
        name="张小宝",
        gender="M",
        birth_date=BABY_BIRTH,
        relation="grandchild",
        citizen_id=cid,
        phone="13611112222",
    )
    r = Resident.objects.create(
        community_id=world.community.pk, household=world.household_a1, **data.model_fields()
    )
    Residency.objects.create(
        resident=r, household=world.household_a1, moved_in=BABY_BIRTH, move_in_reason="birth"
    )
    return r, cid, "13611112222"


def _targets(persona, world, baby):
    """(resident, full ID, full phone) of residents the persona sees but may not reveal."""
    b1 = (world.resident_b1, make_citizen_id(dt.date(1970, 11, 30), 4, True), "13900000001")
    child = (world.resident_a1_child, make_citizen_id(dt.date(1990, 6, 2), 2, True), "13800000002")
    if persona == "resident_user":
        return [child, baby]
    return [b1, baby]


# ---------------------------------------------------------------- counting candidates


def _age_window(age: int, today: dt.date) -> list[dt.date]:
    """Every birth date that gives `age` today."""
    days = []
    d = dt.date(today.year - age - 1, 1, 1)
    while d <= today:
        years = today.year - d.year - ((today.month, today.day) < (d.month, d.day))
        if years == age:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def id_candidates(known: dict[int, str], births: Iterable[dt.date], gender: str) -> int:
    """18-character GB 11643 numbers with the `known` characters (by position), a birth date
    in `births`, the gender's parity in the 17th digit, and a valid check character."""
    total = 0
    for birth in births:
        digits = f"{birth:%Y%m%d}"
        if any(known.get(6 + i, d) != d for i, d in enumerate(digits)):
            continue
        dist = {sum(int(d) * ID_WEIGHTS[6 + i] for i, d in enumerate(digits)) % 11: 1}
        for pos in [0, 1, 2, 3, 4, 5, 14, 15, 16]:
            options = [known[pos]] if pos in known else [str(n) for n in range(10)]
            if pos == 16:
                options = [o for o in options if int(o) % 2 == (1 if gender == "M" else 0)]
            nxt: dict[int, int] = {}
            for s, count in dist.items():
                for o in options:
                    key = (s + int(o) * ID_WEIGHTS[pos]) % 11
                    nxt[key] = nxt.get(key, 0) + count
            dist = nxt
        total += sum(c for s, c in dist.items() if known.get(17, ID_CHECK[s]) == ID_CHECK[s])
    return total


def phone_candidates(known: dict[int, str], length: int) -> int:
    return 10 ** (length - len(known))


def _known_chars(bodies: list[str], plain: str, alphabet: str) -> dict[int, str]:
    """Positions of `plain` that any masked token on any page gives away. A token counts if it
    agrees with `plain` wherever it shows a character (so a coincidence only makes the count
    smaller: the test errs on the strict side)."""
    known: dict[int, str] = {}
    pattern = re.compile(rf"(?<![0-9A-Z*])[{alphabet}*]{{{len(plain)}}}(?![0-9A-Z*])")
    for body in bodies:
        for token in pattern.findall(body):
            if "*" not in token and token != plain:
                continue
            if all(c == "*" or c == p for c, p in zip(token, plain, strict=True)):
                known.update({i: c for i, c in enumerate(token) if c != "*"})
    return known


def _date_forms(day: dt.date) -> list[str]:
    return [
        day.isoformat(),
        f"{day:%Y%m%d}",
        f"{day:%Y/%m/%d}",
        f"{day.year}年{day.month}月{day.day}日",
    ]


def _xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
    )


def _everything_seen(client, resident, cid, phone) -> tuple[list[str], dict, bool]:
    """Every page, API answer and export the persona can get about `resident`, the API's
    detail record, and whether any search by the full number found him."""
    h = resident.household
    bodies: list[str] = []
    urls = [
        "/",
        f"/registry/residents/{resident.public_id}/",
        f"/registry/households/{h.public_id}/",
        "/registry/residents/?status=&size=200",
        f"/registry/residents/?q={resident.name}",
        f"/registry/residents/?q={h.address}",
        "/registry/residents/?tag=infant&status=",
        "/registry/residents/?tag=elderly&status=",
        f"/api/registry/residents/{resident.public_id}",
        f"/api/registry/households/{h.public_id}",
        "/api/registry/residents?status=&page_size=200",
        f"/api/registry/residents?q={resident.name}",
        f"/api/registry/households?unit={h.unit_id}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
    for url in ("/registry/residents/export.xlsx", "/api/registry/import/export?status="):
        response = client.get(url)
        if response.status_code == 200:
            bodies.append(_xlsx_text(response.content))
    found = False
    for number in (cid, phone):
        page = client.get(f"/registry/residents/?q={number}")
        assert page.status_code == 200
        found |= f"/registry/residents/{resident.public_id}/" in page.content.decode()
        api = client.get(f"/api/registry/residents?q={number}")
        if api.status_code == 200:
            found |= any(
                row["public_id"] == str(resident.public_id) for row in api.json()["results"]
            )
    detail = client.get(f"/api/registry/residents/{resident.public_id}").json()
    return bodies, detail, found


@pytest.mark.parametrize("persona", NO_REVEAL)
def test_no_role_without_reveal_can_narrow_an_id_or_phone_below_10000(
    persona, world, baby, request, client_for
):
    client = client_for(request.getfixturevalue(persona))
    today = dates.local_today()
    for resident, cid, phone in _targets(persona, world, baby):
        bodies, detail, found_by_search = _everything_seen(client, resident, cid, phone)
        for body in bodies:
            assert cid not in body and phone not in body, (persona, resident.name)
        birth = resident.birth_date
        if detail["birth_date"] or any(f in body for body in bodies for f in _date_forms(birth)):
            births = [birth]
        else:
            births = _age_window(detail["age"], today)
            month = f"{birth:%Y-%m}"
            if any(month in body for body in bodies):
                births = [d for d in births if f"{d:%Y-%m}" == month]
        known_id = _known_chars(bodies, cid, "0-9X")
        known_phone = _known_chars(bodies, phone, "0-9")
        ids = 1 if found_by_search else id_candidates(known_id, births, resident.gender)
        phones = 1 if found_by_search else phone_candidates(known_phone, len(phone))
        assert ids >= BAR, (persona, resident.name, ids, known_id, len(births))
        assert phones >= BAR, (persona, resident.name, phones, known_phone)


def test_the_old_display_would_have_left_about_nine_candidates(world):
    """The counter itself: the stored mask beside the birth date is what the issue found."""
    cid = make_citizen_id(dt.date(1970, 11, 30), 4, True)
    known = {i: c for i, c in enumerate(cid) if i < 4 or i >= 14}
    assert 5 <= id_candidates(known, [dt.date(1970, 11, 30)], "M") <= 15


@pytest.mark.parametrize("persona", ["admin", "worker_a"])
def test_roles_that_may_reveal_still_see_birth_date_and_the_usual_masks(
    persona, world, request, client_for
):
    client = client_for(request.getfixturevalue(persona))
    r = world.resident_a1
    detail = client.get(f"/api/registry/residents/{r.public_id}").json()
    assert detail["birth_date"] == "1958-03-21"
    assert detail["citizen_id"] == r.citizen_id_masked
    assert detail["phone"] == "138****0001"
    page = client.get(f"/registry/residents/{r.public_id}/").content.decode()
    assert "1958-03-21" in page and r.citizen_id_masked in page


def test_roles_without_reveal_see_age_and_reduced_masks(world, care, client_for):
    client = client_for(care)
    r = world.resident_b1
    detail = client.get(f"/api/registry/residents/{r.public_id}").json()
    assert detail["birth_date"] is None and detail["age"] == r.age
    assert detail["citizen_id"] == "3210" + "*" * 14
    assert detail["phone"] == "*******0001"
    page = client.get(f"/registry/residents/{r.public_id}/").content.decode()
    assert 'data-testid="age"' in page and "1970-11-30" not in page


def test_the_resident_sees_his_own_numbers_and_his_familys_reduced(
    world, resident_user, client_for
):
    client = client_for(resident_user)
    own = client.get(f"/api/registry/residents/{world.resident_a1.public_id}").json()
    assert own["citizen_id"] == make_citizen_id(dt.date(1958, 3, 21), 1, True)
    assert own["birth_date"] == "1958-03-21"
    child = client.get(f"/api/registry/residents/{world.resident_a1_child.public_id}").json()
    assert child["birth_date"] is None and child["phone"] == "*******0002"


# ---------------------------------------------------------------- lookups by full number


def test_search_by_full_number_is_refused_to_roles_without_reveal(world, care, client_for):
    client = client_for(care)
    before = AuditEvent.objects.count()
    api = client.get("/api/registry/residents?q=13900000001")
    assert api.status_code == 403 and api.json()["code"] == "forbidden"
    page = client.get("/registry/residents/?q=13900000001").content.decode()
    assert 'data-testid="lookup-refused"' in page and "王建国" not in page
    assert AuditEvent.objects.count() == before


def test_search_by_full_number_is_audited_as_a_lookup(world, admin, client_for):
    client = client_for(admin)
    cid = make_citizen_id(dt.date(1970, 11, 30), 4, True)
    rows = client.get(f"/api/registry/residents?q={cid}").json()["results"]
    assert [r["name"] for r in rows] == ["王建国"]
    event = AuditEvent.objects.get(field="citizen_id_lookup")
    assert event.action == AuditEvent.Action.REVEAL
    assert event.object_id == str(world.resident_b1.public_id)
    assert cid not in str(event.after) and cid not in event.reason
    assert event.community_id == world.community.pk
    client.get("/registry/residents/?q=13700000009")  # nobody: still a lookup, still audited
    assert AuditEvent.objects.filter(field="phone_lookup").count() == 1


def test_a_lookup_finds_only_residents_whose_numbers_the_actor_may_reveal(
    world, worker_a, client_for
):
    rows = client_for(worker_a).get("/api/registry/residents?q=13900000001").json()["results"]
    assert rows == []  # 王建国 lives in grid B


def test_lookups_are_rate_limited(world, admin, client_for, settings):
    settings.REGISTRY_LOOKUPS_PER_HOUR = 3
    client = client_for(admin)
    for _ in range(3):
        assert client.get("/api/registry/residents?q=13900000001").status_code == 200
    refused = client.get("/api/registry/residents?q=13900000001")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert client.get("/registry/residents/?q=13900000001").status_code == 429
    # Other searches go on working.
    assert client.get("/api/registry/residents?q=wjg").status_code == 200
    assert AuditEvent.objects.filter(field="phone_lookup").count() == 3
