"""The organisational-life workbook (.xlsx): one sheet of activities with attendance
figures, one of each member's participation. Names only: no ID numbers or phones."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.core.permissions import Actor
from linli.party import selectors
from linli.registry.models import Community


def activities_workbook(actor: Actor, community: Community, year: int) -> tuple[bytes, int]:
    """The workbook's bytes and the number of data rows written."""
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = _("Activities")
    sheet.append(
        [
            _("Date"),
            _("Organisation"),
            _("Type"),
            _("Topic"),
            _("Place"),
            _("Present"),
            _("Expected"),
        ]
    )
    rows = 0
    for a in selectors.activity_list(
        actor, selectors.ActivityFilters(community_id=community.id, year=year)
    ).order_by("held_on", "id"):
        sheet.append(
            [
                a.held_on,
                a.organisation.name,
                str(a.get_kind_display()),
                a.topic,
                a.place,
                a.present,  # type: ignore[attr-defined]
                a.expected,  # type: ignore[attr-defined]
            ]
        )
        rows += 1
    people = wb.create_sheet(_("Participation"))
    people.append(
        [_("Name"), _("Organisation"), _("Standing"), _("Attended"), _("Expected"), _("Rate")]
    )
    for m in selectors.participation_counts(actor, community.id, year):
        attended, expected = m.attended, m.expected  # type: ignore[attr-defined]
        people.append(
            [
                m.display_name,
                m.organisation.name,
                str(m.get_standing_display()),
                attended,
                expected,
                round(attended / expected, 3) if expected else None,
            ]
        )
        rows += 1
    for ws in (sheet, people):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), rows
