"""Personal data at rest: encryption, keyed lookup hashes and masking (PIPL; DESIGN.md rule 10).

Citizen IDs and phone numbers are stored encrypted (Fernet, AES-128-CBC + HMAC-SHA256) with a
separate keyed hash (HMAC-SHA256) for exact lookup and de-duplication, and a masked copy for
display. Both keys derive from `settings.PII_KEY` so one secret protects the lot; rotating it
means re-encrypting (see docs/architecture.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"linli-pii-v1", info=purpose).derive(
        settings.PII_KEY.encode()
    )


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"encrypt")))


@lru_cache(maxsize=4)
def _hmac_key(key: str) -> bytes:
    return _derive(b"lookup")


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(settings.PII_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    return _fernet(settings.PII_KEY).decrypt(token.encode()).decode()


def lookup_hash(kind: str, normalized: str) -> str:
    """Keyed hash for exact lookup; `kind` separates ID numbers from phones."""
    if not normalized:
        return ""
    mac = hmac.new(_hmac_key(settings.PII_KEY), f"{kind}:{normalized}".encode(), hashlib.sha256)
    return mac.hexdigest()


def mask_citizen_id(value: str) -> str:
    """`321002199001011234` → `3210**********1234` (first 4 and last 4 kept)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """`13812345678` → `138****5678` (first 3 and last 4 kept)."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
