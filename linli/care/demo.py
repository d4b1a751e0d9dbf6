"""The elderly-care part of the Wenchang Garden demo (filled in below)."""

from __future__ import annotations

from linli.core.demo_hooks import DemoContext


def build_demo(ctx: DemoContext) -> dict[str, int]:
    return {}
