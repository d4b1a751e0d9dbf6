"""The Chinese catalogue: one translation per message.

Engineers append entries side by side (git merges the catalogue as a union), so the same
English msgid can arrive twice with two translations; gettext then shows one of them at random
to the user. A word that means different things in two domains needs a context
(`pgettext_lazy("deliberation", "For")`, `{% translate "For" context "deliberation" %}`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polib
from django.conf import settings


def _catalogues() -> list[Path]:
    return [p for base in settings.LOCALE_PATHS for p in Path(base).glob("*/LC_MESSAGES/*.po")]


def test_the_chinese_catalogue_exists() -> None:
    assert any("zh_Hans" in str(p) for p in _catalogues())


def test_no_message_is_translated_twice() -> None:
    for path in _catalogues():
        seen = Counter((e.msgctxt, e.msgid) for e in polib.pofile(str(path)))
        twice = sorted(repr(msgid) for (_ctx, msgid), n in seen.items() if n > 1)
        assert not twice, f"{path}: translated more than once: {', '.join(twice[:20])}"
