"""The persona walk driven by the URL resolver (`linli.testing.walk`): every named route of the
project, visited by every persona with objects of the test scene, answers within the allowed
statuses, shows each persona only what it may see, and never carries plain personal data.

To walk a new route with URL parameters, add one line to `linli/<app>/tests/walk_cases.py`
(see `linli.testing.walk`); `test_every_route_has_a_walk_case` names the line to add."""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Any

import pytest

from linli.testing import walk

pytestmark = pytest.mark.django_db


def test_every_route_has_a_walk_case() -> None:
    problems = walk.coverage_problems()
    assert not problems, "\n".join(problems)


def test_the_walk_finds_pages_api_operations_and_open311() -> None:
    keys = {route.key for route in walk.discover_routes()}
    assert {"home", "registry:resident", "open311:request"} <= keys
    assert "/api/registry/residents/{public_id}" in keys
    assert not any(key.startswith("admin:") for key in keys)


@pytest.mark.parametrize("persona", walk.WALKERS)
def test_persona_walk(persona: str, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, value in walk.load_cases().settings.items():
        setattr(settings, name, value)
    scene = walk.build_scene()
    result = walk.walk(persona, scene)
    if result.known:
        by_issue = Counter(known.issue for _failure, known in result.known)
        summary = "; ".join(f"{issue}: {n}" for issue, n in sorted(by_issue.items()))
        warnings.warn(
            f"{persona}: {len(result.known)} known problems being fixed ({summary}); "
            "see KNOWN in the apps' walk_cases.py",
            stacklevel=1,
        )
    for entry in result.stale:
        warnings.warn(f"stale KNOWN entry (the walk no longer finds it; delete it): {entry}")
    assert result.visits > 100
    assert not result.failures, (
        f"{len(result.failures)} problems in {result.visits} requests:\n"
        + "\n".join(result.failures)
    )
