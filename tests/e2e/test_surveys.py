"""Surveys, the resident's record and the cockpit in a real browser.

The demo resident, on his phone (390×844), answers this quarter's anonymous wellbeing survey
and sees the three indices move; he opens his own record ("我的"). The community admin opens the
cockpit (a grid drill-down too) and the big screen at 1920×1080; the subdistrict viewer opens
communities side by side; a grid worker opens a resident's 360° record. Screenshots of each
page land in test-results/screenshots/."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import NewPage, horizontal_overflow, shot, visit

pytestmark = pytest.mark.e2e


def indices(page: Page) -> list[Decimal]:
    visit(page, "/surveys/wellbeing/", "surveys-wellbeing")
    return [Decimal(page.get_by_test_id(f"index-{i}").inner_text().strip()) for i in (1, 2, 3)]


def test_the_resident_answers_the_wellbeing_survey_and_sees_the_index_move(
    new_page: NewPage,
) -> None:
    resident = new_page("phone", user="resident")
    before = indices(resident)
    visit(resident, "/surveys/mine/", "surveys-mine")
    answer = resident.get_by_test_id("answer-wellbeing")
    if answer.count() == 0:
        pytest.skip("the demo resident has answered this quarter's survey already")
    with resident.expect_navigation():
        answer.click()
    shot(resident, "surveys-answer")
    expect(resident.get_by_test_id("anonymous-note")).to_be_visible()
    assert horizontal_overflow(resident) == 0
    # A required question left out: a clear message on it, nothing written.
    with resident.expect_navigation():
        resident.get_by_test_id("submit-answer").click()
    expect(resident.locator("[data-testid^=error-]").first).to_be_visible()
    for fieldset in resident.locator("fieldset.survey-question").all():
        key = fieldset.get_attribute("data-key")
        top = fieldset.locator(f"input[name={key}][value='10']")
        if top.count():
            top.check()
    with resident.expect_navigation():
        resident.get_by_test_id("submit-answer").click()
    assert "/surveys/wellbeing/" in resident.url
    after = [Decimal(resident.get_by_test_id(f"index-{i}").inner_text().strip()) for i in (1, 2, 3)]
    shot(resident, "surveys-wellbeing-after")
    assert all(a > b for a, b in zip(after, before, strict=True)), (before, after)
    # A second answer is refused.
    visit(resident, "/surveys/mine/", "surveys-mine-answered")
    expect(resident.get_by_test_id("answer-wellbeing")).to_have_count(0)


def test_the_resident_opens_his_own_record(new_page: NewPage) -> None:
    resident = new_page("phone", user="resident")
    visit(resident, "/registry/me/", "registry-my-record")
    expect(resident.get_by_test_id("my-record-download")).to_be_visible()
    expect(resident.locator("[data-panel='registry.household']")).to_be_visible()
    assert horizontal_overflow(resident) == 0


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_cockpit_its_drill_down_and_side_by_side(new_page: NewPage, viewport: str) -> None:
    admin = new_page(viewport, user="wenchang_admin")
    visit(admin, "/cockpit/", "cockpit")
    residents = admin.get_by_test_id("figure-registry.residents")
    expect(residents).to_contain_text(re.compile(r"\d"))
    expect(admin.get_by_test_id("figure-surveys.index.gain")).to_contain_text(re.compile(r"\d"))
    expect(admin.locator("#chart-hotline-satisfaction_rate canvas")).to_have_count(1)
    assert horizontal_overflow(admin) == 0
    grid = admin.get_by_test_id("grid-select").locator("option").nth(1).get_attribute("value")
    visit(admin, f"/cockpit/?grid={grid}", "cockpit-grid")
    visit(admin, "/cockpit/reports/", "cockpit-reports")
    viewer = new_page(viewport, user="viewer")
    visit(viewer, "/cockpit/compare/", "cockpit-compare")
    # One column per community of the subdistrict (the demo has two), after the labels.
    assert viewer.get_by_test_id("compare-table").locator("thead th").count() >= 3


def test_the_big_screen_fills_1920_by_1080(new_page: NewPage, browser) -> None:  # type: ignore[no-untyped-def]
    admin = new_page("desktop", user="wenchang_admin")
    admin.set_viewport_size({"width": 1920, "height": 1080})
    visit(admin, "/cockpit/screen/", "cockpit-screen")
    expect(admin.get_by_test_id("screen-title")).to_be_visible()
    size = admin.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= 1920 and size[1] <= 1080, size
    expect(admin.locator(".screen-chart canvas").first).to_be_visible()


def test_a_grid_worker_sees_a_residents_360_record(new_page: NewPage, grid1_resident) -> None:  # type: ignore[no-untyped-def]
    worker = new_page("phone", user="grid1")
    visit(worker, f"/registry/residents/{grid1_resident['public_id']}/", "registry-resident-360")
    expect(worker.locator("[data-panel='registry.household']")).to_be_visible()
    expect(worker.locator("[data-panel='volunteers.record']")).to_have_count(0)
    assert horizontal_overflow(worker) == 0
