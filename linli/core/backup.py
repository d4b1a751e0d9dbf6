"""Backup and restore of a whole Linli installation: the database, the uploaded files and a
manifest (`manage.py backup`, `manage.py restore`; docs/operations.md).

A backup is a folder:

- `db.sqlite3` (SQLite's online backup API: a consistent copy while the app keeps serving) or
  `db.dump` (`pg_dump --format=custom` on PostgreSQL);
- `media/`: every uploaded file, read through Django's storage API (local disk or an object
  store alike);
- `manifest.json`: when, which engine, the applied migrations, every table's row count, a
  SHA-256 of each personal-data column (the encrypted columns and their lookup hashes,
  `core.pii.PROTECTED`), each file's SHA-256, and a fingerprint of LINLI_PII_KEY (a keyed
  hash, never the key).

`restore` refuses a backup made under a different LINLI_PII_KEY (the encrypted columns would
be undecryptable) and refuses a database that already holds data; after restoring it counts and
checksums again and fails loudly when anything differs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.utils import timezone

from linli.core import pii

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def key_fingerprint(key: str | None = None) -> str:
    """A keyed hash that tells whether two installations hold the same LINLI_PII_KEY."""
    return pii.cipher(key or settings.PII_KEY).lookup_hash("backup", "linli-pii-key-check")


def _tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every concrete model."""
    seen: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        seen.setdefault(meta.db_table, str(meta.pk.column) if meta.pk else "")
    return sorted(seen.items())


def _personal_columns() -> list[tuple[str, str, str]]:
    """(table, primary key column, column) of every personal-data column."""
    out: set[tuple[str, str, str]] = set()
    for entry in pii.PROTECTED:
        meta = entry.model._meta
        pk = str(meta.pk.column) if meta.pk else "id"
        for name in (entry.encrypted, entry.hash_field):
            if name:
                out.add((meta.db_table, pk, str(meta.get_field(name).column)))  # type: ignore[union-attr]
    return sorted(out)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _render(value: Any) -> bytes:
    if value is None:
        return b"\x00"
    if isinstance(value, bytes | memoryview):
        return bytes(value)
    return str(value).encode()


def measure(cursor: Any, existing: set[str]) -> dict[str, Any]:
    """Row counts of every table and SHA-256 of every personal-data column, read through a
    DB-API cursor (Django's, or a plain sqlite3/psycopg one on a restored copy)."""
    counts: dict[str, int] = {}
    for table, _pk in _tables():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {_q(table)}")
            counts[table] = int(cursor.fetchone()[0])
    sums: dict[str, str] = {}
    for table, pk, column in _personal_columns():
        if table not in existing:
            continue
        digest = hashlib.sha256()
        cursor.execute(f"SELECT {_q(pk)}, {_q(column)} FROM {_q(table)} ORDER BY {_q(pk)}")
        for row_pk, value in cursor.fetchall():
            digest.update(_render(row_pk) + b"\x1f" + _render(value) + b"\x1e")
        sums[f"{table}.{column}"] = digest.hexdigest()
    return {"row_counts": counts, "personal_data_sha256": sums}


def _current() -> dict[str, Any]:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return measure(cursor, existing)


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(dirs):
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres")]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


@dataclass(frozen=True)
class Result:
    folder: Path
    tables: int
    rows: int
    files: int


def backup(target: Path) -> Result:
    """Write a backup of this installation into the new folder `target`."""
    if connection.in_atomic_block:  # SQLite's backup would wait for this very transaction
        raise BackupError("Run a backup outside a transaction.")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; choose a new folder.")
    target.mkdir(parents=True, exist_ok=True)
    measured = _current()  # before the copy: the copy can only hold as much or more
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / "db.sqlite3") as dest:
            connection.connection.backup(dest)
        dest.close()
        engine, db_file = "sqlite", "db.sqlite3"
    elif connection.vendor == "postgresql":
        args, env = _pg_env()
        name = str(settings.DATABASES["default"]["NAME"])
        dump = target / "db.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", *args, "--file", str(dump), name],
            check=True,
            env=env,
        )
        engine, db_file = "postgresql", "db.dump"
    else:
        raise BackupError(f"backups of {connection.vendor} are not supported")
    files: dict[str, str] = {}
    media = target / "media"
    for name in _walk(default_storage):
        dest_path = media / name
        dest_path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as src, dest_path.open("wb") as out:
            shutil.copyfileobj(src, out)
        files[name] = _sha256(dest_path)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database_file": db_file,
        "migrations": _migrations(),
        "pii_key_fingerprint": key_fingerprint(),
        **measured,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    counts = manifest["row_counts"]
    assert isinstance(counts, dict)
    return Result(target, len(counts), sum(counts.values()), len(files))


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a Linli backup.")
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def check_key(manifest: dict[str, Any]) -> None:
    if manifest.get("pii_key_fingerprint") != key_fingerprint():
        raise BackupError(
            "This backup was made with a different LINLI_PII_KEY. Restoring it under this key "
            "would leave every citizen ID and phone number undecryptable. Set LINLI_PII_KEY to "
            "the key of the installation that made the backup (then rotate it with "
            "`manage.py rotate_pii_key` if you mean to change it) and run restore again."
        )


# Filled by `migrate` itself: an empty, migrated database holds these rows.
MIGRATE_FILLS = {"django_migrations", "django_content_type", "auth_permission"}


def _holding_data() -> str:
    """The first table that holds rows ("" for an empty database)."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, _pk in _tables():
            if table in existing and table not in MIGRATE_FILLS:
                cursor.execute(f"SELECT 1 FROM {_q(table)} LIMIT 1")
                if cursor.fetchone():
                    return table
    return ""


def restore(folder: Path) -> Result:
    """Restore the backup in `folder` into this installation's (empty) database and storage,
    then verify every row count and personal-data checksum against the manifest."""
    manifest = read_manifest(folder)
    check_key(manifest)
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"This backup is of {manifest['engine']}; this installation runs {connection.vendor}."
        )
    if table := _holding_data():
        raise BackupError(
            f"The database already holds data ({table}). Restore into an empty database (a new "
            "one, or drop and recreate it) so that nothing is mixed."
        )
    source = folder / manifest["database_file"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as src:
            src.backup(connection.connection)
        src.close()
    else:
        connection.close()
        args, env = _pg_env()
        name = str(settings.DATABASES["default"]["NAME"])
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                *args,
                "--dbname",
                name,
                str(source),
            ],
            check=True,
            env=env,
        )
    for name, digest in manifest["files"].items():
        path = folder / "media" / name
        if _sha256(path) != digest:
            raise BackupError(f"media/{name} differs from the manifest: the backup is damaged.")
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as handle:
            default_storage.save(name, File(handle, name=name))
    verify(manifest)
    counts = manifest["row_counts"]
    return Result(folder, len(counts), sum(counts.values()), len(manifest["files"]))


def verify(manifest: dict[str, Any]) -> None:
    """Compare this database with the manifest; raise BackupError listing every difference."""
    now = _current()
    wrong = [
        f"{table}: {manifest['row_counts'][table]} rows in the backup, {count} now"
        for table, count in now["row_counts"].items()
        if table in manifest["row_counts"] and manifest["row_counts"][table] != count
    ]
    wrong += [
        f"{column}: checksum differs"
        for column, digest in manifest["personal_data_sha256"].items()
        if now["personal_data_sha256"].get(column) != digest
    ]
    missing = set(manifest["row_counts"]) - set(now["row_counts"])
    wrong += [f"{table}: missing" for table in sorted(missing)]
    if wrong:
        raise BackupError("The restored database differs from the backup:\n" + "\n".join(wrong))


def default_folder(base: Path) -> Path:
    return base / f"linli-backup-{timezone.localtime():%Y%m%d-%H%M%S}"
