"""The generic permission walk: every persona visits every page and API endpoint of
volunteering; what lies outside the persona's scope is a 404, and no response carries a full
phone number or ID number (an outsider volunteer's phone included)."""

import datetime as dt

import pytest
from django.utils import timezone

from linli.testing import assert_no_plain_pii
from linli.volunteers import points, services
from linli.volunteers.models import Activity, StoreItem, Team

PERSONAS = [
    "admin",
    "worker_a",
    "worker_b",
    "organiser",
    "care",
    "volunteer",
    "resident_user",
    "viewer",
    "other_admin",
]
OUTSIDER_PHONE = "13912345678"

STAFF_VIEW = {"admin", "worker_a", "worker_b", "organiser", "care", "volunteer", "viewer"}
SEES_VOLUNTEERS = {"admin", "organiser", "viewer"}
MANAGES = {"admin"}


@pytest.fixture
def scene(world, admin, organiser, resident_user, actor_of):
    """An organisation, a team, an outsider volunteer, an activity organised by `organiser`
    with the resident signed up, a store item and a redemption."""
    staff = actor_of(admin)
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
        organiser=organiser,
        team=team,
    )
    signup = services.activity_signup(actor=actor_of(resident_user), activity_id=activity.id)
    item = StoreItem.objects.create(community=world.community, name="香皂", price=10, stock=5)
    account = points.account_open(
        community_id=world.community.id, resident_id=world.resident_a1.id, name="张晓"
    )
    points.points_adjust(actor=staff, account_id=account.id, points=50, reason="开户")
    redemption = points.points_redeem(actor=actor_of(resident_user), item_id=item.id)
    volunteer_for_resident = signup.volunteer
    return {
        "org": org,
        "team": team,
        "outsider": outsider,
        "activity": activity,
        "signup": signup,
        "item": item,
        "account": account,
        "redemption": redemption,
        "volunteer_for_resident": volunteer_for_resident,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_walk(persona, world, scene, request, client_for):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    own_plain = {"a1"} if persona == "resident_user" else set()

    def get(url, expected):
        response = client.get(url)
        assert response.status_code == expected, (persona, url, response.status_code)
        body = response.content.decode(errors="replace")
        assert_no_plain_pii(body, world, allowed=own_plain)
        assert OUTSIDER_PHONE not in body, (persona, url)
        return response

    in_community = persona != "other_admin"
    staff = persona in STAFF_VIEW
    resident = persona == "resident_user"
    browse = staff or resident or persona == "other_admin"

    get("/volunteers/", 200 if staff or persona == "other_admin" else 302)
    get("/volunteers/organisations/", 200 if staff or persona == "other_admin" else 404)
    get(f"/volunteers/organisations/{scene['org'].id}/", 200 if staff else 404)
    get("/volunteers/teams/", 200 if staff or persona == "other_admin" else 404)
    get(f"/volunteers/teams/{scene['team'].id}/", 200 if staff else 404)
    sees_volunteers = persona in SEES_VOLUNTEERS
    get("/volunteers/people/", 200 if sees_volunteers or persona == "other_admin" else 404)
    get(f"/volunteers/people/{scene['outsider'].public_id}/", 200 if sees_volunteers else 404)
    get(
        f"/volunteers/people/{scene['outsider'].public_id}/certificate/",
        200 if sees_volunteers else 404,
    )
    own = scene["volunteer_for_resident"]
    get(f"/volunteers/people/{own.public_id}/", 200 if sees_volunteers or resident else 404)
    any_admin = persona in {"admin", "other_admin"}
    get("/volunteers/people/new/", 200 if any_admin else 404)
    get("/volunteers/activities/", 200 if browse else 404)
    get(f"/volunteers/activities/{scene['activity'].id}/", 200 if in_community else 404)
    runs = persona in {"admin", "organiser"}
    get(f"/volunteers/activities/{scene['activity'].id}/checkin/", 200 if runs else 404)
    page = client.get(f"/volunteers/activities/{scene['activity'].id}/").content.decode()
    # Organisers see their activity's participants; nobody else does.
    assert ('data-testid="open-checkin"' in page) == runs, persona
    get(
        "/volunteers/activities/new/",
        200 if any_admin or persona in {"organiser", "volunteer"} else 404,
    )
    get("/volunteers/leaderboard/", 200 if browse else 404)
    get(f"/volunteers/ledger/{scene['account'].id}/", 200 if persona in MANAGES else 404)
    get("/volunteers/me/", 200 if resident else 404)
    get("/volunteers/store/", 200 if browse else 404)
    get(
        "/volunteers/store/counter/", 200 if persona in MANAGES or persona == "other_admin" else 404
    )
    get(f"/volunteers/store/{scene['item'].id}/edit/", 200 if persona in MANAGES else 404)
    for what in ("volunteers", "organisations", "leaderboard", "hours"):
        get(
            f"/volunteers/export/{what}.xlsx",
            200 if persona in MANAGES or persona == "other_admin" else 404,
        )

    # The API follows the same rules.
    get("/api/volunteers/organisations", 200)
    get(f"/api/volunteers/organisations/{scene['org'].id}", 200 if staff else 404)
    get("/api/volunteers/volunteers", 200 if sees_volunteers or persona == "other_admin" else 404)
    get(
        f"/api/volunteers/volunteers/{scene['outsider'].public_id}", 200 if sees_volunteers else 404
    )
    get("/api/volunteers/activities", 200 if browse else 404)
    get(f"/api/volunteers/activities/{scene['activity'].id}/participants", 200 if runs else 404)
    get(
        f"/api/volunteers/accounts/{scene['account'].id}/entries",
        200 if persona in MANAGES else 404,
    )
    get("/api/volunteers/me/points", 200 if resident else 404)
    get("/api/volunteers/me/redemptions", 200 if resident else 404)
    get("/api/volunteers/store/items", 200 if browse else 404)
    get("/api/volunteers/leaderboard", 200 if browse else 404)


def test_a_resident_sees_only_his_own_ledger_not_his_familys(
    world, scene, resident_user, client_for, admin, actor_of
):
    """His son's volunteer account lives in the same household; the household grant does not
    open it to him."""
    child = services.volunteer_register(
        actor=actor_of(admin),
        community_id=world.community.id,
        resident_public_id=world.resident_a1_child.public_id,
    )
    points.points_adjust(actor=actor_of(admin), account_id=child.account_id, points=77, reason="x")
    client = client_for(resident_user)
    assert client.get(f"/volunteers/people/{child.public_id}/").status_code == 404
    assert client.get(f"/volunteers/ledger/{child.account_id}/").status_code == 404
    body = client.get("/api/volunteers/me/points").json()
    assert body["balance"] == 40
    assert all(e["points"] != 77 for e in body["entries"])
