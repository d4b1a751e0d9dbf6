"""Masking a resident's own words before anyone outside the desk reads them (the public board,
Open311 without a key): names the registry knows, phone and ID numbers written in any
numerals (一三八…, 幺, １３８…, 138-1234-5678), room codes (3栋2单元401室, 12-2-301,
三栋二单元) and e-mail addresses. What the problem is stays readable.

A description is published only when the resident chose it (`ServiceRequest.description_
public`); this is the second line of defence, not the first.
"""

from __future__ import annotations

import re
from collections.abc import Collection

MASK = "**"

# Digits as residents write them: Arabic, full-width, Chinese (幺 and 两 as said on the phone).
_DIGIT = "0-9０-９〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖"
# Numbers in a room code may also be written with 十 / 百 (十二栋).
_NUMBER = f"[{_DIGIT}十百拾佰]+"
_SEP = r"[\s\-－—–_.·]?"

# Seven or more digits in a row, however separated: phone numbers, ID numbers, card numbers.
_LONG_NUMBER = re.compile(f"(?:[{_DIGIT}]{_SEP}){{6,}}[{_DIGIT}xX]")
# Five or more Arabic digits (partial phones, house numbers with a street, IDs cut short).
_DIGIT_RUN = re.compile(r"[0-9０-９][0-9０-９\s\-－—]{3,}[0-9０-９]")
_ROOM = re.compile(
    "|".join(
        (
            # 3栋2单元401室, 三栋二单元, 12号楼3单元, 5幢
            rf"{_NUMBER}\s*(?:栋|幢|号楼|座|楼栋)(?:\s*{_NUMBER}\s*单元)?(?:\s*{_NUMBER}\s*(?:室|号|户)?)?",
            # 2单元401, 二单元
            rf"{_NUMBER}\s*单元(?:\s*{_NUMBER}\s*(?:室|号|户)?)?",
            # 12-2-301, 12－2－301, 12#2-301
            r"[0-9０-９]+\s*[-－—#]\s*[0-9０-９]+\s*[-－—#]\s*[0-9０-９]+(?:\s*室)?",
            # 301室, 1201号房, 三零一室 (not 两室一厅)
            r"(?:[0-9０-９]{3,4}|[〇零一二三四五六七八九幺两]{3,4})\s*(?:室|号房)",
        )
    )
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A surname and a form of address (王阿姨, 李大爷): the surname goes.
_ADDRESSED = re.compile(
    r"[\u4e00-\u9fff](?=阿姨|大爷|大妈|奶奶|爷爷|师傅|老师|先生|女士|叔叔|婶婶|婆婆|大姐|大哥)"
)

_NAME_LENGTHS = (4, 3, 2)


def _mask_names(text: str, names: Collection[str]) -> str:
    """Replace every registry name in `text` (longest first at each position)."""
    if not names:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        for length in _NAME_LENGTHS:
            if text[i : i + length] in names:
                out.append(MASK)
                i += length
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def anonymise(text: str, *, names: Collection[str] = (), limit: int | None = 80) -> str:
    """`text` fit for the public: registry names, numbers and room codes masked, whitespace
    collapsed, cut to `limit` characters (None: not cut)."""
    masked = _mask_names(text or "", {n for n in names if len(n) >= 2})
    masked = _ADDRESSED.sub("*", masked)
    masked = _EMAIL.sub(MASK, masked)
    masked = _ROOM.sub(MASK, masked)
    masked = _LONG_NUMBER.sub(MASK, masked)
    masked = _DIGIT_RUN.sub(MASK, masked)
    masked = " ".join(masked.split())
    if limit is None or len(masked) <= limit:
        return masked
    return masked[: limit - 1] + "…"
