"""Doorstep jobs in the persona walk: the admin and the team leads run the work; a worker (the
resident persona) sees only his own batches, earnings and statements; nobody else reaches any."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from linli.core import dates
from linli.jobs import services
from linli.jobs.models import Statement
from linli.registry.models import Resident
from linli.testing.walk import Case, Scene, sees

STAFF = ("admin", "lead")
WITH_OTHER = (*STAFF, "other_admin")
PRODUCT = "走查绒花扎制"


def build(scene: Scene) -> Any:
    world = scene.world
    admin = scene.actor("admin")
    lead = scene.actor("lead")
    Resident.objects.filter(pk=world.resident_a2.pk).update(is_party_member=True)
    firm = services.firm_create(actor=admin, community_id=world.community.id, name="维扬绒花社")
    last = dates.add_months(dates.this_month(), -1)
    order = services.order_create(
        actor=lead,
        firm_id=firm.id,
        product=PRODUCT,
        quantity=500,
        rate=Decimal("1.2345"),
        due_on=dates.local_today() + dt.timedelta(days=20),
        received_on=last,
    )
    team = services.team_create(
        actor=admin,
        community_id=world.community.id,
        name="李芳组",
        leader_public_id=world.resident_a2.public_id,
    )
    worker = services.worker_add(
        actor=lead,
        community_id=world.community.id,
        resident_public_id=world.resident_a1.public_id,
        team_id=team.id,
    )
    batch = services.batch_dispatch(
        actor=lead, order_id=order.id, worker_public_id=worker.public_id, quantity=40, on=last
    )
    services.batch_return(
        actor=lead, batch_id=batch.id, accepted=30, rejected=2, defect_reason="松散", on=last
    )
    services.statements_issue(actor=admin, community_id=world.community.id, month=last)
    statement = Statement.objects.get(worker=worker)
    scene.secret(PRODUCT, *STAFF, "resident_user")
    return SimpleNamespace(
        firm=firm, order=order, team=team, worker=worker, batch=batch, statement=statement
    )


order = lambda s: {"order_id": s.jobs.order.id}  # noqa: E731
batch = lambda s: {"batch_id": s.jobs.batch.id}  # noqa: E731
worker = lambda s: {"public_id": s.jobs.worker.public_id}  # noqa: E731
statement = lambda s: {"public_id": s.jobs.statement.public_id}  # noqa: E731

CASES = {
    "jobs:home": Case(expect=sees(*WITH_OTHER)),
    "jobs:firms": Case(expect=sees(*WITH_OTHER)),
    "jobs:orders": Case(expect=sees(*WITH_OTHER)),
    "jobs:order": Case(order, expect=sees(*STAFF)),
    "jobs:batch": Case(batch, expect=sees(*STAFF)),
    "jobs:teams": Case(expect=sees(*WITH_OTHER)),
    "jobs:workers": Case(expect=sees(*WITH_OTHER)),
    "jobs:outreach": Case(expect=sees(*WITH_OTHER)),
    "jobs:worker": Case(worker, expect=sees(*STAFF)),
    "jobs:statements": Case(expect=sees(*WITH_OTHER)),
    "jobs:statement": Case(statement, expect=sees(*STAFF)),
    "jobs:stats": Case(expect=sees(*WITH_OTHER)),
    "jobs:me": Case(expect=sees("resident_user")),
    "jobs:my_statement": Case(statement, expect=sees("resident_user")),
    "/api/jobs/firms": Case(expect=sees(*WITH_OTHER)),
    "/api/jobs/orders": Case(expect=sees(*WITH_OTHER)),
    "/api/jobs/orders/{order_id}": Case(order, expect=sees(*STAFF)),
    "/api/jobs/orders/{order_id}/dispatch": Case(order),
    "/api/jobs/batches/{batch_id}/return": Case(batch),
    "/api/jobs/teams": Case(expect=sees(*WITH_OTHER)),
    "/api/jobs/workers": Case(expect=sees(*WITH_OTHER)),
    "/api/jobs/workers/{public_id}/month": Case(worker, expect=sees(*STAFF)),
    "/api/jobs/workers/{public_id}/corrections": Case(worker),
    "/api/jobs/statements": Case(expect=sees(*WITH_OTHER)),
    "/api/jobs/statements/issue": Case(),
    "/api/jobs/statements/{public_id}": Case(statement, expect=sees(*STAFF)),
    "/api/jobs/statements/{public_id}/pay": Case(statement),
    "/api/jobs/settlements": Case(expect=sees(*WITH_OTHER)),
    "/api/jobs/statistics": Case(expect=sees(*WITH_OTHER)),
    "/api/jobs/me": Case(expect=sees("resident_user")),
}
