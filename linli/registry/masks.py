"""The reduced masks shown to roles that may not reveal personal numbers (docs/permissions.md).

The stored masks (`3210**********1234`, `138****5678`, see `linli.core.pii`) are for roles that
may reveal anyway. Beside a birth date, that ID mask leaves two unknown digits — the checksum
cuts the 100 candidates to about 9 — so every other role sees less:

- citizen ID: the first 4 characters only (province and prefecture of registration). The
  birth date, the sequence number and the check character stay hidden, so even a known birth
  date and birthplace leave 500 candidates per region code, and the first 6 digits a hundred.
- phone: the last 4 digits only (what "尾号" means on the phone); at least 10^7 candidates.
"""

from __future__ import annotations

ID_KEPT_PREFIX = 4
PHONE_KEPT_SUFFIX = 4


def reduced_citizen_id(masked: str) -> str:
    """`3210**********1234` → `3210**************`; works from the stored mask."""
    if not masked:
        return ""
    return masked[:ID_KEPT_PREFIX] + "*" * (len(masked) - ID_KEPT_PREFIX)


def reduced_phone(masked: str) -> str:
    """`138****5678` → `*******5678`; works from the stored mask."""
    if not masked:
        return ""
    return "*" * (len(masked) - PHONE_KEPT_SUFFIX) + masked[-PHONE_KEPT_SUFFIX:]
