"""Elderly care in a real browser at phone size (390×844): a care worker checks in and out of
an elder's visit on his phone and the elder rates it (large type, one action per screen); a
grid worker clears a proactive task with a visit log whose finding files a Community 110
request ("found on a visit"). The care pages are visited at phone and desktop size without
sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import NewPage, horizontal_overflow, visit

pytestmark = pytest.mark.e2e


def test_care_worker_checks_in_and_out_and_the_elder_rates(new_page: NewPage) -> None:
    elder = new_page("phone", user="elder")
    visits = elder.request.get("/api/care/me/visits").json()
    upcoming = [v for v in visits if v["status"] == "scheduled"]
    assert upcoming, visits
    target = upcoming[0]
    visit(elder, "/care/me/", "care-me")
    before = elder.get_by_test_id("to-rate").count()

    worker = new_page("phone", user="care")
    visit(worker, "/care/today/", "care-today")
    visit(worker, f"/care/elders/{target['elder_id']}/", "care-elder")
    visit(worker, f"/care/visits/{target['public_id']}/", "care-visit")
    with worker.expect_navigation():
        worker.get_by_test_id("action-check_in").click()
    expect(worker.get_by_test_id("checked-in")).not_to_have_text("—")
    with worker.expect_navigation():
        worker.get_by_test_id("action-check_out").click()
    expect(worker.get_by_test_id("checked-out")).not_to_have_text("—")
    assert horizontal_overflow(worker) == 0

    visit(elder, "/care/me/", "care-me-to-rate")
    expect(elder.get_by_test_id("to-rate")).to_have_count(before + 1)
    link = elder.locator(f"a[href*='{target['public_id']}']")
    with elder.expect_navigation():
        link.click()
    elder.screenshot(path="test-results/screenshots/care-rate-phone.png", full_page=True)
    elder.locator("input[name=rating][value='5']").check()
    with elder.expect_navigation():
        elder.get_by_test_id("submit-rating").click()
    expect(elder.get_by_test_id("to-rate")).to_have_count(before)
    assert horizontal_overflow(elder) == 0

    visit(worker, f"/care/visits/{target['public_id']}/", "care-visit-rated")
    expect(worker.get_by_test_id("rating")).to_contain_text("5")


def test_grid_worker_clears_a_task_with_a_visit_log_that_files_a_request(new_page: NewPage) -> None:
    worker = new_page("phone", user="grid1")
    visit(worker, "/care/tasks/", "care-tasks")
    rows = worker.get_by_test_id("task-row")
    assert rows.count() > 0
    with worker.expect_navigation():
        rows.first.click()
    task_url = worker.url
    worker.fill("#id_met", "老人本人")
    worker.fill("#id_findings", "卫生间扶手松动，老人如厕不便（走访发现）")
    worker.check("#id_file_request")
    options = worker.locator("#id_category_code option").all()
    value = next(o.get_attribute("value") for o in options if o.get_attribute("value"))
    worker.select_option("#id_category_code", value)
    worker.screenshot(path="test-results/screenshots/care-task-form-phone.png", full_page=True)
    with worker.expect_navigation():
        worker.get_by_test_id("save-log").click()
    assert worker.url == task_url
    expect(worker.get_by_test_id("task-status")).to_have_text(re.compile("已完成|Done"))
    number = worker.get_by_test_id("filed-request").inner_text().strip()
    assert re.fullmatch(r"\d{6}", number), number
    assert horizontal_overflow(worker) == 0
    request = worker.request.get(f"/api/hotline/requests?number={number}")
    assert request.ok


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_care_pages_fit(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport, user="care")
    for path, name in (
        ("/care/", "care-home"),
        ("/care/board/", "care-board"),
        ("/care/daycare/", "care-daycare"),
        ("/care/apartments/", "care-apartments"),
        ("/care/catalogue/", "care-catalogue"),
        ("/care/tasks/", "care-tasks-all"),
    ):
        visit(page, path, name)
        assert horizontal_overflow(page) == 0, path
