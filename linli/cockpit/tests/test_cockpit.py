"""The cockpit: every registered group's figures with a constant number of queries, who may
open it and over which communities, the grid drill-down, communities side by side, and the
monthly report whose numbers are the cockpit's."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from linli.cockpit import selectors, services
from linli.cockpit.models import MonthlyReport
from linli.core import dates
from linli.core.errors import DomainError, NotFound
from linli.core.hooks import FigureQuery, all_figure_groups
from linli.core.models import AuditEvent
from linli.testing import assert_constant_queries
from linli.testing.factories import ResidentFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the pages' figure cache must not carry figures between tests


def test_every_group_runs_a_constant_number_of_queries(world):
    query = FigureQuery(community_ids=frozenset({world.community.pk}), month=dates.this_month())

    def grow(n: int) -> None:
        for _ in range(n):
            ResidentFactory.create(household=world.household_b1)

    groups = all_figure_groups()
    assert {"registry", "party", "hotline", "volunteers", "riders", "surveys"} <= {
        g.domain for g in groups
    }
    for group in groups:
        counts = assert_constant_queries(lambda _n, g=group: g.provider(query), [1, 4], setup=grow)
        assert max(counts.values()) <= 6, (group.domain, counts)
        grid = FigureQuery(
            community_ids=query.community_ids, month=query.month, grid_id=world.grid_a.pk
        )
        assert_constant_queries(lambda _n, g=group: g.provider(grid), [1, 3], setup=grow)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("organiser", 200),
        ("viewer", 200),
        ("district", 200),
        ("worker_a", 404),
        ("care", 404),
        ("volunteer", 404),
        ("resident_user", 404),
    ],
)
def test_who_opens_the_cockpit(world, persona, status, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    for name in ("cockpit:index", "cockpit:screen", "cockpit:compare", "cockpit:reports"):
        assert client.get(reverse(name)).status_code == status, name


def test_the_cockpit_shows_the_residents_figures_and_drills_down_to_a_grid(
    world, admin, actor_of, client_for
):
    cockpit = selectors.cockpit(actor_of(admin), community_id=None, month=None)
    assert cockpit.community == world.community
    assert cockpit.value("registry.residents") == 4
    grid = selectors.cockpit(
        actor_of(admin), community_id=None, month=None, grid_id=world.grid_b.pk
    )
    assert grid.value("registry.residents") == 1
    page = client_for(admin).get(reverse("cockpit:index") + f"?grid={world.grid_a.pk}")
    assert (
        page.status_code == 200
        and 'data-testid="figure-registry.residents"' in page.content.decode()
    )
    # A grid of another community is not there.
    other_grid = world.other_community.grids.first()
    assert (
        client_for(admin).get(reverse("cockpit:index") + f"?grid={other_grid.pk}").status_code
        == 404
    )


def test_an_admin_sees_only_his_community_the_viewers_see_every_one(
    world, admin, other_admin, viewer, district, actor_of, client_for
):
    assert [c.pk for c in selectors.cockpit_communities(actor_of(admin))] == [world.community.pk]
    assert [c.pk for c in selectors.cockpit_communities(actor_of(other_admin))] == [
        world.other_community.pk
    ]
    for user in (viewer, district):
        cmp = selectors.comparison(actor_of(user), month=None)
        assert {c.pk for c in cmp.communities} == {world.community.pk, world.other_community.pk}
        residents = next(
            r for _l, rows in cmp.groups for r in rows if r.key == "registry.residents"
        )
        by_community = dict(zip([c.pk for c in cmp.communities], residents.values, strict=True))
        assert by_community == {world.community.pk: 4, world.other_community.pk: 1}
    page = client_for(district).get(reverse("cockpit:compare")).content.decode()
    assert world.community.name in page and world.other_community.name in page
    api = client_for(viewer).get("/api/cockpit/compare").json()
    assert len(api["communities"]) == 2


def test_the_monthly_report_prints_the_cockpits_numbers(world, admin, actor_of, client_for):
    month = dates.add_months(dates.this_month(), -1)
    report = services.report_generate(
        actor=actor_of(admin), community_id=world.community.pk, month=month
    )
    cockpit = selectors.cockpit(actor_of(admin), community_id=world.community.pk, month=month)
    figures = {f.key: f.value for g in cockpit.groups for f in g.figures}
    assert report.figures.keys() == figures.keys()
    for key, value in figures.items():
        assert report.figures[key] == (
            str(value) if value is not None and not isinstance(value, int) else value
        ), key
    pdf = client_for(admin).get(reverse("cockpit:report_pdf", args=[report.pk]))
    assert pdf.status_code == 200
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF")
    assert AuditEvent.objects.filter(object_type="cockpit.monthlyreport").count() == 1
    # Regenerating replaces the month's report rather than adding one.
    services.report_generate(actor=actor_of(admin), community_id=world.community.pk, month=month)
    assert MonthlyReport.objects.count() == 1


def test_a_report_for_a_future_month_is_refused_and_nothing_is_written(
    world, admin, actor_of, client_for
):
    future = dates.add_months(dates.this_month(), 1)
    with pytest.raises(DomainError) as exc:
        services.report_generate(
            actor=actor_of(admin), community_id=world.community.pk, month=future
        )
    assert exc.value.code == "future_month"
    page = client_for(admin).post(
        reverse("cockpit:reports"), {"community": world.community.pk, "month": f"{future:%Y-%m}"}
    )
    assert page.status_code == 200 and "invalid-feedback" in page.content.decode()
    api = client_for(admin).post(
        "/api/cockpit/reports",
        {"community_id": world.community.pk, "month": f"{future:%Y-%m}"},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["code"] == "future_month"
    assert not MonthlyReport.objects.exists()


def test_reports_of_another_community_are_out_of_reach(
    world, admin, other_admin, actor_of, client_for
):
    month = dates.add_months(dates.this_month(), -1)
    report = services.report_generate(
        actor=actor_of(admin), community_id=world.community.pk, month=month
    )
    assert (
        client_for(other_admin).get(reverse("cockpit:report_pdf", args=[report.pk])).status_code
        == 404
    )
    with pytest.raises(NotFound):
        services.report_generate(
            actor=actor_of(other_admin), community_id=world.community.pk, month=month
        )


def test_the_pdf_embeds_a_cjk_font_when_one_is_installed(world, admin, actor_of):
    from linli.cockpit.report import cjk_font_file

    if cjk_font_file() is None:
        pytest.skip("no CJK font here: install fonts-noto-cjk or set LINLI_CJK_FONT")
    report = services.report_generate(
        actor=actor_of(admin), community_id=world.community.pk, month=dates.this_month()
    )
    with report.file.open("rb") as f:
        pdf = f.read()
    # The object streams are compressed: inflate them to read the font dictionaries.
    import re
    import zlib

    text = pdf
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text += zlib.decompress(m.group(1))
        except zlib.error:
            continue
    assert b"/FontFile" in text  # a font program is embedded (subset), not only named
    assert b"Noto" in text or b"CJK" in text


def test_the_pages_keep_figures_a_minute_and_the_report_computes_afresh(world, admin, actor_of):
    from linli.testing.factories import ResidentFactory as Make

    first = selectors.cockpit(actor_of(admin), community_id=None, month=None, cached=True)
    Make.create(household=world.household_b1)
    again = selectors.cockpit(actor_of(admin), community_id=None, month=None, cached=True)
    live = selectors.cockpit(actor_of(admin), community_id=None, month=None)
    assert first.value("registry.residents") == again.value("registry.residents") == 4
    assert live.value("registry.residents") == 5


def test_a_slow_group_is_read_from_its_snapshot_with_its_time_and_a_quick_one_stays_live(
    world, admin, actor_of, client_for
):
    from linli.cockpit import snapshots
    from linli.cockpit.models import FigureSnapshot
    from linli.testing.factories import ResidentFactory as Make

    written = snapshots.refresh(community_ids=[world.community.pk])
    grids = world.community.grids.count()
    assert written == len(all_figure_groups()) * (1 + grids)
    # The refresh found the registry slow (as it is with 100× the data), the rest quick.
    FigureSnapshot.objects.filter(domain="registry").update(compute_ms=snapshots.SNAPSHOT_ABOVE_MS)
    FigureSnapshot.objects.exclude(domain="registry").update(compute_ms=0)
    Make.create(household=world.household_b1)
    cockpit = selectors.cockpit(actor_of(admin), community_id=None, month=None)
    registry = next(g for g in cockpit.groups if g.domain == "registry")
    assert cockpit.value("registry.residents") == 4  # as of the refresh
    assert all(f.freshness.startswith(("as of", "截至")) for f in registry.figures)
    surveys = next(g for g in cockpit.groups if g.domain == "surveys")
    assert all(f.freshness == "live" for f in surveys.figures)
    page = client_for(admin).get(reverse("cockpit:index")).content.decode()
    assert "截至" in page or "as of" in page
    snapshots.refresh(community_ids=[world.community.pk])
    FigureSnapshot.objects.filter(domain="registry").update(compute_ms=snapshots.SNAPSHOT_ABOVE_MS)
    again = selectors.cockpit(actor_of(admin), community_id=None, month=None)
    assert again.value("registry.residents") == 5


def test_report_charts_are_png_images_with_no_text_for_weasyprint_to_lay_out():
    import base64

    from linli.cockpit.charts import bar_chart
    from linli.cockpit.report import cjk_font_file

    uri = bar_chart([("10月", 3), ("11月", 5)], unit="%", font_file=cjk_font_file())
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert bar_chart([]) == ""
