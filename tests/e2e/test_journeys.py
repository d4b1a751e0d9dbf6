"""The demo's main journeys in a real browser, on a phone and on an office screen."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import (
    FULL_PHONE,
    MASKED_PHONE,
    NewPage,
    digits,
    horizontal_overflow,
    login,
    shot,
    visit,
)

pytestmark = pytest.mark.e2e

WENCHANG = "文昌花园社区"
# How the audit trail may name the phone field: its code, or its label in either language.
PHONE_FIELD_LABELS = {"phone", "Phone", "电话", "手机", "手机号", "手机号码", "联系电话"}


def resident_url(public_id: str) -> str:
    return f"/registry/residents/{public_id}/"


def reveal_phone(page: Page, reason: str) -> str:
    """On a resident's profile: click reveal, give the reason, return the value shown."""
    page.get_by_test_id("reveal-phone").click()
    form = page.get_by_test_id("reveal-form")
    expect(form).to_be_visible()
    form.locator("input[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()
    revealed = page.get_by_test_id("revealed-value")
    expect(revealed).to_be_visible()
    return revealed.inner_text().strip()


def test_the_demo_server_serves_the_front_end_assets(new_page: NewPage) -> None:
    page = new_page("desktop")
    for asset in (
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/tabler/tabler.min.css",
        "/static/linli/linli.css",
    ):
        response = page.request.get(asset)
        assert response.status == 200, f"{asset} answered {response.status}"


def test_a_grid_worker_finds_a_resident_by_pinyin_initials_and_reveals_the_phone(
    new_page: NewPage, grid1_resident: dict[str, Any]
) -> None:
    resident = grid1_resident
    page = new_page("phone", user="grid1")
    visit(page, "/", "grid1-home")

    visit(page, "/registry/residents/", "grid1-residents")
    page.locator("#q").fill(resident["initials"])
    page.locator("#q").press("Enter")
    link = f"a[href='{resident_url(resident['public_id'])}']"
    row = page.locator("#results tr", has=page.locator(link))
    expect(row).to_be_visible()
    expect(row).to_contain_text(resident["name"])
    expect(row.locator(".masked")).to_have_text(resident["phone"])
    shot(page, "grid1-search-by-initials")

    row.locator("a[href^='/registry/households/']").click()
    page.wait_for_url(re.compile(r"/registry/households/[0-9a-f-]+/$"))
    expect(page.get_by_test_id("household-address")).to_be_visible()
    shot(page, "grid1-household")

    page.locator(link).first.click()
    page.wait_for_url(re.compile(resident_url(resident["public_id"]) + "$"))
    expect(page.get_by_test_id("resident-name")).to_contain_text(resident["name"])
    masked = page.get_by_test_id("phone").inner_text().strip()
    assert MASKED_PHONE.match(masked), f"the profile shows {masked!r}, not 138****5678"
    page_before_reveal = page.content()
    shot(page, "grid1-resident")

    reason = f"上门核实燃气报修 e2e-{secrets.token_hex(3)}"
    value = reveal_phone(page, reason)
    shot(page, "grid1-resident-revealed")
    assert FULL_PHONE.match(value), f"revealed {value!r}, not an 11-digit mobile number"
    assert (value[:3], value[-4:]) == (masked[:3], masked[-4:])
    assert value not in page_before_reveal, "the full phone was in the page before the reveal"
    assert not page.js_errors  # type: ignore[attr-defined]


def test_the_community_admin_sees_the_grid_workers_reveal_in_the_audit_trail(
    new_page: NewPage, grid1_resident: dict[str, Any]
) -> None:
    """The test makes its own reveal (a reason no other run uses), so it needs no other test
    to have run first."""
    worker = new_page("desktop", user="grid1")
    visit(worker, resident_url(grid1_resident["public_id"]), "grid1-resident")
    reason = f"入户走访核对 e2e-{secrets.token_hex(3)}"
    reveal_phone(worker, reason)
    who = (worker.get_by_test_id("whoami").text_content() or "").strip()

    page = new_page("desktop", user="wenchang_admin")
    visit(page, "/audit/", "admin-audit")
    row = page.get_by_test_id("audit-table").locator("tbody tr", has_text=reason)
    expect(row).to_have_count(1)
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert who in cells, f"{who!r} is not the actor in {cells}"
    assert PHONE_FIELD_LABELS & set(cells), f"the field phone is not in {cells}"
    assert reason in cells
    name = grid1_resident["name"]
    assert any(name in c for c in cells), f"{name} not in {cells}"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_journey_pages_fit_the_screen_without_sideways_scrolling(
    new_page: NewPage, grid1_resident: dict[str, Any], viewport: str
) -> None:
    page = new_page(viewport, user="wenchang_admin")
    pages = {
        "admin-home": "/",
        "admin-residents": "/registry/residents/",
        "admin-household": f"/registry/households/{grid1_resident['household_id']}/",
        "admin-resident": resident_url(grid1_resident["public_id"]),
        "admin-audit": "/audit/",
    }
    too_wide = {}
    for name, path in pages.items():
        visit(page, path, name)
        overflow = horizontal_overflow(page)
        if overflow > 1:
            too_wide[path] = overflow
    assert not too_wide, f"pages wider than the {viewport} screen (px too wide): {too_wide}"

    page.goto("/")
    menu_link = page.locator("#nav a[href='/registry/residents/']")
    toggler = page.locator(".navbar-toggler")
    if viewport == "phone":
        expect(toggler).to_be_visible()
        expect(menu_link).to_be_hidden()
        toggler.click()
        expect(menu_link).to_be_visible()
        shot(page, "admin-menu-open")
        assert horizontal_overflow(page) <= 1
    else:
        expect(toggler).to_be_hidden()
        page.get_by_test_id("navgroup-residents").click()  # the menu's groups are dropdowns
        expect(menu_link).to_be_visible()
    menu_link.click()
    page.wait_for_url(re.compile(r"/registry/residents/$"))


def test_the_community_admins_home_shows_the_wenchang_figures(new_page: NewPage) -> None:
    page = new_page("desktop", user="wenchang_admin")
    visit(page, "/", "admin-home")
    block = page.locator("section", has=page.get_by_role("heading", name=WENCHANG))
    expect(block).to_have_count(1)
    assert digits(block.get_by_test_id("figure-households").inner_text()) == 4219
    assert digits(block.get_by_test_id("figure-residents").inner_text()) == 12618
    assert digits(block.get_by_test_id("figure-grids").inner_text()) == 11


def test_a_grid_worker_of_grid_2_gets_not_found_for_a_grid_1_resident(
    new_page: NewPage, grid1_resident: dict[str, Any]
) -> None:
    page = new_page("phone", user="grid2")
    visit(page, resident_url(grid1_resident["public_id"]), "grid2-not-found", status=404)
    expect(page.locator(".empty-title")).to_be_visible()
    assert grid1_resident["name"] not in page.content()
    assert page.get_by_test_id("whoami").count() == 1, "the 404 page lost the signed-in header"


def test_pages_are_chinese_by_default_and_the_english_button_switches_to_english(
    new_page: NewPage,
) -> None:
    page = new_page("phone")
    visit(page, "/accounts/login/", "login-zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("button", name="中文")).to_be_visible()
    assert re.search(r"/accounts/login/$", page.url)
    shot(page, "login-en")

    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_five_wrong_passwords_lock_the_login_even_for_the_right_password(
    new_page: NewPage, demo_password: str
) -> None:
    page = new_page("phone")  # `volunteer` is signed in by no other test: it stays locked
    login(page, "volunteer", "not-the-password")
    wrong = page.locator(".alert-danger").inner_text().strip()
    assert wrong
    for _ in range(4):
        login(page, "volunteer", "not-the-password")
    login(page, "volunteer", demo_password)
    shot(page, "login-locked")
    assert re.search(r"/accounts/login/$", page.url), "the locked account was let in"
    expect(page.get_by_test_id("whoami")).to_have_count(0)
    locked = page.locator(".alert-danger").inner_text().strip()
    assert locked != wrong, f"after five failures the page still says {wrong!r}"
