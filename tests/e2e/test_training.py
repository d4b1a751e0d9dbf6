"""The cadre training base in a real browser (phone first, 390×844): the base's staff book a
class for a visiting organisation, refuse a reversed stay and more beds than the base has, give
the class beds, meals and a session, confirm it, and its quote adds up on the class page and on
the printable confirmation. Every training page fits the phone and the desktop; a grid worker
gets a 404."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import NewPage, horizontal_overflow, visit

pytestmark = pytest.mark.e2e
SHANGHAI = ZoneInfo("Asia/Shanghai")
SAVE = re.compile("保存|Save")


def path_of(url: str) -> str:
    return urlsplit(url).path


def money(page: Page, testid: str) -> Decimal:
    return Decimal(page.get_by_test_id(testid).inner_text().strip().replace(",", ""))


def test_a_class_is_booked_with_lodging_and_its_quote_adds_up(new_page: NewPage) -> None:
    page = new_page("phone", user="training")
    visit(page, "/training/", "training-classes")
    assert horizontal_overflow(page) == 0
    with page.expect_navigation():
        page.get_by_test_id("class-new").click()
    # Well after the demo's last class, so the beds and classrooms are free.
    arrive = dt.datetime.now(SHANGHAI).date() + dt.timedelta(days=150)
    page.fill("#id_name", "徐州社区书记示范培训班（测试）")
    page.fill("#id_organisation", "徐州市委组织部")
    page.select_option("#id_province", "江苏省")
    page.fill("#id_city", "徐州")
    page.fill("#id_contact_name", "王海燕")
    page.fill("#id_contact_phone", "13912340000")
    page.fill("#id_starts_on", f"{arrive + dt.timedelta(days=2):%Y-%m-%d}")
    page.fill("#id_ends_on", f"{arrive:%Y-%m-%d}")
    page.fill("#id_trainee_count", "6")
    page.fill("#id_dietary_notes", "1人清真")
    page.get_by_role("button", name=SAVE).click()
    expect(page.get_by_test_id("error-ends_on")).to_be_visible()  # leaves before it arrives
    assert "/classes/new/" in page.url
    page.fill("#id_starts_on", f"{arrive:%Y-%m-%d}")
    page.fill("#id_ends_on", f"{arrive + dt.timedelta(days=2):%Y-%m-%d}")
    with page.expect_navigation():
        page.get_by_role("button", name=SAVE).click()
    assert re.search(r"/training/classes/[0-9a-f-]{36}/$", page.url), page.url
    class_url = page.url
    expect(page.get_by_test_id("contact-phone")).to_have_text("139****0000")
    expect(page.get_by_test_id("class-status")).to_contain_text(re.compile("意向|Enquiry"))

    # More beds than the base has: a clear message, nothing booked.
    page.fill("#id_beds", "999")
    page.get_by_test_id("book-beds").click()
    expect(page.get_by_test_id("error-beds")).to_contain_text("120")
    expect(page.get_by_test_id("lodging").locator("tbody tr")).to_have_count(1)  # "no beds"
    page.fill("#id_beds", "6")
    with page.expect_navigation():
        page.get_by_test_id("book-beds").click()
    rows = page.get_by_test_id("lodging").locator("tbody tr")
    expect(rows).to_have_count(2)  # two nights, six beds each
    expect(rows.first.locator("td").nth(1)).to_have_text("6")

    with page.expect_navigation():
        page.get_by_test_id("meals-stay").click()
    expect(page.get_by_test_id("meals").locator("tbody tr")).to_have_count(3)

    page.get_by_test_id("open-session").click()
    page.select_option("#id_course", index=0)
    page.fill("#id_starts_at", f"{arrive:%Y-%m-%d}T09:00")
    page.select_option("#id_venue", label="培训基地第一教室")  # booked through the venues domain
    with page.expect_navigation():
        page.get_by_test_id("add-session").click()
    expect(page.get_by_test_id("sessions").locator(".list-group-item")).to_have_count(1)
    expect(page.get_by_test_id("classroom-booking")).to_be_visible()
    with page.expect_navigation():
        page.get_by_test_id("transition-confirm").click()
    expect(page.get_by_test_id("class-status")).to_contain_text(re.compile("已确认|Confirmed"))
    visit(page, path_of(class_url), "training-class")
    assert horizontal_overflow(page) == 0

    courses, lodging, meals = (money(page, f"quote-{k}") for k in ("courses", "lodging", "meals"))
    total = money(page, "quote-total")
    assert lodging == Decimal("1440.00")  # 6 beds × 2 nights × 120.00
    assert meals == Decimal("1080.00")  # 6 × (30 + 30) + 6 × (15 + 30 + 30) + 6 × (15 + 30)
    assert courses > 0 and courses % 6 == 0  # the course's fee for each of the six
    assert total == courses + lodging + meals

    with page.expect_navigation():
        page.get_by_test_id("confirmation").click()
    visit(page, path_of(page.url), "training-confirmation")
    assert horizontal_overflow(page) == 0
    expect(page.get_by_test_id("confirmation-body")).to_contain_text("培训确认函")
    assert money(page, "conf-total") == total
    assert money(page, "conf-lodging") == lodging
    lines = page.get_by_test_id("quote").locator("tbody tr")
    amounts = [
        Decimal(t.strip().replace(",", ""))
        for t in lines.locator("td:nth-child(4)").all_inner_texts()
    ]
    assert sum(amounts) == total


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_training_pages_fit_the_screen(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport, user="training")
    for path, name in (
        ("/training/", "training-classes"),
        ("/training/?status=in_progress", "training-classes-running"),
        ("/training/courses/", "training-courses"),
        ("/training/lecturers/", "training-lecturers"),
        ("/training/lodging/", "training-lodging"),
        ("/training/totals/", "training-totals"),
    ):
        visit(page, path, name)
        assert horizontal_overflow(page) == 0, path
    visit(page, "/training/totals/", "training-totals")
    visits = int(page.get_by_test_id("total-visits").inner_text().replace(",", ""))
    assert visits >= 20_000
    expect(page.locator("#chart-year canvas")).to_have_count(1)
    visit(page, "/training/?status=in_progress", "training-classes-running")
    page.locator("table a").first.click()
    page.wait_for_load_state("load")
    assert horizontal_overflow(page) == 0
    page.get_by_role("link", name=re.compile("签到|Check-in")).first.click()
    page.wait_for_load_state("load")
    assert horizontal_overflow(page) == 0


def test_a_grid_worker_does_not_see_the_training_base(new_page: NewPage) -> None:
    page = new_page("phone", user="grid1")
    response = page.goto("/training/")
    assert response is not None and response.status == 404
