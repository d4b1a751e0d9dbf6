"""Venues in a real browser at 390×844: a resident books a reading-room slot on her phone and a
second resident cannot take it; a team's recurring booking lists its conflicts before anything
is saved. Every venues page is visited at phone and desktop size without sideways scrolling."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.support import NewPage, horizontal_overflow, visit

pytestmark = pytest.mark.e2e
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _venue_url(page, name: str) -> str:
    visit(page, "/venues/", "venues-home")
    link = page.locator("a[data-testid^=venue-]", has_text=name).first
    href = link.get_attribute("href")
    assert href, name
    return href


def test_a_resident_books_a_slot_and_a_second_resident_cannot_take_it(new_page: NewPage) -> None:
    resident = new_page("phone", user="resident")
    room = _venue_url(resident, "城市书房")
    # A day three weeks ahead, so that earlier runs on the same demo do not interfere.
    day = dt.datetime.now(SHANGHAI).date() + dt.timedelta(days=21)
    visit(resident, f"{room}?from={day:%Y-%m-%d}", "venues-venue")
    assert horizontal_overflow(resident) == 0
    free = resident.locator(f"[data-testid^=slot-{day:%Y-%m-%d}-]:not([data-state])").first
    slot_id = free.get_attribute("data-testid")
    assert slot_id
    with resident.expect_navigation():
        free.click()
    resident.fill("#id_purpose", "读书会（测试）")
    resident.fill("#id_attendance", "3")
    with resident.expect_navigation():
        resident.get_by_test_id("book-submit").click()
    expect(resident.get_by_test_id("booking-status")).to_be_visible()
    visit(resident, "/venues/me/bookings/", "venues-my-bookings")
    expect(resident.get_by_test_id("my-booking").first).to_be_visible()
    visit(resident, f"{room}?from={day:%Y-%m-%d}", "venues-venue-mine")
    expect(resident.get_by_test_id(slot_id)).to_have_attribute("data-state", "mine")

    neighbour = new_page("phone", user="neighbour")
    visit(neighbour, f"{room}?from={day:%Y-%m-%d}", "venues-venue-taken")
    expect(neighbour.get_by_test_id(slot_id)).to_have_attribute("data-state", "taken")
    # Even straight at the booking form, the slot is refused and nothing is saved.
    hhmm = slot_id.rsplit("-", 1)[1]
    visit(
        neighbour,
        f"{room}book/?day={day:%Y-%m-%d}&at={hhmm[:2]}:{hhmm[2:]}",
        "venues-book",
    )
    neighbour.fill("#id_purpose", "自习")
    neighbour.fill("#id_attendance", "1")
    neighbour.get_by_test_id("book-submit").click()
    expect(neighbour.locator(".alert-danger, .invalid-feedback").first).to_be_visible()
    assert "/book/" in neighbour.url


def test_a_teams_recurring_booking_shows_its_conflicts(new_page: NewPage) -> None:
    organiser = new_page("phone", user="party")
    hall = _venue_url(organiser, "睦邻会馆")
    match = re.search(r"/venues/(\d+)/", hall)
    assert match
    visit(organiser, f"/venues/{match.group(1)}/series/", "venues-series-new")
    today = dt.datetime.now(SHANGHAI).date()
    organiser.select_option("#id_weekday", "1")
    organiser.fill("#id_start_time", "19:00")
    organiser.fill("#id_end_time", "21:00")
    organiser.fill("#id_first_day", f"{today + dt.timedelta(days=1):%Y-%m-%d}")
    organiser.fill("#id_last_day", f"{today + dt.timedelta(days=91):%Y-%m-%d}")
    organiser.fill("#id_purpose", "合唱团排练（测试）")
    organiser.fill("#id_attendance", "20")
    organiser.fill("#id_host", "文昌合唱团")
    with organiser.expect_navigation():
        organiser.get_by_test_id("series-preview").click()
    expect(organiser.get_by_test_id("series-summary")).to_be_visible()
    conflicts = organiser.locator("[data-conflict]")
    assert conflicts.count() >= 1, "the demo's hall is busy on Tuesday evenings"
    assert horizontal_overflow(organiser) == 0
    # "Book" refuses while any date is taken and saves nothing.
    with organiser.expect_navigation():
        organiser.get_by_test_id("series-book").click()
    expect(organiser.locator(".alert-danger").first).to_be_visible()
    assert "/series/" in organiser.url and "/venues/series/" not in organiser.url
    dates_total = organiser.locator("[data-testid^=occurrence-]").count()
    if conflicts.count() < dates_total:
        with organiser.expect_navigation():
            organiser.get_by_test_id("series-book-free").click()
        assert "/venues/series/" in organiser.url


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_venues_pages_fit_the_screen(new_page: NewPage, viewport: str) -> None:
    staff = new_page(viewport, user="service")
    for path, name in (
        ("/venues/", "venues-home"),
        ("/venues/bookings/", "venues-bookings"),
        ("/venues/utilisation/", "venues-utilisation"),
        ("/venues/loans/", "venues-loans"),
        ("/venues/services/", "venues-catalogue"),
        ("/venues/records/", "venues-records"),
        ("/venues/new/", "venues-venue-new"),
        ("/venues/services/new/", "venues-category-new"),
        ("/venues/services/providers/", "venues-providers"),
        ("/venues/services/providers/new/", "venues-provider-new"),
        ("/venues/services/schedules/new/", "venues-schedule-new"),
    ):
        visit(staff, path, f"{name}-staff")
        assert horizontal_overflow(staff) == 0, path
    room = next(
        v for v in staff.request.get("/api/venues/venues").json() if v["name"] == "城市书房"
    )
    for path, name in (
        (f"/venues/{room['id']}/edit/", "venues-venue-edit"),
        (f"/venues/{room['id']}/hours/", "venues-venue-hours"),
    ):
        visit(staff, path, f"{name}-staff")
        assert horizontal_overflow(staff) == 0, path
    resident = new_page(viewport, user="resident")
    for path, name in (
        ("/venues/", "venues-home-resident"),
        ("/venues/me/bookings/", "venues-my-bookings"),
        ("/venues/me/services/", "venues-my-records"),
        ("/venues/me/loans/", "venues-my-loans"),
    ):
        visit(resident, path, name)
        assert horizontal_overflow(resident) == 0, path
