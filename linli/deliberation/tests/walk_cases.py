"""Deliberation in the persona walk: staff of the community (grid A's worker for building A)
see the scene's matter, meeting, notice, votes and elevator project; the resident of A1 sees his
building's matter, notice and vote through the portal; nobody else does."""

from __future__ import annotations

from typing import Any

from linli.deliberation.tests.scene import build_scene
from linli.testing.walk import Case, Scene, sees

STAFF = ("admin", "worker_a", "organiser", "viewer", "district")
EXPORTERS = ("admin", "worker_a", "organiser", "viewer")


def build(scene: Scene) -> Any:
    return build_scene(scene.world, scene.actor("admin"))


def obj(name: str) -> Any:
    return lambda s: {"public_id": getattr(s.deliberation, name).public_id}


CASES = {
    "deliberation:matter": Case(obj("matter"), expect=sees(*STAFF)),
    "deliberation:meeting": Case(obj("meeting"), expect=sees(*STAFF)),
    "deliberation:notice": Case(obj("notice"), expect=sees(*STAFF)),
    "deliberation:vote": Case(obj("vote"), expect=sees(*STAFF)),
    "deliberation:vote_export": Case(obj("vote"), expect=sees(*EXPORTERS)),
    "deliberation:project": Case(obj("project"), expect=sees(*STAFF)),
    "deliberation:consent_form": Case(obj("project"), expect=sees(*STAFF)),
    "deliberation:my_notice": Case(obj("notice"), expect=sees("resident_user")),
    "deliberation:my_vote": Case(obj("building_vote"), expect=sees("resident_user")),
    "deliberation:portal": Case(expect=sees("resident_user")),
    "deliberation:checkin": Case(obj("meeting"), expect=sees("resident_user")),
    "deliberation:new": [
        Case({"kind": kind}, label=kind, expect=sees("admin", "organiser", "other_admin"))
        for kind in ("matter", "meeting", "notice", "vote", "project")
    ],
    "/api/deliberation/matters/{public_id}": Case(
        obj("matter"), expect=sees(*STAFF, "resident_user")
    ),
    "/api/deliberation/notices/{public_id}/objections": Case(obj("notice")),
    "/api/deliberation/votes/{public_id}": Case(
        obj("building_vote"), expect=sees(*STAFF, "resident_user")
    ),
    "/api/deliberation/votes/{public_id}/ballots": Case(obj("vote")),
    "/api/deliberation/votes/{public_id}/what-if": Case(obj("vote")),
    "/api/deliberation/projects/{public_id}": Case(obj("project"), expect=sees(*STAFF)),
}
