"""Open311 GeoReport v2 in the persona walk (`linli.testing.walk`): public, keyless answers
carry no personal data, whoever asks."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from linli.open311.models import Open311Client, Open311Token
from linli.testing.walk import Case, Scene

J = "jurisdiction_id=wenchang"
FORMATS = ("json", "xml")


def build(scene: Scene) -> Any:
    """A client of the platform and a token for the resident's request (from the hotline's
    scene)."""
    client = Open311Client(name="市民服务平台", community=scene.world.community)
    client.set_key()
    client.save()
    token = Open311Token.objects.create(client=client, request=scene.hotline.requests["a"])
    return SimpleNamespace(client=client, token=token)


def with_format(kwargs: Any, fmt: str) -> Any:
    return lambda s: {**(kwargs(s) if kwargs else {}), "fmt": fmt}


def each_format(kwargs: Any = None) -> list[Case]:
    return [Case(with_format(kwargs, f), label=f, query=J, write=f == "json") for f in FORMATS]


CASES = {
    "open311:discovery": each_format(),
    "open311:services": each_format(),
    "open311:service": each_format(lambda s: {"code": "noise"}),
    "open311:requests": each_format(),
    "open311:request": each_format(lambda s: {"request_id": s.hotline.requests["a"].pk}),
    "open311:token": each_format(lambda s: {"token_id": s.open311.token.token}),
}
