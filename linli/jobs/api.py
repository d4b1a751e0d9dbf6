"""Doorstep-jobs API (`/api/jobs/`). Staff (admin, team leads) run the work; a worker reads only
his own batches, earnings and statements (`/me`). Amounts are decimal strings; a piece rate is
sent as a string so that more than 4 decimals is refused with a clear 400, never rounded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from linli.core import dates
from linli.core.api import QueryParam
from linli.core.errors import CoreError, DomainError
from linli.core.web import acting_community, actor_of, require_perm
from linli.jobs import selectors, services
from linli.jobs.models import Batch, Firm, Order, Return, Statement, Team, Worker
from linli.jobs.permissions import ISSUE, MANAGE, PORTAL, VIEW

router = Router(tags=["jobs"])


class FirmOut(Schema):
    id: int
    name: str
    product_line: str
    contact: str
    active: bool


class FirmIn(Schema):
    name: str
    product_line: str = ""
    contact: str = ""


class OrderOut(Schema):
    id: int
    firm_id: int
    firm: str
    product: str
    quantity: int
    rate: Decimal
    due_on: dt.date
    received_on: dt.date
    dispatched: int
    accepted: int
    left: int
    status: str
    quality_standard: str
    materials_issued: str

    @staticmethod
    def resolve_firm(obj: Order) -> str:
        return obj.firm.name


class OrderIn(Schema):
    firm_id: int
    product: str
    quantity: int
    rate: str
    due_on: dt.date
    quality_standard: str = ""
    materials_issued: str = ""


class JobsTeamOut(Schema):
    id: int
    name: str
    leader: str
    member_count: int

    @staticmethod
    def resolve_leader(obj: Team) -> str:
        return obj.leader.name


class JobsWorkerOut(Schema):
    public_id: UUID
    name: str
    phone: str
    team: str
    joined_on: dt.date
    active: bool

    @staticmethod
    def resolve_name(obj: Worker) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_phone(obj: Worker) -> str:
        return obj.resident.phone_masked

    @staticmethod
    def resolve_team(obj: Worker) -> str:
        return obj.team.name if obj.team else ""


class WorkerIn(Schema):
    resident_public_id: UUID
    team_id: int | None = None


class MonthOut(Schema):
    month: dt.date
    pieces: int
    exact: Decimal
    amount: Decimal


class BatchOut(Schema):
    id: int
    order_id: int
    product: str
    worker: UUID
    quantity: int
    dispatched_on: dt.date
    settled: int
    accepted: int
    rejected: int
    rework: int

    @staticmethod
    def resolve_product(obj: Batch) -> str:
        return obj.order.product

    @staticmethod
    def resolve_worker(obj: Batch) -> UUID:
        return obj.worker.public_id


class DispatchIn(Schema):
    worker_public_id: UUID
    quantity: int


class ReturnIn(Schema):
    accepted: int = 0
    rejected: int = 0
    rework: int = 0
    defect_reason: str = ""


class ReturnOut(Schema):
    id: int
    batch_id: int
    on: dt.date
    accepted: int
    rejected: int
    rework: int
    defect_reason: str


class CorrectionIn(Schema):
    order_id: int
    pieces: int
    reason: str


class CorrectionOut(Schema):
    id: int
    pieces: int
    rate: Decimal
    amount: Decimal
    month: dt.date


class StatementOut(Schema):
    public_id: UUID
    worker: str
    month: dt.date
    pieces: int
    exact: Decimal
    total: Decimal
    status: str
    issued_at: dt.datetime
    paid_at: dt.datetime | None
    paid_method: str

    @staticmethod
    def resolve_worker(obj: Statement) -> str:
        return obj.worker.resident.name


class IssueIn(Schema):
    month: str


class IssueOut(Schema):
    issued: int


class PayIn(Schema):
    method: str
    reference: str = ""
    paid_on: dt.date | None = None


class SettlementOut(Schema):
    firm: str
    workers: int
    pieces: int
    amount: Decimal
    ledger: Decimal
    checked: bool


class MonthFiguresOut(Schema):
    month: dt.date
    employed: int
    average: Decimal
    median: Decimal
    total: Decimal


class JobsMeOut(Schema):
    worker: JobsWorkerOut
    month: MonthOut
    batches: list[BatchOut]
    statements: list[StatementOut]


def _month(value: str) -> dt.date:
    month = dates.parse_month(value)
    if month is None:
        raise DomainError(
            _("Enter a month as YYYY-MM."), code=CoreError.INVALID_DATE, field="month"
        )
    return month


@router.get("/firms", response=list[FirmOut])
def firms(request: HttpRequest) -> list[Firm]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return list(selectors.firm_list(actor))


@router.post("/firms", response={201: FirmOut})
def firm_create(request: HttpRequest, data: FirmIn) -> Status[Firm]:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return Status(
        201,
        services.firm_create(
            actor=actor, community_id=acting_community(actor, MANAGE), **data.dict()
        ),
    )


@router.get("/orders", response=list[OrderOut])
def orders(request: HttpRequest, status: str = "") -> list[Order]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return list(selectors.order_list(actor, status=status)[:500])


@router.post("/orders", response={201: OrderOut})
def order_create(request: HttpRequest, data: OrderIn) -> Status[Order]:
    return Status(201, services.order_create(actor=actor_of(request), **data.dict()))


@router.get("/orders/{order_id}", response=OrderOut)
def order(request: HttpRequest, order_id: int) -> Order:
    return selectors.order_get(actor_of(request), order_id)


@router.post("/orders/{order_id}/dispatch", response={201: BatchOut})
def dispatch(request: HttpRequest, order_id: int, data: DispatchIn) -> Status[Batch]:
    return Status(
        201, services.batch_dispatch(actor=actor_of(request), order_id=order_id, **data.dict())
    )


@router.post("/batches/{batch_id}/return", response={201: ReturnOut})
def batch_return(request: HttpRequest, batch_id: int, data: ReturnIn) -> Status[Return]:
    return Status(
        201, services.batch_return(actor=actor_of(request), batch_id=batch_id, **data.dict())
    )


@router.get("/teams", response=list[JobsTeamOut])
def teams(request: HttpRequest) -> list[Team]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return list(selectors.team_list(actor))


@router.get("/workers", response=list[JobsWorkerOut])
def workers(request: HttpRequest, page: int = QueryParam(1, ge=1, le=10_000)) -> list[Worker]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    size = 100
    return list(selectors.worker_list(actor)[(page - 1) * size : page * size])


@router.post("/workers", response={201: JobsWorkerOut})
def worker_add(request: HttpRequest, data: WorkerIn) -> Status[Worker]:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return Status(
        201,
        services.worker_add(
            actor=actor, community_id=acting_community(actor, MANAGE), **data.dict()
        ),
    )


@router.get("/workers/{public_id}/month", response=MonthOut)
def worker_month(request: HttpRequest, public_id: UUID, month: str = "") -> object:
    worker = selectors.worker_get(actor_of(request), public_id)
    return selectors.worker_month(worker, _month(month) if month else dates.this_month())


@router.post("/workers/{public_id}/corrections", response={201: CorrectionOut})
def correction(request: HttpRequest, public_id: UUID, data: CorrectionIn) -> Status[object]:
    return Status(
        201,
        services.entry_correct(actor=actor_of(request), worker_public_id=public_id, **data.dict()),
    )


@router.get("/statements", response=list[StatementOut])
def statements(request: HttpRequest, month: str = "") -> list[Statement]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    chosen = _month(month) if month else dates.add_months(dates.this_month(), -1)
    return list(selectors.statement_list(actor, chosen))


@router.post("/statements/issue", response=IssueOut)
def statements_issue(request: HttpRequest, data: IssueIn) -> dict[str, int]:
    actor = actor_of(request)
    require_perm(actor, ISSUE)
    return {
        "issued": services.statements_issue(
            actor=actor, community_id=acting_community(actor, ISSUE), month=_month(data.month)
        )
    }


@router.get("/statements/{public_id}", response=StatementOut)
def statement(request: HttpRequest, public_id: UUID) -> Statement:
    return selectors.statement_get(actor_of(request), public_id)


@router.post("/statements/{public_id}/pay", response=StatementOut)
def statement_pay(request: HttpRequest, public_id: UUID, data: PayIn) -> Statement:
    return services.statement_pay(actor=actor_of(request), public_id=public_id, **data.dict())


@router.get("/settlements", response=list[SettlementOut])
def settlements(request: HttpRequest, month: str = "") -> list[dict[str, object]]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    chosen = _month(month) if month else dates.add_months(dates.this_month(), -1)
    return [
        {
            "firm": s.firm.name,
            "workers": s.workers,
            "pieces": s.pieces,
            "amount": s.amount,
            "ledger": s.ledger,
            "checked": s.checked,
        }
        for s in selectors.settlements(actor, chosen)
    ]


@router.get("/statistics", response=list[MonthFiguresOut])
def statistics(request: HttpRequest) -> list[object]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return list(selectors.statistics_for(actor).months)


@router.get("/me", response=JobsMeOut)
def me(request: HttpRequest) -> dict[str, object]:
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    worker = selectors.own_worker(actor)
    if worker is None:
        raise Http404
    return {
        "worker": worker,
        "month": selectors.worker_month(worker, dates.this_month()),
        "batches": selectors.worker_batches(worker),
        "statements": list(selectors.worker_statements(worker)),
    }
