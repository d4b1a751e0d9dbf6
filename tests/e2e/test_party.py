"""The Party organisation in a real browser: the organiser browses the tree, links a
household to a central household and sees the coverage change; the warm service cards of a
building print one A6 page per household."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import SCREENSHOTS, NewPage, digits, horizontal_overflow, shot, visit

pytestmark = pytest.mark.e2e


def _first_href(page, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    assert href, selector
    return href


def first_number(text: str) -> int:
    """The count in a label such as "31 households linked" / "联系 31 户"."""
    found = re.search(r"\d[\d,]*", text)
    assert found, f"no number in {text!r}"
    return digits(found.group())


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_organiser_browses_the_party_pages(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport, user="party")
    visit(page, "/party/", "party-tree")
    expect(page.get_by_test_id("grid-branch")).to_have_count(11)
    expect(page.get_by_test_id("themed-branch")).to_have_count(4)
    assert digits(page.get_by_test_id("fig-members").inner_text()) == 417
    assert digits(page.get_by_test_id("fig-centrals").inner_text()) == 30
    assert horizontal_overflow(page) == 0
    visit(page, _first_href(page, "[data-testid=grid-branch] a.fw-bold"), "party-organisation")
    assert horizontal_overflow(page) == 0
    activity = _first_href(page, "a[href^='/party/activities/'][href$='/']")
    visit(page, _first_href(page, "a[href^='/party/members/']"), "party-member")
    assert horizontal_overflow(page) == 0
    visit(page, "/party/members/", "party-members")
    visit(page, "/party/central/", "party-centrals")
    expect(page.get_by_test_id("central-row")).to_have_count(30)
    visit(page, _first_href(page, "[data-testid=central-row] a"), "party-central")
    assert horizontal_overflow(page) == 0
    visit(page, "/party/coverage/", "party-coverage")
    assert horizontal_overflow(page) == 0
    visit(page, "/party/cards/", "party-cards")
    visit(page, activity, "party-activity")


def test_the_organiser_links_a_household_and_the_coverage_changes(new_page: NewPage) -> None:
    page = new_page("phone", user="party")
    visit(page, "/party/coverage/", "party-coverage-before")
    before = digits(page.get_by_test_id("cov-households-unlinked").inner_text())
    visit(page, "/party/central/", "party-centrals-link")
    page.locator("[data-testid=central-row] a").first.click()
    page.wait_for_url(re.compile(r"/party/central/[0-9a-f-]+/$"))
    linked_before = first_number(page.get_by_test_id("household-count").inner_text())
    suggestion = page.get_by_test_id("suggested-households").locator("li").first
    address = suggestion.locator("span").first.inner_text().split()[0]
    with page.expect_navigation():
        suggestion.get_by_test_id("link-household").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("linked-households")).to_contain_text(address)
    shot(page, "party-central-after-link")
    linked_after = first_number(page.get_by_test_id("household-count").inner_text())
    assert linked_after == linked_before + 1
    visit(page, "/party/coverage/", "party-coverage-after")
    after = digits(page.get_by_test_id("cov-households-unlinked").inner_text())
    assert after == before - 1


def test_a_buildings_cards_print_one_a6_page_per_household(new_page: NewPage) -> None:
    page = new_page("desktop", user="party")
    visit(page, "/party/cards/", "party-cards-form")
    page.locator("#grid").select_option(index=1)
    page.wait_for_url(re.compile(r"grid=\d+"))
    shot(page, "party-cards-grid-chosen")
    building = page.locator("a[href*='/party/cards/print/?'][href*='building=']").first
    with page.expect_navigation():
        building.click()
    cards = page.get_by_test_id("service-card")
    count = cards.count()
    assert count > 5
    assert digits(page.get_by_test_id("card-count").inner_text()) == count
    payload = cards.first.get_attribute("data-qr-payload") or ""
    household = cards.first.get_attribute("data-household")
    assert payload.endswith(f"/hotline/portal/new/?household={household}")
    expect(cards.first.locator("svg")).to_be_visible()
    shot(page, "party-cards-screen")
    page.emulate_media(media="print")
    shot(page, "party-cards-print-media")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (SCREENSHOTS / "party-cards.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == count


def test_a_grid_worker_sees_her_grids_branch_and_prints_her_grid(new_page: NewPage) -> None:
    page = new_page("phone", user="grid1")
    visit(page, "/party/", "party-tree-grid1")
    expect(page.get_by_test_id("grid-branch")).to_have_count(1)
    expect(page.get_by_test_id("themed-branch")).to_have_count(0)
    visit(page, "/party/cards/", "party-cards-grid1")
    assert horizontal_overflow(page) == 0
