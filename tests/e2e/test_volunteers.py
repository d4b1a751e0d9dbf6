"""Volunteers and the points store in a real browser: the Party organiser posts an activity,
the resident signs up on his phone, the organiser checks him in and out and confirms two hours,
the hours become points in the resident's portal, he redeems an item and the community admin
hands it over at the counter. Every volunteers page is visited at phone and desktop size
without sideways scrolling."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import NewPage, digits, horizontal_overflow, visit

pytestmark = pytest.mark.e2e
SHANGHAI = ZoneInfo("Asia/Shanghai")


def balance(page: Page) -> int:
    visit(page, "/volunteers/me/", "volunteers-me-check")
    return digits(page.get_by_test_id("my-balance").inner_text())


def test_a_resident_volunteers_earns_points_and_redeems_them(new_page: NewPage) -> None:
    organiser = new_page("phone", user="party")
    visit(organiser, "/volunteers/activities/new/", "volunteers-activity-new")
    tomorrow = dt.datetime.now(SHANGHAI).date() + dt.timedelta(days=1)
    organiser.fill("#id_title", "楼道清洁（测试）")
    organiser.fill("#id_place", "12栋")
    organiser.fill("#id_starts_at", f"{tomorrow:%Y-%m-%d}T09:00")
    organiser.fill("#id_ends_at", f"{tomorrow:%Y-%m-%d}T11:00")
    organiser.fill("#id_capacity", "5")
    with organiser.expect_navigation():
        organiser.get_by_role("button", name=re.compile("保存|Save")).click()
    match = re.search(r"/volunteers/activities/(\d+)/", organiser.url)
    assert match, organiser.url
    activity_url = match.group(0)

    resident = new_page("phone", user="resident")
    before = balance(resident)
    visit(resident, activity_url, "volunteers-activity-detail")
    with resident.expect_navigation():
        resident.get_by_test_id("signup").click()
    expect(resident.get_by_test_id("my-signup-status")).to_be_visible()

    visit(organiser, activity_url + "checkin/", "volunteers-checkin")
    rows = organiser.locator("[data-testid^=participant-ZY]")
    expect(rows).to_have_count(1)
    for label in ("签到|Check in", "签退|Check out"):
        with organiser.expect_navigation():
            rows.first.get_by_role("button", name=re.compile(label)).click()
    rows.first.locator("input[name=hours]").fill("2")
    with organiser.expect_navigation():
        rows.first.get_by_role("button", name=re.compile("确认|Confirm")).click()
    expect(rows.first.get_by_test_id("participant-status")).to_contain_text("2")

    earned = balance(resident)
    assert earned == before + 20, (before, earned)
    visit(resident, "/volunteers/store/", "volunteers-store")
    card = resident.locator("[data-testid^=item-]").first
    with resident.expect_navigation():
        card.get_by_test_id("redeem").click()
    code = resident.get_by_test_id("pickup-code").first.inner_text().strip()
    assert re.fullmatch(r"\d{6}", code), code
    assert digits(resident.get_by_test_id("my-balance").inner_text()) < earned

    counter = new_page("desktop", user="wenchang_admin")
    visit(counter, f"/volunteers/store/counter/?code={code}", "volunteers-counter")
    expect(counter.get_by_test_id("found")).to_be_visible()
    with counter.expect_navigation():
        counter.get_by_test_id("confirm-pickup").click()
    expect(counter.locator(".alert-success")).to_be_visible()
    visit(resident, "/volunteers/me/", "volunteers-me")
    expect(resident.get_by_test_id("pickup-code")).to_have_count(
        resident.get_by_test_id("pickup-code").count()
    )
    assert code not in [c.strip() for c in resident.get_by_test_id("pickup-code").all_inner_texts()]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_volunteers_pages_fit_the_screen(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport, user="wenchang_admin")
    visit(page, "/volunteers/", "volunteers-home")
    assert digits(page.get_by_test_id("figure-organisations").inner_text()) == 72
    assert digits(page.get_by_test_id("figure-service-teams").inner_text()) == 28
    assert digits(page.get_by_test_id("figure-cultural-teams").inner_text()) == 23
    assert digits(page.get_by_test_id("figure-volunteers").inner_text()) >= 1000
    paths = [
        ("/volunteers/organisations/", "volunteers-organisations"),
        ("/volunteers/teams/", "volunteers-teams"),
        ("/volunteers/people/", "volunteers-people"),
        ("/volunteers/activities/", "volunteers-activities"),
        ("/volunteers/leaderboard/", "volunteers-leaderboard"),
        ("/volunteers/store/", "volunteers-store-admin"),
        ("/volunteers/store/counter/", "volunteers-counter-empty"),
        ("/volunteers/people/new/?q=zh", "volunteers-register"),
    ]
    for path, name in paths:
        visit(page, path, f"{name}")
        assert horizontal_overflow(page) == 0, path
    visit(page, "/volunteers/organisations/", "volunteers-organisations-again")
    page.locator("[data-testid=stage-registered] a").first.click()
    page.wait_for_load_state("load")
    assert horizontal_overflow(page) == 0
    visit(page, page.url.replace(page.url.split("/volunteers")[0], ""), "volunteers-org")
    visit(page, "/volunteers/people/", "volunteers-people-again")
    page.locator("table a").first.click()
    page.wait_for_load_state("load")
    person = page.url.split(page.url.split("/volunteers")[0])[1]
    visit(page, person, "volunteers-person")
    assert horizontal_overflow(page) == 0
    visit(page, person + "certificate/", "volunteers-certificate")
    page.goto(person)
    ledger = page.get_by_role("link", name=re.compile("积分账|ledger", re.I))
    if ledger.count():
        ledger.first.click()
        page.wait_for_load_state("load")
        visit(
            page,
            page.url.split(page.url.split("/volunteers")[0])[1],
            "volunteers-ledger",
        )
        assert horizontal_overflow(page) == 0


def test_the_resident_sees_his_points_and_the_leaderboard_on_his_phone(new_page: NewPage) -> None:
    page = new_page("phone", user="resident")
    visit(page, "/volunteers/me/", "volunteers-me-phone")
    assert digits(page.get_by_test_id("my-balance").inner_text()) >= 0
    assert horizontal_overflow(page) == 0
    visit(page, "/volunteers/leaderboard/", "volunteers-leaderboard-resident")
    assert horizontal_overflow(page) == 0
    visit(page, "/volunteers/activities/", "volunteers-activities-resident")
    assert horizontal_overflow(page) == 0
    response = page.goto("/volunteers/people/")
    assert response is not None and response.status == 404
