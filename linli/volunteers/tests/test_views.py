"""The pages as people use them: a resident signs up, the organiser checks him in and out and
confirms his hours, the points show in his portal, he redeems an item and the counter hands it
over; lists keep a constant number of queries; exports are real .xlsx files."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from linli.core.models import AuditEvent
from linli.testing import assert_constant_queries
from linli.volunteers import points, selectors, services
from linli.volunteers.models import PointsEntry, Signup, StoreItem, Volunteer


def test_the_whole_journey_through_the_pages(
    world, resident_user, organiser, admin, client_for, activity, english
):
    resident = client_for(resident_user)
    page = resident.get(f"/volunteers/activities/{activity.id}/")
    assert 'data-testid="signup"' in page.content.decode()
    assert 'data-testid="needs-registration"' in page.content.decode()
    response = resident.post(
        f"/volunteers/activities/{activity.id}/signup/",
        {"register_as_volunteer": "on"},
        follow=True,
    )
    assert "You are signed up." in response.content.decode()
    signup = Signup.objects.get(activity=activity)

    org = client_for(organiser)
    screen = org.get(f"/volunteers/activities/{activity.id}/checkin/").content.decode()
    assert "张晓" in screen and "<svg" in screen
    org.post(f"/volunteers/signups/{signup.public_id}/in/", {"activity": activity.id})
    org.post(f"/volunteers/signups/{signup.public_id}/out/", {"activity": activity.id})
    org.post(
        f"/volunteers/signups/{signup.public_id}/confirm/",
        {"activity": activity.id, "hours": "2"},
    )
    signup.refresh_from_db()
    assert signup.status == "confirmed" and signup.hours == 2

    me = resident.get("/volunteers/me/").content.decode()
    assert 'data-testid="my-balance">20<' in me
    item = StoreItem.objects.create(community=world.community, name="香皂", price=15, stock=3)
    response = resident.post(f"/volunteers/store/{item.id}/redeem/", {"quantity": 1}, follow=True)
    body = response.content.decode()
    assert "Show pickup code" in body
    redemption = item.redemptions.get()
    assert redemption.pickup_code in body

    counter = client_for(admin)
    found = counter.get(f"/volunteers/store/counter/?code={redemption.pickup_code}")
    assert "香皂" in found.content.decode()
    done = counter.post("/volunteers/store/counter/", {"code": redemption.pickup_code}, follow=True)
    assert "Handed over" in done.content.decode()
    redemption.refresh_from_db()
    assert redemption.status == "picked_up"


def test_a_redemption_the_balance_does_not_cover_shows_why(
    world, resident_user, client_for, english
):
    item = StoreItem.objects.create(community=world.community, name="大米", price=100, stock=3)
    response = client_for(resident_user).post(
        f"/volunteers/store/{item.id}/redeem/", {"quantity": 1}, follow=True
    )
    assert "Not enough points" in response.content.decode()
    item.refresh_from_db()
    assert item.stock == 3


def test_the_admin_adjusts_points_with_a_reason_on_the_ledger_page(
    admin, client_for, resident_account, english
):
    client = client_for(admin)
    url = f"/volunteers/ledger/{resident_account.id}/"
    missing = client.post(url, {"points": 10, "reason": ""})
    assert "This field is required" in missing.content.decode()
    client.post(url, {"points": 10, "reason": "补录积分"})
    resident_account.refresh_from_db()
    assert resident_account.balance == 10
    assert AuditEvent.objects.filter(reason="补录积分").exists()


def test_the_pipeline_advances_from_the_organisation_page(admin, client_for, actor_of, world):
    org = services.organisation_create(
        actor=actor_of(admin),
        community_id=world.community.id,
        name="文昌书香协会",
        org_type="cultural",
        guiding_party_org="党委",
    )
    client = client_for(admin)
    client.post(
        f"/volunteers/organisations/{org.id}/",
        {"to_stage": "incubating", "on": timezone.localdate().isoformat()},
    )
    org.refresh_from_db()
    assert org.stage == "incubating"


def test_registering_an_outsider_from_the_page(admin, client_for):
    client = client_for(admin)
    response = client.post(
        "/volunteers/people/new/", {"name": "钱多", "phone": "13611112222", "skills": "理发"}
    )
    volunteer = Volunteer.objects.get(name="钱多")
    assert response.status_code == 302
    page = client.get(f"/volunteers/people/{volunteer.public_id}/").content.decode()
    assert "136****2222" in page and "13611112222" not in page
    cert = client.get(f"/volunteers/people/{volunteer.public_id}/certificate/").content.decode()
    assert "linli/volunteer_certificate.css" in cert and volunteer.number in cert


def test_exports_are_spreadsheets_with_masked_phones(admin, client_for, actor_of, world):
    services.volunteer_register(
        actor=actor_of(admin), community_id=world.community.id, name="孙立", phone="13722223333"
    )
    client = client_for(admin)
    response = client.get("/volunteers/export/volunteers.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[1][1] == "孙立" and rows[1][3] == "137****3333"
    for what in ("organisations", "leaderboard", "hours"):
        assert client.get(f"/volunteers/export/{what}.xlsx").status_code == 200
    assert AuditEvent.objects.filter(action="export").count() == 4


def _many_volunteers(world, admin, actor_of, n, start):
    staff = actor_of(admin)
    for i in range(n):
        v = services.volunteer_register(
            actor=staff,
            community_id=world.community.id,
            name=f"志愿者{start + i}",
            phone=f"1350000{start + i:04d}",
        )
        with_points = points.lock_account(v.account_id)
        points.credit(with_points, kind="hours", points=10 + i, actor=points.SYSTEM)


def test_lists_and_the_leaderboard_keep_a_constant_number_of_queries(
    world, admin, client_for, actor_of
):
    client = client_for(admin)
    made = [0]

    def grow(n):
        _many_volunteers(world, admin, actor_of, n - made[0], 100 + made[0])
        made[0] = n

    def pages(_n):
        for url in (
            "/volunteers/people/",
            "/volunteers/leaderboard/",
            "/api/volunteers/volunteers",
        ):
            assert client.get(url).status_code == 200

    assert_constant_queries(pages, [3, 30], setup=grow)
    month = timezone.localdate().replace(day=1)
    staff = actor_of(admin)
    with CaptureQueriesContext(connection) as board:
        rows = selectors.leaderboard(staff, community_id=world.community.id, month=month)
    assert len(board) == 1 and rows[0].value == 10 + 26


def test_the_organiser_sees_his_activitys_participants_in_the_api(
    activity, resident_user, organiser, volunteer, client_for, actor_of
):
    services.activity_signup(
        actor=actor_of(resident_user), activity_id=activity.id, register_as_volunteer=True
    )
    listed = client_for(organiser).get(f"/api/volunteers/activities/{activity.id}/participants")
    assert [p["volunteer"] for p in listed.json()] == ["张晓"]
    other = client_for(volunteer).get(f"/api/volunteers/activities/{activity.id}/participants")
    assert other.status_code == 404


def test_the_api_redeems_and_the_counter_picks_up(
    world, resident_user, admin, client_for, resident_account
):
    from linli.volunteers.tests.conftest import fund

    fund(resident_account, 50)
    item = StoreItem.objects.create(community=world.community, name="毛巾", price=30, stock=1)
    resident = client_for(resident_user)
    made = resident.post(
        f"/api/volunteers/store/items/{item.id}/redeem",
        {"quantity": 1},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    again = resident.post(
        f"/api/volunteers/store/items/{item.id}/redeem",
        {"quantity": 1},
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["code"] == "insufficient_points"
    code = made.json()["pickup_code"]
    picked = client_for(admin).post(
        "/api/volunteers/redemptions/pickup", {"code": code}, content_type="application/json"
    )
    assert picked.json()["status"] == "picked_up"
    assert PointsEntry.objects.filter(account=resident_account).count() == 2


def test_the_calendar_lists_the_months_activities(world, resident_user, client_for, activity):
    month = timezone.localtime(activity.starts_at).strftime("%Y-%m")
    page = client_for(resident_user).get(f"/volunteers/activities/?month={month}")
    assert f'data-testid="activity-{activity.id}"' in page.content.decode()
    start = timezone.now() - dt.timedelta(days=400)
    assert (
        client_for(resident_user).get(f"/volunteers/activities/?month={start:%Y-%m}").status_code
        == 200
    )


def test_buttons_refuse_bad_input_with_a_message_and_write_nothing(
    world, resident_user, organiser, admin, client_for, actor_of, activity, english
):
    from linli.volunteers.tests.conftest import fund

    resident = client_for(resident_user)
    item = StoreItem.objects.create(community=world.community, name="香皂", price=10, stock=3)
    fund(
        points.account_open(
            community_id=world.community.id, resident_id=world.resident_a1.id, name="张晓"
        ),
        100,
    )
    too_many = resident.post(f"/volunteers/store/{item.id}/redeem/", {"quantity": 99}, follow=True)
    assert "less than or equal to 10" in too_many.content.decode()
    assert not item.redemptions.exists()
    assert resident.post("/volunteers/store/999999/redeem/", {"quantity": 1}).status_code == 404

    signup = services.activity_signup(
        actor=actor_of(resident_user), activity_id=activity.id, register_as_volunteer=True
    )
    org = client_for(organiser)
    assert org.post(f"/volunteers/signups/{signup.public_id}/sideways/").status_code == 404
    early = org.post(
        f"/volunteers/signups/{signup.public_id}/confirm/", {"hours": "1"}, follow=True
    )
    assert "is not possible" in early.content.decode()
    org.post(f"/volunteers/signups/{signup.public_id}/in/")
    org.post(f"/volunteers/signups/{signup.public_id}/out/")
    over = org.post(
        f"/volunteers/signups/{signup.public_id}/confirm/", {"hours": "99"}, follow=True
    )
    assert "Hours must be between 0 and" in over.content.decode()
    junk = org.post(f"/volunteers/signups/{signup.public_id}/confirm/", {"hours": "lots"})
    assert junk.status_code == 302
    signup.refresh_from_db()
    assert signup.status == "checked_out" and signup.hours is None
    # The volunteer himself finds no check-in button to press.
    assert (
        client_for(resident_user).post(f"/volunteers/signups/{signup.public_id}/in/").status_code
        == 404
    )


def test_a_resident_cannot_cancel_anothers_signup_or_redemption(
    world, resident_user, client_for, actor_of, activity
):
    from linli.volunteers.tests.test_concurrency import make_residents

    neighbour = make_residents(world, 1)[0]
    theirs = services.activity_signup(
        actor=neighbour, activity_id=activity.id, register_as_volunteer=True
    )
    item = StoreItem.objects.create(community=world.community, name="毛巾", price=10, stock=3)
    redemption = points.points_redeem(actor=neighbour, item_id=item.id)
    client = client_for(resident_user)
    assert client.post(f"/volunteers/signups/{theirs.public_id}/cancel/").status_code == 404
    assert client.post(f"/volunteers/redemptions/{redemption.public_id}/cancel/").status_code == 404
    theirs.refresh_from_db()
    redemption.refresh_from_db()
    assert theirs.status == "signed_up" and redemption.status == "reserved"


def test_the_organisation_page_offers_only_the_stages_the_machine_allows(
    admin, client_for, actor_of, world
):
    org = services.organisation_create(
        actor=actor_of(admin),
        community_id=world.community.id,
        name="文昌书香协会",
        org_type="cultural",
        guiding_party_org="党委",
    )
    client = client_for(admin)
    page = client.get(f"/volunteers/organisations/{org.id}/").content.decode()
    assert 'value="incubating"' in page and 'value="graduated"' not in page
    skip = client.post(f"/volunteers/organisations/{org.id}/", {"to_stage": "graduated"})
    assert skip.status_code == 200 and 'data-testid="error-to_stage"' in skip.content.decode()
    org.refresh_from_db()
    assert org.stage == "applied"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/volunteers/leaderboard?month=-9614186174", 200),
        ("/api/volunteers/leaderboard?month=2026-13", 200),
        ("/api/volunteers/activities?since=yesterday", 422),
        ("/api/volunteers/volunteers?page=0", 422),
        ("/api/volunteers/volunteers?page=99999999999", 422),
        ("/api/volunteers/accounts/1/entries?page_size=9999", 422),
        ("/volunteers/leaderboard/?month=-9614186174&community=abc", 200),
        ("/volunteers/activities/?month=99999-01", 200),
        ("/volunteers/people/?team=abc&page=zz", 200),
    ],
)
def test_bad_query_parameters_are_a_client_error_or_ignored_never_a_500(
    url, status, admin, client_for
):
    assert client_for(admin).get(url).status_code == status
