"""`manage.py restore FOLDER`: a backup into an empty database, verified (linli.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linli.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this installation's empty database "
        "and storage, then check every table's row count and each personal-data column's "
        "checksum against the backup's manifest. Refuses a backup made under another "
        "LINLI_PII_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.restore(Path(options["folder"]))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {result.rows} rows in {result.tables} tables and {result.files} files; "
            "row counts and personal-data checksums match the manifest."
        )
