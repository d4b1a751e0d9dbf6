"""Shared fixtures: the test world (`linli.testing.world`) and a persona for every role.

Personas (DESIGN.md "Tests"): `admin` (community admin), `worker_a` / `worker_b` (grid workers
of grid A / grid B), `organiser`, `care`, `volunteer`, `resident_user` (a resident of household
A1), `viewer` (subdistrict viewer), and `other_admin` (admin of a second community). Use
`actor_of(user)` to get the engine's Actor and `client_for(user)` for a signed-in test client.
The machinery lives in `linli.testing`; this file only exposes it as fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from linli.accounts.models import User
from linli.accounts.selectors import actor_for_user
from linli.core import memo
from linli.core.permissions import Actor
from linli.testing.factories import make_citizen_id
from linli.testing.races import skip_races_on_memory_sqlite
from linli.testing.world import PASSWORD, World, build_world, make_persona

# Re-exported: app tests import these names from here.
__all__ = ["PASSWORD", "World", "make_citizen_id"]


# Migrations that load reference data (not only reshape rows), with a model they fill: what a
# flushed test database must get back.
REFERENCE_DATA = (("care", "0002_standard_and_catalogue", "AssessmentItem"),)


def _flushes(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or "transactional_db" in names
        or "live_server" in names
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A transactional test ends with Django flushing every table, the reference data the
    migrations loaded included (the care assessment standard): every later test of this worker
    would find it gone, as `--dist loadfile` may run one after it. Load it again."""
    yield
    if nextitem is None or not _flushes(item):  # the last test: the database is gone already
        return
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        loader = MigrationLoader(connection)
        for app, name, model in REFERENCE_DATA:
            state = loader.project_state((app, name), at_end=True)
            if not state.apps.get_model(app, model).objects.exists():
                import_module(f"linli.{app}.migrations.{name}").load(state.apps, None)


@pytest.fixture(autouse=True)
def _forget_memos() -> None:
    """A rolled-back test's rows must not be remembered into the next one (linli.core.memo)."""
    memo.forget_all()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def admin(world: World) -> User:
    return make_persona("admin", world)


@pytest.fixture
def other_admin(world: World) -> User:
    return make_persona("other_admin", world)


@pytest.fixture
def worker_a(world: World) -> User:
    return make_persona("worker_a", world)


@pytest.fixture
def worker_b(world: World) -> User:
    return make_persona("worker_b", world)


@pytest.fixture
def organiser(world: World) -> User:
    return make_persona("organiser", world)


@pytest.fixture
def care(world: World) -> User:
    return make_persona("care", world)


@pytest.fixture
def volunteer(world: World) -> User:
    return make_persona("volunteer", world)


@pytest.fixture
def viewer(world: World) -> User:
    return make_persona("viewer", world)


@pytest.fixture
def district(world: World) -> User:
    return make_persona("district", world)


@pytest.fixture
def carer(world: World) -> User:
    return make_persona("carer", world)


@pytest.fixture
def lead(world: World) -> User:
    return make_persona("lead", world)


@pytest.fixture
def trainer(world: World) -> User:
    return make_persona("trainer", world)


@pytest.fixture
def service(world: World) -> User:
    return make_persona("service", world)


@pytest.fixture
def resident_user(world: World) -> User:
    return make_persona("resident_user", world)


@pytest.fixture
def actor_of() -> Callable[[User], Actor]:
    return actor_for_user


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def english(settings: Any) -> Iterator[None]:
    """Run a test in English (the default is zh-Hans) for tests that read message text."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_races_on_memory_sqlite(items)
