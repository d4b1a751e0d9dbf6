"""The cockpit for Wenchang with the full demo: the page (every registered figure group, live)
as the community admin, the big screen, communities side by side as the subdistrict viewer,
and one monthly report PDF. Prints the median time and the queries of each, and the time and
queries of each figure group. Targets: the cockpit under 300 ms median; a report under 10 s.
Each page is measured cold (its figure cache cleared: every figure computed live) and warm
(figures < 60 s old).

Run: .venv/bin/python bench/bench_cockpit.py                                  (SQLite, temp file)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_surveys \
         .venv/bin/python bench/bench_cockpit.py
     BENCH_ROUNDS=20 for more rounds (default 11).
     BENCH_REUSE=1 with DATABASE_URL (or LINLI_SQLITE_PATH) already holding the demo: no
         rebuild (e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_h_cockpit).
Every line carries the load average (the machine is shared): compare figures within one run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

REUSE = bool(os.environ.get("BENCH_REUSE"))
if REUSE:
    import tempfile

    sys.path.insert(0, str(benchdb.ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    TMP = Path(tempfile.mkdtemp(prefix="linli-bench-cockpit-"))
    import django

    django.setup()
else:
    TMP = benchdb.setup("cockpit")
os.environ.setdefault("LINLI_MEDIA_ROOT", str(TMP / "media"))

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from linli.accounts.models import User  # noqa: E402
from linli.cockpit.models import FigureSnapshot  # noqa: E402
from linli.cockpit.services import build_report  # noqa: E402
from linli.core import dates  # noqa: E402
from linli.core.hooks import FigureQuery, all_figure_groups  # noqa: E402
from linli.registry.models import Community  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "11"))


def timed(fn: object, rounds: int = ROUNDS, *, cold: bool = True) -> tuple[float, int]:
    """Median milliseconds and the queries of the last round; `cold` clears the pages' figure
    cache before each round (the live cost), otherwise it is measured warm."""
    times = []
    queries = 0
    for _ in range(rounds):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def load() -> str:
    return "load " + "/".join(f"{x:.1f}" for x in os.getloadavg())


def report_phases(community: Community, month: object) -> None:
    """The report's time split: figures (data), charts (PNG), WeasyPrint layout, PDF writing
    (painting + font subsetting and embedding)."""
    from weasyprint import CSS, HTML

    from linli.cockpit import report
    from linli.cockpit.selectors import group_figures

    t0 = time.perf_counter()
    groups = group_figures(
        all_figure_groups(),
        FigureQuery(community_ids=frozenset({community.pk}), month=month),  # type: ignore[arg-type]
    )
    t1 = time.perf_counter()
    html = report._html(community, month, groups)  # type: ignore[arg-type]
    t2 = time.perf_counter()
    css = report.REPORT_CSS.read_text(encoding="utf-8")
    font = report.cjk_font_file()
    if font:
        css = f'@font-face {{ font-family: "LinliCJK"; src: url("file://{font}"); }}\n' + css
    doc = HTML(string=html).render(stylesheets=[CSS(string=css)])
    t3 = time.perf_counter()
    pdf = doc.write_pdf()
    t4 = time.perf_counter()
    print(
        f"  report phases: figures {t1 - t0:.2f} s, charts+html {t2 - t1:.2f} s, "
        f"layout {t3 - t2:.2f} s, PDF+fonts {t4 - t3:.2f} s ({len(doc.pages)} pages, "
        f"{len(pdf) // 1024} KiB, font {font}) {load()}"
    )


def main() -> None:
    benchdb.serve_pages_without_collectstatic()
    started = time.perf_counter()
    if not REUSE:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"demo ready in {time.perf_counter() - started:.0f} s ({connection.vendor}) {load()}")
    # "fresh" means computed live: no pre-aggregated snapshot may stand in for a group here.
    FigureSnapshot.objects.all().delete()
    community = Community.objects.get(code="wenchang")
    query = FigureQuery(community_ids=frozenset({community.pk}), month=dates.this_month())
    print(f"figure group (provider, fresh)  median ms  queries  {load()}")
    total = 0.0
    for group in all_figure_groups():
        ms, q = timed(lambda g=group: g.provider(query))
        total += ms
        print(f"  {group.domain:<28} {ms:9.1f}  {q:7d}")
    print(f"  {'sum of the providers':<28} {total:9.1f}")
    grid_id = community.grids.order_by("number").values_list("pk", flat=True).first()
    pages = (
        ("wenchang_admin", "/cockpit/", "cockpit"),
        ("wenchang_admin", f"/cockpit/?grid={grid_id}", "one grid"),
        ("wenchang_admin", "/cockpit/screen/", "big screen"),
        ("wenchang_admin", "/api/cockpit/figures", "API figures"),
        ("viewer", "/cockpit/compare/", "side by side (subdistrict)"),
        ("district", "/cockpit/compare/", "side by side (district)"),
    )
    print(f"page                        fresh ms queries  cached ms queries  {load()}")
    for username, url, label in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(url, secure=True).status_code == 200, url
        ms, q = timed(lambda c=client, u=url: c.get(u, secure=True))
        warm, wq = timed(lambda c=client, u=url: c.get(u, secure=True), cold=False)
        flag = (
            "" if label != "cockpit" else ("  OK (< 300 ms)" if ms < 300 else "  SLOW (>= 300 ms)")
        )
        print(f"  {label:<26} {ms:9.1f} {q:7d}  {warm:9.1f} {wq:7d}{flag}")
    month = dates.add_months(dates.this_month(), -1)
    import weasyprint  # noqa: F401  (loaded once per worker; not part of a report's time)

    report_phases(community, month)
    start = time.perf_counter()
    report = build_report(community, month)
    seconds = time.perf_counter() - start
    print(
        f"monthly report PDF {month:%Y-%m}: {seconds:.2f} s, {report.size / 1024:.0f} KiB"
        + ("  OK (< 10 s)" if seconds < 10 else "  SLOW")
        + f"  {load()}"
    )


if __name__ == "__main__":
    main()
