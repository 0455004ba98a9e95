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
    "占道经营",
    "店外经营",
    "违法建设",
    "违章搭建",
    "户外广告",
    "垃圾分类",
    "毁绿",
    "燃气安全",
    "瓶装燃气",
    "扬尘",
    "餐饮油烟",
    "油烟净化",
    "噪声",
    "文明养犬",
    "渣土运输",
    "建筑垃圾",
    "非现场执法",
    "裁量基准",
    "行政处罚",
    "行政处罚法",
    "责令改正",
    "责令限期",
    "市容环境卫生",
    "城市管理",
    "综合执法",
    "执法全过程记录",
    "首违不罚",
    "轻微违法",
    "听证",
    "陈述申辩",
    "没收违法所得",
    "罚款",
    "案卷评查",
    "门前三包",
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


_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]


def segment_tokens(text: str) -> list[str]:
    """Index tokens: jieba search-mode words (words and their sub-words) plus the character bigrams of every run
    of Chinese characters, punctuation dropped, first-seen order, no duplicates. The bigrams make any two-or-more
    character query word findable even where jieba cut the stored text differently in context."""
    _init()
    seen: dict[str, None] = {}
    for chunk in _clean(text).split():
        for token in jieba.cut_for_search(chunk):
            token = token.strip()
            if token:
                seen.setdefault(token, None)
        for run in _CJK_RE.findall(chunk):
            for gram in _bigrams(run):
                seen.setdefault(gram, None)
    return list(seen)


def segment_for_index(*parts: str | None) -> str:
    """The text stored in the search index: every part segmented, tokens separated by spaces."""
    return " ".join(segment_tokens(" ".join(p for p in parts if p)))


def _query_words(chunk: str) -> list[str]:
    """jieba's precise cut of a query chunk, with runs of single Chinese characters merged back (jieba splits
    short unknown words such as 占道 into 占 / 道)."""
    words: list[str] = []
    pending = ""
    for word in jieba.cut(chunk):
        word = word.strip()
        if not word:
            continue
        if len(word) == 1 and _CJK_RE.fullmatch(word):
            pending += word
            continue
        if pending:
            words.append(pending)
            pending = ""
        words.append(word)
    if pending:
        words.append(pending)
    return words


def segment_terms(query: str) -> list[str]:
    """Query terms, all required: each Chinese query word becomes its character bigrams (a single character stays
    itself); other words are kept whole. Every term of a word that occurs in a text is among that text's index
    tokens, so a word finds every text containing it, and words are not glued across jieba's boundaries."""
    _init()
    terms: dict[str, None] = {}
    for chunk in _clean(query).split():
        for word in _query_words(chunk):
            if _CJK_RE.fullmatch(word):
                for gram in _bigrams(word):
                    terms.setdefault(gram, None)
            else:
                for run in _CJK_RE.split(word):
                    if run:
                        terms.setdefault(run, None)
                for run in _CJK_RE.findall(word):
                    for gram in _bigrams(run):
                        terms.setdefault(gram, None)
    return list(terms)


def segment_query(query: str) -> str:
    """The query string handed to Wagtail search (terms separated by spaces, used with operator="and")."""
    return " ".join(segment_terms(query))


# A query as the index is asked: every group is required; a group is satisfied by any one of its alternatives; an
# alternative is a list of terms, all required. Without synonyms every group is one alternative of one term.
QueryGroups = list[list[list[str]]]


def _split_on_synonyms(chunk: str, keys: list[str]) -> list[tuple[str, bool]]:
    """Cut a cleaned query chunk into (text, is_synonym_key) pieces, longest key first, left to right."""
    pieces: list[tuple[str, bool]] = []
    rest = ""
    i = 0
    while i < len(chunk):
        key = next((k for k in keys if chunk.startswith(k, i)), None)
        if key is None:
            rest += chunk[i]
            i += 1
            continue
        if rest:
            pieces.append((rest, False))
            rest = ""
        pieces.append((key, True))
        i += len(key)
    if rest:
        pieces.append((rest, False))
    return pieces


def query_groups(query: str, synonyms: dict[str, list[str]] | None = None) -> QueryGroups:
    """The query segmented like the index, with each synonym term found in it (违建) widened to the OR of the term
    and its expansions (违法建设 ...). `synonyms` maps a term to its expansions (content.selectors reads them)."""
    normalised = {_clean(k).replace(" ", ""): v for k, v in (synonyms or {}).items()}
    normalised = {k: v for k, v in normalised.items() if k}
    keys = sorted(normalised, key=len, reverse=True)
    groups: QueryGroups = []
    seen: set[tuple] = set()

    def add(group: list[list[str]]) -> None:
        group = [alt for alt in group if alt]
        signature = tuple(tuple(alt) for alt in group)
        if group and signature not in seen:
            seen.add(signature)
            groups.append(group)

    for chunk in _clean(query).split():
        for text, is_key in _split_on_synonyms(chunk, keys):
            if not is_key:
                for term in segment_terms(text):
                    add([[term]])
                continue
            alternatives: list[list[str]] = []
            for phrase in [text, *normalised[text]]:
                terms = segment_terms(phrase)
                if terms and terms not in alternatives:
                    alternatives.append(terms)
            add(alternatives)
    return groups
