"""The organisational-life workbook (.xlsx): one sheet of activities with attendance
figures, one of each member's participation. Names only: no ID numbers or phones. Built,
answered and audited through `core.exporting`."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.errors import NotFound
from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor, communities_for
from linli.party import selectors
from linli.party.permissions import EXPORT
from linli.registry.models import Community


@transaction.atomic
def export_activities(*, actor: Actor, community: Community, year: int) -> Export:
    """The year's activities and each member's participation, audited as
    `party.activities`."""
    if community.id not in communities_for(actor, EXPORT):
        raise NotFound(_("Not found."))
    activities = (
        (
            a.held_on,
            a.organisation.name,
            str(a.get_kind_display()),
            a.topic,
            a.place,
            a.present,  # type: ignore[attr-defined]
            a.expected,  # type: ignore[attr-defined]
        )
        for a in selectors.activity_list(
            actor, selectors.ActivityFilters(community_id=community.id, year=year)
        ).order_by("held_on", "id")
    )
    people = (
        (
            m.display_name,
            m.organisation.name,
            str(m.get_standing_display()),
            m.attended,  # type: ignore[attr-defined]
            m.expected,  # type: ignore[attr-defined]
            round(m.attended / m.expected, 3) if m.expected else None,  # type: ignore[attr-defined]
        )
        for m in selectors.participation_counts(actor, community.id, year)
    )
    content, rows = build_workbook(
        [
            Sheet(
                title=_("Activities"),
                headers=[
                    _("Date"),
                    _("Organisation"),
                    _("Type"),
                    _("Topic"),
                    _("Place"),
                    _("Present"),
                    _("Expected"),
                ],
                rows=activities,
            ),
            Sheet(
                title=_("Participation"),
                headers=[
                    _("Name"),
                    _("Organisation"),
                    _("Standing"),
                    _("Attended"),
                    _("Expected"),
                    _("Rate"),
                ],
                rows=people,
            ),
        ]
    )
    filename = f"party-activities-{year}.xlsx"
    record_export(
        actor=actor,
        what="party.activities",
        filename=filename,
        rows=rows,
        community_id=community.id,
        year=year,
    )
    return Export(content=content, filename=filename, rows=rows)
