"""`manage.py backup [FOLDER]`: the database, uploaded files and a manifest (linli.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linli.core import backup


class Command(BaseCommand):
    help = "Back up the database, the uploaded files and a manifest into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder", nargs="?", help="a new folder (default: ./linli-backup-<date>-<time>)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"]) if options["folder"] else backup.default_folder(Path())
        try:
            result = backup.backup(folder)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {result.rows} rows in {result.tables} tables and {result.files} files "
            f"to {result.folder}"
        )
