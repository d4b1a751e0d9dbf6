"""Helpers for the browser tests: constants, signing in, visiting, screenshots, measuring."""

from __future__ import annotations

import re
from collections.abc import Callable
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


def visit(page: Page, path: str, name: str, status: int = 200) -> Response:
    """Open `path`, check the status, that every static file loaded and no script failed, and
    take a screenshot."""
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}, not {status}"
    page.wait_for_load_state("load")
    errors = getattr(page, "js_errors", [])
    assert not errors, f"JavaScript errors on {path}: {errors}"
    failed = getattr(page, "failed_assets", [])
    assert not failed, f"static files missing on {path}: {failed}"
    shot(page, name)
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
