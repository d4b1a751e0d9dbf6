"""`manage.py rotate_pii_key`: re-encrypt every protected column under a new key.

Reads the new key from LINLI_NEW_PII_KEY (never from the command line, which shell history
keeps). Decrypts each registered column with the current LINLI_PII_KEY, encrypts it with the
new key and recomputes its lookup hash, then runs the registered rotation steps (values derived
from protected data elsewhere, such as a resident user's phone hash) — all in one transaction,
so a failure leaves everything under the old key. Afterwards set LINLI_PII_KEY to the new key
and restart; `--write-local` does that for a laptop's generated key in LINLI_LOCAL_DIR.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from linli.core import pii
from linli.core.models import AuditEvent

CHUNK = 2000


def rotate(old: pii.Cipher, new: pii.Cipher) -> dict[str, int]:
    """Re-key every registered column and run the rotation steps; returns rows per column."""
    counts: dict[str, int] = {}
    for field in pii.PROTECTED:
        manager = field.model._default_manager
        columns = [field.encrypted] + ([field.hash_field] if field.hash_field else [])
        rows = manager.exclude(**{field.encrypted: ""}).only("pk", *columns).order_by("pk")
        done = 0
        batch = []
        for obj in rows.iterator(chunk_size=CHUNK):
            plain = old.decrypt(getattr(obj, field.encrypted))
            setattr(obj, field.encrypted, new.encrypt(plain))
            if field.hash_field:
                setattr(obj, field.hash_field, new.lookup_hash(field.kind, plain))
            batch.append(obj)
            if len(batch) >= CHUNK:
                manager.bulk_update(batch, columns)
                done += len(batch)
                batch = []
        if batch:
            manager.bulk_update(batch, columns)
            done += len(batch)
        counts[f"{field.model._meta.label}.{field.encrypted}"] = done
    for step in pii.ROTATION_STEPS:
        counts[step.__qualname__] = step(old, new)
    return counts


class Command(BaseCommand):
    help = "Re-encrypt citizen IDs, phones and other protected data under LINLI_NEW_PII_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--write-local",
            action="store_true",
            help="Also store the new key in LINLI_LOCAL_DIR/pii_key (laptop demo only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        new_key = os.environ.get("LINLI_NEW_PII_KEY", "")
        if len(new_key) < 32:
            raise CommandError("Set LINLI_NEW_PII_KEY to the new key (32 characters or more).")
        if new_key == settings.PII_KEY:
            raise CommandError("The new key is the current key.")
        with transaction.atomic():
            counts = rotate(pii.Cipher(settings.PII_KEY), pii.Cipher(new_key))
            AuditEvent.objects.create(
                actor=None,
                actor_label="rotate_pii_key",
                action=AuditEvent.Action.UPDATE,
                object_type="pii_key",
                object_id="pii_key",
                object_label="LINLI_PII_KEY",
                after=counts,
            )
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count}")
        if options["write_local"]:
            path = settings.LOCAL_DIR / "pii_key"
            path.write_text(new_key)
            path.chmod(0o600)
            self.stdout.write(f"New key written to {path}.")
        else:
            self.stdout.write("Done. Now set LINLI_PII_KEY to the new key and restart Linli.")
