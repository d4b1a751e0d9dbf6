"""`manage.py seed_demo [--reset] [--if-empty] [--seed N]`: build the Wenchang Garden demo."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils.translation import gettext as _

from linli.demo.builder import DEFAULT_SEED, DemoSummary, build_demo, demo_present, reset_demo
from linli.demo.tables import display_width, pad
from linli.registry.choices import Tag
from linli.registry.models import Building, Grid, Household, Resident, Unit


class Command(BaseCommand):
    help = (
        "Build the Wenchang Garden demo (4,219 households, 12,618 residents, a second "
        "community and one account per role). Refuses to touch a non-empty registry unless "
        "--reset is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the registry, all accounts, the audit trail and everything that "
            "depends on them first.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Build only when there is no community yet; otherwise do nothing.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same people (default {DEFAULT_SEED}).",
        )

    def handle(self, *args: Any, reset: bool, if_empty: bool, seed: int, **options: Any) -> None:
        if reset and if_empty:
            raise CommandError(_("--reset and --if-empty contradict each other; give one."))
        if demo_present():
            if if_empty:
                self.stdout.write(_("The demo data is already there; nothing to do."))
                return
            if not reset:
                raise CommandError(
                    _(
                        "The database already holds communities or demo accounts. Run "
                        "`seed_demo --reset` to replace everything with the demo (this deletes "
                        "the registry, all accounts and the audit trail), or `seed_demo "
                        "--if-empty` to keep what is there."
                    )
                )
        started = time.perf_counter()
        with transaction.atomic():
            deleted = reset_demo() if reset else 0
            summary = build_demo(seed=seed)
        if connection.vendor == "postgresql":
            # Fresh statistics: without them the planner expects one row per table and picks
            # nested loops that turn a 60 ms dashboard figure into seconds. VACUUM also sets
            # the visibility map (what autovacuum gives a live database), without which a
            # list page's count reads every heap page: 8 ms instead of 0.5 for the residents.
            # VACUUM cannot run inside a transaction (a test's), where ANALYZE does.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elapsed = time.perf_counter() - started
        if reset:
            self.stdout.write(_("Deleted %(rows)d existing rows.") % {"rows": deleted})
        self._report(summary, elapsed)

    def _report(self, summary: DemoSummary, elapsed: float) -> None:
        labels: list[tuple[str, str]] = [
            ("households", str(Household._meta.verbose_name_plural)),
            ("residents", str(Resident._meta.verbose_name_plural)),
            ("grids", str(Grid._meta.verbose_name_plural)),
            ("buildings", str(Building._meta.verbose_name_plural)),
            ("units", str(Unit._meta.verbose_name_plural)),
            ("aged_60_plus", str(Tag.ELDERLY.label)),
            ("aged_80_plus", str(Tag.OVER_80.label)),
            ("infants", str(Tag.INFANT.label)),
            ("disabled", str(Tag.DISABLED.label)),
            ("low_income", str(Tag.LOW_INCOME.label)),
            ("unemployed", str(Tag.UNEMPLOYED.label)),
            ("land_lost", str(Tag.LAND_LOST.label)),
            ("party_members", str(Tag.PARTY_MEMBER.label)),
            ("new_employment", str(Tag.NEW_EMPLOYMENT.label)),
        ]
        width = max(display_width(label) for _key, label in labels)
        for figures in summary.communities:
            self.stdout.write(self.style.MIGRATE_HEADING(figures.name))
            for key, label in labels:
                self.stdout.write(f"  {pad(label, width)}  {getattr(figures, key):>6,}")
        for domain, domain_figures in summary.domains.items():
            self.stdout.write(self.style.MIGRATE_HEADING(domain))
            for label, value in domain_figures.items():
                self.stdout.write(f"  {label}: {value:,}")
        self.stdout.write(
            _("Demo accounts: %(count)d (seed %(seed)d); list them with `manage.py demo_logins`.")
            % {"count": summary.accounts, "seed": summary.seed}
        )
        self.stdout.write(
            self.style.SUCCESS(_("Built the demo in %(seconds).1f s.") % {"seconds": elapsed})
        )
