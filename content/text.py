"""Chinese text helpers for search: jieba segmentation shared by the index side and the query side."""

from __future__ import annotations

import html
import logging
import re
import threading
import unicodedata

import jieba

from org.text import normalize_text

jieba.setLogLevel(logging.WARNING)

# Terms of the trade that jieba's general dictionary splits badly or not at all.
DOMAIN_WORDS = (
    "占道经营", "店外经营", "违法建设", "违章搭建", "户外广告", "垃圾分类", "毁绿", "燃气安全", "瓶装燃气",
    "扬尘", "餐饮油烟", "油烟净化", "噪声", "文明养犬", "渣土运输", "建筑垃圾", "非现场执法", "裁量基准",
    "行政处罚", "行政处罚法", "责令改正", "责令限期", "市容环境卫生", "城市管理", "综合执法", "执法全过程记录",
    "首违不罚", "轻微违法", "听证", "陈述申辩", "没收违法所得", "罚款", "案卷评查", "门前三包",
)

_ready = threading.Lock()
_initialised = False
_TAG_RE = re.compile(r"<[^>]+>")
# Anything that is not a letter, a digit or a CJK ideograph separates words (punctuation, full-width marks, symbols).
_NON_WORD_RE = re.compile(r"[^\w]+", re.UNICODE)


def _init() -> None:
    global _initialised
    if _initialised:
        return
    with _ready:
        if not _initialised:
            for word in DOMAIN_WORDS:
                jieba.add_word(word, freq=20000)
            _initialised = True


def plain_text(value: str) -> str:
    """Rich-text HTML to plain text."""
    return html.unescape(_TAG_RE.sub(" ", value or ""))


def _clean(text: str) -> str:
    text = normalize_text(unicodedata.normalize("NFKC", text or "")).lower()
    return _NON_WORD_RE.sub(" ", text.replace("_", " ")).strip()


def segment_tokens(text: str) -> list[str]:
    """Search-mode segmentation (words and their sub-words), punctuation dropped, order kept, no duplicates."""
    _init()
    seen: dict[str, None] = {}
    for chunk in _clean(text).split():
        for token in jieba.cut_for_search(chunk):
            token = token.strip()
            if token:
                seen.setdefault(token, None)
    return list(seen)


def segment_for_index(*parts: str | None) -> str:
    """The text stored in the search index: every part segmented, tokens separated by spaces."""
    return " ".join(segment_tokens(" ".join(p for p in parts if p)))


def segment_query(query: str) -> str:
    """The query as the index sees it. Only the words of the full cut are required: `cut_for_search` sub-words
    of a query word are implied by the word itself, which the index holds (it was cut the same way)."""
    _init()
    tokens: dict[str, None] = {}
    for chunk in _clean(query).split():
        for token in jieba.cut(chunk):
            token = token.strip()
            if token:
                tokens.setdefault(token, None)
    return " ".join(tokens)
