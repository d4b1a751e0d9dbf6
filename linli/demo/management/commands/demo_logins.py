"""`manage.py demo_logins`: the table of demo sign-ins, printed by `make run`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from linli.demo.accounts import DEMO_PASSWORD, demo_logins
from linli.demo.tables import render_table


class Command(BaseCommand):
    help = "Print the demo's sign-in names, the shared password, and what each account sees."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_logins()
        self.stdout.write(self.style.MIGRATE_HEADING(_("Linli demo logins")))
        self.stdout.write(
            render_table(
                [_("Login"), _("Password"), _("Role"), _("What it shows")],
                [(r.login, r.password, r.role, r.shows) for r in rows],
            )
        )
        self.stdout.write(
            _(
                "Every demo account uses the password %(password)s. The resident signs in "
                "with his phone number. These people are invented; never use this password "
                "on real data."
            )
            % {"password": DEMO_PASSWORD}
        )
