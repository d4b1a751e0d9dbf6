"""Community 110 (the request desk) in the persona walk (`linli.testing.walk`): who sees which
request, and which requests the list shows."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.hotline import services
from linli.hotline.models import RequestPhoto
from linli.testing.walk import Case, Scene, Visit, everyone, sees

# Which of the scene's requests each persona may see.
SEES = {
    "admin": {"a", "b"},
    "worker_a": {"a"},
    "worker_b": {"b"},
    "organiser": {"a", "b"},
    "care": set(),
    "volunteer": set(),
    "resident_user": {"a"},
    "viewer": {"a", "b", "other"},
    "other_admin": {"other"},
}
STAFF_LIST = ("admin", "worker_a", "worker_b", "organiser", "viewer", "other_admin")
WORKS = ("admin", "worker_a", "worker_b", "organiser", "other_admin")
MANAGES = ("admin", "other_admin")


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def build(scene: Scene) -> Any:
    """Request a (the resident's, grid A, with a photo), b (grid B, from the safety outpost)
    and other (the second community's, from Open311), and a duty-roster entry."""
    world = scene.world
    for community in (world.community, world.other_community):
        services.categories_ensure_defaults(actor=services.SYSTEM, community_id=community.id)
    a = services.request_file(
        actor=scene.actor("resident_user"),
        community_id=world.community.id,
        category_code="noise",
        description="楼上吵",
        channel="portal",
        household_public_id=world.household_a1.public_id,
        photos=[_photo()],
    )
    b = services.request_file(
        actor=services.SYSTEM,
        community_id=world.community.id,
        category_code="safety_hazard",
        description="楼道堆物",
        channel="safety_outpost",
        household_public_id=world.household_b1.public_id,
        reporter_phone="13900000001",
        answers={"hazard": "其他"},
    )
    other = services.request_file(
        actor=services.SYSTEM,
        community_id=world.other_community.id,
        category_code="noise",
        description="广场舞",
        channel="open311",
        reporter_phone="13700000001",
    )
    duty = services.duty_add(
        actor=scene.actor("admin"),
        community_id=world.community.id,
        grid_id=world.grid_a.id,
        user_id=scene.user("worker_a").pk,
        weekday=None,
        is_fallback=False,
    )
    return SimpleNamespace(
        requests={"a": a, "b": b, "other": other},
        photo=RequestPhoto.objects.filter(request=a).first(),
        duty=duty,
    )


def who_sees(key: str) -> tuple[str, ...]:
    return tuple(p for p, keys in SEES.items() if key in keys)


def request(key: str) -> Any:
    return lambda s: {"public_id": s.hotline.requests[key].public_id}


def per_request(among: tuple[str, ...] | None = None) -> list[Case]:
    return [
        Case(
            request(k),
            label=k,
            expect=sees(*(p for p in who_sees(k) if among is None or p in among)),
        )
        for k in ("a", "b", "other")
    ]


def lists_the_visible_requests(visit: Visit) -> None:
    """The list shows the persona's requests of the scene and none of the others (other
    apps' scenes may add requests, e.g. a rider's forwarded safety report)."""
    ids = {row["id"] for row in visit.json()["results"]}
    requests = visit.scene.hotline.requests
    want = {str(requests[k].public_id) for k in SEES[visit.persona]}
    hidden = {str(r.public_id) for k, r in requests.items() if k not in SEES[visit.persona]}
    assert want <= ids and not ids & hidden, (sorted(ids), sorted(want))


def action(name: str) -> Case:
    return Case(
        lambda s: {"public_id": s.hotline.requests["a"].public_id, "action": name},
        label=name,
        write=True,
    )


REQUEST_OPERATIONS = (
    "accept",
    "check-in",
    "resolve",
    "rate",
    "rate-from-call",
    "reopen",
    "close",
    "cancel",
    "merge",
    "reassign",
    "updates",
)

CASES = {
    "hotline:requests": Case(expect=sees(*STAFF_LIST) | {"resident_user": 302}),
    "hotline:new": Case(expect=sees(*WORKS)),
    "hotline:request": per_request(),
    "hotline:action": [
        action(name)
        for name in (
            *("accept", "check_in", "resolve", "rate", "reopen", "close", "cancel"),
            *("merge", "reassign", "note", "no-such-action"),
        )
    ],
    "hotline:photo": Case(
        lambda s: {"public_id": s.hotline.photo.public_id}, expect=sees(*who_sees("a"))
    ),
    "hotline:portal": Case(expect=sees("resident_user")),
    "hotline:portal_new": Case(
        query=lambda s: f"household={s.world.household_a1.public_id}",
        expect=sees("resident_user") | {p: 302 for p in WORKS},
    ),
    "hotline:rates": Case(expect=sees(*STAFF_LIST)),
    "hotline:rates_export": Case(expect=sees(*(p for p in STAFF_LIST if p != "organiser"))),
    "hotline:settings": Case(expect=sees(*MANAGES)),
    "hotline:category_edit": Case(lambda s: {"category_id": s.hotline.requests["a"].category_id}),
    "hotline:roster_remove": Case(lambda s: {"duty_id": s.hotline.duty.pk}),
    "hotline:board": [
        Case({"code": "wenchang"}, label="wenchang", expect=everyone(anonymous=200)),
        Case({"code": "nowhere"}, label="nowhere", expect=everyone(404, anonymous=404)),
    ],
    # The API
    "/api/hotline/requests": Case(
        query="page_size=200",
        expect=sees(*STAFF_LIST, "resident_user"),
        check=lists_the_visible_requests,
    ),
    "/api/hotline/requests/{public_id}": per_request(),
    **{
        f"/api/hotline/requests/{{public_id}}/{operation}": per_request()
        for operation in REQUEST_OPERATIONS
    },
    "/api/hotline/requests/{public_id}/duplicates": per_request(among=WORKS),
    "/api/hotline/rates": Case(expect=sees(*STAFF_LIST)),
}
