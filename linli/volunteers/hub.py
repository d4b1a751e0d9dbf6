"""What volunteering registers with the shared pages: the hub's tiles (activities, points and
the store), its waiting items (a pickup code to use, an activity tomorrow), the staff search
providers (volunteers, social organisations) and the "pickup ready" message. Constant queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import hooks
from linli.core.notify import Message, publish
from linli.core.permissions import Actor, for_actor
from linli.volunteers import selectors
from linli.volunteers.choices import RedemptionStatus, SignupStatus
from linli.volunteers.models import Redemption, SocialOrganisation
from linli.volunteers.permissions import PORTAL, VIEW, VIEW_VOLUNTEERS


def waiting_items(actor: Actor) -> list[hooks.WaitingItem]:
    items = [
        hooks.WaitingItem(
            kind="volunteers.pickup",
            title=_("Pick up %(item)s × %(n)d with code %(code)s")
            % {"item": r.item.name, "n": r.quantity, "code": r.pickup_code},
            url=reverse("volunteers:me"),
            when=r.created_at,
        )
        for r in selectors.redemptions_for_resident(actor).filter(status=RedemptionStatus.RESERVED)[
            :5
        ]
    ]
    now = timezone.now()
    soon = (
        selectors.signups_for_resident(actor)
        .filter(activity__starts_at__gte=now, activity__starts_at__lt=now + dt.timedelta(days=2))
        .exclude(status=SignupStatus.CANCELLED)
    )
    items += [
        hooks.WaitingItem(
            kind="volunteers.activity",
            title=_("Activity: %(title)s") % {"title": s.activity.title},
            url=reverse("volunteers:activity", args=[s.activity_id]),
            when=s.activity.starts_at,
        )
        for s in soon[:5]
    ]
    return items


def search_volunteers(actor: Actor, text: str, limit: int) -> list[hooks.SearchHit]:
    return [
        hooks.SearchHit(
            kind=_("Volunteer"),
            label=v.name,
            url=reverse("volunteers:volunteer", args=[v.public_id]),
            detail=v.number,
        )
        for v in selectors.volunteer_list(actor, q=text)[:limit]
    ]


def search_organisations(actor: Actor, text: str, limit: int) -> list[hooks.SearchHit]:
    rows = for_actor(actor, VIEW, SocialOrganisation.objects.all()).filter(Q(name__contains=text))
    return [
        hooks.SearchHit(
            kind=_("Organisation"),
            label=o.name,
            url=reverse("volunteers:organisation", args=[o.pk]),
            detail=o.get_stage_display(),
        )
        for o in rows.order_by("name")[:limit]
    ]


def pickup_ready(redemption: Redemption, user_id: int | None, item_name: str) -> None:
    """Tell the resident his item waits at the counter (in the redemption's transaction)."""
    if not user_id:
        return
    publish(
        Message(
            key=f"volunteers.pickup_ready:{redemption.pk}",
            kind="volunteers.pickup_ready",
            user_ids=(user_id,),
            title=_("%(item)s is ready at the counter: code %(code)s")
            % {"item": item_name, "code": redemption.pickup_code},
            url=reverse("volunteers:me"),
            community_id=redemption.community_id,
        )
    )


def register() -> None:
    for key, label, url_name, icon, order in (
        (
            "volunteers.activities",
            gettext_lazy("Activities"),
            "volunteers:activities",
            "ti-run",
            30,
        ),
        ("volunteers.points", gettext_lazy("Points and store"), "volunteers:store", "ti-gift", 40),
    ):
        hooks.register_tile(
            hooks.Tile(
                key=key, label=label, url_name=url_name, perms=(PORTAL,), icon=icon, order=order
            )
        )
    hooks.register_waiting(
        hooks.WaitingSource(domain="volunteers", perms=(PORTAL,), items=waiting_items)
    )
    hooks.register_search(
        hooks.SearchProvider(
            domain="volunteers",
            label=gettext_lazy("Volunteers"),
            perms=(VIEW_VOLUNTEERS,),
            search=search_volunteers,
            order=40,
        )
    )
    hooks.register_search(
        hooks.SearchProvider(
            domain="volunteers.organisations",
            label=gettext_lazy("Social organisations"),
            perms=(VIEW,),
            search=search_organisations,
            order=45,
        )
    )
