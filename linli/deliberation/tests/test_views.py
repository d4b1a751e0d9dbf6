"""Pages and plug-ins: creating from the pages, the QR check-in, the vote-opened message, the
hooks (figures, waiting items, profile panel), the export, and list pages' query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linli.core import dates, hooks, notify
from linli.deliberation import services
from linli.deliberation.models import Attendance, ElevatorProject, Matter, Vote
from linli.deliberation.tests.scene import build_scene
from linli.testing.queries import assert_constant_queries


@pytest.fixture
def scene(world: Any, admin: Any, actor_of: Any) -> Any:
    return build_scene(world, actor_of(admin))


def test_staff_create_from_the_pages(scene: Any, admin: Any, client_for: Any, world: Any) -> None:
    c = client_for(admin)
    r = c.post(
        "/deliberation/new/matter/", {"title": "停车位", "place": "12", "base_rule": "ordinary"}
    )
    assert r.status_code == 302
    assert Matter.objects.filter(title="停车位", building=world.building_a).exists()
    today = dates.local_today()
    r = c.post(
        "/deliberation/new/vote/",
        {
            "title": "全体表决",
            "place": "",
            "rule_set_code": "art278-major",
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=7),
        },
    )
    assert r.status_code == 302
    assert Vote.objects.get(title="全体表决").scope == "community"
    r = c.post("/deliberation/new/project/", {"place": "12-5", "total_cost_yuan": "550000"})
    assert r.status_code == 302
    assert ElevatorProject.objects.filter(unit=scene.unit).exists()
    r = c.post("/deliberation/new/project/", {"place": "99-1", "total_cost_yuan": "1"})
    assert r.status_code == 200 and "99" in r.content.decode()
    assert c.get("/deliberation/new/nothing/").status_code == 404


def test_resident_checks_in_by_qr_once(scene: Any, resident_user: Any, client_for: Any) -> None:
    c = client_for(resident_user)
    url = f"/deliberation/meetings/{scene.meeting.public_id}/check-in/"
    assert c.get(url).status_code == 200
    assert c.post(url, {}).status_code == 302
    assert c.post(url, {}).status_code == 200  # the second sign-in is refused on the form
    assert Attendance.objects.filter(meeting=scene.meeting).count() == 1
    scene.meeting.refresh_from_db()
    assert scene.meeting.attendees == 1


def test_vote_opened_notifies_the_owners(
    world: Any, admin: Any, actor_of: Any, resident_user: Any
) -> None:
    sent: list[notify.Message] = []
    notify.register_sink(sent.append)
    try:
        scene = build_scene(world, actor_of(admin))
    finally:
        notify._SINKS.remove(sent.append)
    building_vote = [
        m for m in sent if m.key == f"deliberation.vote_opened:{scene.building_vote.pk}"
    ]
    assert building_vote and resident_user.pk in building_vote[0].user_ids


def test_hooks(scene: Any, admin: Any, resident_user: Any, actor_of: Any, world: Any) -> None:
    me = actor_of(resident_user)
    items = next(s for s in hooks.waiting_sources_for(me) if s.domain == "deliberation").items(me)
    assert [i.kind for i in items] == ["deliberation.vote"]
    group = next(g for g in hooks.figure_groups_for(actor_of(admin)) if g.domain == "deliberation")
    figures = {
        f.key: f.value
        for f in group.provider(
            hooks.FigureQuery(frozenset({world.community.pk}), dates.this_month())
        )
    }
    assert figures["deliberation.elevators_signed"] == 0 and figures["deliberation.matters"] == 1
    services.ballot_cast(actor=me, vote_public_id=scene.building_vote.public_id, choice="agree")
    panel = next(p for p in hooks.panels_for(me) if p.key == "deliberation.ballots")
    assert panel.context(me, world.resident_a1.pk) is not None
    assert panel.context(actor_of(admin), world.resident_a1.pk) is not None


def test_export_and_pages(scene: Any, admin: Any, client_for: Any) -> None:
    c = client_for(admin)
    r = c.get(f"/deliberation/votes/{scene.vote.public_id}/consent.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    for url in (
        "/deliberation/",
        "/deliberation/matters/",
        "/deliberation/meetings/",
        "/deliberation/notices/",
        "/deliberation/votes/",
        "/deliberation/elevators/",
        f"/deliberation/elevators/{scene.project.public_id}/",
        f"/deliberation/elevators/{scene.project.public_id}/consent-form/",
        f"/deliberation/votes/{scene.vote.public_id}/?objecting=S0+S1",
    ):
        assert c.get(url).status_code == 200, url


def test_list_pages_constant_queries(
    scene: Any, admin: Any, actor_of: Any, client_for: Any, world: Any
) -> None:
    c = client_for(admin)
    actor = actor_of(admin)

    def add(n: int) -> None:
        while Matter.objects.count() < n:
            services.matter_create(
                actor=actor,
                title=f"m{Matter.objects.count()}",
                scope="building",
                building_id=world.building_a.pk,
            )
            services.notice_create(
                actor=actor,
                title="n",
                body="b",
                scope="building",
                building_id=world.building_a.pk,
                starts_on=dates.local_today(),
                ends_on=dates.local_today() + dt.timedelta(days=8),
            )

    for url in ("/deliberation/matters/", "/deliberation/notices/", "/api/deliberation/matters"):

        def get(n: int, url: str = url) -> None:
            c.get(url)

        assert_constant_queries(get, [2, 6], setup=add)


def test_funds_and_stuck_reason_from_the_project_page(
    scene: Any, admin: Any, client_for: Any, world: Any
) -> None:
    c = client_for(admin)
    url = f"/deliberation/elevators/{scene.project.public_id}/"
    r = c.post(
        url,
        {
            "action": "funds",
            "household": world.household_a1.pk,
            "pledged_yuan": "1000",
            "collected_yuan": "500.50",
        },
    )
    assert r.status_code == 302
    share = scene.project.shares.get(household=world.household_a1)
    assert (share.pledged_fen, share.collected_fen) == (100000, 50050)
    c.post(url, {"action": "stage", "transition": "consult"})
    c.post(url, {"action": "stuck", "reason": "一楼住户尚未签字"})
    scene.project.refresh_from_db()
    assert scene.project.stage == "consulting" and scene.project.stuck_reason == "一楼住户尚未签字"
    page = c.get(url).content.decode()
    assert "一楼住户尚未签字" in page
