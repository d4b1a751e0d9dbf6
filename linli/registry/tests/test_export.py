"""Exporting the resident list to Excel: scope, masking, filters and the audit row."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from linli.conftest import make_citizen_id
from linli.core import dates
from linli.core.models import AuditEvent
from linli.registry.importing import COLUMNS
from linli.registry.models import Resident
from linli.registry.services import ResidentData

# The plain numbers the fixture registers (linli.conftest.world).
PLAIN_IDS = [
    make_citizen_id(dt.date(1958, 3, 21), 1, True),
    make_citizen_id(dt.date(1990, 6, 2), 2, True),
    make_citizen_id(dt.date(1942, 1, 9), 3, False),
    make_citizen_id(dt.date(1970, 11, 30), 4, True),
    make_citizen_id(dt.date(1985, 8, 8), 5, False),
]
PLAIN_PHONES = ["13800000001", "13800000002", "13800000003", "13900000001", "13700000001"]


def export(client, **params: str):
    response = client.get(reverse("registry:residents_export"), params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def rows_of(sheet) -> list[dict[str, object]]:
    values = list(sheet.iter_rows(values_only=True))
    headers = values[0]
    return [dict(zip(headers, row, strict=True)) for row in values[1:]]


def all_cells(sheet) -> str:
    return "\n".join(
        str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    )


def test_a_grid_worker_exports_only_her_grid_and_no_plain_numbers(world, worker_a, client_for):
    sheet = export(client_for(worker_a))
    rows = rows_of(sheet)
    assert {r["姓名"] for r in rows} == {"张晓", "张小明", "李芳"}
    assert {r["楼栋"] for r in rows} == {"12"}
    text = all_cells(sheet)
    for number in PLAIN_IDS + PLAIN_PHONES:
        assert number not in text
    zhang = next(r for r in rows if r["姓名"] == "张晓")
    assert zhang["公民身份号码"] == world.resident_a1.citizen_id_masked
    assert zhang["联系电话"] == "138****0001"


def test_the_export_uses_the_import_headers_plus_age_and_tags(world, admin, client_for):
    sheet = export(client_for(admin))
    headers = [c.value for c in sheet[1]]
    assert headers[: len(COLUMNS)] == [c.header for c in COLUMNS]
    assert {"年龄", "标签"} <= set(headers)
    li = next(r for r in rows_of(sheet) if r["姓名"] == "李芳")
    today = dates.local_today()
    assert li["年龄"] == today.year - 1942 - ((today.month, today.day) < (1, 9))
    assert "80岁以上" in li["标签"] and "老年人(60+)" in li["标签"]
    assert (li["与户主关系"], li["性别"], li["房号"]) == ("户主", "女", "302")


def test_an_admin_exports_her_whole_community_but_not_the_other(world, admin, client_for):
    names = {r["姓名"] for r in rows_of(export(client_for(admin)))}
    assert names == {"张晓", "张小明", "李芳", "王建国"}


def test_the_export_follows_the_list_filters(world, admin, worker_a, client_for):
    client = client_for(admin)
    assert {r["姓名"] for r in rows_of(export(client, grid=str(world.grid_b.id)))} == {"王建国"}
    assert {r["姓名"] for r in rows_of(export(client, q="12-2-301"))} == {"张晓", "张小明"}
    assert {r["姓名"] for r in rows_of(export(client, tag="over_80"))} == {"李芳"}
    # A grid worker asking for another grid gets nothing, not that grid.
    assert rows_of(export(client_for(worker_a), grid=str(world.grid_b.id))) == []


def test_every_export_is_audited_with_its_filter_and_row_count(world, worker_a, client_for):
    export(client_for(worker_a), q="张", tag="elderly")
    event = AuditEvent.objects.get(action="export")
    assert event.actor_id == worker_a.pk
    assert (event.object_type, event.object_id) == ("export", "registry.residents")
    assert event.after["rows"] == 1
    assert event.after["filters"]["q"] == "张" and event.after["filters"]["tag"] == "elderly"
    assert event.community_id == world.community.id


def test_people_without_the_export_permission_get_404(
    world, viewer, resident_user, volunteer, client_for
):
    for user in (viewer, resident_user, volunteer):
        response = client_for(user).get(reverse("registry:residents_export"))
        assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_export_runs_a_fixed_number_of_queries(
    world, admin, actor_of, django_assert_max_num_queries
):
    from linli.registry.exporting import export_residents
    from linli.registry.selectors import ResidentFilters

    for i in range(30):
        data = ResidentData(
            name=f"测试{i}",
            gender="F",
            birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=i),
            relation="other",
            phone=f"1370000{i:04d}",
        )
        Resident.objects.create(
            community=world.community, household=world.household_b1, **data.model_fields()
        )
    actor = actor_of(admin)
    with django_assert_max_num_queries(6):
        exported = export_residents(actor=actor, filters=ResidentFilters())
    assert exported.rows == 34


def test_the_api_export_matches_the_page(world, worker_a, client_for):
    response = client_for(worker_a).get("/api/registry/import/export", {"tag": "elderly"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert {r["姓名"] for r in rows_of(sheet)} == {"张晓", "李芳"}


def test_exported_text_is_never_a_formula_and_never_cached(world, admin, client_for):
    Resident.objects.filter(pk=world.resident_a1.pk).update(notes='=HYPERLINK("http://x","y")')
    response = client_for(admin).get(reverse("registry:residents_export"))
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = next(
        c for row in sheet.iter_rows(min_row=2) for c in row if str(c.value).startswith("=HYPER")
    )
    assert cell.data_type == "s"
