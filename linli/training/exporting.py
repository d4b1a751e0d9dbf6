"""Excel (.xlsx) exports of the training base: the classes and the trainee-visit totals, built,
audited and answered the one way (`linli.core.exporting`). Contact phones leave masked."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.errors import NotFound
from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor, communities_for, for_actor
from linli.training import selectors
from linli.training.models import TrainingClass
from linli.training.permissions import EXPORT


def _community(actor: Actor) -> int | None:
    ids = list(communities_for(actor, EXPORT))
    if not ids:
        raise NotFound(_("Not found."))
    return ids[0] if len(ids) == 1 else None


@transaction.atomic
def export_classes(*, actor: Actor, year: int | None = None) -> Export:
    community_id = _community(actor)
    qs = for_actor(actor, EXPORT, TrainingClass.objects.all()).order_by("starts_on", "code")
    if year:
        qs = qs.filter(starts_on__year=year)
    sheet = Sheet(
        title=_("Classes"),
        headers=[
            _("Class number"),
            _("Class name"),
            _("Visiting organisation"),
            _("Province"),
            _("City"),
            _("Contact"),
            _("Contact phone"),
            _("Arrives on"),
            _("Leaves on"),
            _("Trainees"),
            _("Status"),
        ],
        rows=(
            (
                c.code,
                c.name,
                c.organisation,
                c.province,
                c.city,
                c.contact_name,
                c.contact_phone_masked,
                c.starts_on,
                c.ends_on,
                c.trainee_count,
                c.get_status_display(),
            )
            for c in qs.iterator(chunk_size=2000)
        ),
        widths=(10, 30, 30, 14, 10, 10, 14, 12, 12, 8, 10),
    )
    filename = f"training-classes-{dates.local_today():%Y%m%d}.xlsx"
    content, rows = build_workbook([sheet])
    record_export(
        actor=actor,
        what="training.classes",
        filename=filename,
        rows=rows,
        community_id=community_id,
        year=year,
    )
    return Export(content, filename, rows)


@transaction.atomic
def export_totals(*, actor: Actor) -> Export:
    community_id = _community(actor)
    headers = [_("Classes"), _("Trainee visits")]
    by_year = Sheet(
        title=_("By year"),
        headers=[_("Year"), *headers],
        rows=[(r.label, r.classes, r.visits) for r in selectors.totals_by_year(actor)],
    )
    by_province = Sheet(
        title=_("By province"),
        headers=[_("Province"), *headers],
        rows=[(r.label, r.classes, r.visits) for r in selectors.totals_by_province(actor)],
    )
    filename = f"training-totals-{dates.local_today():%Y%m%d}.xlsx"
    content, rows = build_workbook([by_year, by_province])
    record_export(
        actor=actor, what="training.totals", filename=filename, rows=rows, community_id=community_id
    )
    return Export(content, filename, rows)
