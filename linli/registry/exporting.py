"""Exporting the resident list to Excel (BRIEF R1).

The export is the resident list the actor sees, with the same filters, in the import's column
layout plus age and tags. Citizen IDs and phones are always masked: a spreadsheet leaves the
system's control, so it never carries what the screen would only show after an audited
reveal (DESIGN.md rule 10). Every export writes an audit row saying who exported what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.errors import NotFound
from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor, communities_for, for_actor, has_perm
from linli.registry.importing import (
    COLUMNS,
    DISABILITY_LABELS,
    FLAG_FIELDS,
    GENDER_LABELS,
    NO,
    RELATION_LABELS,
    TAG_LABELS,
    TENURE_LABELS,
    YES,
)
from linli.registry.models import Resident
from linli.registry.permissions import EXPORT
from linli.registry.selectors import ResidentFilters, resident_list

EXTRA_HEADERS = ("年龄", "标签", "网格")
# The columns the export reads; loading only these keeps a 10,000-row export fast.
EXPORT_FIELDS = (
    "name",
    "citizen_id_masked",
    "gender",
    "birth_date",
    "phone_masked",
    "relation",
    "disability_level",
    *FLAG_FIELDS.values(),
    "notes",
    "household__room",
    "household__floor",
    "household__area_m2",
    "household__tenure",
    "household__building__number",
    "household__building__grid__name",
    "household__unit__number",
)


def export_headers() -> list[str]:
    return [c.header for c in COLUMNS] + list(EXTRA_HEADERS)


def _row(r: Resident, today: dt.date) -> list[Any]:
    h = r.household
    cells: dict[str, Any] = {
        "building": h.building.number,
        "unit": h.unit.number,
        "room": h.room,
        "floor": h.floor,
        "area": float(h.area_m2) if h.area_m2 is not None else None,
        "tenure": TENURE_LABELS.get(h.tenure, h.tenure),
        "name": r.name,
        "citizen_id": r.shown_citizen_id,
        "gender": GENDER_LABELS.get(r.gender, r.gender),
        "birth_date": r.shown_birth_date.isoformat() if r.shown_birth_date else "",
        "phone": r.shown_phone,
        "relation": RELATION_LABELS.get(r.relation, r.relation),
        "disability": DISABILITY_LABELS.get(r.disability_level, r.disability_level),
        **{key: YES if getattr(r, f) else NO for key, f in FLAG_FIELDS.items()},
        "notes": r.notes,
    }
    age = r.age_on(today)
    tags = "、".join(TAG_LABELS.get(t, t) for t in r.tags)
    return [cells[c.key] for c in COLUMNS] + [age, tags, h.building.grid.name]


def export_residents(*, actor: Actor, filters: ResidentFilters) -> Export:
    """The filtered resident list as a workbook; writes the export's audit row.

    Scope comes from `resident_list`, so a grid worker exports only her grids. The workbook is
    built before the (short) audit transaction so that a large export does not hold the
    database's write lock; if the audit row cannot be written, no file is returned.
    """
    if not has_perm(actor, EXPORT):
        raise NotFound(_("Not found."))
    today = dates.local_today()
    # The list's scope (view) and the export permission's scope, both through the engine.
    qs = for_actor(actor, EXPORT, resident_list(actor, filters)).only(*EXPORT_FIELDS)
    data, count = build_workbook(
        [
            Sheet(
                title="居民信息",
                headers=export_headers(),
                rows=(_row(r, today) for r in qs.iterator(chunk_size=2000)),
            )
        ]
    )
    filename = export_file_name(today)
    export_communities = list(communities_for(actor, EXPORT))
    with transaction.atomic():
        record_export(
            actor=actor,
            what="registry.residents",
            filename=filename,
            rows=count,
            community_id=filters.community_id
            or (export_communities[0] if len(export_communities) == 1 else None),
            filters=asdict(filters),
        )
    return Export(content=data, filename=filename, rows=count)


def export_file_name(today: dt.date | None = None) -> str:
    today = today or dates.local_today()
    return f"residents-{today:%Y%m%d}.xlsx"


# --- the resident's own record (issue 14, PIPL art. 45) ---------------------------------------


def my_record_data(*, actor: Actor) -> dict[str, list[dict[str, Any]]]:
    """Every panel's rows about the signed-in resident, by panel key (what the download holds).
    Each domain's `Panel.export` reads through its own scoped selectors."""
    from linli.core.hooks import panels_for

    resident_id = actor.resident_id
    if resident_id is None:
        raise NotFound(_("Not found."))
    data: dict[str, list[dict[str, Any]]] = {}
    for panel in panels_for(actor):
        if panel.export is not None:
            data[panel.key] = panel.export(actor, resident_id)
    return data


def export_my_record(*, actor: Actor, fmt: str) -> Export:
    """The signed-in resident's whole record as .xlsx or JSON (PIPL art. 45: a person may
    obtain a copy of his personal information); writes the export's audit row."""
    import json

    from linli.registry.models import Resident

    data = my_record_data(actor=actor)
    resident = Resident.objects.only("community_id").get(pk=actor.resident_id or 0)
    today = dates.local_today()
    rows = sum(len(v) for v in data.values())
    if fmt == "json":
        content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        filename = f"my-record-{today:%Y%m%d}.json"
    else:
        sheets = []
        for key, items in data.items():
            headers = sorted({h for item in items for h in item}) or ["—"]
            sheets.append(
                Sheet(
                    title=key[:31],
                    headers=headers,
                    rows=[[item.get(h, "") for h in headers] for item in items],
                )
            )
        content, _count = build_workbook(sheets)
        filename = f"my-record-{today:%Y%m%d}.xlsx"
    with transaction.atomic():
        record_export(
            actor=actor,
            what="registry.my_record",
            filename=filename,
            rows=rows,
            community_id=resident.community_id,
            format=fmt,
        )
    return Export(content=content, filename=filename, rows=rows)
