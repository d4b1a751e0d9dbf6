"""Pinyin forms of Chinese names for search ("zx" finds 张晓)."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def pinyin_forms(name: str) -> tuple[str, str]:
    """Return (full pinyin without spaces, initials), both lower-case ASCII."""
    syllables = lazy_pinyin(name.strip(), style=Style.NORMAL, errors="ignore")
    syllables = [s.lower() for s in syllables if s.isascii()]
    return "".join(syllables)[:200], "".join(s[0] for s in syllables if s)[:50]
