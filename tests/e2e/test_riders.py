"""The riders' station in a real browser: a rider files a safety report with a photo from his
phone, it shows in his reports with its Community 110 number, and the community admin finds it
at the station and opens the Community 110 request. The station's pages are visited at phone and
desktop size without sideways scrolling; the summer class's children show only to its staff."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.support import NewPage, horizontal_overflow, visit

pytestmark = pytest.mark.e2e


@pytest.fixture
def photo_file(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "hazard.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (220, 120, 30)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_rider_files_a_safety_report_that_reaches_community_110(
    new_page: NewPage, photo_file: Path
) -> None:
    rider = new_page("phone", user="resident")
    visit(rider, "/riders/report/", "riders-report-new")
    assert horizontal_overflow(rider) == 0
    rider.select_option("#id_category", "fire")
    rider.fill("#id_place", "文昌花园12栋北侧")
    rider.fill("#id_description", "楼道里有人给电动车充电，电线拖在地上")
    rider.set_input_files("#id_photo", str(photo_file))
    with rider.expect_navigation():
        rider.get_by_test_id("send-report").click()
    expect(rider.locator(".alert-success")).to_be_visible()
    first = rider.get_by_test_id("my-report").first
    number = first.get_by_test_id("hotline-number").inner_text().strip()
    assert number
    visit(rider, "/riders/my-reports/", "riders-my-reports")
    assert horizontal_overflow(rider) == 0

    admin = new_page("desktop", user="wenchang_admin")
    visit(admin, "/riders/reports/?status=forwarded", "riders-reports")
    admin.get_by_test_id("report").filter(has_text="文昌花园12栋北侧").first.click()
    admin.wait_for_load_state("load")
    expect(admin.get_by_test_id("report-hotline")).to_contain_text(number)
    with admin.expect_navigation():
        admin.get_by_test_id("open-hotline").click()
    body = admin.locator("body")
    expect(body).to_contain_text("电动车充电")
    expect(body).to_contain_text(re.compile("平安前哨|Safety outpost|safety outpost", re.I))


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_station_pages_fit_the_screen(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport, user="wenchang_admin")
    for path, name in [
        ("/riders/", "riders-home"),
        ("/riders/workers/", "riders-workers"),
        ("/riders/canteen/", "riders-canteen"),
        ("/riders/class/", "riders-classes"),
        ("/riders/reports/", "riders-reports-all"),
        ("/riders/workers/new/?q=li", "riders-register"),
    ]:
        visit(page, path, name)
        assert horizontal_overflow(page) == 0, path
    visit(page, "/riders/workers/", "riders-workers-again")
    page.locator("table a").first.click()
    page.wait_for_load_state("load")
    assert horizontal_overflow(page) == 0
    visit(page, "/riders/class/", "riders-classes-again")
    page.locator(".list-group a").first.click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("child")).to_have_count(0)


def test_the_class_staff_see_the_children(new_page: NewPage) -> None:
    page = new_page("phone", user="care")
    visit(page, "/riders/class/", "riders-classes-care")
    page.locator(".list-group a").first.click()
    page.wait_for_load_state("load")
    assert page.get_by_test_id("child").count() > 0
    assert horizontal_overflow(page) == 0
