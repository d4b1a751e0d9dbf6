"""Contention is settled by the database: two workers registering the same ID number at the
same moment get one resident and one clear error."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from linli.conftest import make_citizen_id
from linli.core.errors import DomainError
from linli.registry import services
from linli.registry.models import Resident

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database with real concurrency"
)


def test_simultaneous_registration_of_one_id_number_yields_one_resident(
    transactional_db, world, worker_a, admin, actor_of
):
    cid = make_citizen_id(dt.date(1999, 9, 9), 42, male=True)
    data = services.clean_resident(name="周全", citizen_id=cid, relation="child")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def register(user, household):
        try:
            barrier.wait()
            services.resident_create(
                actor=actor_of(user), household_public_id=household.public_id, data=data
            )
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=register, args=(worker_a, world.household_a1)),
        threading.Thread(target=register, args=(admin, world.household_b1)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["id_taken", "ok"]
    assert Resident.objects.filter(name="周全").count() == 1
