"""The Wenchang Garden demo as stored: figures of the brief, valid personal data, consistent
places and families, accounts for every role, and the seed_demo / demo_logins commands.

Building the demo takes a few seconds, so it is built once for this module (committed to the
test database) and wiped when the module is done; each test still runs in its own
transaction, so what a test changes is rolled back.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from linli.accounts.models import RoleAssignment, User
from linli.core import pii
from linli.core.models import AuditEvent
from linli.core.roles import Role
from linli.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, RESIDENT_USERNAME
from linli.demo.builder import DEFAULT_SEED, DemoSummary, build_demo, reset_demo
from linli.registry.choices import MoveReason, ResidentStatus
from linli.registry.models import (
    Building,
    Community,
    Grid,
    Household,
    Residency,
    Resident,
    Unit,
)
from linli.registry.validators import normalize_phone, parse_citizen_id


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        summary = build_demo(seed=DEFAULT_SEED)
    yield summary
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        reset_demo()


@pytest.fixture
def wenchang(demo: DemoSummary, db: None) -> Community:
    return Community.objects.get(code="wenchang")


# ---------------------------------------------------------------- the figures of the brief


def test_wenchang_has_exactly_the_households_and_residents_of_the_brief(
    wenchang: Community,
) -> None:
    assert Household.objects.filter(community=wenchang, status="active").count() == 4219
    assert (
        Resident.objects.filter(community=wenchang, status=ResidentStatus.ACTIVE).count() == 12618
    )
    assert list(Grid.objects.filter(community=wenchang).values_list("number", flat=True)) == list(
        range(1, 12)
    )
    assert Grid.objects.get(community=wenchang, number=11).name == "第十一网格"
    assert wenchang.subdistrict == "曲江街道"
    assert str(wenchang.area_km2) == "1.28"


def test_every_grid_has_households(wenchang: Community) -> None:
    per_grid = Counter(
        Household.objects.filter(community=wenchang).values_list(
            "building__grid__number", flat=True
        )
    )
    assert set(per_grid) == set(range(1, 12))
    assert min(per_grid.values()) > 200


def test_the_age_pyramid_is_that_of_a_resettlement_community(
    demo: DemoSummary, wenchang: Community
) -> None:
    today = timezone.localdate()
    ages = [
        _age(b, today)
        for b in Resident.objects.filter(community=wenchang).values_list("birth_date", flat=True)
    ]
    assert sum(a >= 60 for a in ages) >= 2600
    assert 300 <= sum(a >= 80 for a in ages) <= 600
    assert 25 <= sum(a < 3 for a in ages) <= 35
    assert demo.main.aged_60_plus == sum(a >= 60 for a in ages)
    assert demo.main.infants == sum(a < 3 for a in ages)


def test_recorded_tags_match_the_brief(wenchang: Community) -> None:
    people = Resident.objects.filter(community=wenchang)
    assert people.filter(is_party_member=True).count() == 417
    assert 180 <= people.exclude(disability_level="none").count() <= 260
    assert 120 <= people.filter(is_low_income=True).count() <= 200
    assert 250 <= people.filter(is_unemployed=True).count() <= 350
    assert 0.30 <= people.filter(is_land_lost_farmer=True).count() / 12618 <= 0.40
    workers = people.filter(is_new_employment_worker=True)
    assert 250 <= workers.count() <= 350
    today = timezone.localdate()
    assert all(20 <= _age(b, today) <= 45 for b in workers.values_list("birth_date", flat=True))


def test_the_second_community_is_small_and_in_the_same_subdistrict(
    demo: DemoSummary, wenchang: Community
) -> None:
    wenhui = Community.objects.get(code="wenhui")
    assert wenhui.subdistrict == wenchang.subdistrict
    assert Grid.objects.filter(community=wenhui).count() == 2
    assert 30 <= Household.objects.filter(community=wenhui).count() <= 50
    assert 80 <= Resident.objects.filter(community=wenhui).count() <= 120
    assert Building.objects.filter(community=wenhui).count() >= 2


# ---------------------------------------------------------------- personal data


def test_every_citizen_id_decrypts_to_a_valid_number_agreeing_with_the_record(
    demo: DemoSummary, db: None
) -> None:
    rows = Resident.objects.values_list(
        "citizen_id_encrypted", "citizen_id_hash", "citizen_id_masked", "birth_date", "gender"
    )
    numbers = set()
    for token, lookup, masked, birth, gender in rows:
        number = pii.decrypt(token)
        parsed = parse_citizen_id(number)
        assert parsed.birth_date == birth
        assert parsed.gender == gender
        assert number[:6] in {"321002", "321003", "321012", "321023", "321081", "321084"}
        assert lookup == pii.lookup_hash("citizen_id", number)
        assert masked == pii.mask_citizen_id(number)
        numbers.add(number)
    assert len(numbers) == len(rows) == 12718


def test_phones_are_valid_unique_and_only_for_those_aged_16_or_more(
    demo: DemoSummary, db: None
) -> None:
    today = timezone.localdate()
    phones = []
    for token, lookup, birth in Resident.objects.values_list(
        "phone_encrypted", "phone_hash", "birth_date"
    ):
        phone = pii.decrypt(token)
        if _age(birth, today) < 16:
            assert phone == "" and lookup == ""
            continue
        if phone:
            assert normalize_phone(phone) == phone
            assert lookup == pii.lookup_hash("phone", phone)
            phones.append(phone)
    assert len(phones) == len(set(phones))
    assert len(phones) > 10000


def test_names_have_pinyin_for_search(demo: DemoSummary, db: None) -> None:
    assert not Resident.objects.filter(name_pinyin="").exists()
    assert not Resident.objects.filter(name_initials="").exists()


# ---------------------------------------------------------------- places and families


def test_households_agree_with_their_building_unit_and_room(demo: DemoSummary, db: None) -> None:
    assert not Household.objects.exclude(building=F("unit__building")).exists()
    assert not Household.objects.exclude(community=F("building__community")).exists()
    assert not Resident.objects.exclude(community=F("household__community")).exists()
    for room, floor, floors, area in Household.objects.values_list(
        "room", "floor", "building__floors", "area_m2"
    ):
        assert int(room) // 100 == floor
        assert 1 <= floor <= floors
        assert area is not None and 60 <= area <= 140
    numbers = Building.objects.filter(community__code="wenchang").values_list("number", flat=True)
    assert sorted(numbers, key=int) == [str(n) for n in range(1, len(numbers) + 1)]
    assert Building.objects.filter(has_elevator=True, floors__gte=11).exists()
    assert Building.objects.filter(has_elevator=False, floors=6).count() > 80
    assert (
        Unit.objects.filter(building__has_elevator=False).count()
        >= 2 * Building.objects.filter(has_elevator=False).count()
    )


def test_every_resident_has_one_open_residency_that_starts_after_birth(
    demo: DemoSummary, db: None
) -> None:
    today = timezone.localdate()
    assert Residency.objects.filter(moved_out__isnull=True).count() == Resident.objects.count()
    assert not Residency.objects.exclude(household=F("resident__household")).exists()
    assert not Residency.objects.filter(moved_in__lt=F("resident__birth_date")).exists()
    assert not Residency.objects.filter(moved_in__gt=today).exists()
    assert not Residency.objects.filter(moved_in__lt=dt.date(2005, 6, 1)).exists()
    births = Residency.objects.filter(move_in_reason=MoveReason.BIRTH)
    assert births.exists()
    assert not births.exclude(moved_in=F("resident__birth_date")).exists()
    reasons = Counter(Residency.objects.values_list("move_in_reason", flat=True))
    assert reasons.most_common(1)[0][0] == MoveReason.RESETTLEMENT


def test_families_are_consistent(demo: DemoSummary, db: None) -> None:
    today = timezone.localdate()
    members: dict[int, list[tuple[str, str, str, int]]] = defaultdict(list)
    for household_id, name, gender, relation, birth in Resident.objects.values_list(
        "household_id", "name", "gender", "relation", "birth_date"
    ):
        members[household_id].append((name, gender, relation, _age(birth, today)))
    shared_surname = children = 0
    for people in members.values():
        assert 1 <= len(people) <= 6
        heads = [p for p in people if p[2] == "head"]
        assert len(heads) == 1
        head_name, head_gender, _, head_age = heads[0]
        assert head_age >= 18
        for name, gender, relation, age in people:
            if relation == "spouse":
                assert gender != head_gender
                assert abs(age - head_age) <= 10
            elif relation == "child":
                assert 20 <= head_age - age <= 35
                children += 1
                shared_surname += name[0] == head_name[0]
            elif relation == "grandchild":
                assert head_age - age >= 40
            elif relation == "parent":
                assert age - head_age >= 20
    assert shared_surname / children > 0.75


# ---------------------------------------------------------------- accounts


def test_every_role_has_a_demo_account(demo: DemoSummary, db: None) -> None:
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.display_name
    admin = RoleAssignment.objects.get(user__username="wenchang_admin")
    assert admin.community is not None and admin.community.code == "wenchang"
    assert admin.title == "书记"
    assert admin.user.work_phone
    grid2 = RoleAssignment.objects.get(user__username="grid2")
    assert grid2.grid is not None and grid2.grid.number == 2
    viewer = RoleAssignment.objects.get(user__username="viewer")
    assert (viewer.subdistrict, viewer.district, viewer.community) == ("曲江街道", "广陵区", None)
    wenhui = RoleAssignment.objects.get(user__username="wenhui_admin")
    assert wenhui.community is not None and wenhui.community.code == "wenhui"
    root = User.objects.get(username="root")
    assert root.is_superuser and root.is_staff
    assert not RoleAssignment.objects.filter(user=root).exists()
    assert not User.objects.filter(is_staff=True).exclude(pk=root.pk).exists()


def test_the_resident_signs_in_with_his_phone_as_head_of_a_grid_1_household(
    demo: DemoSummary, db: None
) -> None:
    user = User.objects.select_related("resident__household__building__grid").get(
        username=RESIDENT_USERNAME
    )
    resident = user.resident
    assert resident is not None
    assert resident.relation == "head"
    assert resident.household.building.grid.number == 1
    phone = pii.decrypt(resident.phone_encrypted)
    assert phone == demo.resident_phone
    assert user.phone_hash == pii.lookup_hash("phone", phone)
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.household_id) == (Role.RESIDENT, resident.household_id)
    assert assignment.community_id == resident.community_id
    assert authenticate(None, username=phone, password=DEMO_PASSWORD) == user


def test_one_audit_row_records_the_build(demo: DemoSummary, wenchang: Community) -> None:
    event = AuditEvent.objects.get(object_type="demo")
    assert (event.action, event.actor, event.actor_label) == ("import", None, "seed_demo")
    assert event.community_id == wenchang.pk
    assert event.after is not None
    assert event.after["communities"][0]["residents"] == 12618


# ---------------------------------------------------------------- commands


def test_closed_requests_and_rated_care_visits_were_followed_up(wenchang: Community) -> None:
    from linli.surveys.models import FollowUp

    lines = Counter(
        FollowUp.objects.filter(community=wenchang).values_list("service_line", flat=True)
    )
    assert lines["hotline.request"] > 100 and lines["care.visit"] > 100, lines
    answered = FollowUp.objects.filter(community=wenchang, answered=True)
    assert answered.filter(service_line="care.visit").exists()


def test_seed_demo_refuses_a_database_that_is_not_empty(demo: DemoSummary, db: None) -> None:
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_if_empty_leaves_a_built_demo_alone(demo: DemoSummary, db: None, english) -> None:
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "already" in out.getvalue()
    assert Resident.objects.count() == 12718
    assert AuditEvent.objects.filter(object_type="demo").count() == 1


def test_seed_demo_reset_rebuilds_the_same_people(demo: DemoSummary, db: None) -> None:
    before = dict(Resident.objects.values_list("public_id", "name"))
    births = dict(Resident.objects.values_list("public_id", "birth_date"))
    users = User.objects.count()  # the listed accounts and the domains' extra demo residents
    AuditEvent.objects.create(action="update", object_type="x", object_id="1")
    out = io.StringIO()
    call_command("seed_demo", "--reset", stdout=out)
    assert "12,618" in out.getvalue()
    assert Household.objects.filter(community__code="wenchang").count() == 4219
    assert Resident.objects.filter(community__code="wenchang").count() == 12618
    assert Resident.objects.filter(is_party_member=True, community__code="wenchang").count() == 417
    assert dict(Resident.objects.values_list("public_id", "name")) == before
    assert dict(Resident.objects.values_list("public_id", "birth_date")) == births
    # The reset wipes the old trail; the build writes one row for its own import (and the care
    # demo's visit logs file their Community 110 requests through the audited service).
    types = list(AuditEvent.objects.values_list("object_type", flat=True))
    assert "x" not in types
    assert types.count("demo") == 1
    assert User.objects.count() == users


def test_demo_logins_lists_every_listed_account_and_the_residents_phone(
    demo: DemoSummary, db: None
) -> None:
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for account in DEMO_ACCOUNTS:
        if account.listed and account.username != RESIDENT_USERNAME:
            assert account.username in text
    assert demo.resident_phone in text
    assert DEMO_PASSWORD in text
