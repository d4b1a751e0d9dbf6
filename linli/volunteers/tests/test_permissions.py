"""Who sees which volunteering page and API answer is walked by the resolver-driven persona
walk (`linli/core/tests/test_route_walk.py`) from this app's cases in `walk_cases.py`. What stays
here: a family's accounts stay apart."""

import pytest

from linli.volunteers import points, services

pytestmark = pytest.mark.django_db


def test_a_resident_sees_only_his_own_ledger_not_his_familys(
    world, resident_user, resident_account, client_for, admin, actor_of
):
    """His son's volunteer account lives in the same household; the household grant does not
    open it to him."""
    points.points_adjust(
        actor=actor_of(admin), account_id=resident_account.id, points=40, reason="开户"
    )
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
