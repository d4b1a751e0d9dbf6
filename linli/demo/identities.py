"""Believable, valid and unique personal numbers for the demo population.

Citizen ID numbers follow GB 11643-1999 (Yangzhou region codes, the embedded birth date, the
17th digit's parity for gender, the check character) and mobile numbers use prefixes that
`phonenumbers` accepts for region CN, so that every demo record passes the same validation a
real import would. Both factories draw a fixed number of random values per call and settle
collisions by stepping, never by drawing again: the same seed therefore yields the same numbers
whatever date the demo is built on.
"""

from __future__ import annotations

import datetime as dt
import random

from linli.registry.validators import id_check_char

# Yangzhou's county-level region codes and how often each appears in the demo. Most residents
# were registered in Guangling district, where the community lies.
YANGZHOU_REGIONS: tuple[tuple[str, float], ...] = (
    ("321002", 0.52),  # 广陵区
    ("321003", 0.14),  # 邗江区
    ("321012", 0.11),  # 江都区
    ("321023", 0.07),  # 宝应县
    ("321081", 0.07),  # 仪征市
    ("321084", 0.09),  # 高邮市
)

# Mobile prefixes of the three carriers that `phonenumbers` accepts as CN mobiles.
MOBILE_PREFIXES: tuple[str, ...] = (
    "138", "139", "150", "151", "152", "158", "159", "186", "187", "188",
    "135", "136", "137", "182", "183", "177", "199", "130", "131", "133", "189",
)  # fmt: skip


def weighted_choice(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    """One draw from (value, weight) pairs; always consumes exactly one random number."""
    point = rng.random() * sum(weight for _, weight in options)
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]


class CitizenIdFactory:
    """Issues unique GB 11643 numbers. The sequence code (digits 15–17) is drawn once per
    person; when it is taken, the next free code of the same gender is used."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued: set[str] = set()

    def issue(self, birth_date: dt.date, gender: str) -> str:
        region = weighted_choice(self._rng, YANGZHOU_REGIONS)
        sequence = int(self._rng.random() * 100)
        parity_slot = int(self._rng.random() * 5)
        parity = 1 if gender == "M" else 0
        prefix = f"{region}{birth_date:%Y%m%d}"
        for attempt in range(500):
            seq = (sequence + attempt) % 100
            gender_digit = ((parity_slot + attempt // 100) % 5) * 2 + parity
            first17 = f"{prefix}{seq:02d}{gender_digit}"
            if first17 not in self._issued:
                self._issued.add(first17)
                return first17 + id_check_char(first17)
        raise RuntimeError(f"no free citizen ID sequence left for {prefix}")  # 500 twins a day


class PhoneFactory:
    """Issues unique mainland mobile numbers."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued: set[str] = set()

    def issue(self) -> str:
        prefix = MOBILE_PREFIXES[int(self._rng.random() * len(MOBILE_PREFIXES))]
        suffix = int(self._rng.random() * 100_000_000)
        while True:
            number = f"{prefix}{suffix:08d}"
            if number not in self._issued:
                self._issued.add(number)
                return number
            suffix = (suffix + 1) % 100_000_000
