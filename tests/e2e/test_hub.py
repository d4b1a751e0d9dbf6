"""The resident hub in a real browser at phone size, in normal and large type: the demo
resident asks for help from his hub, his grid worker resolves it, the resident finds "please
rate" in his hub and his messages, rates, and the badge clears. A notice for grid 1 reaches
him and not a grid-2 resident (whose account is activated here through the API). The menus at
both sizes. Every page visited is checked by axe-core (in `visit`)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Browser, Page, expect

from tests.e2e.support import NewPage, assert_accessible, shot, visit

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


def set_large_type(page: Page, on: bool) -> None:
    button = page.get_by_test_id("large-type")
    if (button.get_attribute("aria-pressed") == "true") != on:
        with page.expect_navigation():
            button.click()
    expect(page.get_by_test_id("large-type")).to_have_attribute(
        "aria-pressed", "true" if on else "false"
    )


def tile_badge(page: Page, key: str) -> int:
    badge = page.get_by_test_id(f"tile-{key}").get_by_test_id("tile-badge")
    return int(re.sub(r"\D", "", badge.inner_text())) if badge.count() else 0


def work(page: Page, url: str, note: str) -> None:
    visit(page, url, "hub-worker-request")
    with page.expect_navigation():
        page.get_by_test_id("accept").click()
    with page.expect_navigation():
        page.get_by_test_id("check-in").click()
    page.get_by_test_id("resolve-note").fill(note)
    with page.expect_navigation():
        page.get_by_test_id("resolve").click()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "resolved")


@pytest.mark.parametrize("mode", ["normal", "large"])
def test_the_resident_is_asked_to_rate_in_his_hub_and_inbox_and_the_badge_clears(
    new_page: NewPage, resident_login: str, mode: str
) -> None:
    resident = new_page("phone", user=resident_login)
    resident.goto("/")
    set_large_type(resident, mode == "large")
    try:
        visit(resident, "/", f"hub-home-{mode}")
        if mode == "large":
            size = resident.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 18, f"large type's base font is {size}px"
            tile_height = resident.get_by_test_id("tile-hotline.file").bounding_box()
            assert tile_height and tile_height["height"] >= 48
        expect(resident.get_by_test_id("bottom-bar")).to_be_visible()
        before = tile_badge(resident, "hotline.mine")

        resident.get_by_test_id("tile-hotline.file").click()
        resident.wait_for_url(re.compile(r"/hotline/portal/new/"))
        shot(resident, f"hub-file-{mode}")
        assert_accessible(resident, f"hub-file-{mode}")
        resident.get_by_test_id("category").select_option("water")
        resident.locator("label[for='q-water-extent-1']").click()
        resident.get_by_test_id("description").fill(f"厨房水龙头漏水（{mode}）")
        with resident.expect_navigation():
            resident.get_by_test_id("submit").click()
        match = re.search(r"(/hotline/r/[0-9a-f-]+/)$", resident.url)
        assert match, resident.url
        url = match.group(1)

        worker = new_page("phone", user="grid1")
        work(worker, url, "更换了阀芯")

        visit(resident, "/", f"hub-please-rate-{mode}")
        item = resident.locator(f"[data-kind='hotline.please_rate'][href='{url}']")
        expect(item).to_be_visible()
        assert tile_badge(resident, "hotline.mine") == before + 1
        expect(resident.get_by_test_id("unread-badge").first).to_be_visible()

        visit(resident, "/notify/", f"hub-inbox-{mode}")
        message = resident.locator("[data-testid=message][data-kind='hotline.please_rate']").first
        expect(message).to_have_attribute("data-unread", "1")
        with resident.expect_navigation():
            message.click()
        assert resident.url.endswith(url), resident.url

        form = resident.get_by_test_id("rate-form")
        form.locator("label[for=solved-yes]").click()
        form.get_by_test_id("star-5").click()
        shot(resident, f"hub-rate-{mode}")
        assert_accessible(resident, f"hub-rate-{mode}")
        with resident.expect_navigation():
            form.get_by_test_id("rate").click()
        expect(resident.get_by_test_id("status")).to_have_attribute("data-status", "closed")

        visit(resident, "/", f"hub-rated-{mode}")
        expect(resident.locator(f"[data-kind='hotline.please_rate'][href='{url}']")).to_have_count(
            0
        )
        assert tile_badge(resident, "hotline.mine") == before
        visit(resident, "/notify/", f"hub-inbox-read-{mode}")
        if resident.get_by_test_id("read-all").count():
            with resident.expect_navigation():
                resident.get_by_test_id("read-all").click()
        expect(resident.get_by_test_id("unread-badge")).to_have_count(0)
    finally:
        resident.goto("/")
        set_large_type(resident, False)


def _csrf(request: APIRequestContext, page: Page) -> dict[str, str]:
    page.goto("/accounts/login/")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return {"X-CSRFToken": token, "Referer": page.url}


def grid2_resident_page(browser: Browser, base_url: str, admin: Page) -> Page:
    """A grid-2 resident without an account gets one: the admin reveals his phone and issues
    an activation code (JSON API), he activates it in a fresh browser."""
    api = admin.context.request
    headers = _csrf(api, admin)
    grids = api.get("/api/registry/grids").json()
    grid2 = next(g for g in grids if g["number"] == 2)
    listing = api.get("/api/registry/residents", params={"grid": grid2["id"], "page_size": 50})
    assert listing.ok, listing.text()
    issued = None
    person: dict[str, Any] = {}
    # The first adult of grid 2 without an account yet (an earlier run may have made one).
    for person in (r for r in listing.json()["results"] if r["phone"] and r["age"] >= 18):
        issued = api.post(
            "/api/accounts/invitations",
            data={"resident_id": person["public_id"], "purpose": "activation", "reason": "e2e"},
            headers=headers,
        )
        if issued.ok:
            break
        assert issued.json()["code"] == "account_exists", issued.text()
    assert issued is not None and issued.ok, "no grid-2 resident without an account"
    revealed = api.post(
        f"/api/registry/residents/{person['public_id']}/reveal",
        data={"field": "phone", "reason": f"e2e hub {uuid.uuid4().hex[:6]}"},
        headers=headers,
    )
    assert revealed.ok, revealed.text()
    phone = revealed.json()["value"]
    context = browser.new_context(
        base_url=base_url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.linli_viewport = "phone"  # type: ignore[attr-defined]
    page.js_errors = []  # type: ignore[attr-defined]
    page.failed_assets = []  # type: ignore[attr-defined]
    activated = context.request.post(
        "/api/accounts/activate",
        data={"code": issued.json()["code"], "phone": phone, "password": "Grid2-Resident-2026!"},
        headers=_csrf(context.request, page),
    )
    assert activated.status == 201, activated.text()
    return page


def test_a_notice_for_grid_1_reaches_the_demo_resident_and_not_grid_2(
    new_page: NewPage, browser: Browser, demo_server: str, resident_login: str
) -> None:
    admin = new_page("desktop", user="wenchang_admin")
    grids = admin.context.request.get("/api/registry/grids").json()
    grid1 = next(g for g in grids if g["number"] == 1)
    title = f"停水通知 {uuid.uuid4().hex[:6]}"
    visit(admin, "/notify/notices/new/", "notice-new")
    admin.locator("#id_audience").select_option("grid")
    admin.locator("#id_grid_id").select_option(str(grid1["id"]))
    admin.locator("#id_title").fill(title)
    admin.locator("#id_body").fill("明天 9:00–12:00 一网格停水，请提前储水。")
    admin.locator("#id_pinned").check()
    with admin.expect_navigation():
        admin.get_by_test_id("publish").click()
    expect(admin.get_by_test_id("notice-heading")).to_contain_text(title)
    notice_url = admin.url
    shot(admin, "notice-published")
    read_before = admin.get_by_test_id("read-count").inner_text()

    resident = new_page("phone", user=resident_login)
    visit(resident, "/", "notice-hub")
    assert resident.get_by_test_id("tile-notify.notices").get_by_test_id("tile-badge").count()
    visit(resident, "/notify/notices/", "notice-list-resident")
    row = resident.get_by_test_id("notice-row").filter(has_text=title)
    expect(row).to_have_count(1)
    with resident.expect_navigation():
        row.click()
    expect(resident.get_by_test_id("notice-body")).to_contain_text("一网格停水")
    shot(resident, "notice-detail-resident")

    visit(admin, notice_url.split(demo_server)[1], "notice-detail-admin")
    assert admin.get_by_test_id("read-count").inner_text() != read_before

    other = grid2_resident_page(browser, demo_server, admin)
    try:
        visit(other, "/", "notice-hub-grid2")
        visit(other, "/notify/notices/", "notice-list-grid2")
        expect(other.get_by_test_id("notice-row").filter(has_text=title)).to_have_count(0)
        visit(other, notice_url.split(demo_server)[1], "notice-detail-grid2", status=404)
    finally:
        other.context.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_menus_by_role(new_page: NewPage, viewport: str) -> None:
    admin = new_page(viewport, user="wenchang_admin")
    visit(admin, "/", f"menu-admin-{viewport}")
    groups = admin.locator("#nav .nav-group")
    assert 1 <= groups.count() <= 7
    link = admin.locator("#nav a[href='/hotline/']")
    if viewport == "phone":
        admin.locator(".navbar-toggler").click()
        expect(link).to_be_visible()
        shot(admin, "menu-admin-open")
    else:
        expect(link).to_be_hidden()
        admin.get_by_test_id("navgroup-hotline").click()
        expect(link).to_be_visible()
        shot(admin, "menu-admin-dropdown")
        assert_accessible(admin, "menu-admin-dropdown")
        visit(admin, "/hub/search/?q=张", "search-short")
        expect(admin.get_by_test_id("search-too-short")).to_be_visible()
    worker = new_page(viewport, user="grid1")
    visit(worker, "/", f"menu-grid1-{viewport}")
    bar = worker.get_by_test_id("bottom-bar")
    if viewport == "phone":
        expect(bar).to_be_visible()
        assert 4 <= bar.locator("a").count() <= 5
    else:
        expect(bar).to_be_hidden()


@pytest.mark.parametrize("mode", ["normal", "large"])
def test_the_resident_mutes_a_kind_by_text_and_keeps_it_in_the_browser(
    new_page: NewPage, resident_login: str, mode: str
) -> None:
    resident = new_page("phone", user=resident_login)
    visit(resident, "/", f"prefs-hub-{mode}")
    set_large_type(resident, mode == "large")
    visit(resident, "/notify/preferences/", f"preferences-{mode}")
    table = resident.get_by_test_id("kind-table")
    expect(table).to_be_visible()
    row = table.locator("tr").filter(has_text="活动提醒")
    texts, browser_box = (
        row.locator("input[type=checkbox]").nth(0),
        row.locator("input[type=checkbox]").nth(1),
    )
    texts.set_checked(False)
    browser_box.set_checked(True)
    with resident.expect_navigation():
        resident.get_by_test_id("save-preferences").click()
    row = resident.get_by_test_id("kind-table").locator("tr").filter(has_text="活动提醒")
    expect(row.locator("input[type=checkbox]").nth(0)).not_to_be_checked()
    expect(row.locator("input[type=checkbox]").nth(1)).to_be_checked()
    shot(resident, f"preferences-saved-{mode}")
    inbox = resident.context.request.get("/api/notify/inbox").json()
    assert inbox["unread"] >= 0 and isinstance(inbox["items"], list)
    row.locator("input[type=checkbox]").nth(0).set_checked(True)
    with resident.expect_navigation():
        resident.get_by_test_id("save-preferences").click()
    set_large_type(resident, False)
