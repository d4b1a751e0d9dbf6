"""Two workers accept the same request at the same moment: the database settles it (a
conditional UPDATE on the status), exactly one wins and the other is told who was first.
Runs on SQLite (writes serialised by IMMEDIATE transactions) and on PostgreSQL (row locks)."""

from __future__ import annotations

import threading
import time

from django.db import OperationalError, connections

from linli.core.errors import DomainError
from linli.hotline import services
from linli.hotline.models import RequestEvent, ServiceRequest


def test_parallel_accepts_of_one_request_let_exactly_one_win(
    transactional_db, world, worker_a, admin, organiser, resident_user, actor_of
):
    req = services.request_file(
        actor=actor_of(resident_user),
        community_id=world.community.id,
        category_code="noise",
        description="楼上吵",
        channel="portal",
        household_public_id=world.household_a1.public_id,
    )
    actors = [actor_of(u) for u in (worker_a, admin, organiser)]
    barrier = threading.Barrier(len(actors))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(actor):
        # The suite's SQLite database is in memory with a shared cache, where a busy writer
        # makes others fail at once ("table is locked") instead of waiting as busy_timeout
        # does on the real file database; retrying is what the timeout would do.
        for _ in range(200):
            try:
                services.request_accept(actor=actor, public_id=req.public_id)
                return "ok"
            except DomainError as exc:
                return exc.code
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                time.sleep(0.01)
        return "gave up"

    def accept(actor):
        try:
            barrier.wait()
            result = attempt(actor)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_accepted", "already_accepted", "ok"]
    assert ServiceRequest.objects.get(pk=req.pk).status == "accepted"
    assert RequestEvent.objects.filter(request=req, kind="accepted").count() == 1
