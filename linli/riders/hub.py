"""What the riders' station registers with the hub: the safety-report tile for new-employment
workers with a portal account."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from linli.core import hooks
from linli.riders.permissions import PORTAL


def register() -> None:
    hooks.register_tile(
        hooks.Tile(
            key="riders.report",
            label=gettext_lazy("Safety report"),
            url_name="riders:report_new",
            perms=(PORTAL,),
            icon="ti-motorbike",
            order=60,
        )
    )
