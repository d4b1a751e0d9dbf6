"""The pages: the resident files on the portal (with photos, `?household=` from a warm
service card), staff take a call by the caller's phone, act on a request's page, read the
rates page, export it, edit the settings; the public board needs no login."""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.core.models import AuditEvent
from linli.hotline import selectors, services
from linli.hotline.models import Category, DutyAssignment, GridEscalationContact, ServiceRequest
from linli.hotline.tests.conftest import make_photo
from linli.testing import assert_constant_queries

pytestmark = pytest.mark.django_db


def portal_post(client, world, **extra):
    data = {
        "household": str(world.household_a1.public_id),
        "category": "water",
        "q-water-extent": "本户",
        "description": "卫生间水管漏水",
    }
    data.update(extra)
    return client.post(f"/hotline/portal/new/?household={world.household_a1.public_id}", data)


def test_a_resident_files_on_the_portal_with_photos_and_follows_it(
    world, resident_user, worker_a, client_for
):
    client = client_for(resident_user)
    page = client.get(f"/hotline/portal/new/?household={world.household_a1.public_id}")
    assert page.status_code == 200
    assert "停水漏水" in page.content.decode()
    response = portal_post(client, world, photos=[make_photo(), make_photo("b.png", "PNG")])
    assert response.status_code == 302
    req = ServiceRequest.objects.get()
    assert req.photos.count() == 2 and req.assignee_id == worker_a.id
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "卫生间水管漏水" in detail.content.decode()
    photo = req.photos.first()
    assert client.get(f"/hotline/photos/{photo.public_id}/").status_code == 200
    assert client.get("/hotline/portal/").status_code == 200


def test_the_portal_link_without_a_household_means_his_own(world, resident_user, client_for):
    assert client_for(resident_user).get("/hotline/portal/new/").status_code == 200


def test_a_resident_cannot_open_the_form_for_another_household(world, resident_user, client_for):
    client = client_for(resident_user)
    assert (
        client.get(f"/hotline/portal/new/?household={world.household_b1.public_id}").status_code
        == 404
    )
    assert client.get("/hotline/portal/new/?household=garbage").status_code == 404


def test_staff_opening_the_portal_link_get_the_intake_for_that_household(
    world, worker_a, client_for
):
    client = client_for(worker_a)
    response = client.get(f"/hotline/portal/new/?household={world.household_a1.public_id}")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "12-2-301" in page.content.decode()


def test_anonymous_visitors_of_the_portal_link_are_asked_to_sign_in(world, client):
    response = client.get(f"/hotline/portal/new/?household={world.household_a1.public_id}")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_uploads_are_limited_in_type_and_size_with_a_clear_message(
    world, resident_user, client_for, english
):
    client = client_for(resident_user)
    fake = SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = portal_post(client, world, photos=[fake])
    assert response.status_code == 400
    assert "Only photos (JPEG, PNG or WebP)" in response.content.decode()
    big = SimpleUploadedFile("big.jpg", b"0" * (5 * 1024 * 1024 + 10), content_type="image/jpeg")
    response = portal_post(client, world, photos=[big])
    assert "at most 5 MB" in response.content.decode()
    response = portal_post(client, world, photos=[make_photo() for _ in range(4)])
    assert "At most 3 photos" in response.content.decode()
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize(
    "extra",
    [
        {"category": ""},
        {"category": "nope"},
        {"description": ""},
        {"description": "x" * 4001},
        {"q-water-extent": "全世界"},
    ],
)
def test_bad_portal_input_is_a_form_error_never_a_500(world, resident_user, client_for, extra):
    response = portal_post(client_for(resident_user), world, **extra)
    assert response.status_code in (400, 404)


def test_a_post_for_a_malformed_household_is_a_404(world, resident_user, client_for):
    response = client_for(resident_user).post(
        "/hotline/portal/new/?household=not-a-uuid", {"category": "noise", "description": "x"}
    )
    assert response.status_code == 404


def test_staff_find_the_household_by_the_callers_phone_and_file_in_a_few_keystrokes(
    world, worker_a, client_for
):
    client = client_for(worker_a)
    hits = client.get("/hotline/lookup/?q=13800000001")
    assert "12-2-301" in hits.content.decode()
    assert "phone=13800000001" in hits.content.decode()
    room = client.get("/hotline/lookup/?q=12-2-302")
    assert "12-2-302" in room.content.decode()
    response = client.post(
        f"/hotline/new/?household={world.household_a1.public_id}",
        {
            "household": str(world.household_a1.public_id),
            "category": "noise",
            "description": "楼上装修",
            "reporter_phone": "13800000001",
        },
    )
    assert response.status_code == 302
    req = ServiceRequest.objects.get()
    assert req.channel == "phone" and req.reporter_phone_masked == "138****0001"


def test_a_worker_cannot_look_up_households_outside_her_grid(world, worker_a, client_for):
    body = client_for(worker_a).get("/hotline/lookup/?q=13900000001").content.decode()
    assert "20-1-101" not in body


def test_the_intake_shows_open_duplicates_in_the_same_building(
    world, worker_a, file_portal, client_for
):
    file_portal(category="water")
    client = client_for(worker_a)
    response = client.get(
        f"/hotline/duplicates/?household={world.household_a2.public_id}&category=water"
    )
    assert "厨房水管漏水" in response.content.decode()


def test_the_worker_walks_the_request_through_its_page(
    world, worker_a, resident_user, file_portal, client_for
):
    req = file_portal()
    worker = client_for(worker_a)
    url = f"/hotline/r/{req.public_id}/"
    assert "accept" in worker.get(url).content.decode()
    assert worker.post(url + "accept/").status_code == 302
    worker.post(url + "check_in/", {"note": "敲门"})
    worker.post(url + "resolve/", {"note": "修好了", "photos": [make_photo()]})
    req.refresh_from_db()
    assert req.status == "resolved" and req.photos.filter(kind="resolution").count() == 1
    resident = client_for(resident_user)
    page = resident.get(url).content.decode()
    assert 'data-testid="rate-form"' in page
    resident.post(url + "rate/", {"rating": "5", "solved": "yes"})
    req.refresh_from_db()
    assert req.status == "closed"


def test_a_refused_action_is_a_message_not_an_error_page(
    world, worker_a, file_portal, client_for, english
):
    req = file_portal()
    client = client_for(worker_a)
    response = client.post(f"/hotline/r/{req.public_id}/resolve/", {"note": "x"}, follow=True)
    assert response.status_code == 200
    assert "is not possible" in response.content.decode()
    assert client.post(f"/hotline/r/{req.public_id}/fly/").status_code == 404


def test_the_request_list_uses_a_constant_number_of_queries(
    world, worker_a, file_portal, client_for
):
    client = client_for(worker_a)
    filed = [0]

    def grow(n):
        for i in range(filed[0], n):
            file_portal(description=f"第{i}次")
        filed[0] = n

    def request_list(_n):
        assert client.get("/hotline/?status=&size=50").status_code == 200

    assert_constant_queries(request_list, [3, 28], setup=grow)


def test_the_rates_page_and_its_export(
    world, admin, file_portal, worker_a, resident_user, actor_of, client_for
):
    req = file_portal()
    worker = actor_of(worker_a)
    services.request_accept(actor=worker, public_id=req.public_id)
    services.request_resolve(actor=worker, public_id=req.public_id, note="ok")
    services.request_rate(
        actor=actor_of(resident_user), public_id=req.public_id, rating=5, solved=True
    )
    client = client_for(admin)
    page = client.get("/hotline/rates/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "100.0%" in body and "echarts.min.js" in body
    export = client.get("/hotline/rates/export.xlsx")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert len(book.sheetnames) == 4
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[-1][1] == 1  # total requests
    assert rows[-1][9] == 100.0  # satisfaction rate, in per cent
    audit = AuditEvent.objects.get(action="export", object_id="hotline.rates")
    assert audit.actor_id == admin.id and audit.community_id == world.community.id


def test_drill_down_from_the_rates_lists_the_counted_requests(
    world, admin, file_portal, client_for
):
    file_portal()
    client = client_for(admin)
    page = client.get("/hotline/rates/").content.decode()
    assert "overdue=1" in page and "reopened=1" in page
    month = ServiceRequest.objects.get().period_month.strftime("%Y-%m")
    listed = client.get(f"/hotline/?status=&month={month}&grid={world.grid_a.id}").content.decode()
    assert "厨房水管漏水" in listed
    # The links themselves: the grid's and the month's count lead to the request they count.
    for table in ("table-grid", "table-month"):
        rows = page.split(f'data-testid="{table}"', 1)[1].split("</table>", 1)[0]
        links = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', rows)]
        href = next(h for h in links if f"month={month}" in h and "overdue" not in h)
        assert f"community={world.community.id}" in href
        assert "厨房水管漏水" in client.get(href).content.decode(), table


def test_admins_edit_time_limits_the_roster_and_contacts(
    world, admin, worker_a, client_for, english
):
    client = client_for(admin)
    assert client.get("/hotline/settings/").status_code == 200
    water = Category.objects.get(community=world.community, code="water")
    response = client.post(
        f"/hotline/settings/categories/{water.id}/",
        {
            "name": "停水漏水",
            "priority": "utility",
            "contact_minutes": "20",
            "visit_minutes": "90",
            "resolve_minutes": "600",
            "questions": "[]",
            "active": "1",
        },
    )
    assert response.status_code == 302
    water.refresh_from_db()
    assert (water.contact_minutes, water.visit_minutes, water.resolve_minutes) == (20, 90, 600)
    bad = client.post(
        f"/hotline/settings/categories/{water.id}/",
        {"name": "x", "priority": "utility", "resolve_minutes": "10", "questions": "{oops"},
    )
    assert bad.status_code == 400
    client.post(
        "/hotline/settings/roster/",
        {
            "community": world.community.id,
            "grid": world.grid_a.id,
            "user": worker_a.id,
            "weekday": "0",
        },
    )
    assert DutyAssignment.objects.filter(grid=world.grid_a, user=worker_a, weekday=0).exists()
    client.post(
        "/hotline/settings/contacts/",
        {
            "community": world.community.id,
            "grid": world.grid_a.id,
            "level": "grid_branch_secretary",
            "name": "王书记",
        },
    )
    assert GridEscalationContact.objects.get(grid=world.grid_a).name == "王书记"


def test_the_public_board_needs_no_login_and_shows_no_personal_data(
    world, file_portal, worker_a, actor_of, client
):
    req = file_portal(description="我是张晓，电话13800000001，12-2-301漏水")
    worker = actor_of(worker_a)
    services.request_accept(actor=worker, public_id=req.public_id)
    services.request_resolve(actor=worker, public_id=req.public_id, note="ok")
    response = client.get("/hotline/board/wenchang/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "停水漏水" in body
    assert "13800000001" not in body and "12-2-301" not in body
    assert client.get("/hotline/board/nowhere/").status_code == 404


def test_an_admin_sets_up_a_new_communitys_categories_from_the_settings_page(
    world, admin, other_admin, client_for
):
    Category.objects.filter(community=world.community).delete()
    client = client_for(admin)
    page = client.get("/hotline/settings/").content.decode()
    assert 'data-testid="categories-setup"' in page
    refused = client_for(other_admin).post(
        "/hotline/settings/categories/setup/", {"community": world.community.id}
    )
    assert refused.status_code == 404
    client.post("/hotline/settings/categories/setup/", {"community": world.community.id})
    assert Category.objects.filter(community=world.community, code="water").exists()
    assert 'data-testid="categories-setup"' not in client.get("/hotline/settings/").content.decode()


def test_staff_record_a_phoned_in_verdict_on_the_page_with_the_call_noted(
    world, worker_a, file_portal, client_for, english
):
    req = file_portal()
    worker = client_for(worker_a)
    url = f"/hotline/r/{req.public_id}/"
    worker.post(url + "accept/")
    worker.post(url + "resolve/", {"note": "修好了"})
    assert 'data-testid="rate-call-form"' in worker.get(url).content.decode()
    refused = worker.post(url + "rate_call/", {"rating": "5", "solved": "yes"}, follow=True)
    assert "Note the call" in refused.content.decode()
    worker.post(
        url + "rate_call/", {"rating": "5", "solved": "yes", "call_note": "3月2日回访张晓本人"}
    )
    req.refresh_from_db()
    assert (req.status, req.verdict_source) == ("closed", "staff_recorded_call")
    assert 'data-testid="recorded-by-staff"' in worker.get(url).content.decode()


def test_an_action_the_persona_may_not_use_at_all_is_a_404(
    world, resident_user, worker_a, file_portal, client_for
):
    req = file_portal()
    resident = client_for(resident_user)
    assert resident.post(f"/hotline/r/{req.public_id}/accept/").status_code == 404
    assert resident.post(f"/hotline/r/{req.public_id}/rate_call/").status_code == 404
    worker = client_for(worker_a)
    assert worker.post(f"/hotline/r/{req.public_id}/reassign/").status_code == 404
    req.refresh_from_db()
    assert req.status == "submitted"


def test_bad_action_input_is_a_message_never_a_500(world, worker_a, admin, file_portal, client_for):
    req = file_portal()
    url = f"/hotline/r/{req.public_id}/"
    for client, action, data in (
        (client_for(worker_a), "merge", {"into_public_id": "not-a-uuid"}),
        (client_for(admin), "reassign", {"user_id": "x", "reason": "y"}),
        (client_for(worker_a), "note", {"text": ""}),
    ):
        response = client.post(url + action + "/", data)
        assert response.status_code == 302, action
    assert (
        client_for(admin)
        .post("/hotline/settings/roster/", {"community": "x", "user": "1"})
        .status_code
        == 404
    )


def test_the_list_rows_carry_what_the_full_read_carries(
    world, admin, worker_a, file_portal, actor_of
):
    """The request list reads a page as values and makes the requests itself; each row shows
    what the request read through the ORM shows."""
    for i in range(7):
        file_portal(description=f"第{i}次", category="water" if i % 2 else "noise")
    services.request_file(
        actor=actor_of(worker_a),
        community_id=world.community.id,
        category_code="noise",
        description="电话登记，没有住户",
        channel="phone",
    )

    def shown(req):
        return (
            req.public_id,
            req.status,
            req.is_open,
            req.category.name,
            req.grid.name if req.grid else None,
            req.household.address if req.household else None,
            str(req.assignee) if req.assignee else None,
            req.submitted_at,
            req.description,
        )

    for user in (admin, worker_a):
        actor = actor_of(user)
        for filters in (
            selectors.RequestFilters(),
            selectors.RequestFilters(category_code="water"),
            selectors.RequestFilters(status="open", grid_id=world.grid_a.id),
        ):
            rows = selectors.request_list_rows(actor, filters)
            full = list(selectors.request_list(actor, filters))
            assert len(rows) == rows.count() == len(full)
            assert [shown(r) for r in rows[0:50]] == [shown(r) for r in full]
            assert [shown(r) for r in rows[2:4]] == [shown(r) for r in full[2:4]]
            assert shown(rows[1]) == shown(full[1]) and [shown(r) for r in rows] == [
                shown(r) for r in full
            ]
    assert any(
        r.household is None
        for r in selectors.request_list_rows(actor_of(admin), selectors.RequestFilters())
    )
