"""Contention is settled by the database: two organisers linking the same household to two
central households at the same moment get one link and one clear refusal."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from linli.core.errors import DomainError
from linli.party import services
from linli.party.models import HouseholdLink

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database with real concurrency"
)


def test_simultaneous_links_of_one_household_yield_one_link(
    transactional_db, world, party, organiser, admin, actor_of
):
    second = services.central_household_create(
        actor=actor_of(admin), host_member_public_id=party.m_b1.public_id
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def link(user, central):
        try:
            barrier.wait()
            services.central_link_household(
                actor=actor_of(user),
                central_public_id=central.public_id,
                household_public_id=world.household_a2.public_id,
            )
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=link, args=(organiser, party.central)),
        threading.Thread(target=link, args=(admin, second)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["household_already_linked", "ok"]
    assert (
        HouseholdLink.objects.filter(household=world.household_a2, ended_on__isnull=True).count()
        == 1
    )
