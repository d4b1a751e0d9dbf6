"""Deliberation in a real browser at phone size (390×844): a community admin opens a staircase
stuck at consent, records the missing written consents and watches the thresholds turn green,
settles the ground-floor objections with a compensation agreement, records consent reached and
publishes the public notice, logs a written objection and replies to it; the resident sees his
share of his staircase's elevator. Screenshots in test-results/screenshots/."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.support import NewPage, horizontal_overflow, visit

pytestmark = pytest.mark.e2e


def test_a_staircase_reaches_consent_and_its_notice_takes_an_objection(new_page: NewPage) -> None:
    admin = new_page("phone", user="wenchang_admin")
    visit(admin, "/deliberation/elevators/", "deliberation-board")
    assert horizontal_overflow(admin) == 0
    stuck = admin.get_by_test_id("stuck")
    expect(stuck.first).to_be_visible()
    with admin.expect_navigation():
        stuck.first.click()
    path = urlsplit(admin.url).path
    visit(admin, path, "deliberation-project-stuck")
    expect(admin.get_by_test_id("tally-open")).to_be_visible()
    # Record the missing consents one by one, as the paper forms come back.
    for _ in range(40):
        pending = admin.locator("[data-testid=consent-row]:not([data-choice=agree])")
        if pending.count() == 0:
            break
        with admin.expect_navigation():
            pending.first.get_by_test_id("consent-agree").click()
    expect(admin.get_by_test_id("tally-passed")).to_be_visible()
    bars = admin.get_by_test_id("bar")
    for i in range(bars.count()):
        assert bars.nth(i).get_attribute("data-ok") == "1"
    visit(admin, path, "deliberation-project-green")
    # Settle the owners' objections with a compensation agreement.
    while admin.get_by_test_id("settle").count():
        admin.get_by_test_id("settlement").first.fill("高层住户共同补偿，井道改用玻璃幕墙")
        admin.get_by_test_id("compensation").first.fill("30000")
        admin.get_by_test_id("agreement").first.fill("补偿协议-e2e")
        with admin.expect_navigation():
            admin.get_by_test_id("settle").first.click()
    with admin.expect_navigation():
        admin.get_by_test_id("stage-reach_consent").click()
    expect(admin.locator("[data-testid=stage][data-stage=consent]")).to_be_visible()
    with admin.expect_navigation():
        admin.get_by_test_id("stage-post_notice").click()
    with admin.expect_navigation():
        admin.get_by_test_id("notice-link").click()
    expect(admin.locator("[data-testid=notice-status][data-status=published]")).to_be_visible()
    visit(admin, urlsplit(admin.url).path, "deliberation-notice")
    admin.fill("#id_objector", "王先生")
    admin.fill("#id_about", "施工时间安排在午休时段")
    with admin.expect_navigation():
        admin.get_by_test_id("object-submit").click()
    objection = admin.get_by_test_id("objection").filter(has_text="午休")
    expect(objection).to_be_visible()
    objection.get_by_test_id("reply-text").fill("施工避开12:00-14:00")
    with admin.expect_navigation():
        objection.get_by_test_id("reply-submit").click()
    expect(
        admin.get_by_test_id("objection").filter(has_text="午休").get_by_test_id("reply")
    ).to_contain_text("12:00")
    assert horizontal_overflow(admin) == 0


def test_the_resident_sees_his_cost_share_and_the_open_vote(new_page: NewPage) -> None:
    me = new_page("phone", user="resident")
    visit(me, "/deliberation/my/", "deliberation-portal")
    assert horizontal_overflow(me) == 0
    expect(me.get_by_test_id("my-share").first).to_contain_text("¥")
    expect(me.get_by_test_id("my-vote-row").first).to_be_visible()
    desk = new_page("desktop", user="wenchang_admin")
    visit(desk, "/deliberation/elevators/", "deliberation-board")
    visit(desk, "/deliberation/", "deliberation-home")
