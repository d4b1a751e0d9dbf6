"""Recompute the doorstep jobs' monthly tallies from the earnings ledger (after a restore, or
to check them: the figures do not change when the tallies were in step)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from linli.jobs import tallies


class Command(BaseCommand):
    help = "Recompute the doorstep jobs' monthly tallies from the earnings ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--community", type=int, default=None, help="only this community id")

    def handle(self, *args: Any, **options: Any) -> None:
        count = tallies.rebuild(options["community"])
        self.stdout.write(f"{count} monthly tallies rebuilt from the ledger")
