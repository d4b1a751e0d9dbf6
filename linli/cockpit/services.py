"""Writes of the cockpit: generating a community's monthly report (on demand or by the task
on the 1st). The figures come from every registered group (`core.hooks.all_figure_groups`),
exactly as the cockpit computes them for that month, and are stored with the PDF."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.cockpit import report
from linli.cockpit.errors import CockpitError
from linli.cockpit.models import MonthlyReport
from linli.cockpit.permissions import GENERATE_REPORT
from linli.cockpit.selectors import group_figures
from linli.core import dates
from linli.core.audit import audit_record
from linli.core.errors import DomainError
from linli.core.hooks import FigureQuery, all_figure_groups
from linli.core.permissions import Actor, access
from linli.registry.models import Community


def _check_month(month: dt.date) -> dt.date:
    month = month.replace(day=1)
    if month > dates.this_month():
        raise DomainError(
            _("The month has not begun yet: no report for it."),
            code=CockpitError.FUTURE_MONTH,
            field="month",
        )
    return month


def build_report(
    community: Community, month: dt.date, *, actor: Actor | None = None
) -> MonthlyReport:
    """Compute the figures, render the PDF and store both (replacing an earlier report of the
    same month). The PDF is rendered outside the transaction; the row and file are written in
    one."""
    month = _check_month(month)
    started = time.monotonic()
    with translation.override(settings.LANGUAGE_CODE):  # the report is in Chinese
        groups = group_figures(
            all_figure_groups(), FigureQuery(community_ids=frozenset({community.pk}), month=month)
        )
    pdf = report.render_pdf(community, month, groups)
    figures = {f.key: report.plain(f.value) for g in groups for f in g.figures}
    seconds = Decimal(str(round(time.monotonic() - started, 2)))
    with transaction.atomic():
        row = (
            MonthlyReport.objects.select_for_update()
            .filter(community=community, month=month)
            .first()
        )
        if row is None:
            row = MonthlyReport(community=community, month=month)
        elif row.file:
            row.file.delete(save=False)
        row.figures = figures
        row.generated_at = timezone.now()
        row.generated_by = actor.label[:150] if actor else ""
        row.size = len(pdf)
        row.seconds = seconds
        row.file.save(f"{community.code}-{month:%Y-%m}.pdf", ContentFile(pdf), save=False)
        row.save()
        if actor is not None:
            audit_record(
                actor=actor,
                action="create",
                obj=row,
                object_label=f"{community.name} {month:%Y-%m}",
                community_id=community.pk,
            )
    return row


def report_generate(*, actor: Actor, community_id: int, month: dt.date) -> MonthlyReport:
    """A community admin asks for a report now: rendered outside the transaction (a PDF takes
    a second or two), stored and audited in one."""
    community = access(actor, GENERATE_REPORT, Community.objects.all(), pk=community_id)
    return build_report(community, month, actor=actor)


def reports_generate_all(month: dt.date) -> int:
    """Every community's report for `month` (the task on the 1st, for the month just ended)."""
    count = 0
    for community in Community.objects.order_by("pk"):
        build_report(community, month)
        count += 1
    return count


def report_render(report: MonthlyReport) -> MonthlyReport:
    """Render a stored report whose PDF was left for later (the demo's): its figures are
    computed again, so the file and the stored numbers agree."""
    return build_report(report.community, report.month)
