"""The demo population, planned in memory: buildings, flats, households and people.

Planning is pure Python (no database), so it is quick to test and visibly deterministic: one
`random.Random` and one seeded `Faker("zh_CN")` drive every choice, in a fixed order. Ages are
drawn as whole years and turned into birth dates relative to `today` only at the end, so the
same seed gives the same families, names and numbers of each kind on any day; only the birth
dates (and the ID numbers that embed them) move with the calendar.

Wenchang Garden is a resettlement community of land-lost farmers: many elderly residents, few
babies, three-generation households, owners far more often than tenants. The family templates
below encode that; the exact figures of BRIEF.md (households, residents, Party members, about
30 infants) are then met exactly by construction rather than by luck.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from faker import Faker

from linli.demo.identities import CitizenIdFactory, PhoneFactory
from linli.registry.choices import DisabilityLevel, Gender, MoveReason, Relation, Tenure

T = TypeVar("T")
Template = tuple[float, str, "Callable[[], list[PersonPlan]]"]

M = Gender.MALE.value
F = Gender.FEMALE.value

# How a household came to live here, which decides tenure and move-in reasons.
ELDERLY = "elderly"  # one or two people aged 58+, perhaps with a grown-up child
MIDDLE = "middle"  # a couple whose children have left
YOUNG = "young"  # singles and young couples: riders, couriers, tenants
FAMILY = "family"  # parents with children, often three generations

TENANT_SHARE = {ELDERLY: 0.03, MIDDLE: 0.06, YOUNG: 0.40, FAMILY: 0.08}

# Share of people aged 60+ in each five-year band (60-64 … 95-99); 15 % are 80 or older.
ELDER_BANDS: tuple[float, ...] = (0.28, 0.26, 0.19, 0.115, 0.085, 0.05, 0.017, 0.003)

DISABILITY_GRADES: tuple[tuple[str, float], ...] = (
    (DisabilityLevel.GRADE_1.value, 0.15),
    (DisabilityLevel.GRADE_2.value, 0.25),
    (DisabilityLevel.GRADE_3.value, 0.30),
    (DisabilityLevel.GRADE_4.value, 0.30),
)
NEW_EMPLOYMENT_JOBS: tuple[tuple[str, float], ...] = (("外卖骑手", 0.6), ("快递员", 0.4))

CHINESE_NUMERALS = "一二三四五六七八九十"


def grid_name(number: int) -> str:
    """第一网格 … 第十一网格 (numbers 1–99)."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        text = CHINESE_NUMERALS[ones - 1]
    else:
        text = ("" if tens == 1 else CHINESE_NUMERALS[tens - 1]) + "十"
        text += CHINESE_NUMERALS[ones - 1] if ones else ""
    return f"第{text}网格"


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class CommunitySpec:
    """What one demo community must look like. Counts of tagged people are exact."""

    name: str
    code: str
    subdistrict: str
    district: str
    city: str
    area_km2: Decimal
    service_phone: str
    grids: int
    households: int
    residents: int
    towers: int
    walkup_years: tuple[int, int]
    tower_years: tuple[int, int]
    first_move_in: dt.date
    infants: int
    party_members: int
    disabled: int
    low_income: int
    unemployed: int
    new_employment: int
    land_lost_share: float
    resettled_owner_share: float
    # Relative frequency of households of 1 … 6 people (sizes are then nudged to the total).
    size_weights: tuple[float, ...] = (0.15, 0.29, 0.23, 0.19, 0.11, 0.03)
    occupancy: float = 0.94


WENCHANG = CommunitySpec(
    name="文昌花园社区",
    code="wenchang",
    subdistrict="曲江街道",
    district="广陵区",
    city="扬州市",
    area_km2=Decimal("1.28"),
    service_phone="0514-87654110",
    grids=11,
    households=4219,
    residents=12618,
    towers=12,
    walkup_years=(2005, 2009),
    tower_years=(2010, 2012),
    first_move_in=dt.date(2005, 6, 1),
    infants=30,
    party_members=417,
    disabled=220,
    low_income=160,
    unemployed=300,
    new_employment=300,
    land_lost_share=0.35,
    resettled_owner_share=0.84,
)

WENHUI = CommunitySpec(
    name="文汇社区",
    code="wenhui",
    subdistrict="曲江街道",
    district="广陵区",
    city="扬州市",
    area_km2=Decimal("0.46"),
    service_phone="0514-87654220",
    grids=2,
    households=40,
    residents=100,
    towers=0,
    walkup_years=(2005, 2006),
    tower_years=(2010, 2012),
    first_move_in=dt.date(2005, 6, 1),
    infants=1,
    party_members=4,
    disabled=2,
    low_income=1,
    unemployed=3,
    new_employment=3,
    land_lost_share=0.05,
    resettled_owner_share=0.15,
    # Only a sample of Wenhui's households is in the demo.
    occupancy=0.4,
)


@dataclass
class BuildingPlan:
    number: str
    grid_number: int
    floors: int
    units: int
    doors_per_floor: int
    has_elevator: bool
    year_built: int
    # Flats stacked above each other share a floor plan, so areas are drawn per (unit, door).
    stack_areas: dict[tuple[int, int], Decimal] = field(default_factory=dict)

    @property
    def flats(self) -> int:
        return self.floors * self.units * self.doors_per_floor


@dataclass
class PersonPlan:
    name: str
    surname: str
    gender: str
    age: int
    relation: str
    # Age of the household member this person was born to, when that member lives here too;
    # used to keep parents 20–35 years older when ages are adjusted.
    parent_age: int | None
    public_id: uuid.UUID
    birth_date: dt.date = dt.date.min
    citizen_id: str = ""
    phone: str = ""
    disability_level: str = DisabilityLevel.NONE.value
    is_low_income: bool = False
    is_unemployed: bool = False
    is_land_lost_farmer: bool = False
    is_party_member: bool = False
    is_new_employment_worker: bool = False
    notes: str = ""
    moved_in: dt.date = dt.date.min
    move_in_reason: str = MoveReason.RESETTLEMENT.value

    def flags(self) -> dict[str, bool]:
        return {
            "is_low_income": self.is_low_income,
            "is_unemployed": self.is_unemployed,
            "is_land_lost_farmer": self.is_land_lost_farmer,
            "is_party_member": self.is_party_member,
            "is_new_employment_worker": self.is_new_employment_worker,
        }


@dataclass
class HouseholdPlan:
    building_index: int
    unit_number: int
    room: str
    floor: int
    area_m2: Decimal
    kind: str
    tenure: str
    move_in_reason: str
    moved_in: dt.date
    members: list[PersonPlan]
    public_id: uuid.UUID

    @property
    def head(self) -> PersonPlan:
        return self.members[0]


@dataclass
class CommunityPlan:
    spec: CommunitySpec
    public_id: uuid.UUID
    buildings: list[BuildingPlan]
    households: list[HouseholdPlan]

    def grid_numbers(self) -> range:
        return range(1, self.spec.grids + 1)

    def residents(self) -> Iterator[PersonPlan]:
        for household in self.households:
            yield from household.members


@dataclass
class StaffPlan:
    """Names and work phones of the demo's staff accounts, keyed by username."""

    display_names: dict[str, str]
    work_phones: dict[str, str]


@dataclass
class DemoPlan:
    seed: int
    today: dt.date
    communities: list[CommunityPlan]
    staff: StaffPlan
    # The Wenchang household of grid 1 whose head gets the resident demo account.
    resident_household: HouseholdPlan

    @property
    def main(self) -> CommunityPlan:
        return self.communities[0]


def weighted_sample(
    rng: random.Random, items: Sequence[T], weight: Callable[[T], float], k: int
) -> list[T]:
    """k distinct items, each drawn with probability growing with its weight (Efraimidis–
    Spirakis keys). One random number per item keeps the stream aligned whatever the weights."""
    keyed: list[tuple[float, int]] = []
    for index, item in enumerate(items):
        u = rng.random()
        w = weight(item)
        if w > 0:
            keyed.append((u ** (1.0 / w), index))
    keyed.sort(reverse=True)
    return [items[index] for _, index in keyed[:k]]


class _Planner:
    """Draws one demo. Every helper consumes the shared random streams in a fixed order."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.today = today
        self.rng = random.Random(seed)
        # Public ids have their own stream so that adding a person changes nobody else's.
        self.uid_rng = random.Random(f"linli-demo-uuid-{seed}")
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.ids = CitizenIdFactory(self.rng)
        self.phones = PhoneFactory(self.rng)

    # ------------------------------------------------------------ small draws

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.uid_rng.getrandbits(128), version=4)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def between(self, lo: int, hi: int) -> int:
        """A whole number in [lo, hi] from exactly one random draw."""
        return lo + int(self.rng.random() * (hi - lo + 1))

    def pick(self, options: Sequence[tuple[str, float]]) -> str:
        point = self.rng.random() * sum(w for _, w in options)
        for value, w in options:
            point -= w
            if point < 0:
                return value
        return options[-1][0]

    def day_between(self, lo: dt.date, hi: dt.date) -> dt.date:
        """A day in [lo, hi] from one draw, so the stream does not depend on the range."""
        if hi <= lo:
            return lo
        return lo + dt.timedelta(days=int(self.rng.random() * ((hi - lo).days + 1)))

    def elder_age(self) -> int:
        point = self.rng.random()
        band = 0
        while band < len(ELDER_BANDS) - 1 and point >= ELDER_BANDS[band]:
            point -= ELDER_BANDS[band]
            band += 1
        return 60 + band * 5 + self.between(0, 4)

    def gender(self, female_share: float = 0.49) -> str:
        return F if self.chance(female_share) else M

    # ------------------------------------------------------------ people

    def person(
        self,
        relation: str,
        gender: str,
        age: int,
        surname: str | None = None,
        parent_age: int | None = None,
    ) -> PersonPlan:
        family = surname or self.fake.last_name()
        given = self.fake.first_name_male() if gender == M else self.fake.first_name_female()
        return PersonPlan(
            name=family + given,
            surname=family,
            gender=gender,
            age=max(0, min(age, 104)),
            relation=relation,
            parent_age=parent_age,
            public_id=self.uid(),
        )

    def head(self, age: int, female_share: float) -> PersonPlan:
        return self.person(Relation.HEAD, self.gender(female_share), age)

    def spouse(self, of: PersonPlan) -> PersonPlan:
        # Husbands are on average two or three years older than their wives.
        gap = max(-3, min(9, round(self.rng.gauss(2.5, 2.5))))
        age = of.age - gap if of.gender == M else of.age + gap
        return self.person(
            Relation.SPOUSE, F if of.gender == M else M, max(21, min(age, 100)), None
        )

    def child_age(self, parent_age: int, minimum: int = 0) -> int:
        """20–35 years younger than the parent; babies are rare in this community, so an age
        under 3 is usually drawn again among the older possibilities."""
        hi = parent_age - 20
        lo = min(hi, max(minimum, parent_age - 35))
        age = self.between(max(lo, 0), max(hi, 0))
        if age < 3 and hi >= 3 and self.chance(0.92):
            age = self.between(max(lo, 3), hi)
        return age

    def child(
        self,
        parent: PersonPlan,
        other_parent: PersonPlan | None,
        relation: str,
        minimum: int = 0,
    ) -> PersonPlan:
        father = parent if parent.gender == M else other_parent
        mother = parent if parent.gender == F else other_parent
        if father is not None and (mother is None or self.chance(0.94)):
            surname = father.surname
        elif mother is not None:
            surname = mother.surname if father is None or self.chance(0.5) else father.surname
        else:
            surname = parent.surname
        age = self.child_age(parent.age, minimum)
        return self.person(relation, self.gender(0.48), age, surname, parent_age=parent.age)

    def child_in_law(self, of: PersonPlan) -> PersonPlan:
        gap = max(-4, min(6, round(self.rng.gauss(1.5, 2.0))))
        age = of.age - gap if of.gender == M else of.age + gap
        return self.person(Relation.CHILD_IN_LAW, F if of.gender == M else M, max(21, age))

    def parents_of(self, head: PersonPlan, both: bool) -> list[PersonPlan]:
        """The head's widowed parent (usually the mother) or both parents."""
        father_age = min(99, head.age + self.between(22, 34))
        genders = [M, F] if both else [self.gender(0.66)]
        parents = []
        for gender in genders:
            if gender == M:
                parents.append(self.person(Relation.PARENT, M, father_age, head.surname))
            else:
                gap = max(-2, min(8, round(self.rng.gauss(2.5, 2.5))))
                mother_age = max(head.age + 20, father_age - gap)
                if not both:
                    mother_age = min(99, head.age + self.between(20, 33))
                parents.append(self.person(Relation.PARENT, F, min(99, mother_age)))
        return parents

    def couple(self, head_age: int, female_head: float = 0.15) -> tuple[PersonPlan, PersonPlan]:
        head = self.head(head_age, female_head)
        return head, self.spouse(head)

    def married_child_with_kids(
        self, head: PersonPlan, spouse: PersonPlan | None, grandchildren: int
    ) -> list[PersonPlan]:
        child = self.child(head, spouse, Relation.CHILD, minimum=24)
        in_law = self.child_in_law(child)
        kids = [self.child(child, in_law, Relation.GRANDCHILD) for _ in range(grandchildren)]
        return [child, in_law, *kids]

    # Household templates: head first. Shares per size are met by quota, not by chance, so
    # the age pyramid varies little from seed to seed.

    def elder_alone(self) -> list[PersonPlan]:
        return [self.head(self.elder_age(), 0.68)]

    def adult_alone(self) -> list[PersonPlan]:
        return [self.head(self.between(21, 58), 0.32)]

    def elderly_couple(self) -> list[PersonPlan]:
        return list(self.couple(self.elder_age()))

    def empty_nest(self) -> list[PersonPlan]:
        return list(self.couple(self.between(45, 59)))

    def young_couple(self) -> list[PersonPlan]:
        return list(self.couple(self.between(23, 40), 0.2))

    def elder_with_child(self) -> list[PersonPlan]:
        head = self.head(self.elder_age(), 0.66)
        return [head, self.child(head, None, Relation.CHILD, minimum=20)]

    def single_parent(self) -> list[PersonPlan]:
        head = self.head(self.between(38, 56), 0.62)
        return [head, self.child(head, None, Relation.CHILD)]

    def couple_with_child(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(26, 56))
        return [head, spouse, self.child(head, spouse, Relation.CHILD)]

    def elderly_couple_with_child(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.elder_age())
        return [head, spouse, self.child(head, spouse, Relation.CHILD, minimum=22)]

    def couple_with_parent(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(36, 62))
        return [head, spouse, *self.parents_of(head, both=False)]

    def elder_child_grandchild(self) -> list[PersonPlan]:
        head = self.head(self.elder_age(), 0.6)
        child = self.child(head, None, Relation.CHILD, minimum=24)
        return [head, child, self.child(child, None, Relation.GRANDCHILD)]

    def couple_two_children(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(30, 52))
        return [head, spouse, *(self.child(head, spouse, Relation.CHILD) for _ in range(2))]

    def couple_child_parent(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(38, 58))
        child = self.child(head, spouse, Relation.CHILD)
        return [head, spouse, child, *self.parents_of(head, both=False)]

    def couple_married_child(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(50, 66))
        child = self.child(head, spouse, Relation.CHILD, minimum=24)
        return [head, spouse, child, self.child_in_law(child)]

    def elderly_couple_child_grandchild(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.elder_age())
        child = self.child(head, spouse, Relation.CHILD, minimum=24)
        return [head, spouse, child, self.child(child, None, Relation.GRANDCHILD)]

    def three_generations(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(48, 70))
        return [head, spouse, *self.married_child_with_kids(head, spouse, 1)]

    def couple_two_children_parent(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(36, 56))
        kids = [self.child(head, spouse, Relation.CHILD) for _ in range(2)]
        return [head, spouse, *kids, *self.parents_of(head, both=False)]

    def couple_child_both_parents(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(40, 60))
        child = self.child(head, spouse, Relation.CHILD)
        return [head, spouse, child, *self.parents_of(head, both=True)]

    def three_generations_two_grandchildren(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(50, 72))
        return [head, spouse, *self.married_child_with_kids(head, spouse, 2)]

    def four_generations(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(46, 62))
        return [
            head,
            spouse,
            *self.married_child_with_kids(head, spouse, 1),
            *self.parents_of(head, both=False),
        ]

    def three_generations_younger_child(self) -> list[PersonPlan]:
        head, spouse = self.couple(self.between(50, 70))
        younger = self.child(head, spouse, Relation.CHILD, minimum=18)
        return [head, spouse, *self.married_child_with_kids(head, spouse, 1), younger]

    def templates(self) -> dict[int, tuple[Template, ...]]:
        """(share, kind, template) for each household size."""
        return {
            1: ((0.36, ELDERLY, self.elder_alone), (0.64, YOUNG, self.adult_alone)),
            2: (
                (0.27, ELDERLY, self.elderly_couple),
                (0.35, MIDDLE, self.empty_nest),
                (0.14, YOUNG, self.young_couple),
                (0.10, ELDERLY, self.elder_with_child),
                (0.14, FAMILY, self.single_parent),
            ),
            3: (
                (0.58, FAMILY, self.couple_with_child),
                (0.11, ELDERLY, self.elderly_couple_with_child),
                (0.15, FAMILY, self.couple_with_parent),
                (0.16, ELDERLY, self.elder_child_grandchild),
            ),
            4: (
                (0.42, FAMILY, self.couple_two_children),
                (0.18, FAMILY, self.couple_child_parent),
                (0.28, FAMILY, self.couple_married_child),
                (0.12, ELDERLY, self.elderly_couple_child_grandchild),
            ),
            5: (
                (0.55, FAMILY, self.three_generations),
                (0.25, FAMILY, self.couple_two_children_parent),
                (0.20, FAMILY, self.couple_child_both_parents),
            ),
            6: (
                (0.50, FAMILY, self.three_generations_two_grandchildren),
                (0.30, FAMILY, self.four_generations),
                (0.20, FAMILY, self.three_generations_younger_child),
            ),
        }

    def families(self, sizes: Sequence[int]) -> list[tuple[list[PersonPlan], str]]:
        """Members and kind of each household, templates dealt out by quota within each
        size and shuffled."""
        templates = self.templates()
        dealt: dict[int, list[tuple[str, Callable[[], list[PersonPlan]]]]] = {}
        for size, options in templates.items():
            count = sum(1 for s in sizes if s == size)
            exact = [share * count for share, _, _ in options]
            quotas = [math.floor(x) for x in exact]
            by_remainder = sorted(range(len(options)), key=lambda i: quotas[i] - exact[i])
            for i in by_remainder[: count - sum(quotas)]:
                quotas[i] += 1
            deck = [
                (kind, make)
                for (_, kind, make), quota in zip(options, quotas, strict=True)
                for _ in range(quota)
            ]
            self.rng.shuffle(deck)
            dealt[size] = deck
        families = []
        for size in sizes:
            kind, make = dealt[size].pop()
            families.append((make(), kind))
        return families

    # ------------------------------------------------------------ places

    def buildings(self, spec: CommunitySpec) -> list[BuildingPlan]:
        """Towers (phase III, with elevators) and enough six-storey walk-ups for the flats."""
        towers = [
            BuildingPlan(
                number="",
                grid_number=0,
                floors=self.between(11, 18),
                units=2,
                doors_per_floor=3 if self.chance(0.3) else 2,
                has_elevator=True,
                year_built=self.between(*spec.tower_years),
            )
            for _ in range(spec.towers)
        ]
        needed = math.ceil(spec.households / spec.occupancy)
        capacity = sum(b.flats for b in towers)
        walkups: list[BuildingPlan] = []
        while capacity < needed:
            floor_draw = self.rng.random()
            building = BuildingPlan(
                number="",
                grid_number=0,
                floors=6 if floor_draw < 0.9 else (5 if floor_draw < 0.95 else 7),
                units=3 if self.chance(0.55) else 2,
                doors_per_floor=2,
                has_elevator=False,
                year_built=self.between(*spec.walkup_years),
            )
            walkups.append(building)
            capacity += building.flats
        # Number the estate in the order it was built, walk-ups first.
        walkups.sort(key=lambda b: b.year_built)
        towers.sort(key=lambda b: b.year_built)
        buildings = walkups + towers
        running = 0
        for number, building in enumerate(buildings, start=1):
            building.number = str(number)
            building.grid_number = min(spec.grids, 1 + running * spec.grids // capacity)
            running += building.flats
            lo, hi = (85, 140) if building.has_elevator else (60, 118)
            for unit in range(1, building.units + 1):
                for door in range(1, building.doors_per_floor + 1):
                    area = lo + self.rng.random() * (hi - lo)
                    building.stack_areas[(unit, door)] = Decimal(f"{area:.2f}")
        return buildings

    def sizes(self, spec: CommunitySpec) -> list[int]:
        """Household sizes summing exactly to the resident count."""
        if not spec.households <= spec.residents <= 6 * spec.households:
            raise ValueError("residents must be between 1 and 6 per household")
        weights = [(str(size), w) for size, w in enumerate(spec.size_weights, start=1)]
        sizes = [int(self.pick(weights)) for _ in range(spec.households)]
        total = sum(sizes)
        while total != spec.residents:
            index = int(self.rng.random() * len(sizes))
            if total < spec.residents and sizes[index] < 6:
                sizes[index] += 1
                total += 1
            elif total > spec.residents and sizes[index] > 1:
                sizes[index] -= 1
                total -= 1
        return sizes

    # ------------------------------------------------------------ one community

    def community(self, spec: CommunitySpec) -> CommunityPlan:
        buildings = self.buildings(spec)
        flats = [
            (index, unit, floor, door)
            for index, b in enumerate(buildings)
            for unit in range(1, b.units + 1)
            for floor in range(1, b.floors + 1)
            for door in range(1, b.doors_per_floor + 1)
        ]
        occupied = sorted(self.rng.sample(range(len(flats)), spec.households))
        households: list[HouseholdPlan] = []
        families = self.families(self.sizes(spec))
        for flat_index, (members, kind) in zip(occupied, families, strict=True):
            b_index, unit, floor, door = flats[flat_index]
            building = buildings[b_index]
            if self.chance(TENANT_SHARE[kind]):
                tenure, reason = Tenure.TENANT.value, MoveReason.RENTAL.value
            elif self.chance(spec.resettled_owner_share):
                tenure, reason = Tenure.OWNER.value, MoveReason.RESETTLEMENT.value
            else:
                tenure, reason = Tenure.OWNER.value, MoveReason.PURCHASE.value
            households.append(
                HouseholdPlan(
                    building_index=b_index,
                    unit_number=unit,
                    room=f"{floor * 100 + door}",
                    floor=floor,
                    area_m2=building.stack_areas[(unit, door)],
                    kind=kind,
                    tenure=tenure,
                    move_in_reason=reason,
                    moved_in=dt.date.min,
                    members=members,
                    public_id=self.uid(),
                )
            )
        plan = CommunityPlan(
            spec=spec, public_id=self.uid(), buildings=buildings, households=households
        )
        people = list(plan.residents())
        self.fix_infants(people, spec.infants)
        for person in people:
            person.birth_date = self.birth_date(person.age)
        for household in households:
            self.move_in(spec, buildings[household.building_index], household)
        self.tag(spec, plan, people)
        for person in people:
            person.citizen_id = self.ids.issue(person.birth_date, person.gender)
            # Everyone from 16 has a mobile, except some of the very old.
            if person.age >= 16 and not (person.age >= 85 and self.chance(0.3)):
                person.phone = self.phones.issue()
        return plan

    def fix_infants(self, people: list[PersonPlan], target: int) -> None:
        """Exactly `target` children under 3, keeping every parent 20–35 years older."""
        infants = [p for p in people if p.age < 3]
        if len(infants) > target:
            # Age the surplus babies whose parents are old enough for it (almost all are).
            movable = [p for p in infants if p.parent_age is None or p.parent_age >= 23]
            for person in self.rng.sample(movable, min(len(movable), len(infants) - target)):
                hi = min(12, (person.parent_age or 33) - 20)
                person.age = self.between(3, hi)
        elif len(infants) < target:
            young = [
                p
                for p in people
                if 3 <= p.age <= 8
                and p.relation in (Relation.CHILD, Relation.GRANDCHILD)
                and p.parent_age is not None
                and p.parent_age <= 37
            ]
            for person in self.rng.sample(young, min(len(young), target - len(infants))):
                person.age = self.between(max(0, (person.parent_age or 0) - 35), 2)

    def birth_date(self, age: int) -> dt.date:
        """A birth date at which a person is exactly `age` today."""
        latest = years_before(self.today, age)
        earliest = years_before(self.today, age + 1) + dt.timedelta(days=1)
        return self.day_between(earliest, latest)

    def move_in(
        self, spec: CommunitySpec, building: BuildingPlan, household: HouseholdPlan
    ) -> None:
        """The household's move-in date, then each member's: born here, married in, or with
        the household."""
        ready = max(spec.first_move_in, dt.date(building.year_built, 6, 1))
        if household.move_in_reason == MoveReason.RESETTLEMENT:
            base = self.day_between(
                ready, min(self.today, dt.date(building.year_built + 2, 12, 31))
            )
        elif household.move_in_reason == MoveReason.PURCHASE:
            base = self.day_between(ready, self.today)
        else:
            base = self.day_between(max(ready, years_before(self.today, 8)), self.today)
        # Nobody heads a household of his own before 18.
        base = max(base, min(self.today, years_before(household.head.birth_date, -18)))
        household.moved_in = base
        for person in household.members:
            if person.relation == Relation.CHILD_IN_LAW:
                married = max(base, years_before(person.birth_date, -23))
                person.moved_in = min(
                    self.today, self.day_between(married, years_before(married, -4))
                )
                person.move_in_reason = MoveReason.MARRIAGE.value
            elif person.birth_date > base:
                person.moved_in = person.birth_date
                person.move_in_reason = MoveReason.BIRTH.value
            else:
                person.moved_in = base
                person.move_in_reason = household.move_in_reason
            if person.moved_in < person.birth_date:  # married in as a child: never
                person.moved_in = person.birth_date
        # A grandchild born before his parent married in stays born here, which is fine.

    def tag(self, spec: CommunitySpec, plan: CommunityPlan, people: list[PersonPlan]) -> None:
        """Recorded tags in exact numbers, drawn where they are likely."""
        by_person = {id(p): h for h in plan.households for p in h.members}

        def household(p: PersonPlan) -> HouseholdPlan:
            return by_person[id(p)]

        resettled = [
            p
            for p in people
            if p.age >= 32 and household(p).move_in_reason == MoveReason.RESETTLEMENT
        ]
        land_lost = round(spec.land_lost_share * spec.residents)
        for p in weighted_sample(
            self.rng, resettled, lambda p: 3.0 if p.age >= 50 else 1.0, land_lost
        ):
            p.is_land_lost_farmer = True

        def rider_weight(p: PersonPlan) -> float:
            if not 20 <= p.age <= 45:
                return 0.0
            w = 6.0 if p.gender == M else 1.0
            if household(p).kind == YOUNG:
                w *= 3
            return w * (2 if household(p).tenure == Tenure.TENANT else 1)

        for p in weighted_sample(self.rng, people, rider_weight, spec.new_employment):
            p.is_new_employment_worker = True
            p.notes = self.pick(NEW_EMPLOYMENT_JOBS)

        def jobless_weight(p: PersonPlan) -> float:
            if not 18 <= p.age <= 59 or p.is_new_employment_worker:
                return 0.0
            w = 3.0 if p.age >= 40 else (1.5 if p.age >= 25 else 1.0)
            return w * (2 if p.is_land_lost_farmer else 1)

        for p in weighted_sample(self.rng, people, jobless_weight, spec.unemployed):
            p.is_unemployed = True

        def disability_weight(p: PersonPlan) -> float:
            if p.age >= 80:
                return 6.0
            if p.age >= 60:
                return 3.0
            return 1.0 if p.age >= 18 else 0.3

        for p in weighted_sample(self.rng, people, disability_weight, spec.disabled):
            p.disability_level = self.pick(DISABILITY_GRADES)

        def hardship_weight(p: PersonPlan) -> float:
            w = 0.2
            if p.disability_level != DisabilityLevel.NONE:
                w += 3
            if p.is_unemployed:
                w += 2
            if p.age >= 60 and len(household(p).members) == 1:
                w += 2
            return w

        for p in weighted_sample(self.rng, people, hardship_weight, spec.low_income):
            p.is_low_income = True

        def member_weight(p: PersonPlan) -> float:
            if p.age < 18:
                return 0.0
            w = 1.7 if p.gender == M else 1.0
            if p.age >= 55:
                return w * 2.2
            if p.age >= 35:
                return w * 1.3
            return w * (1.0 if p.age >= 25 else 0.4)

        for p in weighted_sample(self.rng, people, member_weight, spec.party_members):
            p.is_party_member = True

    # ------------------------------------------------------------ staff

    def staff(self, usernames: Sequence[str]) -> StaffPlan:
        names: dict[str, str] = {}
        phones: dict[str, str] = {}
        for username in usernames:
            gender = self.gender(0.6)
            given = self.fake.first_name_male() if gender == M else self.fake.first_name_female()
            names[username] = self.fake.last_name() + given
            phones[username] = self.phones.issue()
        return StaffPlan(display_names=names, work_phones=phones)


def pick_resident_household(plan: CommunityPlan) -> HouseholdPlan:
    """The first family of grid 1 whose head is 35–65, has a mobile and lives with at least
    two others: a household worth showing in the resident portal."""
    for household in plan.households:
        head = household.head
        if (
            plan.buildings[household.building_index].grid_number == 1
            and 35 <= head.age <= 65
            and head.phone
            and len(household.members) >= 3
        ):
            return household
    raise LookupError("no household in grid 1 suits the resident demo account")


def plan_demo(
    *,
    seed: int,
    today: dt.date,
    staff_usernames: Sequence[str] = (),
    specs: Sequence[CommunitySpec] = (WENCHANG, WENHUI),
) -> DemoPlan:
    """Plan every community of the demo (the first is the main one) and its staff."""
    planner = _Planner(seed, today)
    communities = [planner.community(spec) for spec in specs]
    return DemoPlan(
        seed=seed,
        today=today,
        communities=communities,
        staff=planner.staff(staff_usernames),
        resident_household=pick_resident_household(communities[0]),
    )
