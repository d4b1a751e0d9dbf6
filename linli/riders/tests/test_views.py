"""The station's pages as people use them: lists and details from the actor's scope, every form
refusing bad input on the form (never a 500, never half a write), buttons only for those who
may press them (a POST by anyone else is a 404), and exports audited in the one shape."""

import io

import pytest
from openpyxl import load_workbook

from linli.core.models import AuditEvent
from linli.riders import services
from linli.riders.models import CanteenMeal, Enrolment, StationVisit, SummerClass, Worker
from linli.riders.tests.conftest import file_report


def test_the_worker_list_filters_and_masks_phones(admin, client_for, rider, courier):
    client = client_for(admin)
    page = client.get("/riders/workers/").content.decode()
    assert "刘快" in page and "136****6666" in page and "13655556666" not in page
    only = client.get("/riders/workers/?kind=courier").content.decode()
    assert "刘快" in only and "美团曲江站" not in only
    for junk in ("?kind=ufo", "?page=abc", "?page=-3", "?q=" + "x" * 500):
        assert client.get(f"/riders/workers/{junk}").status_code == 200


def test_registering_from_the_page_refuses_bad_input_on_the_form(admin, client_for, english):
    client = client_for(admin)
    missing = client.post("/riders/workers/new/", {"kind": "rider", "name": "钱快"})
    assert missing.status_code == 200
    assert 'data-testid="error-platform"' in missing.content.decode()
    no_phone = client.post(
        "/riders/workers/new/", {"kind": "rider", "platform": "美团", "name": "钱快"}
    )
    assert "needs a phone number" in no_phone.content.decode()
    assert not Worker.objects.exists()
    done = client.post(
        "/riders/workers/new/",
        {"kind": "rider", "platform": "美团", "name": "钱快", "phone": "13611112222"},
    )
    assert done.status_code == 302
    assert Worker.objects.get().phone_masked == "136****2222"


def test_the_worker_page_records_a_visit_and_a_meal_once(admin, client_for, courier, english):
    client = client_for(admin)
    url = f"/riders/workers/{courier.public_id}/"
    assert client.post(url, {"action": "visit", "purpose": "water"}).status_code == 302
    assert (
        client.post(url, {"action": "meal", "meal": "lunch", "payment": "paid"}).status_code == 302
    )
    again = client.post(url, {"action": "meal", "meal": "lunch", "payment": "subsidised"})
    assert again.status_code == 200
    assert "already been recorded" in again.content.decode()
    bad = client.post(url, {"action": "visit", "purpose": "party"})
    assert 'data-testid="error-visit"' in bad.content.decode()
    assert client.post(url, {"action": "dance"}).status_code == 404
    assert (StationVisit.objects.count(), CanteenMeal.objects.count()) == (1, 1)


@pytest.mark.parametrize("persona", ["organiser", "viewer"])
def test_read_only_roles_see_the_worker_but_cannot_record(persona, request, client_for, courier):
    client = client_for(request.getfixturevalue(persona))
    url = f"/riders/workers/{courier.public_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "visit", "purpose": "water"}).status_code == 404
    assert not StationVisit.objects.exists()


def test_the_canteen_day_survives_a_bad_date(admin, client_for, courier, actor_of):
    services.meal_record(
        actor=actor_of(admin), worker_public_id=courier.public_id, meal="lunch", payment="paid"
    )
    client = client_for(admin)
    assert "刘快" in client.get("/riders/canteen/").content.decode()
    for day in ("yesterday", "2026-13-40", "-5"):
        assert client.get(f"/riders/canteen/?day={day}").status_code == 200


def test_opening_a_class_checks_its_dates_on_the_form(admin, care, client_for, english):
    client = client_for(admin)
    data = {"name": "暑托班", "place": "会馆", "capacity": 10}
    bad = client.post(
        "/riders/class/", {**data, "starts_on": "2026-08-01", "ends_on": "2026-07-01"}
    )
    assert bad.status_code == 200 and "must end after it starts" in bad.content.decode()
    assert not SummerClass.objects.exists()
    assert (
        client.post(
            "/riders/class/", {**data, "starts_on": "2026-07-01", "ends_on": "2026-08-01"}
        ).status_code
        == 302
    )
    assert client_for(care).post("/riders/class/", data).status_code == 404


def test_the_class_staff_enrol_and_withdraw_from_the_page(
    care, admin, client_for, rider, courier, summer_class, english
):
    client = client_for(care)
    url = f"/riders/class/{summer_class.id}/"
    child = {"child_name": "张乐", "child_birth_date": "2017-05-01", "child_gender": "M"}
    first = client.post(url, {**child, "worker": rider.public_id}, follow=True)
    assert "Enrolled." in first.content.decode()
    second = client.post(
        url, {**child, "child_name": "刘欢", "worker": courier.public_id}, follow=True
    )
    assert "waiting list" in second.content.decode()
    late = client.post(url, {**child, "child_birth_date": "2027-01-01", "worker": rider.public_id})
    assert (
        late.status_code == 200 and 'data-testid="error-child_birth_date"' in late.content.decode()
    )
    assert client_for(admin).post(url, {**child, "worker": rider.public_id}).status_code == 404

    enrolment = Enrolment.objects.get(child_name="张乐")
    withdraw = f"/riders/enrolments/{enrolment.public_id}/withdraw/"
    assert client_for(admin).post(withdraw).status_code == 404
    assert client.post(withdraw).status_code == 302
    again = client.post(withdraw, follow=True)
    assert "is not possible" in again.content.decode()
    assert Enrolment.objects.get(child_name="刘欢").status == "enrolled"


def test_the_station_verifies_and_rejects_on_the_report_page(
    admin, resident_user, organiser, client_for, actor_of, rider, english
):
    client = client_for(admin)
    report = file_report(actor_of(resident_user))
    url = f"/riders/reports/{report.public_id}/"
    assert client_for(organiser).post(url, {"action": "verify"}).status_code == 404
    assert client_for(resident_user).post(url, {"action": "verify"}).status_code == 404
    done = client.post(url, {"action": "verify"}, follow=True)
    assert "20 points paid" in done.content.decode()
    # Decided: no buttons any more, and a late POST finds nothing to do.
    assert 'value="verify"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "reject", "reason": "重复"}).status_code == 404

    other = file_report(actor_of(resident_user), place="20栋门口")
    other_url = f"/riders/reports/{other.public_id}/"
    blank = client.post(other_url, {"action": "reject", "reason": ""})
    assert blank.status_code == 200 and 'data-testid="error-reject"' in blank.content.decode()
    rejected = client.post(other_url, {"action": "reject", "reason": "重复上报"}, follow=True)
    assert "Rejected." in rejected.content.decode()
    other.refresh_from_db()
    assert other.status == "rejected" and other.reject_reason == "重复上报"


def test_the_report_list_keeps_its_filter_across_pages(admin, client_for, resident_user, rider):
    client = client_for(admin)
    assert client.get("/riders/reports/?status=nonsense").status_code == 200
    assert client.get("/riders/reports/?status=forwarded&page=9").status_code == 200


def test_a_resident_who_is_not_a_worker_sees_why_and_cannot_post(
    world, client_for, resident_user, english
):
    client = client_for(resident_user)
    page = client.get("/riders/report/").content.decode()
    assert "Ask the station to register you" in page
    posted = client.post("/riders/report/", {"category": "fire", "place": "x", "description": "y"})
    assert posted.status_code == 404


def test_exports_are_audited_in_the_one_shape_with_masked_phones(
    admin, client_for, courier, actor_of
):
    services.meal_record(
        actor=actor_of(admin), worker_public_id=courier.public_id, meal="lunch", payment="paid"
    )
    client = client_for(admin)
    workers = client.get("/riders/export/workers.xlsx")
    rows = list(load_workbook(io.BytesIO(workers.content)).active.values)
    assert rows[1][0] == "刘快" and rows[1][4] == "136****6666"
    meals = client.get("/riders/export/meals.xlsx")
    rows = list(load_workbook(io.BytesIO(meals.content)).active.values)
    assert rows[1][2] == "刘快" and rows[1][4] == 15.0
    audits = AuditEvent.objects.filter(action="export").order_by("id")
    assert [(a.object_type, a.object_id) for a in audits] == [
        ("export", "riders.workers"),
        ("export", "riders.meals"),
    ]
    assert client.get("/riders/export/children.xlsx").status_code == 404
