"""Volunteering in the persona walk (`linli.testing.walk`): who sees organisations, teams,
volunteers, activities, ledgers and the store."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from linli.testing.walk import Case, Scene, Visit, everyone, sees
from linli.testing.world import LATER_PERSONAS
from linli.volunteers import points, services
from linli.volunteers.models import Activity, StoreItem, Team

OUTSIDER_PHONE = "13912345678"

STAFF = ("admin", "worker_a", "worker_b", "organiser", "care", "volunteer", "viewer", "service")
LATER = tuple(p for p in LATER_PERSONAS if p != "service")  # service staff run activities
SEES_VOLUNTEERS = ("admin", "organiser", "viewer")
ADMINS = ("admin", "other_admin")
RUNS = ("admin", "organiser")  # the activity's organiser and the community admin
BROWSE = (*STAFF, "resident_user", "other_admin")
IN_COMMUNITY = tuple(p for p in BROWSE if p != "other_admin")


def build(scene: Scene) -> Any:
    """An organisation, a team with an outside volunteer, an activity organised by `organiser`
    with the resident signed up, a store item, the resident's account and a redemption."""
    world = scene.world
    staff = scene.actor("admin")
    resident = scene.actor("resident_user")
    org = services.organisation_create(
        actor=staff,
        community_id=world.community.id,
        name="乐龄服务社",
        org_type="service",
        guiding_party_org="社区党委",
    )
    team = Team.objects.create(community=world.community, name="红马甲", kind="service")
    outsider = services.volunteer_register(
        actor=staff, community_id=world.community.id, name="周强", phone=OUTSIDER_PHONE
    )
    team.members.add(outsider)
    start = timezone.now() + dt.timedelta(days=3)
    activity = Activity.objects.create(
        community=world.community,
        title="敬老助餐",
        place="睦邻会馆",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=5,
        organiser=scene.user("organiser"),
        team=team,
    )
    signup = services.activity_signup(
        actor=resident, activity_id=activity.id, register_as_volunteer=True
    )
    item = StoreItem.objects.create(community=world.community, name="香皂", price=10, stock=5)
    account = points.account_open(
        community_id=world.community.id, resident_id=world.resident_a1.id, name="张晓"
    )
    points.points_adjust(actor=staff, account_id=account.id, points=50, reason="开户")
    redemption = points.points_redeem(actor=resident, item_id=item.id)
    scene.person("outsider volunteer", phone=OUTSIDER_PHONE)
    return SimpleNamespace(
        org=org,
        team=team,
        outsider=outsider,
        activity=activity,
        signup=signup,
        item=item,
        account=account,
        redemption=redemption,
        own_volunteer=signup.volunteer,
    )


def checkin_button_only_for_who_runs_it(visit: Visit) -> None:
    """Organisers see their activity's participants; nobody else does."""
    shown = 'data-testid="open-checkin"' in visit.text()
    assert shown == (visit.persona in RUNS), f"check-in button shown: {shown}"


org = lambda s: {"organisation_id": s.volunteers.org.id}  # noqa: E731
team = lambda s: {"team_id": s.volunteers.team.id}  # noqa: E731
outsider = lambda s: {"public_id": s.volunteers.outsider.public_id}  # noqa: E731
own = lambda s: {"public_id": s.volunteers.own_volunteer.public_id}  # noqa: E731
activity = lambda s: {"activity_id": s.volunteers.activity.id}  # noqa: E731
signup = lambda s: {"public_id": s.volunteers.signup.public_id}  # noqa: E731
account = lambda s: {"account_id": s.volunteers.account.id}  # noqa: E731
item = lambda s: {"item_id": s.volunteers.item.id}  # noqa: E731
redemption = lambda s: {"public_id": s.volunteers.redemption.public_id}  # noqa: E731


def signup_step(step: str) -> Any:
    return lambda s: {**signup(s), "step": step}


CASES = {
    "volunteers:home": Case(
        expect=sees(*STAFF, "other_admin", other=302) | dict.fromkeys(LATER, 404)
    ),
    "volunteers:organisations": Case(expect=sees(*STAFF, "other_admin")),
    "volunteers:organisation": Case(org, expect=sees(*STAFF)),
    "volunteers:teams": Case(expect=sees(*STAFF, "other_admin")),
    "volunteers:team": Case(team, expect=sees(*STAFF)),
    "volunteers:volunteers": Case(expect=sees(*SEES_VOLUNTEERS, "other_admin")),
    "volunteers:volunteer": [
        Case(outsider, label="outsider", expect=sees(*SEES_VOLUNTEERS)),
        Case(own, label="own", expect=sees(*SEES_VOLUNTEERS, "resident_user")),
    ],
    "volunteers:certificate": Case(outsider, expect=sees(*SEES_VOLUNTEERS)),
    "volunteers:volunteer_new": Case(expect=sees(*ADMINS)),
    "volunteers:activities": Case(expect=sees(*BROWSE)),
    "volunteers:activity": Case(
        activity, expect=sees(*IN_COMMUNITY), check=checkin_button_only_for_who_runs_it
    ),
    "volunteers:activity_new": Case(expect=sees(*ADMINS, "organiser", "volunteer", "service")),
    "volunteers:signup": Case(activity),
    "volunteers:checkin": Case(activity, expect=sees(*RUNS)),
    "volunteers:self_check": [
        Case(
            lambda s: {**activity(s), "token": s.volunteers.activity.checkin_token}, label="token"
        ),
        Case(lambda s: {**activity(s), "token": "wrong"}, label="wrong token"),
    ],
    "volunteers:signup_cancel": Case(signup),
    "volunteers:signup_step": [
        Case(signup_step(st), label=st, write=True) for st in ("in", "out", "confirm", "nothing")
    ],
    "volunteers:leaderboard": Case(expect=sees(*BROWSE)),
    "volunteers:ledger": Case(account, expect=sees("admin")),
    "volunteers:me": Case(expect=sees("resident_user")),
    "volunteers:store": Case(expect=sees(*BROWSE)),
    "volunteers:counter": Case(expect=sees(*ADMINS)),
    "volunteers:store_item_edit": Case(item, expect=sees("admin")),
    "volunteers:redeem": Case(item),
    "volunteers:redemption_cancel": Case(redemption),
    "volunteers:export": [
        Case({"what": what}, label=what, expect=sees(*ADMINS))
        for what in ("volunteers", "organisations", "leaderboard", "hours")
    ],
    # The API
    "/api/volunteers/organisations": Case(expect=everyone()),
    "/api/volunteers/organisations/{organisation_id}": Case(org, expect=sees(*STAFF)),
    "/api/volunteers/organisations/{organisation_id}/advance": Case(org),
    "/api/volunteers/volunteers": Case(expect=sees(*SEES_VOLUNTEERS, "other_admin")),
    "/api/volunteers/volunteers/{public_id}": Case(outsider, expect=sees(*SEES_VOLUNTEERS)),
    "/api/volunteers/activities": Case(expect=sees(*BROWSE)),
    "/api/volunteers/activities/{activity_id}/participants": Case(activity, expect=sees(*RUNS)),
    "/api/volunteers/activities/{activity_id}/signup": Case(activity),
    "/api/volunteers/signups/{public_id}/cancel": Case(signup),
    "/api/volunteers/signups/{public_id}/check-in": Case(signup),
    "/api/volunteers/signups/{public_id}/check-out": Case(signup),
    "/api/volunteers/signups/{public_id}/confirm": Case(signup),
    "/api/volunteers/accounts/{account_id}/entries": Case(account, expect=sees("admin")),
    "/api/volunteers/accounts/{account_id}/adjust": Case(account),
    "/api/volunteers/me/points": Case(expect=sees("resident_user")),
    "/api/volunteers/me/redemptions": Case(expect=sees("resident_user")),
    "/api/volunteers/store/items": Case(expect=sees(*BROWSE)),
    "/api/volunteers/store/items/{item_id}/redeem": Case(item),
    "/api/volunteers/redemptions/{public_id}/cancel": Case(redemption),
    "/api/volunteers/leaderboard": Case(expect=sees(*BROWSE)),
}
