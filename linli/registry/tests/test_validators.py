import datetime as dt

import pytest

from linli.core.errors import DomainError
from linli.registry.validators import id_check_char, normalize_phone, parse_citizen_id

# Well-known valid numbers (checksums per GB 11643).
GOOD_IDS = [
    ("11010519491231002X", dt.date(1949, 12, 31), "F"),
    ("440524188001010014", dt.date(1880, 1, 1), "M"),
    ("321002195803210018", None, "M"),
]


@pytest.mark.parametrize("number,birth,gender", GOOD_IDS)
def test_valid_citizen_ids_are_accepted_with_birth_date_and_gender(number, birth, gender):
    if birth is None:  # computed check character
        number = number[:17] + id_check_char(number[:17])
    parsed = parse_citizen_id(number)
    assert parsed.gender == gender
    if birth:
        assert parsed.birth_date == birth


def test_lower_case_x_is_accepted():
    assert parse_citizen_id("11010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize(
    "number,code",
    [
        ("110105194912310021", "invalid_id_checksum"),
        ("11010519491231002", "invalid_id_format"),
        ("1101051949123100AX", "invalid_id_format"),
        ("", "invalid_id_format"),
        ("110105194902300020", None),  # 30 February
        ("110105209901010010", None),  # in the future
    ],
)
def test_bad_citizen_ids_are_refused_with_a_reason(number, code):
    if code is None:  # give it a correct checksum so the date is what fails
        number = number[:17] + id_check_char(number[:17])
        code = "invalid_id_birth_date"
    with pytest.raises(DomainError) as exc:
        parse_citizen_id(number)
    assert exc.value.code == code
    assert exc.value.field == "citizen_id"


@pytest.mark.parametrize(
    "raw,normalized",
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0514-87345678", "051487345678"),
    ],
)
def test_mobiles_and_landlines_are_normalized(raw, normalized):
    assert normalize_phone(raw) == normalized


@pytest.mark.parametrize("raw", ["12345", "1381234567", "abc", "10012345678"])
def test_bad_phones_are_refused(raw):
    with pytest.raises(DomainError) as exc:
        normalize_phone(raw)
    assert exc.value.code == "invalid_phone"


def test_a_baby_born_today_in_shanghai_is_accepted_while_utc_is_still_yesterday():
    import time_machine

    birth = dt.date(2026, 1, 2)
    first17 = f"321002{birth:%Y%m%d}001"
    with time_machine.travel(dt.datetime(2026, 1, 1, 17, 30, tzinfo=dt.UTC), tick=False):
        assert parse_citizen_id(first17 + id_check_char(first17)).birth_date == birth
