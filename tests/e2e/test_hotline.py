"""Community 110 in a real browser: the resident files on the portal at phone size, his grid
worker accepts, checks in and resolves, the resident rates 2 so it reopens and escalates,
it is resolved again and rated 5 and closes; the rates page shows the change. Every desk
page is visited at phone and desktop size without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import NewPage, horizontal_overflow, shot, visit

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def resident_login() -> str:
    """The demo resident signs in with his phone number, planned from the demo's seed."""
    from linli.core.dates import local_today
    from linli.demo.accounts import staff_usernames
    from linli.demo.builder import DEFAULT_SEED
    from linli.demo.population import plan_demo

    plan = plan_demo(seed=DEFAULT_SEED, today=local_today(), staff_usernames=staff_usernames())
    return str(plan.resident_household.head.phone)


def satisfaction_counts(page: Page) -> tuple[int, int]:
    visit(page, "/hotline/rates/?grid=", "hotline-rates-check")
    satisfied, rated = page.get_by_test_id("satisfaction-counts").inner_text().split("/")
    return int(satisfied.strip()), int(rated.strip())


def rate(page: Page, url: str, stars: int, solved: bool) -> None:
    visit(page, url, f"hotline-portal-rate-{stars}")
    form = page.get_by_test_id("rate-form")
    form.locator("label[for=solved-yes]" if solved else "label[for=solved-no]").click()
    form.get_by_test_id(f"star-{stars}").click()
    with page.expect_navigation():
        form.get_by_test_id("rate").click()


def work(page: Page, url: str, note: str, *, accept: bool) -> None:
    visit(page, url, "hotline-request-work")
    if accept:
        with page.expect_navigation():
            page.get_by_test_id("accept").click()
    with page.expect_navigation():
        page.get_by_test_id("check-in").click()
    page.get_by_test_id("resolve-note").fill(note)
    with page.expect_navigation():
        page.get_by_test_id("resolve").click()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "resolved")


def test_the_whole_lifecycle_in_the_browser(new_page: NewPage, resident_login: str) -> None:
    admin = new_page("desktop", user="wenchang_admin")
    before = satisfaction_counts(admin)

    resident = new_page("phone", user=resident_login)
    visit(resident, "/hotline/portal/", "hotline-portal")
    resident.get_by_test_id("portal-new").click()
    resident.wait_for_url(re.compile(r"/hotline/portal/new/"))
    shot(resident, "hotline-portal-new")
    resident.get_by_test_id("category").select_option("water")
    resident.locator("label[for='q-water-extent-1']").click()
    resident.get_by_test_id("description").fill("卫生间水管一直在滴水")
    with resident.expect_navigation():
        resident.get_by_test_id("submit").click()
    assert re.search(r"/hotline/r/[0-9a-f-]+/$", resident.url), resident.url
    url = resident.url.split(resident.url.split("/hotline/")[0])[1]
    expect(resident.get_by_test_id("description")).to_contain_text("卫生间水管一直在滴水")
    assert horizontal_overflow(resident) == 0
    shot(resident, "hotline-portal-detail")

    worker = new_page("phone", user="grid1")
    work(worker, url, "更换了水龙头阀芯", accept=True)

    rate(resident, url, 2, solved=False)
    expect(resident.get_by_test_id("status")).to_have_attribute("data-status", "accepted")
    expect(resident.get_by_test_id("escalated")).to_be_visible()
    shot(resident, "hotline-portal-reopened")

    visit(worker, url, "hotline-request-escalated")
    expect(worker.get_by_test_id("escalated-to")).to_be_visible()
    work(worker, url, "更换了整段水管", accept=False)

    rate(resident, url, 5, solved=True)
    expect(resident.get_by_test_id("status")).to_have_attribute("data-status", "closed")
    shot(resident, "hotline-portal-closed")

    after = satisfaction_counts(admin)
    assert after == (before[0] + 1, before[1] + 1), (before, after)


def test_a_worker_takes_a_call_by_the_callers_phone(new_page: NewPage, resident_login: str) -> None:
    page = new_page("phone", user="grid1")
    visit(page, "/hotline/new/", "hotline-intake")
    page.get_by_test_id("lookup").fill(resident_login)
    page.get_by_test_id("lookup-household").first.click()
    page.wait_for_url(re.compile(r"/hotline/new/\?household="))
    shot(page, "hotline-intake-household")
    expect(page.locator("#reporter_phone")).to_have_value(resident_login)
    page.get_by_test_id("category").select_option("noise")
    page.get_by_test_id("description").fill("楼上晚上装修")
    with page.expect_navigation():
        page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_be_visible()
    assert resident_login not in page.content()


PAGES = {
    "hotline-list": ("wenchang_admin", "/hotline/"),
    "hotline-list-overdue": ("wenchang_admin", "/hotline/?status=&overdue=1"),
    "hotline-rates": ("wenchang_admin", "/hotline/rates/"),
    "hotline-settings": ("wenchang_admin", "/hotline/settings/"),
    "hotline-intake": ("grid1", "/hotline/new/"),
    "hotline-grid1-list": ("grid1", "/hotline/"),
    "hotline-viewer-rates": ("viewer", "/hotline/rates/"),
    "hotline-board": (None, "/hotline/board/wenchang/"),
}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_desk_page_fits_the_screen(new_page: NewPage, viewport: str) -> None:
    for name, (user, path) in PAGES.items():
        page = new_page(viewport, user=user)
        visit(page, path, name)
        assert horizontal_overflow(page) == 0, f"{name} scrolls sideways"
        if name == "hotline-list":
            href = page.get_by_test_id("request-row").first.get_attribute("href")
            assert href
            visit(page, href, "hotline-request")
            assert horizontal_overflow(page) == 0, "the request page scrolls sideways"
        if name == "hotline-settings":
            href = page.locator("a[href*='/hotline/settings/categories/']").first.get_attribute(
                "href"
            )
            assert href
            visit(page, href, "hotline-category")
        if name == "hotline-rates":
            expect(page.locator("#chart-grid canvas")).to_have_count(1)
            expect(page.locator("#chart-month canvas")).to_have_count(1)
