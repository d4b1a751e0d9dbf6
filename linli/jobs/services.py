"""Writes of the doorstep jobs. Each is one transaction; the database settles contention (an
order's dispatched count and a batch's checked count are raised with one conditioned UPDATE,
and CHECK constraints refuse more than the quantity in any case)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.audit import audit_record
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.permissions import Actor, access, communities_for
from linli.core.states import update_if
from linli.jobs import tallies
from linli.jobs.choices import (
    STATEMENT_MACHINE,
    EntryKind,
    OrderStatus,
    PayMethod,
    StatementStatus,
    StatementTransition,
)
from linli.jobs.errors import JobsError
from linli.jobs.models import (
    Batch,
    EarningEntry,
    Firm,
    Order,
    Return,
    Statement,
    StatementLine,
    Team,
    Worker,
)
from linli.jobs.money import clean_rate, earning, to_fen
from linli.jobs.permissions import ISSUE, MANAGE
from linli.registry.choices import ResidentStatus
from linli.registry.models import Resident

MAX_PIECES = 1_000_000


def _community(actor: Actor, community_id: int, perm: str = MANAGE) -> int:
    if community_id not in set(communities_for(actor, perm)):
        raise NotFound(_("Not found."))
    return community_id


def _text(value: str, limit: int, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("This field is required."), code=CoreError.REQUIRED, field=field)
    if len(value) > limit:
        raise DomainError(_("The text is too long."), code=CoreError.TOO_LONG, field=field)
    return value


def _count(value: int, field: str, *, positive: bool = False) -> int:
    if not isinstance(value, int) or value < 0 or value > MAX_PIECES or (positive and value == 0):
        raise DomainError(
            _("Enter a whole number of pieces (0 or more).")
            if not positive
            else _("Enter a whole number of pieces, at least 1."),
            code=CoreError.INVALID_NUMBER,
            field=field,
        )
    return value


@transaction.atomic
def firm_create(
    *, actor: Actor, community_id: int, name: str, product_line: str = "", contact: str = ""
) -> Firm:
    _community(actor, community_id)
    name = _text(name, 100, "name", required=True)
    if Firm.objects.filter(community_id=community_id, name=name).exists():
        raise DomainError(_("A firm of this name exists."), code=CoreError.CONFLICT, field="name")
    firm = Firm.objects.create(
        community_id=community_id,
        name=name,
        product_line=_text(product_line, 200, "product_line"),
        contact=_text(contact, 50, "contact"),
    )
    audit_record(actor=actor, action="create", obj=firm, community_id=community_id)
    return firm


@transaction.atomic
def order_create(
    *,
    actor: Actor,
    firm_id: int,
    product: str,
    quantity: int,
    rate: Decimal | str,
    due_on: dt.date,
    quality_standard: str = "",
    materials_issued: str = "",
    received_on: dt.date | None = None,
) -> Order:
    firm = access(actor, MANAGE, Firm.objects.all(), pk=firm_id)
    received = received_on or dates.local_today()
    if due_on < received:
        raise DomainError(
            _("The due date comes after the day the order was received."),
            code=CoreError.INVALID_DATE,
            field="due_on",
        )
    order = Order.objects.create(
        community_id=firm.community_id,
        firm=firm,
        product=_text(product, 100, "product", required=True),
        quantity=_count(quantity, "quantity", positive=True),
        rate=clean_rate(rate),
        due_on=due_on,
        received_on=received,
        quality_standard=_text(quality_standard, 2000, "quality_standard"),
        materials_issued=_text(materials_issued, 200, "materials_issued"),
    )
    audit_record(
        actor=actor,
        action="create",
        obj=order,
        community_id=firm.community_id,
        after={"quantity": order.quantity, "rate": str(order.rate)},
    )
    return order


@transaction.atomic
def order_close(*, actor: Actor, order_id: int) -> Order:
    order = access(actor, MANAGE, Order.objects.all(), pk=order_id)
    if not update_if(
        Order, pk=order.pk, where={"status": OrderStatus.OPEN}, status=OrderStatus.CLOSED
    ):
        raise DomainError(_("The order is closed already."), code=CoreError.INVALID_TRANSITION)
    order.refresh_from_db()
    audit_record(
        actor=actor,
        action="update",
        obj=order,
        community_id=order.community_id,
        after={"status": "closed"},
    )
    return order


@transaction.atomic
def team_create(
    *,
    actor: Actor,
    community_id: int,
    name: str,
    leader_public_id: Any,
    lead_user_id: int | None = None,
) -> Team:
    """A team led by a self-employed Party member of the registry."""
    _community(actor, community_id)
    try:
        leader = Resident.objects.get(
            public_id=leader_public_id, community_id=community_id, status=ResidentStatus.ACTIVE
        )
    except (Resident.DoesNotExist, ValueError, TypeError) as exc:
        raise DomainError(
            _("Choose a resident of the registry."), code=CoreError.NOT_FOUND, field="leader"
        ) from exc
    if not leader.is_party_member:
        raise DomainError(
            _("A team lead must be a Party member."),
            code=JobsError.NOT_PARTY_MEMBER,
            field="leader",
        )
    name = _text(name, 50, "name", required=True)
    if Team.objects.filter(community_id=community_id, name=name).exists():
        raise DomainError(_("A team of this name exists."), code=CoreError.CONFLICT, field="name")
    team = Team.objects.create(
        community_id=community_id, name=name, leader=leader, lead_user_id=lead_user_id
    )
    audit_record(actor=actor, action="create", obj=team, community_id=community_id)
    return team


@transaction.atomic
def worker_add(
    *,
    actor: Actor,
    community_id: int,
    resident_public_id: Any,
    team_id: int | None = None,
    joined_on: dt.date | None = None,
) -> Worker:
    _community(actor, community_id)
    try:
        resident = Resident.objects.get(
            public_id=resident_public_id, community_id=community_id, status=ResidentStatus.ACTIVE
        )
    except (Resident.DoesNotExist, ValueError, TypeError) as exc:
        raise DomainError(
            _("Choose a resident of the registry."), code=CoreError.NOT_FOUND, field="resident"
        ) from exc
    team = access(actor, MANAGE, Team.objects.all(), pk=team_id) if team_id else None
    if Worker.objects.filter(resident=resident).exists():
        raise DomainError(
            _("The resident is a worker already."), code=JobsError.ALREADY_WORKER, field="resident"
        )
    try:
        with transaction.atomic():
            worker = Worker.objects.create(
                community_id=community_id,
                resident=resident,
                household_id=resident.household_id,
                team=team,
                joined_on=joined_on or dates.local_today(),
            )
    except IntegrityError as exc:
        raise DomainError(
            _("The resident is a worker already."), code=JobsError.ALREADY_WORKER
        ) from exc
    audit_record(actor=actor, action="create", obj=worker, community_id=community_id)
    return worker


@transaction.atomic
def batch_dispatch(
    *, actor: Actor, order_id: int, worker_public_id: Any, quantity: int, on: dt.date | None = None
) -> Batch:
    """Hand `quantity` pieces of an order to a worker: never more than the order has left (one
    conditioned UPDATE settles concurrent dispatches)."""
    order = access(actor, MANAGE, Order.objects.select_related("firm"), pk=order_id)
    worker = access(actor, MANAGE, Worker.objects.filter(active=True), public_id=worker_public_id)
    quantity = _count(quantity, "quantity", positive=True)
    if order.status != OrderStatus.OPEN:
        raise DomainError(_("The order is closed."), code=CoreError.INVALID_TRANSITION)
    if not update_if(
        Order,
        pk=order.pk,
        where=Q(status=OrderStatus.OPEN, dispatched__lte=F("quantity") - quantity),
        dispatched=F("dispatched") + quantity,
    ):
        left = Order.objects.filter(pk=order.pk).values_list("quantity", "dispatched").get()
        raise DomainError(
            _("Only %(left)s pieces of this order are left to dispatch.")
            % {"left": left[0] - left[1]},
            code=JobsError.NOT_ENOUGH_LEFT,
            field="quantity",
        )
    batch = Batch.objects.create(
        community_id=order.community_id,
        order=order,
        worker=worker,
        quantity=quantity,
        dispatched_on=on or dates.local_today(),
        dispatched_by_id=actor.user_id,
    )
    return batch


def _month_open(worker_id: int, month: dt.date) -> None:
    if Statement.objects.filter(worker_id=worker_id, month=month).exists():
        raise DomainError(
            _("The statement for %(month)s is issued; record this in the current month.")
            % {"month": month.strftime("%Y-%m")},
            code=JobsError.MONTH_CLOSED,
        )


@transaction.atomic
def batch_return(
    *,
    actor: Actor,
    batch_id: int,
    accepted: int = 0,
    rejected: int = 0,
    rework: int = 0,
    defect_reason: str = "",
    on: dt.date | None = None,
) -> Return:
    """Pieces come back and are checked: accepted ones earn accepted × rate (a ledger entry),
    rejected ones earn nothing, rework goes back to the worker (still out)."""
    batch = access(actor, MANAGE, Batch.objects.select_related("order", "worker"), pk=batch_id)
    accepted = _count(accepted, "accepted")
    rejected = _count(rejected, "rejected")
    rework = _count(rework, "rework")
    total = accepted + rejected + rework
    if total == 0:
        raise DomainError(
            _("Enter how many pieces came back."), code=CoreError.INVALID_NUMBER, field="accepted"
        )
    reason = _text(defect_reason, 200, "defect_reason")
    if (rejected or rework) and not reason:
        raise DomainError(
            _("Rejected or reworked pieces need a defect reason."),
            code=JobsError.DEFECT_REASON_REQUIRED,
            field="defect_reason",
        )
    day = on or dates.local_today()
    if day > dates.local_today() or day < batch.dispatched_on:
        raise DomainError(
            _("A return is dated between the dispatch and today."),
            code=CoreError.INVALID_DATE,
            field="on",
        )
    month = dates.month_of(day)
    # The worker's row is the lock that orders returns and statement issuing for him.
    worker = Worker.objects.select_for_update().get(pk=batch.worker_id)
    _month_open(worker.pk, month)
    if not update_if(
        Batch,
        pk=batch.pk,
        where=Q(settled__lte=F("quantity") - total),
        settled=F("settled") + accepted + rejected,
        accepted=F("accepted") + accepted,
        rejected=F("rejected") + rejected,
        rework=F("rework") + rework,
    ):
        out = Batch.objects.filter(pk=batch.pk).values_list("quantity", "settled").get()
        raise DomainError(
            _("The batch has only %(out)s pieces out.") % {"out": out[0] - out[1]},
            code=JobsError.MORE_THAN_OUT,
            field="accepted",
        )
    ret = Return.objects.create(
        batch=batch,
        on=day,
        accepted=accepted,
        rejected=rejected,
        rework=rework,
        defect_reason=reason,
        checked_by_id=actor.user_id,
    )
    if accepted:
        Order.objects.filter(pk=batch.order_id).update(accepted=F("accepted") + accepted)
        EarningEntry.objects.create(
            community_id=batch.community_id,
            worker=worker,
            firm_id=batch.order.firm_id,
            order_id=batch.order_id,
            team_id=worker.team_id,
            ret=ret,
            kind=EntryKind.EARNING,
            on=day,
            month=month,
            pieces=accepted,
            rate=batch.order.rate,
            amount=earning(accepted, batch.order.rate),
            by_id=actor.user_id,
        )
        tallies.refresh(
            community_id=batch.community_id,
            worker_id=worker.pk,
            firm_id=batch.order.firm_id,
            month=month,
        )
    return ret


@transaction.atomic
def entry_correct(
    *,
    actor: Actor,
    worker_public_id: Any,
    order_id: int,
    pieces: int,
    reason: str,
    on: dt.date | None = None,
) -> EarningEntry:
    """Correct a worker's accepted pieces of an order by a new ledger entry (never an edit),
    in a month whose statement is not issued."""
    worker = access(actor, MANAGE, Worker.objects.select_for_update(), public_id=worker_public_id)
    order = access(actor, MANAGE, Order.objects.all(), pk=order_id)
    if not isinstance(pieces, int) or pieces == 0 or abs(pieces) > MAX_PIECES:
        raise DomainError(
            _("Enter a non-zero number of pieces."), code=CoreError.INVALID_NUMBER, field="pieces"
        )
    reason = _text(reason, 200, "reason", required=True)
    day = on or dates.local_today()
    month = dates.month_of(day)
    _month_open(worker.pk, month)
    credited = (
        EarningEntry.objects.filter(worker=worker, order=order).aggregate(p=Sum("pieces"))["p"] or 0
    )
    if credited + pieces < 0:
        raise DomainError(
            _("The worker has only %(n)s accepted pieces of this order.") % {"n": credited},
            code=CoreError.INVALID_NUMBER,
            field="pieces",
        )
    entry = EarningEntry.objects.create(
        community_id=worker.community_id,
        worker=worker,
        firm_id=order.firm_id,
        order=order,
        team_id=worker.team_id,
        kind=EntryKind.CORRECTION,
        on=day,
        month=month,
        pieces=pieces,
        rate=order.rate,
        amount=earning(pieces, order.rate),
        reason=reason,
        by_id=actor.user_id,
    )
    tallies.refresh(
        community_id=worker.community_id, worker_id=worker.pk, firm_id=order.firm_id, month=month
    )
    audit_record(
        actor=actor,
        action="create",
        obj=entry,
        object_type="jobs.earningentry",
        object_label=str(worker),
        community_id=worker.community_id,
        reason=reason,
        after={"pieces": pieces, "amount": str(entry.amount)},
    )
    return entry


def statement_rows(
    community_id: int, month: dt.date, worker_ids: list[int] | None = None
) -> dict[int, dict[int, tuple[int, Decimal]]]:
    """worker id → firm id → (pieces, exact amount) of a month's ledger (one query)."""
    qs = EarningEntry.objects.filter(community_id=community_id, month=month)
    if worker_ids is not None:
        qs = qs.filter(worker_id__in=worker_ids)
    rows: dict[int, dict[int, tuple[int, Decimal]]] = defaultdict(dict)
    for r in (
        qs.values("worker_id", "firm_id").annotate(p=Sum("pieces"), a=Sum("amount")).order_by()
    ):
        rows[r["worker_id"]][r["firm_id"]] = (int(r["p"]), Decimal(r["a"]))
    return rows


@transaction.atomic
def statements_issue(*, actor: Actor, community_id: int, month: dt.date) -> int:
    """Issue the month's statements of every worker with ledger entries in the month who has
    none yet: one line per firm, each rounded to the fen once (half-up). Returns how many were
    issued. A statement is issued once (unique per worker and month) and never changed."""
    _community(actor, community_id, ISSUE)
    month = dates.month_of(month)
    if month >= dates.this_month():
        raise DomainError(
            _("Statements are issued once the month is over."),
            code=JobsError.MONTH_NOT_OVER,
            field="month",
        )
    done = set(
        Statement.objects.filter(community_id=community_id, month=month).values_list(
            "worker_id", flat=True
        )
    )
    worker_ids = sorted(
        set(
            EarningEntry.objects.filter(community_id=community_id, month=month)
            .values_list("worker_id", flat=True)
            .distinct()
        )
        - done
    )
    if not worker_ids:
        return 0
    # Lock the workers: a return being recorded for one of them waits, then finds the month closed.
    teams = dict(
        Worker.objects.select_for_update().filter(pk__in=worker_ids).values_list("id", "team_id")
    )
    rows = statement_rows(community_id, month, worker_ids)
    now = timezone.now()
    statements: list[Statement] = []
    lines: list[list[StatementLine]] = []
    for worker_id in worker_ids:
        by_firm = rows.get(worker_id, {})
        worker_lines = [
            StatementLine(firm_id=firm_id, pieces=p, exact=a, amount=to_fen(a))
            for firm_id, (p, a) in sorted(by_firm.items())
        ]
        statements.append(
            Statement(
                community_id=community_id,
                worker_id=worker_id,
                team_id=teams.get(worker_id),
                month=month,
                pieces=sum(line.pieces for line in worker_lines),
                exact=sum((line.exact for line in worker_lines), Decimal(0)),
                total=sum((line.amount for line in worker_lines), Decimal(0)),
                issued_at=now,
                issued_by_id=actor.user_id,
            )
        )
        lines.append(worker_lines)
    try:
        with transaction.atomic():
            Statement.objects.bulk_create(statements, batch_size=500)
    except IntegrityError as exc:
        raise DomainError(
            _("Someone issued these statements a moment ago; reload."), code=CoreError.CONFLICT
        ) from exc
    if not all(s.pk for s in statements):  # backends that do not return ids
        ids = dict(
            Statement.objects.filter(community_id=community_id, month=month).values_list(
                "worker_id", "id"
            )
        )
        for s in statements:
            s.pk = ids[s.worker_id]
    flat: list[StatementLine] = []
    for s, worker_lines in zip(statements, lines, strict=True):
        for line in worker_lines:
            line.statement_id = s.pk
            flat.append(line)
    StatementLine.objects.bulk_create(flat, batch_size=1000)
    audit_record(
        actor=actor,
        action="create",
        object_type="jobs.statements",
        object_id=month.strftime("%Y-%m"),
        object_label=_("Statements %(month)s") % {"month": month.strftime("%Y-%m")},
        community_id=community_id,
        after={
            "statements": len(statements),
            "total": str(sum((s.total for s in statements), Decimal(0))),
        },
    )
    return len(statements)


@transaction.atomic
def statement_pay(
    *,
    actor: Actor,
    public_id: Any,
    method: str,
    reference: str = "",
    paid_on: dt.date | None = None,
) -> Statement:
    """Record how, when and by whom an issued statement was paid (its only change ever)."""
    statement = access(actor, ISSUE, Statement.objects.all(), public_id=public_id)
    if method not in PayMethod.values:
        raise DomainError(
            _("Choose how it was paid."), code=CoreError.INVALID_CHOICE, field="method"
        )
    when = timezone.now()
    if paid_on is not None:
        if paid_on > dates.local_today() or paid_on < statement.month:
            raise DomainError(
                _("Enter the day it was paid."), code=CoreError.INVALID_DATE, field="paid_on"
            )
        when = dates.day_start(paid_on) + dt.timedelta(hours=12)
    STATEMENT_MACHINE.move(
        statement,
        StatementTransition.PAY,
        to=StatementStatus.PAID,
        paid_at=when,
        paid_method=method,
        paid_reference=_text(reference, 100, "reference"),
        paid_by_id=actor.user_id,
    )
    audit_record(
        actor=actor,
        action="update",
        obj=statement,
        object_label=f"{statement.month:%Y-%m}",
        community_id=statement.community_id,
        after={"status": "paid", "method": method, "total": str(statement.total)},
    )
    return statement
