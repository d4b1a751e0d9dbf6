"""Open311's tests run against communities whose Community 110 catalogue is set up."""

from __future__ import annotations

import pytest

from linli.hotline import services


@pytest.fixture(autouse=True)
def _catalogue(request: pytest.FixtureRequest) -> None:
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    for community in (world.community, world.other_community):
        services.categories_ensure_defaults(actor=services.SYSTEM, community_id=community.id)
