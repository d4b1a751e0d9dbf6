"""Doorstep jobs on a phone (390×844): a team lead dispatches a batch of an open order to a
worker, checks the returned pieces (accepted, rejected with a defect reason), and the worker's
month so far grows by the accepted pieces at the order's rate. The jobs pages are visited at
phone and desktop size without sideways scrolling."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import NewPage, digits, horizontal_overflow, shot, visit

pytestmark = pytest.mark.e2e


def month(page: Page) -> tuple[int, Decimal]:
    pieces = digits(page.get_by_test_id("month-pieces").inner_text())
    amount = Decimal(
        page.get_by_test_id("month-amount").inner_text().replace("¥", "").replace(",", "")
    )
    return pieces, amount


def test_a_team_lead_dispatches_and_checks_a_batch_and_the_workers_month_grows(
    new_page: NewPage,
) -> None:
    lead = new_page("phone", user="jobs")
    visit(lead, "/jobs/orders/?status=open", "jobs-orders")
    with lead.expect_navigation():
        lead.locator("table tbody tr a").first.click()
    order_url = lead.url
    rate = Decimal(re.sub(r"[^\d.]", "", lead.locator("dd").first.inner_text()))
    form = lead.locator("form", has=lead.get_by_test_id("dispatch"))
    form.locator("select[name=worker_public_id]").select_option(index=3)
    form.locator("input[name=quantity]").fill("20")
    with lead.expect_navigation():
        lead.get_by_test_id("dispatch").click()
    expect(lead.locator(".alert-success")).to_be_visible()
    with lead.expect_navigation():
        lead.get_by_test_id("batch-row").first.locator("a").click()
    batch_url = lead.url
    with lead.expect_navigation():
        lead.locator("h2 a").first.click()
    before = month(lead)

    visit(lead, batch_url, "jobs-batch")
    check = lead.locator("form", has=lead.get_by_test_id("check"))
    check.locator("input[name=accepted]").fill("17")
    check.locator("input[name=rejected]").fill("3")
    check.locator("input[name=defect_reason]").fill("线头未剪净")
    with lead.expect_navigation():
        lead.get_by_test_id("check").click()
    after = month(lead)
    assert after[0] == before[0] + 17, (before, after)
    assert abs(after[1] - before[1] - 17 * rate) <= Decimal("0.02"), (before, after, rate)
    visit(lead, order_url, "jobs-order")
    assert horizontal_overflow(lead) == 0


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_jobs_pages_fit_the_screen(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport, user="wenchang_admin")
    for path, name in (
        ("/jobs/", "jobs-home"),
        ("/jobs/firms/", "jobs-firms"),
        ("/jobs/teams/", "jobs-teams"),
        ("/jobs/workers/", "jobs-workers"),
        ("/jobs/workers/outreach/", "jobs-outreach"),
        ("/jobs/statements/", "jobs-statements"),
        ("/jobs/stats/", "jobs-stats"),
    ):
        visit(page, path, name)
        assert horizontal_overflow(page) == 0, path
    visit(page, "/jobs/statements/", "jobs-statements")
    with page.expect_navigation():
        page.locator("table").last.locator("tbody tr a").first.click()
    page.wait_for_load_state("load")
    shot(page, "jobs-statement")
    assert horizontal_overflow(page) == 0
    resident = new_page(viewport, user="resident")
    visit(resident, "/jobs/me/", "jobs-me")
    expect(resident.get_by_test_id("my-pieces")).to_be_visible()
    assert horizontal_overflow(resident) == 0
