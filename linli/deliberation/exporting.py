"""Exports of deliberation: a vote's consent sheet (every head with area, flats and ballot) and
its tally, as one workbook."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor
from linli.deliberation import selectors
from linli.deliberation.choices import Channel, Choice


def export_consent_sheet(*, actor: Actor, vote_public_id: Any) -> Export:
    vote = selectors.vote_get(actor, vote_public_id)
    t = selectors.vote_tally(vote)
    electors = selectors.electors_with_ballots(vote)

    def rows() -> Any:
        for e in electors.iterator():
            b = getattr(e, "ballot", None)
            yield [
                e.owner_key,
                e.label,
                " ".join(fl["room"] for fl in e.flats),
                e.top_floor,
                f"{e.area_cm / 100:.2f}",
                str(Choice(b.choice).label) if b else "",
                str(Channel(b.channel).label) if b else "",
                b.proxy_name if b else "",
                b.authorisation_ref if b else "",
                b.signature_ref if b else "",
                b.recorded_at if b else None,
            ]

    sheet = Sheet(
        title=_("Consent sheet"),
        headers=[
            _("Owner key"),
            _("Owner"),
            _("Flats"),
            _("Floor"),
            _("Area (m²)"),
            _("Choice"),
            _("Signed"),
            _("Proxy"),
            _("Written authorisation"),
            _("Signature record"),
            _("Recorded at"),
        ],
        rows=rows(),
    )
    summary = Sheet(
        title=_("Tally"),
        headers=[_("Threshold"), _("Figure"), _("Of"), _("Needed"), _("Met")],
        rows=[[b.label, b.part, b.whole, b.need, _("yes") if b.ok else _("no")] for b in t.bars()]
        + [[_("Passed"), "", "", "", _("yes") if t.passed else _("no")]],
    )
    content, count = build_workbook([sheet, summary])
    filename = f"consent-{dates.local_today():%Y%m%d}-{str(vote.public_id)[:8]}.xlsx"
    with transaction.atomic():
        record_export(
            actor=actor,
            what="deliberation.consent_sheet",
            filename=filename,
            rows=count,
            community_id=vote.community_id,
        )
    return Export(content, filename, count)
