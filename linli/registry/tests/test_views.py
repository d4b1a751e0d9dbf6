import datetime as dt

from linli.conftest import make_citizen_id
from linli.core.models import AuditEvent
from linli.registry.models import Household, Resident
from linli.testing import assert_constant_queries


def test_home_shows_the_community_figures(world, admin, client_for):
    page = client_for(admin).get("/").content.decode()
    assert "文昌花园社区" in page
    assert 'data-testid="figure-households">3<' in page
    assert 'data-testid="figure-residents">4<' in page
    assert "文汇社区" not in page


def test_subdistrict_viewer_sees_communities_side_by_side(world, viewer, client_for):
    page = client_for(viewer).get("/").content.decode()
    assert "文昌花园社区" in page and "文汇社区" in page


def test_search_by_pinyin_initials_on_the_page(world, worker_a, client_for):
    page = client_for(worker_a).get("/registry/residents/?q=lf").content.decode()
    assert "李芳" in page and "张晓" not in page


def test_move_in_form_registers_a_resident(world, worker_a, client_for):
    cid = make_citizen_id(dt.date(2023, 9, 1), 21, male=True)
    response = client_for(worker_a).post(
        f"/registry/households/{world.household_a1.public_id}/move-in/",
        {
            "name": "张小宝",
            "citizen_id": cid,
            "relation": "grandchild",
            "disability_level": "none",
            "moved_in": "2023-09-10",
            "move_in_reason": "birth",
        },
    )
    assert response.status_code == 302
    baby = Resident.objects.get(name="张小宝")
    assert baby.gender == "M" and baby.birth_date == dt.date(2023, 9, 1)


def test_move_in_form_shows_the_id_error_and_writes_nothing(world, worker_a, client_for):
    before = Resident.objects.count(), AuditEvent.objects.count()
    response = client_for(worker_a).post(
        f"/registry/households/{world.household_a1.public_id}/move-in/",
        {
            "name": "张小宝",
            "citizen_id": "110105194912310021",
            "relation": "grandchild",
            "moved_in": "2023-09-10",
            "move_in_reason": "birth",
        },
    )
    assert response.status_code == 200
    assert 'data-testid="error-citizen_id"' in response.content.decode()
    assert (Resident.objects.count(), AuditEvent.objects.count()) == before


def test_move_out_form_keeps_the_resident_in_the_history(world, worker_a, client_for):
    client = client_for(worker_a)
    response = client.post(
        f"/registry/residents/{world.resident_a1_child.public_id}/move-out/",
        {"date": "2025-01-02", "reason": "relocation", "note": "去南京工作"},
    )
    assert response.status_code == 302
    page = client.get(f"/registry/households/{world.household_a1.public_id}/").content.decode()
    assert "张小明" in page  # listed among former members
    listed = client.get("/registry/residents/").content.decode()
    assert "张小明" not in listed
    assert "张小明" in client.get("/registry/residents/?status=moved_out").content.decode()


def test_reveal_dialog_shows_the_phone_and_records_it(world, worker_a, client_for):
    client = client_for(worker_a)
    url = f"/registry/residents/{world.resident_a1.public_id}/reveal/phone/"
    refused = client.post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
    assert "13800000001" not in refused.content.decode()
    shown = client.post(url, {"reason": "上门核实"}, HTTP_HX_REQUEST="true").content.decode()
    assert "13800000001" in shown
    assert AuditEvent.objects.filter(action="reveal", reason="上门核实").count() == 1


def test_unit_page_registers_a_household(world, worker_a, client_for):
    response = client_for(worker_a).post(
        f"/registry/units/{world.unit_a.id}/", {"room": "501", "tenure": "tenant", "area_m2": "66"}
    )
    assert response.status_code == 302
    household = Household.objects.get(unit=world.unit_a, room="501")
    assert household.floor == 5 and household.tenure == "tenant"


def test_unit_page_refuses_an_occupied_room_with_a_message(world, worker_a, client_for):
    response = client_for(worker_a).post(
        f"/registry/units/{world.unit_a.id}/", {"room": "301", "tenure": "owner"}
    )
    assert response.status_code == 200
    assert Household.objects.filter(unit=world.unit_a, room="301").count() == 1


def test_resident_list_query_count_is_constant(world, admin, client_for):
    from linli.registry.services import ResidentData

    for i in range(40):
        data = ResidentData(
            name=f"测试{i}", gender="F", birth_date=dt.date(1960, 1, 1), relation="other"
        )
        Resident.objects.create(
            community=world.community, household=world.household_b1, **data.model_fields()
        )
    client = client_for(admin)

    def page(size):
        assert client.get(f"/registry/residents/?size={size}&status=").status_code == 200

    assert_constant_queries(page, (20, 100))


def test_english_is_available(world, admin, client_for):
    client = client_for(admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Residents" in client.get("/").content.decode()


def test_chinese_is_the_default_whatever_the_browser_asks(world, admin, client_for):
    page = client_for(admin).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in page


def test_household_edit_records_the_change(world, worker_a, worker_b, client_for):
    url = f"/registry/households/{world.household_a1.public_id}/edit/"
    assert client_for(worker_b).get(url).status_code == 404
    response = client_for(worker_a).post(url, {"area_m2": "92.3", "tenure": "tenant", "notes": ""})
    assert response.status_code == 302
    world.household_a1.refresh_from_db()
    assert str(world.household_a1.area_m2) == "92.30" and world.household_a1.tenure == "tenant"
    event = AuditEvent.objects.get(action="update", object_id=str(world.household_a1.public_id))
    assert event.before == {"area_m2": "88.50", "tenure": "owner"}


def _edit_post(resident, **changes):
    data = {
        "name": resident.name,
        "birth_date": resident.birth_date.isoformat(),
        "gender": resident.gender,
        "relation": resident.relation,
        "disability_level": resident.disability_level,
        "citizen_id": "",
        "phone": "",
    }
    data.update(changes)
    return data


def test_edit_form_never_prefills_the_plain_id_or_phone(world, worker_a, client_for):
    """Issue 8 item 1: the edit page showed the full ID and phone with no reason and no audit."""
    r = world.resident_a1
    before = AuditEvent.objects.count()
    page = client_for(worker_a).get(f"/registry/residents/{r.public_id}/edit/")
    body = page.content.decode()
    assert page.status_code == 200
    assert make_citizen_id(dt.date(1958, 3, 21), 1, True) not in body
    assert "13800000001" not in body
    # The worker still sees which values are on file, masked.
    assert r.citizen_id_masked in body and r.phone_masked in body
    assert AuditEvent.objects.count() == before


def test_edit_form_keeps_blank_id_and_phone_unchanged(world, worker_a, client_for):
    r = world.resident_a1
    response = client_for(worker_a).post(
        f"/registry/residents/{r.public_id}/edit/", _edit_post(r, notes="腿脚不便")
    )
    assert response.status_code == 302
    after = Resident.objects.get(pk=r.pk)
    assert after.notes == "腿脚不便"
    assert (after.citizen_id_hash, after.phone_hash) == (r.citizen_id_hash, r.phone_hash)
    assert after.citizen_id_encrypted == r.citizen_id_encrypted


def test_edit_form_replaces_or_clears_the_phone(world, worker_a, client_for):
    r = world.resident_a1
    client = client_for(worker_a)
    url = f"/registry/residents/{r.public_id}/edit/"
    assert client.post(url, _edit_post(r, phone="13912345678")).status_code == 302
    assert Resident.objects.get(pk=r.pk).phone_masked == "139****5678"
    assert client.post(url, _edit_post(r, clear_phone="on")).status_code == 302
    assert Resident.objects.get(pk=r.pk).phone_masked == ""


def test_the_resident_list_pages_with_the_shared_pager_keeping_its_filters(
    world, admin, client_for
):
    from linli.registry.services import ResidentData

    for i in range(25):
        data = ResidentData(
            name=f"测试{i}", gender="F", birth_date=dt.date(1950, 1, 1), relation="other"
        )
        Resident.objects.create(
            community=world.community, household=world.household_b1, **data.model_fields()
        )
    page = client_for(admin).get("/registry/residents/?tag=elderly&size=20").content.decode()
    assert 'data-testid="pager"' in page
    assert "tag=elderly&amp;size=20&amp;page=2" in page
