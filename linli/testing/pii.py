"""Scanning answers for personal data shown in full (issue 8, DESIGN.md rule 10).

`assert_no_plain_pii(text, people)` fails when `text` holds the plain citizen ID or phone of
any of `people` (the test world, residents, or key → (ID, phone) pairs), except those
`allowed`; for a reader without `registry.reveal_pii` (`may_reveal=False`, the default) it also
fails when a person's masked ID appears together with his birth date: the mask keeps 8 of 18
characters and the birth date gives 8 more, which leaves about 9 candidates after the checksum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from linli.core import pii
from linli.registry.models import Resident


@dataclass(frozen=True)
class Person:
    """The values of one person the scan looks for."""

    key: str
    citizen_id: str = ""
    phone: str = ""
    birth_date: dt.date | None = None

    @property
    def masked_id(self) -> str:
        return pii.mask_citizen_id(self.citizen_id)


def _from_resident(key: str, resident: Resident) -> Person:
    return Person(
        key=key,
        citizen_id=pii.decrypt(resident.citizen_id_encrypted),
        phone=pii.decrypt(resident.phone_encrypted),
        birth_date=resident.birth_date,
    )


def people_of(source: Any) -> list[Person]:
    """The persons to scan for, from a World (anything with `residents()`), residents, a
    mapping key → Resident or key → (citizen ID, phone), or Person values."""
    if hasattr(source, "residents") and callable(source.residents):
        source = source.residents()
    if isinstance(source, Mapping):
        found = []
        for key, value in source.items():
            if isinstance(value, Resident):
                found.append(_from_resident(str(key), value))
            elif isinstance(value, Person):
                found.append(value)
            else:
                cid, phone = value
                found.append(Person(key=str(key), citizen_id=cid, phone=phone))
        return found
    found = []
    for item in source:
        if isinstance(item, Person):
            found.append(item)
        elif isinstance(item, Resident):
            found.append(_from_resident(str(item.public_id), item))
        else:
            raise TypeError(f"cannot scan for {item!r}")
    return found


def plain_values(source: Any) -> dict[str, tuple[str, str]]:
    """Every full ID number and phone of `source` (see `people_of`), by person key."""
    return {p.key: (p.citizen_id, p.phone) for p in people_of(source)}


def birth_date_forms(day: dt.date) -> tuple[str, ...]:
    """The ways a page or an answer may write a birth date."""
    return (
        day.isoformat(),
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}年{day.month:02d}月{day.day:02d}日",
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
    )


def _keys(values: Iterable[Any]) -> set[str]:
    return {str(v.public_id) if isinstance(v, Resident) else str(v) for v in values}


def find_plain_pii(
    text: str,
    source: Any,
    *,
    allowed: Iterable[Any] = (),
    family: Iterable[Any] = (),
    may_reveal: bool = False,
) -> list[str]:
    """What `assert_no_plain_pii` would complain about, as readable lines (empty: clean)."""
    allowed_keys = _keys(allowed)
    family_keys = _keys(family)
    problems = []
    for person in people_of(source):
        if person.key in allowed_keys:
            continue
        for what, value in (("citizen ID", person.citizen_id), ("phone", person.phone)):
            if value and value not in allowed_keys and value in text:
                problems.append(f"plain {what} of {person.key} ({value})")
        if may_reveal or person.key in family_keys or not person.birth_date:
            continue
        if person.citizen_id and person.masked_id in text:
            shown = [form for form in birth_date_forms(person.birth_date) if form in text]
            if shown:
                problems.append(
                    f"masked ID of {person.key} ({person.masked_id}) shown with the birth date "
                    f"({shown[0]}): together they leave ~9 candidates"
                )
    return problems


def assert_no_plain_pii(
    text: str,
    people: Any,
    *,
    allowed: Iterable[Any] = (),
    family: Iterable[Any] = (),
    may_reveal: bool = False,
) -> None:
    """Fail when `text` shows a plain citizen ID or phone of `people` (other than the persons
    or values in `allowed`), or — unless the reader `may_reveal` — a masked ID together with
    the same person's birth date (except for the reader's `family`, whose birthdays he
    knows)."""
    problems = find_plain_pii(text, people, allowed=allowed, family=family, may_reveal=may_reveal)
    assert not problems, "personal data in the answer: " + "; ".join(problems)
