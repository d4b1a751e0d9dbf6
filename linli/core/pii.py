"""Personal data at rest: encryption, keyed lookup hashes and masking (PIPL; DESIGN.md rule 10).

Citizen IDs and phone numbers are stored encrypted (Fernet, AES-128-CBC + HMAC-SHA256) with a
separate keyed hash (HMAC-SHA256) for exact lookup and de-duplication, and a masked copy for
display. Both keys derive from `settings.PII_KEY` so one secret protects the lot; rotating it
means re-encrypting every registered column: `manage.py rotate_pii_key`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models


class Cipher:
    """Encryption and lookup hashing under one key. The module functions below use the
    configured key; key rotation (`manage.py rotate_pii_key`) holds an old and a new one."""

    def __init__(self, key: str) -> None:
        self.fernet = Fernet(base64.urlsafe_b64encode(self._derive(key, b"encrypt")))
        self.hmac_key = self._derive(key, b"lookup")

    @staticmethod
    def _derive(key: str, purpose: bytes) -> bytes:
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"linli-pii-v1", info=purpose
        ).derive(key.encode())

    def encrypt(self, value: str) -> str:
        return self.fernet.encrypt(value.encode()).decode() if value else ""

    def decrypt(self, token: str) -> str:
        return self.fernet.decrypt(token.encode()).decode() if token else ""

    def lookup_hash(self, kind: str, normalized: str) -> str:
        if not normalized:
            return ""
        return hmac.new(self.hmac_key, f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def cipher(key: str | None = None) -> Cipher:
    return Cipher(key or settings.PII_KEY)


def encrypt(value: str) -> str:
    return cipher(settings.PII_KEY).encrypt(value)


def decrypt(token: str) -> str:
    return cipher(settings.PII_KEY).decrypt(token)


def lookup_hash(kind: str, normalized: str) -> str:
    """Keyed hash for exact lookup; `kind` separates ID numbers from phones."""
    return cipher(settings.PII_KEY).lookup_hash(kind, normalized)


@dataclass(frozen=True)
class ProtectedField:
    """An encrypted column, and the lookup-hash column computed from the same plain value."""

    model: type[models.Model]
    encrypted: str
    hash_field: str = ""
    kind: str = ""


PROTECTED: list[ProtectedField] = []
# Steps that recompute values derived from protected data held elsewhere (a user's phone hash
# comes from his resident record): called as step(old_cipher, new_cipher) after re-encryption.
ROTATION_STEPS: list[Callable[[Cipher, Cipher], int]] = []


def register_protected(
    model: type[models.Model], *, encrypted: str, hash_field: str = "", kind: str = ""
) -> None:
    """Declare an encrypted column (and its lookup hash) so key rotation re-keys it."""
    entry = ProtectedField(model=model, encrypted=encrypted, hash_field=hash_field, kind=kind)
    if entry not in PROTECTED:
        PROTECTED.append(entry)


def register_rotation_step(step: Callable[[Cipher, Cipher], int]) -> None:
    if step not in ROTATION_STEPS:
        ROTATION_STEPS.append(step)


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
