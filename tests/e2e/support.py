"""Helpers for the browser tests: constants, signing in, visiting, screenshots, measuring, and
the accessibility check (axe-core) that `visit` runs on every page it opens."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Response
from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
SCREENSHOTS = RESULTS / "screenshots"
SERVER_LOG = RESULTS / "e2e-server.log"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS: dict[str, dict[str, Any]] = {
    # A grid worker's phone (iPhone 12-14 size) and an office screen.
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1366, "height": 768}},
}
MASKED_PHONE = re.compile(r"^1\d{2}\*{4}\d{4}$")
FULL_PHONE = re.compile(r"^1\d{10}$")

# `new_page(viewport="desktop", user=None) -> Page`, see conftest.py.
NewPage = Callable[..., Page]


def login(page: Page, username: str, password: str) -> None:
    """Sign in through the login form and wait for the next page."""
    page.goto("/accounts/login/")
    form = page.locator("form[action$='/accounts/login/']")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def shot(page: Page, name: str) -> Path:
    """A full-page screenshot, named for the page and the viewport."""
    viewport = getattr(page, "linli_viewport", "page")
    path = SCREENSHOTS / f"{name}-{viewport}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


# axe-core from the npm registry (package.json; `make assets` installs it). Every page `visit`
# opens is checked against WCAG 2.1 A/AA; a serious or critical violation fails the test.
# LINLI_E2E_AXE=0 turns the check off (to look at a page while fixing it).
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = ("serious", "critical")
AXE_LOG = RESULTS / "axe.jsonl"
_AXE_RUN = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""


@cache
def _axe_source() -> str:
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `make assets` (npm ci)"
    return AXE_JS.read_text()


def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """The page's WCAG 2.1 A/AA violations as axe-core reports them (all impacts). Injected
    through the DevTools protocol, which the page's Content-Security-Policy does not govern."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return list(page.evaluate(_AXE_RUN, AXE_TAGS))


# Known findings still to be fixed, each with its page and axe rule (listed in the hand-over
# note; never add one without saying so there). The day-care board's first class card is
# reported as low contrast although its text is the body colour on a white card (seen in the
# screenshots); the cause was not found before the stop.
AXE_KNOWN: frozenset[tuple[str, str]] = frozenset()


def assert_accessible(page: Page, name: str) -> None:
    if os.environ.get("LINLI_E2E_AXE", "1") == "0":
        return
    found = accessibility_violations(page)
    viewport = getattr(page, "linli_viewport", "page")
    AXE_LOG.parent.mkdir(parents=True, exist_ok=True)
    with AXE_LOG.open("a") as log:
        log.write(
            json.dumps(
                {"page": name, "viewport": viewport, "url": page.url, "violations": found},
                ensure_ascii=False,
            )
            + "\n"
        )
    failing = [
        v for v in found if v["impact"] in AXE_FAILING_IMPACTS and (name, v["id"]) not in AXE_KNOWN
    ]
    assert not failing, f"accessibility (axe-core) on {page.url} ({viewport}): " + "; ".join(
        f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in failing
    )


def visit(page: Page, path: str, name: str, status: int = 200) -> Response:
    """Open `path`, check the status, that every static file loaded and no script failed, take
    a screenshot, and check the page's accessibility (axe-core: no serious or critical
    violation of WCAG 2.1 A/AA)."""
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}, not {status}"
    page.wait_for_load_state("load")
    errors = getattr(page, "js_errors", [])
    assert not errors, f"JavaScript errors on {path}: {errors}"
    failed = getattr(page, "failed_assets", [])
    assert not failed, f"static files missing on {path}: {failed}"
    shot(page, name)
    assert_accessible(page, name)
    return response


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen (0 when nothing scrolls sideways).
    Compared with the configured width too: a mobile browser widens its layout viewport to fit
    content that overflows, which would hide the overflow from `innerWidth`."""
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    width = page.viewport_size["width"] if page.viewport_size else int(inner_width)
    return max(0, int(scroll_width) - min(int(inner_width), width))


def digits(text: str) -> int:
    """A figure as shown (12618, 12,618, 12 618) as an int."""
    cleaned = re.sub(r"[\s,，\u00a0\u202f']", "", text)
    assert cleaned.isdigit(), f"not a whole number: {text!r}"
    return int(cleaned)


def initials(name: str) -> str:
    """Pinyin initials as a grid worker types them: 张晓 → zx."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
