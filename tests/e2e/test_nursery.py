"""The day-care on a phone (390×844): a carer records a child's morning check, attaches a
photo to a person on the pickup list (and sees the face above the pickup form), refuses a
person who is not on the pickup list (the refusal is logged on the child's record), and hands
the child to a person from the list. The day-care's pages are visited at phone and desktop size
without sideways scrolling."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.support import NewPage, horizontal_overflow, visit

pytestmark = pytest.mark.e2e


def test_a_carer_checks_a_child_in_refuses_a_stranger_and_hands_over_to_a_listed_person(
    new_page: NewPage,
) -> None:
    carer = new_page("phone", user="nursery")
    visit(carer, "/nursery/", "nursery-home")
    expect(carer.get_by_test_id("ratio").first).to_be_visible()
    carer.locator("[data-testid^=class-] .card-title a").first.click()
    carer.wait_for_load_state("load")
    row = carer.locator("[data-testid=child-row][data-state=new]").first
    expect(row).to_be_visible()
    with carer.expect_navigation():
        row.locator("a").first.click()
    child_url = carer.url
    expect(carer.get_by_test_id("today")).to_contain_text(re.compile("尚未入园|Not checked in"))

    morning = carer.get_by_test_id("form-morning")
    morning.locator("input[name=temperature]").fill("36.5")
    morning.locator("select[name=mood]").select_option("good")
    with carer.expect_navigation():
        carer.get_by_test_id("submit-morning").click()
    expect(carer.get_by_test_id("morning")).to_contain_text("36.5")

    # A photo for the first person on the list: the carer sees the face when confirming.
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (70, 110, 160)).save(buffer, format="PNG")
    photo = carer.get_by_test_id("form-photo")
    photo.locator("select[name=person_id]").select_option(index=0)
    photo.locator("input[name=photo]").set_input_files(
        {"name": "face.png", "mimeType": "image/png", "buffer": buffer.getvalue()}
    )
    with carer.expect_navigation():
        carer.get_by_test_id("submit-photo").click()
    face = carer.get_by_test_id("pickup-faces").locator("img").first
    expect(face).to_be_visible()
    assert face.evaluate("img => img.complete && img.naturalWidth") == 120

    pickup = carer.get_by_test_id("form-pickup")
    pickup.locator("select[name=person]").select_option("other")
    pickup.locator("input[name=name]").fill("陌生人测试")
    pickup.locator("input[name=relation]").fill("自称舅舅")
    with carer.expect_navigation():
        carer.get_by_test_id("submit-pickup").click()
    expect(carer.get_by_test_id("form-pickup")).to_contain_text(
        re.compile("不在接送名单|not on the pickup list")
    )
    expect(carer.get_by_test_id("refusals")).to_contain_text("陌生人测试")
    expect(carer.get_by_test_id("pickup")).to_contain_text("–")

    pickup = carer.get_by_test_id("form-pickup")
    listed = pickup.locator("select[name=person] option").first
    who = listed.inner_text().split("（")[0]
    pickup.locator("select[name=person]").select_option(index=0)
    with carer.expect_navigation():
        carer.get_by_test_id("submit-pickup").click()
    expect(carer.get_by_test_id("pickup")).to_contain_text(who)
    visit(carer, child_url, "nursery-child")
    assert horizontal_overflow(carer) == 0


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_day_care_pages_fit_the_screen(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport, user="nursery")
    for path, name in (
        ("/nursery/", "nursery-home"),
        ("/nursery/children/", "nursery-children"),
        ("/nursery/children/enrol/", "nursery-enrol-pick"),
    ):
        visit(page, path, name)
        assert horizontal_overflow(page) == 0, path
    visit(page, "/nursery/", "nursery-home")
    page.locator("[data-testid^=class-] .card-title a").first.click()
    page.wait_for_load_state("load")
    assert horizontal_overflow(page) == 0
