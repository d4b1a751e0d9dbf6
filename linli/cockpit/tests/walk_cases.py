"""The cockpit in the persona walk: the community's leadership and the subdistrict and
district viewers open it; a stored monthly report opens for those who read its community."""

from __future__ import annotations

import tempfile
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from linli.cockpit.models import MonthlyReport
from linli.core import dates
from linli.testing.walk import Case, Scene, sees

SETTINGS = {"MEDIA_ROOT": tempfile.mkdtemp(prefix="linli-walk-cockpit-")}
READERS = ("admin", "organiser", "viewer", "district")


def build(scene: Scene) -> Any:
    report = MonthlyReport(
        community=scene.world.community,
        month=dates.add_months(dates.this_month(), -1),
        figures={"registry.residents": 4},
        generated_at=timezone.now(),
    )
    report.file.save("walk.pdf", ContentFile(b"%PDF-1.4\n%walk\n"), save=False)
    report.save()
    return SimpleNamespace(report=report)


CASES = {
    "cockpit:index": Case(expect=sees(*READERS, "other_admin")),
    "cockpit:screen": Case(expect=sees(*READERS, "other_admin")),
    "cockpit:compare": Case(expect=sees(*READERS, "other_admin")),
    "cockpit:reports": Case(expect=sees(*READERS, "other_admin")),
    "cockpit:report_pdf": Case(lambda s: {"report_id": s.cockpit.report.pk}, expect=sees(*READERS)),
    "/api/cockpit/figures": Case(expect=sees(*READERS, "other_admin")),
    "/api/cockpit/compare": Case(expect=sees(*READERS, "other_admin")),
    "/api/cockpit/reports": Case(expect=sees(*READERS, "other_admin")),
}
