"""What notifications and notices show in the resident hub: the notices tile, with the count
of notices the resident has not opened."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.hooks import Tile, register_tile
from linli.core.permissions import Actor
from linli.notify.models import Notification
from linli.notify.permissions import READ_NOTICES


def unread_notices(actor: Actor) -> int:
    return Notification.objects.filter(
        user_id=actor.user_id or 0, kind="notify.notice", read_at__isnull=True
    ).count()


def register() -> None:
    register_tile(
        Tile(
            key="notify.notices",
            label=_("Community notices"),
            url_name="notify:notices",
            perms=(READ_NOTICES,),
            icon="ti-speakerphone",
            order=80,
            badge=unread_notices,
        )
    )
