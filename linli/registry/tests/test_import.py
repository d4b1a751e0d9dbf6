"""Importing residents from Excel: what an admin sees and what ends up in the registry."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from linli.accounts.models import RoleAssignment
from linli.conftest import make_citizen_id
from linli.core import dates
from linli.core.errors import DomainError
from linli.core.models import AuditEvent
from linli.core.roles import Role
from linli.registry import importing
from linli.registry.models import Household, ImportBatch, Residency, Resident
from linli.registry.services import ResidentData

HEADERS = [
    "楼栋",
    "单元",
    "房号",
    "楼层",
    "建筑面积(㎡)",
    "产权",
    "姓名",
    "公民身份号码",
    "性别",
    "出生日期",
    "联系电话",
    "与户主关系",
    "残疾等级",
    "低保/困难",
    "失业",
    "失地农民",
    "党员",
    "新就业群体",
    "备注",
]

# People of the fixture (linli.conftest.world).
ZHANG_XIAO_ID = make_citizen_id(dt.date(1958, 3, 21), 1, True)  # 12-2-301, head
WANG_JIANGUO_ID = make_citizen_id(dt.date(1970, 11, 30), 4, True)  # 20-1-101

# New people for the files.
LIU_ID = make_citizen_id(dt.date(1975, 4, 12), 11, True)
CHEN_ID = make_citizen_id(dt.date(1978, 9, 3), 12, False)
SUN_ID = make_citizen_id(dt.date(1988, 2, 14), 13, True)
ZHOU_ID = make_citizen_id(dt.date(1950, 7, 1), 14, False)


def person(**cells: Any) -> dict[str, Any]:
    """A valid row for a new person in the new room 12-2-401 unless told otherwise."""
    row: dict[str, Any] = {
        "楼栋": "12",
        "单元": 2,
        "房号": "401",
        "产权": "业主",
        "姓名": "刘伟",
        "公民身份号码": LIU_ID,
        "联系电话": "13811112222",
        "与户主关系": "户主",
    }
    row.update(cells)
    return row


def xlsx(rows: list[dict[str, Any]], headers: list[str] = HEADERS, title: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str = "居民.xlsx"):
    return client.post(reverse("registry:import"), {"file": SimpleUploadedFile(name, data)})


def counts() -> dict[str, int]:
    return {
        "residents": Resident.objects.count(),
        "households": Household.objects.count(),
        "residencies": Residency.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def dry_run(client, rows: list[dict[str, Any]] | bytes) -> ImportBatch:
    # Pass bytes to upload the very same file twice (openpyxl stamps the save time).
    response = upload(client, rows if isinstance(rows, bytes) else xlsx(rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(public_id=response.url.rstrip("/").split("/")[-1])


def errors_of(batch: ImportBatch) -> set[tuple[int, str, str]]:
    return {(e["row"], e["column"], e["code"]) for e in batch.errors}


# ---------------------------------------------------------------- template


def test_admin_downloads_a_template_with_chinese_headers_and_an_explanation_sheet(
    world, admin, client_for
):
    response = client_for(admin).get(reverse("registry:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.cell(row=2, column=HEADERS.index("备注") + 1).value == importing.EXAMPLE_MARK
    explained = {row[0] for row in wb["说明"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(HEADERS) <= explained
    assert "楼栋单元" in wb.sheetnames


def test_the_untouched_template_imports_nothing(world, admin, client_for, english):
    client = client_for(admin)
    template = client.get(reverse("registry:import_template")).content
    before = counts()
    response = upload(client, template)
    assert response.status_code == 400
    assert "no resident rows" in response.content.decode()
    assert counts() == before


def test_a_file_that_is_not_excel_is_refused_politely(world, admin, client_for, english):
    response = upload(client_for(admin), b"name,id\n", name="residents.csv")
    assert response.status_code == 400
    assert "not an Excel" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_missing_required_columns_names_them(world, admin, client_for):
    data = xlsx([{"姓名": "刘伟", "楼栋": "12"}], headers=["姓名", "楼栋", "公民身份号码"])
    response = upload(client_for(admin), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "单元" in body and "房号" in body and "与户主关系" in body


# ---------------------------------------------------------------- dry run and all-or-nothing


BAD_FILE_ROWS = [
    person(),  # row 2: fine
    person(姓名="坏校验", 公民身份号码=CHEN_ID[:-1] + ("0" if CHEN_ID[-1] != "0" else "1")),  # 3
    person(姓名="王建国", 公民身份号码=WANG_JIANGUO_ID),  # 4: registered in 20-1-101
    person(姓名="孙强", 公民身份号码=SUN_ID, 楼栋="99"),  # 5: no such building
    person(姓名="孙强", 公民身份号码=SUN_ID, 单元=9),  # 6: no such unit
    person(姓名="周兰", 公民身份号码=ZHOU_ID, 联系电话="12345"),  # 7: bad phone
    person(姓名="周兰", 公民身份号码=ZHOU_ID, 出生日期="1950-07-02"),  # 8: not the ID's date
    person(姓名="", 公民身份号码=make_citizen_id(dt.date(2001, 1, 1), 15, True)),  # 9
    person(姓名="刘伟", 与户主关系="配偶"),  # 10: same ID as row 2
]
BAD_FILE_ERRORS = {
    (3, "公民身份号码", "invalid_id_checksum"),
    (4, "公民身份号码", "id_taken"),
    (5, "楼栋", "unknown_building"),
    (6, "单元", "unknown_unit"),
    (7, "联系电话", "invalid_phone"),
    (8, "出生日期", "birth_date_mismatch"),
    (9, "姓名", "required"),
    (10, "公民身份号码", "duplicate_id"),
}


def test_a_file_with_bad_rows_reports_every_one_and_writes_nothing(world, admin, client_for):
    client = client_for(admin)
    before = counts()
    batch = dry_run(client, BAD_FILE_ROWS)

    assert errors_of(batch) == BAD_FILE_ERRORS
    assert batch.status == ImportBatch.Status.FAILED
    assert (batch.total_rows, batch.ok_rows, batch.error_rows) == (9, 1, 8)
    assert counts() == before

    page = client.get(reverse("registry:import_preview", args=[batch.public_id]))
    body = page.content.decode()
    for row, column, _code in BAD_FILE_ERRORS:
        assert f'data-row="{row}"' in body
        assert column in body
    assert 'data-testid="commit"' not in body

    response = client.post(reverse("registry:import_commit", args=[batch.public_id]))
    assert response.status_code == 400
    assert counts() == before
    batch.refresh_from_db()
    assert errors_of(batch) == BAD_FILE_ERRORS


def test_errors_carry_a_message_an_office_worker_can_act_on(world, admin, client_for, english):
    batch = dry_run(client_for(admin), BAD_FILE_ROWS)
    by_row = {e["row"]: e for e in batch.errors}
    assert "already registered" in by_row[4]["message"]
    assert "row 2" in by_row[10]["message"]
    assert "building 99" in by_row[5]["message"]
    # No personal number leaks into the stored error table.
    dumped = json.dumps(batch.errors, ensure_ascii=False)
    for number in (LIU_ID, WANG_JIANGUO_ID, SUN_ID, ZHOU_ID, "13811112222"):
        assert number not in dumped


def test_the_batch_keeps_the_rows_encrypted(world, admin, client_for):
    batch = dry_run(client_for(admin), [person()])
    assert batch.rows_encrypted
    assert LIU_ID not in batch.rows_encrypted and "刘伟" not in batch.rows_encrypted
    assert len(batch.file_sha256) == 64


def test_an_id_typed_as_a_number_is_reported_not_mangled(world, admin, client_for):
    batch = dry_run(client_for(admin), [person(公民身份号码=int(LIU_ID[:-1] + "1"))])
    assert errors_of(batch) == {(2, "公民身份号码", "id_not_text")}


def test_a_title_row_above_the_headers_is_fine(world, admin, client_for):
    response = upload(client_for(admin), xlsx([person()], title="文昌花园社区居民花名册"))
    batch = ImportBatch.objects.get(public_id=response.url.rstrip("/").split("/")[-1])
    assert batch.errors == [] and batch.new_residents == 1
    # Row numbers stay Excel's: the person is on row 3.
    batch = dry_run(client_for(admin), [person(), person(公民身份号码=LIU_ID)])
    assert errors_of(batch) == {(3, "公民身份号码", "duplicate_id")}


def test_rows_of_one_new_room_must_agree_on_the_household(world, admin, client_for):
    rows = [
        person(**{"建筑面积(㎡)": 90}),
        person(姓名="陈静", 公民身份号码=CHEN_ID, 与户主关系="配偶", **{"建筑面积(㎡)": 95}),
    ]
    batch = dry_run(client_for(admin), rows)
    assert errors_of(batch) == {(3, "建筑面积(㎡)", "household_mismatch")}


def test_choices_accept_labels_codes_and_common_words(world, admin, client_for):
    rows = [
        person(与户主关系="head", 残疾等级="二级", 党员="是", **{"低保/困难": "否"}),
        person(姓名="陈静", 公民身份号码=CHEN_ID, 与户主关系="妻子", 性别="女", 失业="Y"),
        person(姓名="刘小宝", 公民身份号码="", 出生日期="2024/5/6", 性别="男", 与户主关系="子女"),
        person(姓名="错误", 公民身份号码=SUN_ID, 与户主关系="邻居", 党员="也许"),
    ]
    batch = dry_run(client_for(admin), rows)
    assert errors_of(batch) == {(5, "与户主关系", "invalid_choice"), (5, "党员", "invalid_choice")}


# ---------------------------------------------------------------- commit


GOOD_ROWS = [
    # A new household in the free room 12-2-401: head and spouse.
    person(楼层=4, **{"建筑面积(㎡)": 96.5}),
    person(
        姓名="陈静",
        公民身份号码=CHEN_ID,
        联系电话="",
        与户主关系="配偶",
        残疾等级="三级",
        党员="是",
    ),
    # Someone without an ID number joins 李芳 in the existing household 12-2-302.
    person(
        房号="302",
        姓名="李小花",
        公民身份号码="",
        性别="女",
        出生日期="2015-06-01",
        联系电话="",
        与户主关系="孙子女",
    ),
    # 张晓 exactly as registered: unchanged.
    person(
        房号="301",
        姓名="张晓",
        公民身份号码=ZHANG_XIAO_ID,
        联系电话="13800000001",
        与户主关系="户主",
    ),
]


def test_a_good_file_commits_households_residents_residencies_and_audit(world, admin, client_for):
    client = client_for(admin)
    batch = dry_run(client, GOOD_ROWS)
    assert batch.errors == []
    assert (batch.total_rows, batch.ok_rows) == (4, 4)
    assert (batch.new_households, batch.new_residents, batch.unchanged_rows) == (1, 3, 1)
    assert batch.status == ImportBatch.Status.PENDING
    page = client.get(reverse("registry:import_preview", args=[batch.public_id]))
    assert 'data-testid="commit"' in page.content.decode()

    before = counts()
    response = client.post(reverse("registry:import_commit", args=[batch.public_id]))
    assert response.status_code == 302
    assert response.url == reverse("registry:import_result", args=[batch.public_id])
    after = counts()
    assert after["households"] == before["households"] + 1
    assert after["residents"] == before["residents"] + 3
    assert after["residencies"] == before["residencies"] + 3
    assert after["audit"] == before["audit"] + 1 + 3 + 1

    household = Household.objects.get(unit=world.unit_a, room="401", status="active")
    assert (household.floor, str(household.area_m2), household.tenure) == (4, "96.50", "owner")
    liu = Resident.objects.get(name="刘伟")
    chen = Resident.objects.get(name="陈静")
    assert liu.household == chen.household == household
    assert (chen.gender, chen.relation, chen.disability_level, chen.is_party_member) == (
        "F",
        "spouse",
        "3",
        True,
    )
    assert liu.citizen_id_masked == LIU_ID[:4] + "*" * 10 + LIU_ID[-4:]
    assert liu.phone_masked == "138****2222"
    assert liu.name_initials == "lw"
    child = Resident.objects.get(name="李小花")
    assert child.household == world.household_a2 and child.citizen_id_hash == ""
    for r in (liu, chen, child):
        residency = r.residencies.get()
        assert residency.moved_in == dates.local_today()
        assert residency.move_in_reason == "import"
        assert residency.moved_out is None

    events = AuditEvent.objects.filter(community_id=world.community.id)
    assert events.filter(action="create", object_id=str(household.public_id)).count() == 1
    assert events.filter(action="move_in", object_id=str(liu.public_id)).count() == 1
    summary = events.get(action="import")
    assert summary.object_id == str(batch.public_id)
    assert summary.after["new_residents"] == 3 and summary.after["unchanged_rows"] == 1
    assert summary.actor_id == admin.pk
    everything = json.dumps(list(events.values("before", "after")), ensure_ascii=False)
    assert LIU_ID not in everything and "13811112222" not in everything
    assert liu.citizen_id_masked in everything

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED and batch.rows_encrypted == ""
    result = client.get(reverse("registry:import_result", args=[batch.public_id]))
    assert result.status_code == 200
    assert 'data-testid="count-residents">3<' in result.content.decode()


def test_importing_the_same_file_again_changes_nothing(world, admin, client_for, english):
    client = client_for(admin)
    good_file = xlsx(GOOD_ROWS)
    first = dry_run(client, good_file)
    client.post(reverse("registry:import_commit", args=[first.public_id]))
    registry = {k: v for k, v in counts().items() if k != "audit"}

    second = dry_run(client, good_file)
    assert second.errors == []
    assert (second.new_households, second.new_residents, second.unchanged_rows) == (0, 0, 4)
    page = client.get(reverse("registry:import_preview", args=[second.public_id]))
    assert "already imported" in page.content.decode()
    response = client.post(reverse("registry:import_commit", args=[second.public_id]))
    assert response.status_code == 302
    assert {k: v for k, v in counts().items() if k != "audit"} == registry
    second.refresh_from_db()
    assert second.status == ImportBatch.Status.COMMITTED and second.unchanged_rows == 4

    # Committing the committed batch again is harmless too.
    client.post(reverse("registry:import_commit", args=[second.public_id]))
    assert {k: v for k, v in counts().items() if k != "audit"} == registry


def test_a_registered_person_with_other_details_is_an_error_not_a_silent_update(
    world, admin, client_for
):
    row = person(房号="301", 姓名="张晓", 公民身份号码=ZHANG_XIAO_ID, 联系电话="13899990000")
    batch = dry_run(client_for(admin), [row])
    assert errors_of(batch) == {(2, "联系电话", "resident_differs")}


def test_commit_checks_again_against_the_registry_as_it_is_now(world, admin, client_for):
    client = client_for(admin)
    batch = dry_run(client, [person()])
    assert batch.errors == []
    # Meanwhile someone registers 刘伟 by hand in another household.
    data = ResidentData(
        name="刘伟", gender="M", birth_date=dt.date(1975, 4, 12), relation="head", citizen_id=LIU_ID
    )
    Resident.objects.create(
        community=world.community, household=world.household_b1, **data.model_fields()
    )
    before = counts()
    response = client.post(reverse("registry:import_commit", args=[batch.public_id]))
    assert response.status_code == 400
    assert counts() == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert errors_of(batch) == {(2, "公民身份号码", "id_taken")}


def test_a_database_conflict_at_commit_rolls_everything_back(world, admin, client_for, monkeypatch):
    """If the checks miss a clash (a concurrent registration), the unique constraint refuses
    the write, nothing is kept and the admin is told."""
    client = client_for(admin)
    batch = dry_run(
        client, [person(), person(姓名="王建国", 公民身份号码=WANG_JIANGUO_ID, 与户主关系="配偶")]
    )
    assert batch.error_rows == 1
    # Pretend nobody holds these ID numbers, as if registered between check and write.
    monkeypatch.setattr(importing.plan, "_registered_by_hash", lambda hashes: {})
    before = counts()
    response = client.post(reverse("registry:import_commit", args=[batch.public_id]))
    assert response.status_code == 400
    assert counts() == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert [e["code"] for e in batch.errors] == ["conflict"]


# ---------------------------------------------------------------- who may import


def test_a_grid_worker_cannot_import(world, worker_a, client_for):
    client = client_for(worker_a)
    assert client.get(reverse("registry:import")).status_code == 404
    assert client.get(reverse("registry:import_template")).status_code == 404
    assert upload(client, xlsx([person()])).status_code == 404
    assert not ImportBatch.objects.exists()


def test_a_batch_is_invisible_outside_its_community(
    world, admin, other_admin, worker_a, viewer, client_for
):
    batch = dry_run(client_for(admin), [person()])
    for user in (other_admin, worker_a, viewer):
        client = client_for(user)
        assert (
            client.get(reverse("registry:import_preview", args=[batch.public_id])).status_code
            == 404
        )
        assert (
            client.get(reverse("registry:import_result", args=[batch.public_id])).status_code == 404
        )
        assert (
            client.get(reverse("registry:import_errors", args=[batch.public_id])).status_code == 404
        )
        response = client.post(reverse("registry:import_commit", args=[batch.public_id]))
        assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING
    assert not Resident.objects.filter(name="刘伟").exists()


def test_another_communitys_admin_imports_into_her_own_community_only(
    world, other_admin, client_for
):
    # Building 12 belongs to 文昌花园, not to 文汇.
    batch = dry_run(client_for(other_admin), [person()])
    assert batch.community == world.other_community
    assert errors_of(batch) == {(2, "楼栋", "unknown_building")}


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    response = client.get(reverse("registry:import"))
    assert response.status_code == 302 and "login" in response.url


# ---------------------------------------------------------------- API


API = "/api/registry/import/"


def api_upload(client, rows: list[dict[str, Any]]):
    return client.post(API, {"file": SimpleUploadedFile("居民.xlsx", xlsx(rows))})


def test_api_dry_run_lists_every_error_then_commit_refuses(world, admin, client_for):
    client = client_for(admin)
    response = api_upload(client, BAD_FILE_ROWS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "failed"
    assert {(e["row"], e["column"], e["code"]) for e in body["errors"]} == BAD_FILE_ERRORS
    assert all(e["message"] for e in body["errors"])

    assert client.get(f"{API}{body['id']}").json()["error_rows"] == 8
    before = counts()
    refused = client.post(f"{API}{body['id']}/commit")
    assert refused.status_code == 400
    assert refused.json()["code"] == "import_invalid"
    assert len(refused.json()["details"]["errors"]) == 8
    assert counts() == before


def test_api_commits_a_good_file(world, admin, client_for):
    client = client_for(admin)
    body = api_upload(client, GOOD_ROWS).json()
    assert body["errors"] == [] and body["new_residents"] == 3
    done = client.post(f"{API}{body['id']}/commit")
    assert done.status_code == 200
    assert done.json()["status"] == "committed"
    assert Resident.objects.filter(name__in=["刘伟", "陈静", "李小花"]).count() == 3


def test_api_hides_import_from_grid_workers_and_other_communities(
    world, admin, other_admin, worker_a, client_for
):
    assert api_upload(client_for(worker_a), [person()]).status_code == 404
    body = api_upload(client_for(admin), [person()]).json()
    other = client_for(other_admin)
    assert other.get(f"{API}{body['id']}").status_code == 404
    assert other.post(f"{API}{body['id']}/commit").status_code == 404
    assert not Resident.objects.filter(name="刘伟").exists()


def test_an_admin_of_two_communities_chooses_where_to_import(world, admin, client_for, actor_of):
    RoleAssignment.objects.create(
        user=admin, role=Role.COMMUNITY_ADMIN, community=world.other_community
    )
    with pytest.raises(DomainError) as refused:
        importing.import_dry_run(actor=actor_of(admin), file=io.BytesIO(xlsx([person()])))
    assert refused.value.code == "required"

    client = client_for(admin)
    assert 'name="community"' in client.get(reverse("registry:import")).content.decode()
    response = client.post(
        reverse("registry:import"),
        {
            "file": SimpleUploadedFile("居民.xlsx", xlsx([person()])),
            "community": world.community.id,
        },
    )
    batch = ImportBatch.objects.get(public_id=response.url.rstrip("/").split("/")[-1])
    assert batch.community == world.community and batch.errors == []


# ---------------------------------------------------------------- hostile files (issue 8 item 14)


def _bomb(inflated_mb: int, declared_mb: int | None = None) -> bytes:
    """A real .xlsx whose first sheet is padded with `inflated_mb` MB of blanks: a few hundred
    KB on the wire. With `declared_mb`, its zip headers lie about the unpacked size."""
    good = xlsx([person()])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
                continue
            part = zipfile.ZipInfo(info.filename)
            part.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(part, "w", force_zip64=True) as sheet:
                head, tail = body.split(b"<sheetData>")
                sheet.write(head + b"<sheetData>")
                block = b" " * (1024 * 1024)
                for _ in range(inflated_mb):
                    sheet.write(block)
                sheet.write(tail)
    data = bytearray(out.getvalue())
    if declared_mb is not None:
        _patch_declared_size(data, "xl/worksheets/sheet1.xml", declared_mb * 1024 * 1024)
    return bytes(data)


def _patch_declared_size(data: bytearray, name: str, size: int) -> None:
    """Rewrite the unpacked size that the central directory gives for `name` (zip64 extra)."""
    start = 0
    while (at := data.find(b"PK\x01\x02", start)) >= 0:
        name_len, extra_len = struct.unpack_from("<HH", data, at + 28)
        if data[at + 46 : at + 46 + name_len].decode() == name:
            extra = at + 46 + name_len
            end = extra + extra_len
            while extra < end:
                tag, length = struct.unpack_from("<HH", data, extra)
                if tag == 1:  # zip64: uncompressed size first
                    struct.pack_into("<Q", data, extra + 4, size)
                    return
                extra += 4 + length
            struct.pack_into("<I", data, at + 24, size)
            return
        start = at + 4
    raise AssertionError(f"{name} not in the archive")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    world, admin, client_for, english, monkeypatch
):
    import openpyxl

    bomb = _bomb(inflated_mb=250)  # the import allows 200 MB unpacked
    assert len(bomb) < 2 * 1024 * 1024  # small on the wire

    def must_not_open(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    response = upload(client_for(admin), bomb)
    assert response.status_code == 400
    assert "unpacks to more than" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_zip_that_lies_about_its_unpacked_size_is_refused(world, admin, client_for, english):
    response = upload(client_for(admin), _bomb(inflated_mb=30, declared_mb=1))
    assert response.status_code == 400
    assert "not an Excel" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_empty_rows_count_toward_the_row_limit(world, admin, client_for, monkeypatch, english):
    monkeypatch.setattr(importing.parser, "MAX_ROWS", 50)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for _ in range(60):
        ws.append([" "] * len(HEADERS))  # present in the file, blank once trimmed
    ws.append([person().get(h) for h in HEADERS])
    out = io.BytesIO()
    wb.save(out)
    response = upload(client_for(admin), out.getvalue())
    assert response.status_code == 400
    assert "more than 50 rows" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("moved_out", [False, True])
def test_an_id_registered_in_another_community_is_not_located(
    world, admin, client_for, english, moved_out
):
    """Issue 8 item 15: importing a number held in another community says only that it is
    taken — not by whom, where, or whether he moved out."""
    if moved_out:
        Resident.objects.filter(pk=world.other_resident.pk).update(status="moved_out")
    other_id = make_citizen_id(dt.date(1985, 8, 8), 5, False)
    batch = dry_run(client_for(admin), [person(姓名="赵敏", 公民身份号码=other_id, 性别="女")])
    assert errors_of(batch) == {(2, "公民身份号码", "id_taken")}
    message = batch.errors[0]["message"]
    for secret in ("赵敏", "文汇", "1-1-201", "moved out"):
        assert secret not in message


def test_an_id_registered_in_another_household_here_names_the_holder(world, admin, client_for):
    batch = dry_run(client_for(admin), [person(姓名="王建国", 公民身份号码=WANG_JIANGUO_ID)])
    assert errors_of(batch) == {(2, "公民身份号码", "id_taken")}
    assert "王建国" in batch.errors[0]["message"] and "20-1-101" in batch.errors[0]["message"]


def test_the_error_report_is_text_only_and_audited(world, admin, client_for):
    client = client_for(admin)
    batch = dry_run(client, [person(与户主关系='@HYPERLINK("http://x","y")')])
    response = client.get(reverse("registry:import_errors", args=[batch.public_id]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    reasons = [row[3] for row in sheet.iter_rows(min_row=2)]
    assert any("HYPERLINK" in str(c.value) for c in reasons)
    assert all(c.data_type == "s" for c in reasons)
    event = AuditEvent.objects.get(action="export")
    assert (event.object_type, event.object_id) == ("export", "registry.import_errors")
    assert event.community_id == world.community.id
