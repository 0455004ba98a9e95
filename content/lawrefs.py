"""Reading citations as people write them: "《中华人民共和国行政处罚法》第三十三条", "行政处罚法第33条第二款",
"《城市市容和环境卫生管理条例》第十四条", and the shorthand officers type: "处罚法33条" (a short title without
《》, Arabic numerals, 条 without 第). Pure functions; content.selectors resolves them to Article rows."""

from __future__ import annotations

import re

from org.text import normalize_text

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_SEPARATORS = ",,、;;和及"
# "第" is optional ("处罚法33条"); the law name is anything up to the number that is not a bracket, "第" or a digit.
_REF = re.compile(r"《?(?P<law>[^《》第0-9]+?)》?\s*第?\s*(?P<number>[0-9零〇一二两三四五六七八九十百千]+)\s*条")


def chinese_number(text: str) -> int | None:
    """'三十三' → 33, '一百零八' → 108, '十四' → 14, '33' → 33; None when it is not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            return None
    total += digit or 0
    return total or None


def parse_article_refs(text: str) -> list[tuple[str, int]]:
    """Every (law name without 《》, article number) cited in `text`, in order. An article listed after another
    ("《条例》第十四条、第三十六条") belongs to the law named before it."""
    refs: list[tuple[str, int]] = []
    for match in _REF.finditer(normalize_text(text)):
        number = chinese_number(match.group("number"))
        name = match.group("law").strip().strip(_SEPARATORS)
        if not name and refs:
            name = refs[-1][0]
        if number and name:
            refs.append((name, number))
    return refs
