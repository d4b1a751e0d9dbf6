"""Services of the points economy: the append-only ledger and the redemption store (R6).

How contention is settled (DESIGN.md rule 5):

- Every change to an account runs inside one transaction that first locks the account row
  (`select_for_update`; on SQLite the IMMEDIATE transaction already serialises writers), then
  changes `balance` with a conditional UPDATE (`balance >= cost`) and appends the entry. A check
  constraint refuses a negative balance whatever happens.
- Stock is taken by `UPDATE … SET stock = stock - n WHERE stock >= n`; no row, no redemption.
  The account is always locked before the item, so two transactions never wait on each other
  in opposite order.
- A source pays once: (kind, ref) is unique on the ledger.

Lots and expiry: each earning entry is a lot. Spending and expiry take points from the lots
that expire soonest (never-expiring lots last, oldest first) and write what they took into
`PointsAllocation`; a cancelled redemption gives exactly those points back to the same lots.
Lots whose time has come are expired before any spending and by the nightly sweep.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.audit import audit_record
from linli.core.errors import Conflict, CoreError, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, communities_for, for_actor, system_actor
from linli.core.states import update_if
from linli.volunteers.choices import (
    REDEMPTION_MACHINE,
    EntryKind,
    RedemptionStatus,
    RedemptionTransition,
)
from linli.volunteers.errors import VolunteersError
from linli.volunteers.models import (
    PointsAccount,
    PointsAllocation,
    PointsEntry,
    PointsPolicy,
    Redemption,
    StoreItem,
)
from linli.volunteers.permissions import ADJUST_POINTS, MANAGE, STORE_COUNTER, VIEW_LEDGER
from linli.volunteers.selectors import account_for_resident, redemption_get, store_item_offered

SYSTEM = system_actor("system")
MAX_QUANTITY = 10
_CODE_ATTEMPTS = 20


# ---------------------------------------------------------------- policy and accounts


def policy_for(community_id: int) -> PointsPolicy:
    """The community's points policy, created with the defaults on first use."""
    policy, _created = PointsPolicy.objects.get_or_create(community_id=community_id)
    return policy


def lot_expiry(policy: PointsPolicy, earned_at: dt.datetime) -> dt.datetime | None:
    if not policy.expiry_months:
        return None
    return dates.add_months_dt(earned_at, policy.expiry_months)


def _resident_account(*, community_id: int, resident_id: int, name: str) -> PointsAccount:
    """The resident's account, opened on first use (the unique constraint settles a race)."""
    account = PointsAccount.objects.filter(resident_id=resident_id).first()
    if account:
        return account
    try:
        with transaction.atomic():
            return PointsAccount.objects.create(
                community_id=community_id, resident_id=resident_id, name=name
            )
    except IntegrityError:
        return PointsAccount.objects.get(resident_id=resident_id)


def account_open(*, community_id: int, name: str, resident_id: int | None = None) -> PointsAccount:
    """The points account of someone who earns: a resident's own (one per resident, opened on
    first use), or a new account for someone from outside the registry. Other apps (the riders'
    station) open accounts only through here."""
    if resident_id is not None:
        return _resident_account(community_id=community_id, resident_id=resident_id, name=name)
    return PointsAccount.objects.create(community_id=community_id, name=name)


def _locked(account_id: int) -> PointsAccount:
    return PointsAccount.objects.select_for_update().get(pk=account_id)


# ---------------------------------------------------------------- the ledger's primitives


def open_lots(account_id: int) -> QuerySet[PointsEntry]:
    """Earned lots with points left (annotated `left`), oldest first."""
    return (
        PointsEntry.objects.filter(account_id=account_id, points__gt=0)
        .exclude(kind=EntryKind.REFUND)
        .annotate(used=Coalesce(Sum("consumed_by__points"), Value(0), output_field=IntegerField()))
        .annotate(left=F("points") - F("used"))
        .filter(left__gt=0)
        .order_by("created_at", "id")
    )


@dataclass
class OpenLot:
    """An earned lot and the points it has left, while points are taken from it."""

    entry: PointsEntry
    left: int


_NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def _spending_order(lot: OpenLot) -> tuple[bool, dt.datetime, dt.datetime, int]:
    entry = lot.entry
    return (entry.expires_at is None, entry.expires_at or _NEVER, entry.created_at, entry.pk or 0)


def allocate(lots: Iterable[OpenLot], points: int) -> list[tuple[OpenLot, int]]:
    """The one allocation rule of the ledger: take `points` from the lots that expire soonest
    (never-expiring lots last, oldest first). Returns (lot, points taken) and lowers each
    lot's `left`. Lots holding fewer points than asked mean the balance and the lots disagree:
    refused rather than writing a wrong ledger."""
    need = points
    taken: list[tuple[OpenLot, int]] = []
    for lot in sorted((lot for lot in lots if lot.left > 0), key=_spending_order):
        if need <= 0:
            break
        take = min(need, lot.left)
        lot.left -= take
        need -= take
        taken.append((lot, take))
    if need > 0:
        raise RuntimeError(f"lots short by {need} points")
    return taken


def due_lots(lots: Iterable[OpenLot], at: dt.datetime) -> list[OpenLot]:
    """The lots with points left whose expiry has come by `at`."""
    return [
        lot for lot in lots if lot.left > 0 and lot.entry.expires_at and lot.entry.expires_at <= at
    ]


def _open(account_id: int) -> list[OpenLot]:
    return [OpenLot(lot, lot.left) for lot in open_lots(account_id)]  # type: ignore[attr-defined]


def _append(
    account: PointsAccount,
    *,
    kind: str,
    points: int,
    actor: Actor,
    at: dt.datetime,
    reason: str = "",
    ref: str = "",
    expires_at: dt.datetime | None = None,
) -> PointsEntry:
    """Change the locked account's balance by `points` and append the entry, in one go."""
    if points < 0:
        if not update_if(
            PointsAccount,
            pk=account.pk,
            where=Q(balance__gte=-points),
            balance=F("balance") + points,
        ):
            raise DomainError(_("Not enough points."), code=VolunteersError.INSUFFICIENT_POINTS)
    else:
        PointsAccount.objects.filter(pk=account.pk).update(balance=F("balance") + points)
    account.balance += points
    try:
        with transaction.atomic():
            return PointsEntry.objects.create(
                account=account,
                community_id=account.community_id,
                kind=kind,
                points=points,
                balance_after=account.balance,
                expires_at=expires_at,
                reason=reason[:200],
                ref=ref,
                created_by_id=actor.user_id,
                created_at=at,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("These points have already been recorded."),
            code=VolunteersError.POINTS_ALREADY_PAID,
        ) from exc


def _take_from_lots(entry: PointsEntry, lots: list[OpenLot], points: int) -> None:
    """Record which lots `entry` consumed, `points` in all (by `allocate`)."""
    PointsAllocation.objects.bulk_create(
        [
            PointsAllocation(entry=entry, lot=lot.entry, points=take)
            for lot, take in allocate(lots, points)
        ]
    )


def _expire_due(account: PointsAccount, *, at: dt.datetime, actor: Actor) -> PointsEntry | None:
    lots = due_lots(_open(account.pk), at)
    total = sum(lot.left for lot in lots)
    if not total:
        return None
    entry = _append(
        account,
        kind=EntryKind.EXPIRY,
        points=-total,
        actor=actor,
        at=at,
        reason=_("Points expired"),
    )
    _take_from_lots(entry, lots, total)
    return entry


def credit(
    account: PointsAccount,
    *,
    kind: str,
    points: int,
    actor: Actor,
    at: dt.datetime | None = None,
    reason: str = "",
    ref: str = "",
) -> PointsEntry:
    """Earn `points` as a new lot (expiring per the community's policy). The caller holds the
    account lock (it comes from `lock_account`) and has checked the actor's right to pay."""
    if points <= 0:
        raise DomainError(
            _("Points must be more than zero."), code=CoreError.INVALID_NUMBER, field="points"
        )
    at = at or dates.local_now()
    expires_at = lot_expiry(policy_for(account.community_id), at)
    return _append(
        account,
        kind=kind,
        points=points,
        actor=actor,
        at=at,
        reason=reason,
        ref=ref,
        expires_at=expires_at,
    )


def debit(
    account: PointsAccount,
    *,
    kind: str,
    points: int,
    actor: Actor,
    at: dt.datetime | None = None,
    reason: str = "",
    ref: str = "",
) -> PointsEntry:
    """Spend `points` from the soonest-expiring lots (after expiring what is due). The caller
    holds the account lock."""
    if points <= 0:
        raise DomainError(
            _("Points must be more than zero."), code=CoreError.INVALID_NUMBER, field="points"
        )
    at = at or dates.local_now()
    _expire_due(account, at=at, actor=actor)
    if account.balance < points:
        raise DomainError(
            _("Not enough points: %(need)s needed, %(have)s available.")
            % {"need": points, "have": account.balance},
            code=VolunteersError.INSUFFICIENT_POINTS,
        )
    entry = _append(account, kind=kind, points=-points, actor=actor, at=at, reason=reason, ref=ref)
    _take_from_lots(entry, _open(account.pk), points)
    return entry


def lock_account(account_id: int) -> PointsAccount:
    """Lock an account for a change (inside the caller's transaction)."""
    return _locked(account_id)


# ---------------------------------------------------------------- services


@dataclass(frozen=True)
class ExpirySweep:
    accounts: int
    points: int


def points_expire(*, actor: Actor = SYSTEM, at: dt.datetime | None = None) -> ExpirySweep:
    """Expire every lot whose time has come, one account per transaction (the nightly task)."""
    at = at or dates.local_now()
    account_ids = list(
        PointsEntry.objects.filter(points__gt=0, expires_at__lte=at)
        .exclude(kind=EntryKind.REFUND)
        .annotate(used=Coalesce(Sum("consumed_by__points"), Value(0), output_field=IntegerField()))
        .filter(points__gt=F("used"))
        .values_list("account_id", flat=True)
        .distinct()
    )
    accounts = points = 0
    for account_id in account_ids:
        with transaction.atomic():
            entry = _expire_due(_locked(account_id), at=at, actor=actor)
        if entry:
            accounts += 1
            points -= entry.points
    return ExpirySweep(accounts=accounts, points=points)


@transaction.atomic
def points_adjust(*, actor: Actor, account_id: int, points: int, reason: str) -> PointsEntry:
    """A manual correction by the community admin: a reason is required and it is audited."""
    account = access(actor, ADJUST_POINTS, PointsAccount.objects.all(), pk=account_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the points change."), code=CoreError.REQUIRED, field="reason")
    if not points:
        raise DomainError(
            _("Points must not be zero."), code=CoreError.INVALID_NUMBER, field="points"
        )
    account = _locked(account.pk)
    before = account.balance
    if points > 0:
        entry = credit(
            account, kind=EntryKind.ADJUSTMENT, points=points, actor=actor, reason=reason
        )
    else:
        entry = debit(
            account, kind=EntryKind.ADJUSTMENT, points=-points, actor=actor, reason=reason
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=account,
        community_id=account.community_id,
        field="points",
        reason=reason,
        before={"balance": before},
        after={"balance": account.balance, "points": points},
    )
    return entry


@transaction.atomic
def points_award_rule(
    *, actor: Actor, account_id: int, rule_code: str, reason: str = "", ref: str = ""
) -> PointsEntry:
    """Pay one of the community's own earning rules to an account."""
    from linli.volunteers.models import EarningRule

    account = access(actor, MANAGE, PointsAccount.objects.all(), pk=account_id)
    rule = EarningRule.objects.filter(
        community_id=account.community_id, code=rule_code, active=True
    ).first()
    if rule is None:
        raise NotFound(_("No such rule."))
    account = _locked(account.pk)
    entry = credit(
        account,
        kind=EntryKind.RULE,
        points=rule.points,
        actor=actor,
        reason=reason or rule.name,
        ref=ref,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=account,
        community_id=account.community_id,
        field="points",
        reason=entry.reason,
        after={"rule": rule.code, "points": rule.points},
    )
    return entry


@transaction.atomic
def points_award_safety_report(
    *, actor: Actor, account_id: int, report_ref: str, reason: str
) -> PointsEntry | None:
    """Pay a verified safety report (called by the riders app once its staff verified the
    report). The actor must be allowed to see the account's ledger; a report pays once."""
    account = access(actor, VIEW_LEDGER, PointsAccount.objects.all(), pk=account_id)
    points = policy_for(account.community_id).safety_report_points
    if not points:
        return None
    account = _locked(account.pk)
    return credit(
        account,
        kind=EntryKind.SAFETY_REPORT,
        points=points,
        actor=actor,
        reason=reason,
        ref=f"safety:{report_ref}",
    )


# ---------------------------------------------------------------- the store


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _item_fields(
    *, name: str, price: int, per_person_limit: int | None, description: str, active: bool
) -> dict[str, Any]:
    if price <= 0:
        raise DomainError(
            _("The price must be more than zero."), code=CoreError.INVALID_NUMBER, field="price"
        )
    return {
        "name": name.strip(),
        "price": price,
        "per_person_limit": per_person_limit or None,
        "description": description.strip(),
        "active": active,
    }


@transaction.atomic
def store_item_create(
    *,
    actor: Actor,
    community_id: int,
    name: str,
    price: int,
    stock: int,
    per_person_limit: int | None = None,
    description: str = "",
    active: bool = True,
) -> StoreItem:
    """Put a new item in the store (community admin), audited."""
    if community_id not in communities_for(actor, MANAGE):
        raise NotFound(_("Not found."))
    fields = _item_fields(
        name=name,
        price=price,
        per_person_limit=per_person_limit,
        description=description,
        active=active,
    )
    if stock < 0:
        raise DomainError(
            _("Stock cannot be negative."), code=CoreError.INVALID_NUMBER, field="stock"
        )
    try:
        with transaction.atomic():
            item = StoreItem.objects.create(community_id=community_id, stock=stock, **fields)
    except IntegrityError as exc:
        raise DomainError(
            _("The store already has an item of this name."),
            code=VolunteersError.NAME_TAKEN,
            field="name",
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=item,
        community_id=community_id,
        after={**fields, "stock": stock},
    )
    return item


@transaction.atomic
def store_item_update(
    *,
    actor: Actor,
    item_id: int,
    name: str,
    price: int,
    stock_change: int = 0,
    per_person_limit: int | None = None,
    description: str = "",
    active: bool = True,
) -> StoreItem:
    """Change a store item (community admin), audited. Stock changes by `stock_change` items
    added (or removed, negative) to what is left *now*, in one conditional UPDATE: a form
    opened before redemptions took items never writes back the stock it showed."""
    item = access(actor, MANAGE, StoreItem.objects.select_for_update(), pk=item_id)
    fields = _item_fields(
        name=name,
        price=price,
        per_person_limit=per_person_limit,
        description=description,
        active=active,
    )
    before = {**{k: getattr(item, k) for k in fields}, "stock": item.stock}
    try:
        with transaction.atomic():
            changed = update_if(
                StoreItem,
                pk=item.pk,
                where=Q(stock__gte=-stock_change),
                stock=F("stock") + stock_change,
                updated_at=dates.local_now(),
                **fields,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("The store already has an item of this name."),
            code=VolunteersError.NAME_TAKEN,
            field="name",
        ) from exc
    if not changed:
        raise DomainError(
            _("Only %(n)s left in stock: you cannot remove %(m)s.")
            % {"n": item.stock, "m": -stock_change},
            code=CoreError.INVALID_NUMBER,
            field="stock_change",
        )
    item.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=item,
        community_id=item.community_id,
        before=before,
        after={**fields, "stock": item.stock},
    )
    return item


@transaction.atomic
def points_redeem(
    *, actor: Actor, item_id: int, quantity: int = 1, at: dt.datetime | None = None
) -> Redemption:
    """A resident redeems an item in the portal and gets a pickup code. Wholly or not at all:
    the stock, the balance, the ledger entry and the redemption commit together."""
    at = at or dates.local_now()
    if not 1 <= quantity <= MAX_QUANTITY:
        raise DomainError(
            _("Choose between 1 and %(n)s.") % {"n": MAX_QUANTITY},
            code=CoreError.INVALID_NUMBER,
            field="quantity",
        )
    item = store_item_offered(actor, item_id)
    account = account_for_resident(actor)
    cost = item.price * quantity
    if account is None:
        raise DomainError(
            _("Not enough points: %(need)s needed, %(have)s available.")
            % {"need": cost, "have": 0},
            code=VolunteersError.INSUFFICIENT_POINTS,
        )
    account = _locked(account.pk)
    if item.per_person_limit:
        taken = (
            Redemption.objects.filter(account=account, item=item)
            .exclude(status=RedemptionStatus.CANCELLED)
            .aggregate(n=Coalesce(Sum("quantity"), 0))["n"]
        )
        if taken + quantity > item.per_person_limit:
            raise DomainError(
                _("One person may redeem at most %(n)s of this item.")
                % {"n": item.per_person_limit},
                code=VolunteersError.REDEMPTION_LIMIT,
            )
    _expire_due(account, at=at, actor=actor)
    if account.balance < cost:
        raise DomainError(
            _("Not enough points: %(need)s needed, %(have)s available.")
            % {"need": cost, "have": account.balance},
            code=VolunteersError.INSUFFICIENT_POINTS,
        )
    public_id = uuid.uuid4()
    debit(
        account,
        kind=EntryKind.REDEMPTION,
        points=cost,
        actor=actor,
        at=at,
        reason=f"{item.name} × {quantity}",
        ref=f"redemption:{public_id}",
    )
    # Stock last: the item's row is the one every redeemer shares, so it stays locked only for
    # the end of the transaction. No stock, and the whole redemption (the debit too) rolls back.
    if not update_if(
        StoreItem,
        pk=item.pk,
        where=Q(active=True, stock__gte=quantity),
        stock=F("stock") - quantity,
    ):
        raise Conflict(_("Sorry, this item is out of stock."), code=VolunteersError.OUT_OF_STOCK)
    for _attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                redemption = Redemption.objects.create(
                    public_id=public_id,
                    community_id=item.community_id,
                    account=account,
                    item=item,
                    quantity=quantity,
                    points=cost,
                    pickup_code=_new_code(),
                )
        except IntegrityError:
            continue
        from linli.volunteers.hub import pickup_ready

        pickup_ready(redemption, actor.user_id, item.name)
        return redemption
    raise Conflict(_("Please try again."))


def _move(redemption: Redemption, transition: str, to: str, **fields: Any) -> None:
    """Move a redemption along REDEMPTION_MACHINE: only a reserved one is picked up or
    cancelled, and of two clicks at once only one wins."""
    REDEMPTION_MACHINE.move(
        redemption,
        transition,
        to=to,
        on_conflict=lambda: Conflict(_("This redemption was already picked up or cancelled.")),
        **fields,
    )


@transaction.atomic
def redemption_cancel(
    *, actor: Actor, redemption_public_id: Any, at: dt.datetime | None = None
) -> Redemption:
    """Cancel before pickup: the stock and exactly the points taken (to the same lots) return."""
    at = at or dates.local_now()
    redemption = redemption_get(actor, redemption_public_id)
    account = _locked(redemption.account_id)
    _move(
        redemption,
        RedemptionTransition.CANCEL,
        RedemptionStatus.CANCELLED,
        handled_at=at,
        handled_by_id=actor.user_id,
    )
    StoreItem.objects.filter(pk=redemption.item_id).update(stock=F("stock") + redemption.quantity)
    ref = f"redemption:{redemption.public_id}"
    spend = PointsEntry.objects.get(kind=EntryKind.REDEMPTION, ref=ref)
    refund = _append(
        account,
        kind=EntryKind.REFUND,
        points=-spend.points,
        actor=actor,
        at=at,
        reason=spend.reason,
        ref=ref,
    )
    PointsAllocation.objects.bulk_create(
        [
            PointsAllocation(entry=refund, lot_id=a.lot_id, points=-a.points)
            for a in spend.allocations.all()
        ]
    )
    # Points given back to a lot that has expired meanwhile expire again at once.
    _expire_due(account, at=at, actor=actor)
    redemption.refresh_from_db()
    return redemption


@transaction.atomic
def redemption_pickup(*, actor: Actor, code: str, at: dt.datetime | None = None) -> Redemption:
    """Staff at the counter hand over the item for a pickup code."""
    at = at or dates.local_now()
    code = (code or "").strip()
    redemption = (
        for_actor(actor, STORE_COUNTER, Redemption.objects.select_related("item", "account"))
        .filter(pickup_code=code, status=RedemptionStatus.RESERVED)
        .first()
    )
    if redemption is None:
        raise NotFound(_("No open redemption has this pickup code."), field="code")
    _move(
        redemption,
        RedemptionTransition.PICK_UP,
        RedemptionStatus.PICKED_UP,
        handled_at=at,
        handled_by_id=actor.user_id,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=redemption,
        community_id=redemption.community_id,
        before={"status": RedemptionStatus.RESERVED},
        after={"status": RedemptionStatus.PICKED_UP},
    )
    redemption.refresh_from_db()
    return redemption
