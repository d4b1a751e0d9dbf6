"""Doorstep jobs: partner firms and their orders, workers (registry residents) in teams led by
self-employed Party members, batches dispatched to workers, returns with a quality check, the
append-only earnings ledger and the monthly payout statements.

Money is Decimal throughout: a piece rate has at most 4 decimals, a ledger amount is the exact
product pieces × rate, and rounding to the fen happens once, on a statement's line (one firm's
work of one worker in one month), half-up (docs/jobs.md)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import PublicIdModel, TimeStampedModel
from linli.jobs.choices import EntryKind, OrderStatus, PayMethod, StatementStatus


class Firm(TimeStampedModel):
    """A partner firm that brings piecework to the community."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    product_line = models.CharField(_("products"), max_length=200, blank=True)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner firm")
        verbose_name_plural = _("partner firms")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="jobs_firm_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Order(TimeStampedModel):
    """A firm's order: `quantity` pieces of a product at an exact piece rate. `dispatched` counts
    the pieces handed out in batches; the database refuses more than the quantity."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    firm = models.ForeignKey(
        Firm, verbose_name=_("firm"), on_delete=models.PROTECT, related_name="orders"
    )
    product = models.CharField(_("product"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"))
    rate = models.DecimalField(_("piece rate (yuan)"), max_digits=10, decimal_places=4)
    quality_standard = models.TextField(_("quality standard"), blank=True)
    due_on = models.DateField(_("due date"))
    materials_issued = models.CharField(_("materials issued"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    dispatched = models.PositiveIntegerField(_("pieces dispatched"), default=0)
    accepted = models.PositiveIntegerField(_("pieces accepted"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dispatched__lte=F("quantity")), name="jobs_order_not_overdispatched"
            ),
            models.CheckConstraint(
                condition=Q(accepted__lte=F("dispatched")), name="jobs_order_accepted_le_dispatched"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="jobs_order_rate_positive"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="jobs_order_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm.name} · {self.product}"

    @property
    def left(self) -> int:
        return self.quantity - self.dispatched


class Team(TimeStampedModel):
    """A team of workers led by a self-employed Party member (a resident of the registry who is
    a Party member; `lead_user` is his login, when he has one)."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    leader = models.ForeignKey(
        "registry.Resident", verbose_name=_("team lead"), on_delete=models.PROTECT, related_name="+"
    )
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team lead's login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="jobs_team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Worker(PublicIdModel):
    """A resident who takes piecework home."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workers",
    )
    joined_on = models.DateField(_("joined on"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["resident"], name="jobs_worker_once")]

    def __str__(self) -> str:
        return self.resident.name


class Batch(TimeStampedModel):
    """Pieces of one order handed to one worker. `settled` counts pieces returned and checked
    (accepted or rejected); pieces sent back for rework stay with the worker. The database
    refuses settling more than was dispatched."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="batches"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="batches"
    )
    quantity = models.PositiveIntegerField(_("pieces"))
    dispatched_on = models.DateField(_("dispatched on"))
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dispatched by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    settled = models.PositiveIntegerField(_("pieces checked"), default=0)
    accepted = models.PositiveIntegerField(_("pieces accepted"), default=0)
    rejected = models.PositiveIntegerField(_("pieces rejected"), default=0)
    rework = models.PositiveIntegerField(_("pieces sent back for rework"), default=0)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-dispatched_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(settled__lte=F("quantity")), name="jobs_batch_not_oversettled"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="jobs_batch_quantity_positive"
            ),
        ]
        indexes = [models.Index(fields=["worker", "dispatched_on"], name="jobs_batch_worker_day")]

    @property
    def open_pieces(self) -> int:
        return self.quantity - self.settled


class Return(TimeStampedModel):
    """One return of pieces from a batch and its quality check."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="returns"
    )
    on = models.DateField(_("returned on"))
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    rework = models.PositiveIntegerField(_("sent back for rework"), default=0)
    defect_reason = models.CharField(_("defect reason"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-on", "-id"]


class AppendOnlyQuerySet(models.QuerySet["EarningEntry"]):
    """The ledger is written once: no bulk update or delete through the ORM."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("the earnings ledger is append-only: write a correction entry")

    def delete(self) -> NoReturn:
        raise TypeError("the earnings ledger is append-only: write a correction entry")


class EarningEntry(models.Model):
    """One line of a worker's earnings ledger: accepted pieces × rate (exact), or a correction
    (a new line with its own sign and reason, never an edit). `month` is the payout month."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="entries"
    )
    firm = models.ForeignKey(
        Firm, verbose_name=_("firm"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ret = models.ForeignKey(
        Return,
        verbose_name=_("return"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    on = models.DateField(_("date"))
    month = models.DateField(_("month"))
    pieces = models.IntegerField(_("pieces"))
    rate = models.DecimalField(_("piece rate (yuan)"), max_digits=10, decimal_places=4)
    amount = models.DecimalField(_("amount (yuan, exact)"), max_digits=16, decimal_places=4)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    at = models.DateTimeField(_("written at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("earnings entry")
        verbose_name_plural = _("earnings ledger")
        ordering = ["on", "id"]
        indexes = [
            models.Index(fields=["community", "month"], name="jobs_entry_comm_month"),
            models.Index(fields=["worker", "month"], name="jobs_entry_worker_month"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.pieces} × {self.rate}"


class Statement(PublicIdModel):
    """A worker's payout statement for one month: issued once, then immutable (only its payment
    is recorded). Its lines are one per firm; each line is rounded to the fen once, half-up; the
    total is the sum of the lines."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="statements"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    month = models.DateField(_("month"))
    pieces = models.IntegerField(_("accepted pieces"))
    exact = models.DecimalField(_("exact amount"), max_digits=16, decimal_places=4)
    total = models.DecimalField(_("amount payable (yuan)"), max_digits=14, decimal_places=2)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.ISSUED
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_method = models.CharField(
        _("paid how"), max_length=10, choices=PayMethod.choices, blank=True
    )
    paid_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("payout statement")
        verbose_name_plural = _("payout statements")
        ordering = ["-month", "worker_id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "month"], name="jobs_statement_once"),
            models.CheckConstraint(
                condition=Q(status=StatementStatus.ISSUED, paid_at__isnull=True)
                | Q(status=StatementStatus.PAID, paid_at__isnull=False),
                name="jobs_statement_paid_at",
            ),
        ]
        indexes = [models.Index(fields=["community", "month"], name="jobs_statement_comm_month")]


class StatementLine(models.Model):
    """One firm's part of a statement."""

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="lines"
    )
    firm = models.ForeignKey(
        Firm, verbose_name=_("firm"), on_delete=models.PROTECT, related_name="+"
    )
    pieces = models.IntegerField(_("accepted pieces"))
    exact = models.DecimalField(_("exact amount"), max_digits=16, decimal_places=4)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement_id", "firm_id"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "firm"], name="jobs_statement_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.firm_id}: {self.amount}"


class MonthTally(models.Model):
    """One worker's earnings from one firm in one month, summed from the ledger: what the
    month's statement line would say. Kept in step by the services that write the ledger
    (`batch_return`, `entry_correct`, in the same transaction) and rebuilt from the ledger by
    `manage.py jobs_rebuild_tallies`; the statistics read it instead of the ledger."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    firm = models.ForeignKey(
        Firm, verbose_name=_("firm"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    pieces = models.IntegerField(_("accepted pieces"))
    exact = models.DecimalField(_("exact amount"), max_digits=16, decimal_places=4)
    # The exact amount rounded to the fen once, half-up, as a statement line; in fen so that
    # the statistics sum integers.
    fen = models.BigIntegerField(_("amount (fen)"))

    class Meta:
        verbose_name = _("monthly tally")
        verbose_name_plural = _("monthly tallies")
        ordering = ["month", "worker_id", "firm_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "month", "firm"], name="jobs_tally_worker_month_firm"
            )
        ]
        indexes = [models.Index(fields=["community", "month"], name="jobs_tally_comm_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.worker_id}/{self.firm_id}: {self.fen}"
