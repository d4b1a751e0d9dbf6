"""Choices of the doorstep jobs (家门口的饭碗)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.states import StateMachine

FEN = Decimal("0.01")
RATE_PLACES = 4  # a piece rate has at most 4 decimals (0.0001 yuan)


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class EntryKind(models.TextChoices):
    EARNING = "earning", _("Accepted pieces")
    CORRECTION = "correction", _("Correction")


class StatementStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")


class StatementTransition(models.TextChoices):
    PAY = "pay", _("Mark paid")


class PayMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    WECHAT = "wechat", _("WeChat Pay")
    CASH = "cash", _("Cash")


STATEMENT_MACHINE = StateMachine(
    allowed_from={StatementTransition.PAY: (StatementStatus.ISSUED,)},
    status_labels=StatementStatus,
    transition_labels=StatementTransition,
    field="status",
)
