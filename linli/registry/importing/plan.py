"""Checking the cleaned rows against the registry as it is now, in a handful of queries:
places exist, ID numbers are free or registered identically, no duplicates in the file. The
result is the `ImportPlan` that committing carries out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from linli.core.errors import CoreError
from linli.registry.choices import HouseholdStatus, ResidentStatus
from linli.registry.errors import RegistryError
from linli.registry.importing.cleaning import CleanRow, row_error
from linli.registry.importing.spec import COMPARED, FLAG_FIELDS, KEYS, RowError, header_of, key_of
from linli.registry.models import Building, Community, Household, Resident, Unit
from linli.registry.services import citizen_id_taken_error

# SQLite allows 999 parameters per statement; stay below it for IN (...) lookups.
IN_CHUNK = 900


@dataclass
class NewHousehold:
    building: Building
    unit: Unit
    room: str
    floor: int
    area: Decimal | None
    tenure: str
    first_row: int
    given: dict[str, Any]


@dataclass
class NewResident:
    row: CleanRow
    key: tuple[int, str]  # (unit id, room) of the household


@dataclass
class ImportPlan:
    """What committing would do, or why it cannot."""

    total_rows: int
    errors: list[RowError]
    error_rows: int
    unchanged_rows: int
    new_households: dict[tuple[int, str], NewHousehold]
    households: dict[tuple[int, str], Household]
    new_residents: list[NewResident]

    @property
    def ok_rows(self) -> int:
        return self.total_rows - self.error_rows


def chunks(items: list[Any], size: int = IN_CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _registered_by_hash(hashes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Residents (in any community: the ID number is unique nationally) holding these IDs."""
    found: dict[str, dict[str, Any]] = {}
    wanted = sorted({h for h in hashes if h})
    fields = [
        "id",
        "community_id",
        "household_id",
        "status",
        "citizen_id_hash",
        "household__building__number",
        "household__unit__number",
        "household__room",
        *(f for f, _k in COMPARED),
    ]
    for chunk in chunks(wanted):
        for r in Resident.objects.filter(citizen_id_hash__in=chunk).values(*fields):
            r["address"] = "-".join(
                str(r.pop(f))
                for f in (
                    "household__building__number",
                    "household__unit__number",
                    "household__room",
                )
            )
            found[r["citizen_id_hash"]] = r
    return found


def _residents_of(household_ids: Iterable[int]) -> dict[tuple[int, str, dt.date], dict[str, Any]]:
    """Active residents of these households by (household, name, birth date)."""
    found: dict[tuple[int, str, dt.date], dict[str, Any]] = {}
    fields = ["id", "household_id", "citizen_id_hash", *(f for f, _k in COMPARED)]
    for chunk in chunks(sorted(set(household_ids))):
        qs = Resident.objects.filter(household_id__in=chunk, status=ResidentStatus.ACTIVE)
        for r in qs.values(*fields):
            found[(r["household_id"], r["name"], r["birth_date"])] = r
    return found


def _differences(row: CleanRow, registered: dict[str, Any]) -> list[str]:
    """Column keys where the row disagrees with the registered resident."""
    assert row.data is not None
    data = row.data
    mine: dict[str, Any] = {
        "name": data.name,
        "gender": data.gender,
        "birth_date": data.birth_date,
        "relation": data.relation,
        "disability_level": data.disability_level,
        "notes": data.notes,
        "phone_hash": row.phone_hash,
        **{f: data.flags.get(f, False) for f in FLAG_FIELDS.values()},
    }
    return [key for f, key in COMPARED if mine[f] != registered[f]]


def _floor_from_room(room: str) -> int:
    # As household_create does: 301 → 3, 1201 → 12; short room numbers are on floor 1.
    digits = "".join(ch for ch in room if ch.isdigit())
    return int(digits[:-2]) if len(digits) >= 3 else 1


def resolve(community: Community, rows: list[CleanRow]) -> ImportPlan:
    """Check the cleaned rows against the registry as it is now: places exist, ID numbers are
    free (or registered identically), no duplicates in the file. A handful of queries."""
    buildings = {b.number: b for b in Building.objects.filter(community=community)}
    units = {
        (u.building_id, u.number): u
        for u in Unit.objects.filter(building__community=community).select_related("building")
    }
    active = {
        (h.unit_id, h.room): h
        for h in Household.objects.filter(
            community=community, status=HouseholdStatus.ACTIVE
        ).select_related("building", "unit")
    }
    by_hash = _registered_by_hash(r.id_hash for r in rows if r.data is not None)

    errors: list[RowError] = []
    bad_rows: set[int] = set()
    new_households: dict[tuple[int, str], NewHousehold] = {}
    households: dict[tuple[int, str], Household] = {}
    placed: list[tuple[CleanRow, tuple[int, str]]] = []

    for row in rows:
        row_errors = list(row.errors)
        key: tuple[int, str] | None = None
        building = buildings.get(row.building) if row.building else None
        if row.building and building is None:
            row_errors.append(
                row_error(
                    row.number,
                    "building",
                    RegistryError.UNKNOWN_BUILDING,
                    _("There is no building %(number)s in this community.")
                    % {"number": row.building},
                )
            )
        unit = units.get((building.id, row.unit)) if building and row.unit is not None else None
        if building and row.unit is not None and unit is None:
            row_errors.append(
                row_error(
                    row.number,
                    "unit",
                    RegistryError.UNKNOWN_UNIT,
                    _("Building %(building)s has no unit %(unit)s.")
                    % {"building": building.number, "unit": row.unit},
                )
            )
        if unit is not None and row.room and len(row.room) <= 20:
            key = (unit.id, row.room)
            if key in active:
                households[key] = active[key]
            elif key in new_households:
                first = new_households[key]
                for name, value in row.given.items():
                    if name not in first.given:
                        # The room's first row left it empty: the first row giving it wins.
                        first.given[name] = (value, row.number)
                        setattr(first, name, value)
                    elif first.given[name][0] != value:
                        row_errors.append(
                            row_error(
                                row.number,
                                name,
                                RegistryError.HOUSEHOLD_MISMATCH,
                                _("This room's %(column)s differs from row %(row)s.")
                                % {"column": header_of(name), "row": first.given[name][1]},
                            )
                        )
                if not 1 <= first.floor <= first.building.floors:
                    row_errors.append(
                        row_error(
                            row.number,
                            "floor",
                            CoreError.INVALID_NUMBER,
                            _("Floor %(floor)s does not exist in this building.")
                            % {"floor": first.floor},
                        )
                    )
            else:
                assert building is not None
                floor = row.floor if row.floor is not None else _floor_from_room(row.room)
                if not 1 <= floor <= building.floors:
                    row_errors.append(
                        row_error(
                            row.number,
                            "floor",
                            CoreError.INVALID_NUMBER,
                            _("Floor %(floor)s does not exist in this building.")
                            % {"floor": floor},
                        )
                    )
                else:
                    new_households[key] = NewHousehold(
                        building=building,
                        unit=unit,
                        room=row.room,
                        floor=floor,
                        area=row.area,
                        tenure=row.tenure,
                        first_row=row.number,
                        given={k: (v, row.number) for k, v in row.given.items()},
                    )
        if row_errors:
            errors.extend(row_errors)
            bad_rows.add(row.number)
        elif key is not None:
            placed.append((row, key))

    # Residents already registered in the households the file names, for rows without an ID.
    existing_ids = {h.id for h in households.values()}
    by_person = _residents_of(existing_ids)

    unchanged = 0
    new_residents: list[NewResident] = []
    seen_ids: dict[str, int] = {}
    seen_people: dict[tuple[tuple[int, str], str, dt.date], int] = {}

    def fail(row: CleanRow, key: str, code: str, message: str) -> None:
        errors.append(row_error(row.number, key, code, message))
        bad_rows.add(row.number)

    for row, key in placed:
        data = row.data
        assert data is not None
        person = (key, data.name, data.birth_date)
        if row.id_hash:
            if row.id_hash in seen_ids:
                fail(
                    row,
                    "citizen_id",
                    RegistryError.DUPLICATE_ID,
                    _("The same citizen ID number is in row %(row)s.")
                    % {"row": seen_ids[row.id_hash]},
                )
                continue
            seen_ids[row.id_hash] = row.number
        if person in seen_people:
            fail(
                row,
                "name",
                RegistryError.DUPLICATE_ROW,
                _("The same person (name and birth date) is in row %(row)s.")
                % {"row": seen_people[person]},
            )
            continue
        seen_people[person] = row.number

        household = households.get(key)
        registered = by_hash.get(row.id_hash) if row.id_hash else None
        if registered is None and household is not None:
            match = by_person.get((household.id, data.name, data.birth_date))
            if match is not None and (not row.id_hash or not match["citizen_id_hash"]):
                if row.id_hash:
                    fail(
                        row,
                        "citizen_id",
                        RegistryError.POSSIBLE_DUPLICATE,
                        _(
                            "A resident with this name and birth date is already registered in "
                            "this household without a citizen ID number; add the number on the "
                            "resident's page instead."
                        ),
                    )
                    continue
                registered = {**match, "status": ResidentStatus.ACTIVE}
        if registered is None:
            new_residents.append(NewResident(row=row, key=key))
            continue
        if registered.get("community_id", community.id) != community.id:
            # Another community's resident: say neither who, nor where, nor whether he still
            # lives there (issue 8 item 15).
            fail(row, "citizen_id", RegistryError.ID_TAKEN, citizen_id_taken_error(None).message)
        elif registered["status"] != ResidentStatus.ACTIVE:
            fail(
                row,
                "citizen_id",
                RegistryError.ID_MOVED_OUT,
                _(
                    "This citizen ID number belongs to a resident who has moved out; record "
                    "the return on the resident's page."
                ),
            )
        elif household is None or registered["household_id"] != household.id:
            fail(
                row,
                "citizen_id",
                RegistryError.ID_TAKEN,
                _("This citizen ID number is already registered to %(name)s (%(address)s).")
                % {"name": registered["name"], "address": registered.get("address", "")},
            )
        else:
            diff = _differences(row, registered)
            if diff:
                fail(
                    row,
                    diff[0],
                    RegistryError.RESIDENT_DIFFERS,
                    _(
                        "This resident is already registered in this household with other "
                        "details (%(columns)s); change them on the resident's page."
                    )
                    % {"columns": "、".join(header_of(k) for k in diff)},
                )
            else:
                unchanged += 1

    errors.sort(key=lambda e: (e.row, KEYS.index(key_of(e.column)) if e.column else -1))
    placed_keys = {nr.key for nr in new_residents if nr.row.number not in bad_rows}
    return ImportPlan(
        total_rows=len(rows),
        errors=errors,
        error_rows=len(bad_rows),
        unchanged_rows=unchanged,
        new_households={k: v for k, v in new_households.items() if k in placed_keys},
        households=households,
        new_residents=[nr for nr in new_residents if nr.row.number not in bad_rows],
    )
