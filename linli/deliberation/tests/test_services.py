"""Votes, ballots, notices, projects and the API on the test world."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from linli.core import dates
from linli.core.errors import DomainError
from linli.deliberation import selectors, services
from linli.deliberation import tally as engine
from linli.deliberation.models import Ballot, BallotChange, CostShare, Elector
from linli.deliberation.tests.scene import build_scene
from linli.testing.queries import assert_constant_queries


@pytest.fixture
def scene(world: Any, admin: Any, actor_of: Any) -> Any:
    return build_scene(world, actor_of(admin))


def test_electorate_counts_heads_per_spc_art_9(scene: Any) -> None:
    electors = {e.owner_key: e for e in Elector.objects.filter(vote=scene.vote)}
    # 12 flats; 501 and 502 belong to one owner: 11 heads. The co-owned 301 is one head.
    assert len(electors) == 11
    assert electors["S-TWO"].area_cm == 7000 + 7000  # floor 5 flats are 70.00 m² each
    assert len(electors["S-TWO"].flats) == 2
    assert electors["S-COUPLE"].area_cm == 7000


def test_ballots_live_tally_thresholds_and_unanimity(scene: Any, admin: Any, actor_of: Any) -> None:
    actor = actor_of(admin)
    keys = list(Elector.objects.filter(vote=scene.vote).values_list("owner_key", flat=True))
    for key in keys[:-1]:
        services.ballot_cast(
            actor=actor, vote_public_id=scene.vote.public_id, owner_key=key, choice="agree"
        )
    t = selectors.vote_tally(scene.vote)
    assert t.main.passed  # 10 of 11 heads
    assert t.unanimity is not None and not t.unanimity.passed  # the Yangzhou add-on
    assert not t.passed
    services.ballot_cast(
        actor=actor, vote_public_id=scene.vote.public_id, owner_key=keys[-1], choice="agree"
    )
    assert selectors.vote_tally(scene.vote).passed
    # The live tally equals the engine on the same heads.
    voters = [
        engine.Voter(
            e.owner_key, e.area, getattr(getattr(e, "ballot", None), "choice", "unreachable")
        )
        for e in Elector.objects.filter(vote=scene.vote).select_related("ballot")
    ]
    assert selectors.vote_tally(scene.vote).main == engine.tally("major", voters)


def test_bad_ballots_write_nothing(scene: Any, admin: Any, actor_of: Any) -> None:
    actor = actor_of(admin)
    vid = scene.vote.public_id
    with pytest.raises(DomainError) as err:
        services.ballot_cast(actor=actor, vote_public_id=vid, owner_key="NOBODY", choice="agree")
    assert err.value.code == "not_in_electorate"
    services.ballot_cast(actor=actor, vote_public_id=vid, owner_key="S-TWO", choice="object")
    with pytest.raises(DomainError) as err:
        services.ballot_cast(actor=actor, vote_public_id=vid, owner_key="S-TWO", choice="agree")
    assert err.value.code == "second_ballot"
    with pytest.raises(DomainError) as err:
        services.ballot_cast(
            actor=actor,
            vote_public_id=vid,
            owner_key="S0",
            choice="agree",
            today=scene.vote.closes_on + dt.timedelta(days=1),
        )
    assert err.value.code == "vote_closed"
    with pytest.raises(DomainError) as err:
        services.ballot_cast(
            actor=actor, vote_public_id=vid, owner_key="S0", choice="agree", channel="proxy"
        )
    assert err.value.code == "authorisation_required"
    assert Ballot.objects.filter(vote=scene.vote).count() == 1
    # A change is kept as history.
    services.ballot_cast(
        actor=actor, vote_public_id=vid, owner_key="S-TWO", choice="agree", change=True
    )
    b = Ballot.objects.get(vote=scene.vote, elector__owner_key="S-TWO")
    assert b.choice == "agree" and b.version == 2
    assert list(BallotChange.objects.filter(ballot=b).values_list("choice", flat=True)) == [
        "object"
    ]


def test_one_ballot_per_head_is_a_database_constraint(scene: Any) -> None:
    e = Elector.objects.filter(vote=scene.vote).first()
    assert e is not None
    Ballot.objects.create(
        vote=scene.vote, elector=e, choice="agree", channel="paper", recorded_at=dates.local_now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            vote=scene.vote,
            elector=e,
            choice="object",
            channel="paper",
            recorded_at=dates.local_now(),
        )


def test_resident_votes_for_his_own_flat_only(
    scene: Any, resident_user: Any, actor_of: Any
) -> None:
    me = actor_of(resident_user)
    services.ballot_cast(actor=me, vote_public_id=scene.building_vote.public_id, choice="agree")
    b = Ballot.objects.get(vote=scene.building_vote, elector__owner_key="OA1")
    assert b.channel == "portal"
    # The staircase vote of unit 5 does not hold his flat: outside his reach.
    with pytest.raises(DomainError):
        services.ballot_cast(actor=me, vote_public_id=scene.vote.public_id, choice="agree")


def test_tally_is_constant_queries(scene: Any, admin: Any, actor_of: Any) -> None:
    actor = actor_of(admin)
    keys = list(Elector.objects.filter(vote=scene.vote).values_list("owner_key", flat=True))

    def cast(n: int) -> None:
        services.ballot_cast(
            actor=actor, vote_public_id=scene.vote.public_id, owner_key=keys[n], choice="agree"
        )

    assert_constant_queries(lambda n: selectors.vote_tally(scene.vote), [1, 4, 8], setup=cast)


def test_cost_shares_sum_to_the_owners_part(scene: Any) -> None:
    p = scene.project
    assert p.subsidy_fen == 180000 * 100  # 6 storeys: 180,000 yuan
    shares = CostShare.objects.filter(project=p)
    assert sum(s.share_fen for s in shares) == p.total_cost_fen - p.subsidy_fen
    assert sum(s.maintenance_fen for s in shares) == p.maintenance_fen


def test_project_stages_are_gated(scene: Any, admin: Any, actor_of: Any) -> None:
    actor = actor_of(admin)
    pid = scene.project.public_id
    with pytest.raises(DomainError):  # a stage skipped
        services.project_advance(actor=actor, public_id=pid, transition="post_notice")
    p = services.project_advance(actor=actor, public_id=pid, transition="consult")
    assert p.vote is not None
    with pytest.raises(DomainError) as err:
        services.project_advance(actor=actor, public_id=pid, transition="reach_consent")
    assert err.value.code == "threshold_not_met"
    for key in Elector.objects.filter(vote=p.vote).values_list("owner_key", flat=True):
        services.ballot_cast(
            actor=actor, vote_public_id=p.vote.public_id, owner_key=key, choice="agree"
        )
    p = services.project_advance(actor=actor, public_id=pid, transition="reach_consent")
    assert p.stage == "consent"
    p = services.project_advance(actor=actor, public_id=pid, transition="post_notice")
    notice = p.notices.get()
    assert (notice.ends_on - notice.starts_on).days + 1 == 7 and notice.status == "published"
    with pytest.raises(DomainError) as err:
        services.project_advance(actor=actor, public_id=pid, transition="file_approval")
    assert err.value.code == "stage_gated"


def test_objection_reply_and_overdue(scene: Any, admin: Any, actor_of: Any) -> None:
    o = scene.objection
    assert o.due_on == o.lodged_on + dt.timedelta(days=3)
    services.objection_reply(actor=actor_of(admin), public_id=o.public_id, reply="已答复")
    with pytest.raises(DomainError):
        services.objection_reply(actor=actor_of(admin), public_id=o.public_id, reply="again")


def test_notice_too_short_is_refused(scene: Any, admin: Any, actor_of: Any, world: Any) -> None:
    today = dates.local_today()
    with pytest.raises(DomainError):
        services.notice_create(
            actor=actor_of(admin),
            title="x",
            body="x",
            scope="building",
            building_id=world.building_a.pk,
            starts_on=today,
            ends_on=today + dt.timedelta(days=2),
        )


def test_matter_resolution_needs_a_resolution(scene: Any, admin: Any, actor_of: Any) -> None:
    actor = actor_of(admin)
    mid = scene.matter.public_id
    for _ in range(3):
        services.matter_complete_step(actor=actor, public_id=mid, outcome="agreed")
    with pytest.raises(DomainError) as err:
        services.matter_complete_step(actor=actor, public_id=mid, outcome="agreed")
    assert err.value.code == "stage_gated"
    services.meeting_hold(
        actor=actor, public_id=scene.meeting.public_id, minutes="纪要", attendees=6
    )
    services.decision_add(
        actor=actor, meeting_public_id=scene.meeting.public_id, text="同意", votes_for=4
    )
    m = services.matter_complete_step(actor=actor, public_id=mid, outcome="agreed")
    assert m.step == "resolution_public"


def test_tally_api(client_for: Any, admin: Any, resident_user: Any) -> None:
    body = {
        "rule": "major",
        "electorate": [
            {"flat": "101", "area": "75.50", "owner": "O1A"},
            {"flat": "102", "area": "60.25", "owner": "O1A"},
            {"flat": "201", "area": "75.50", "owner": "O2"},
            {"flat": "202", "area": "88.00", "owner": "O3"},
        ],
        "ballots": {"101": "agree", "201": "agree", "202": "abstain"},
    }
    r = client_for(admin).post(
        "/api/deliberation/tally", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 200, r.content
    assert r.json() == {
        "total_area": "299.25",
        "total_owners": 3,
        "participating_area": "299.25",
        "participating_owners": 3,
        "agreeing_area": "211.25",
        "agreeing_owners": 2,
        "participation_ok": True,
        "approval_ok": False,
        "passed": False,
    }
    bad = dict(body, ballots={"999": "agree"})
    r = client_for(admin).post(
        "/api/deliberation/tally", json.dumps(bad), content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["code"] == "not_in_electorate"
    r = client_for(resident_user).post(
        "/api/deliberation/tally", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 404
