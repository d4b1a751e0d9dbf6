"""The plug-in points of core.hooks show a domain's contribution only to actors whose roles hold
one of its permissions, in order; core.notify hands messages to the registered sinks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from linli.core import hooks, notify
from linli.core.permissions import ANONYMOUS, Actor, Grant, grant
from linli.core.roles import Role

PERM = "testhooks.view"
grant(Role.CARE_WORKER, PERM)


def _actor(role: str) -> Actor:
    return Actor(user_id=1, label=role, grants=(Grant(role=role, community_ids=frozenset({1})),))


@pytest.fixture
def clean() -> Iterator[None]:
    saved = (dict(hooks._PANELS), dict(hooks._TILES), list(notify._SINKS))
    yield
    hooks._PANELS.clear()
    hooks._PANELS.update(saved[0])
    hooks._TILES.clear()
    hooks._TILES.update(saved[1])
    notify._SINKS[:] = saved[2]


def test_panels_follow_permissions_and_order(clean: None) -> None:
    def ctx(actor: Actor, resident_id: int) -> dict[str, int]:
        return {"n": resident_id}

    hooks.register_panel(hooks.Panel("t.b", "B", (PERM,), "x.html", ctx, order=2))
    hooks.register_panel(hooks.Panel("t.a", "A", (PERM,), "x.html", ctx, order=1))
    hooks.register_panel(hooks.Panel("t.all", "All", (), "x.html", ctx, order=3))
    keys = [p.key for p in hooks.panels_for(_actor(Role.CARE_WORKER)) if p.key.startswith("t.")]
    assert keys == ["t.a", "t.b", "t.all"]
    keys = [p.key for p in hooks.panels_for(_actor(Role.VOLUNTEER)) if p.key.startswith("t.")]
    assert keys == ["t.all"]
    assert not [p for p in hooks.panels_for(ANONYMOUS) if p.key.startswith("t.")]


def test_tiles_follow_permissions(clean: None) -> None:
    hooks.register_tile(hooks.Tile("t.tile", "Tile", "home", (PERM,)))
    assert any(t.key == "t.tile" for t in hooks.tiles_for(_actor(Role.CARE_WORKER)))
    assert not any(t.key == "t.tile" for t in hooks.tiles_for(_actor(Role.RESIDENT)))


def test_publish_hands_the_message_to_every_sink(clean: None) -> None:
    seen: list[notify.Message] = []
    notify._SINKS[:] = []
    notify.register_sink(seen.append)
    message = notify.Message(key="t:1", kind="t.event", user_ids=(1, 2), title="hi")
    notify.publish(message)
    notify.publish(notify.Message(key="t:2", kind="t.event", user_ids=(), title="nobody"))
    assert seen == [message]
