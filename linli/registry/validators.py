"""Validation of citizen ID numbers (GB 11643-1999) and phone numbers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.errors import CoreError, DomainError
from linli.registry.errors import RegistryError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: dt.date
    gender: str  # "M" or "F", from the 17th digit (odd = male)


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def parse_citizen_id(raw: str) -> CitizenId:
    """Validate an 18-character resident ID and read its birth date and gender.

    Raises DomainError (RegistryError.INVALID_ID_FORMAT, _CHECKSUM or _BIRTH_DATE).
    """
    number = (raw or "").strip().upper().replace(" ", "")
    if not _ID_RE.match(number):
        raise DomainError(
            _("A citizen ID number has 17 digits followed by a digit or X."),
            code=RegistryError.INVALID_ID_FORMAT,
            field="citizen_id",
        )
    if id_check_char(number[:17]) != number[17]:
        raise DomainError(
            _("The citizen ID number's check character is wrong (GB 11643 checksum)."),
            code=RegistryError.INVALID_ID_CHECKSUM,
            field="citizen_id",
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise DomainError(
            _("The birth date inside the citizen ID number is not a real date."),
            code=RegistryError.INVALID_ID_BIRTH_DATE,
            field="citizen_id",
        ) from exc
    if birth.year < 1880 or birth > dates.local_today():
        raise DomainError(
            _("The birth date inside the citizen ID number is not a real date."),
            code=RegistryError.INVALID_ID_BIRTH_DATE,
            field="citizen_id",
        )
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return CitizenId(number=number, birth_date=birth, gender=gender)


def normalize_phone(raw: str) -> str:
    """Return the national digits of a valid Chinese mobile or landline number.

    Mobiles become 11 digits (`13812345678`); landlines keep their area code with a leading 0
    (`051487654321`). Raises DomainError(CoreError.INVALID_PHONE).
    """
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        parsed = phonenumbers.parse(text, settings.PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise DomainError(
            _("This is not a valid phone number."), code=CoreError.INVALID_PHONE, field="phone"
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise DomainError(
            _("This is not a valid phone number."), code=CoreError.INVALID_PHONE, field="phone"
        )
    national = str(parsed.national_number)
    # Mobiles are 11 digits starting with 1; landlines get their trunk 0 back.
    return national if national.startswith("1") else "0" + national


def is_mobile(normalized: str) -> bool:
    return len(normalized) == 11 and normalized.startswith("1")
