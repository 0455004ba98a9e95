"""Moodle XML question format (https://docs.moodle.org/en/Moodle_XML_format).

Read and written: <question type="category"> ($course$/top/A/B → category "A/B"), multichoice (single=true →
单选; single=false → 多选 按选项给分, correct = fraction > 0), multichoiceset (the All-or-Nothing Multiple Choice
plugin → 多选 全对得分), truefalse, shortanswer (→ 填空, answers with fraction 100), essay (→ 案例分析,
<graderinfo> = 评分要点). <generalfeedback> = 解析, <defaultgrade> = 分值, <tags> = 标签. Our own fields without a
Moodle element travel as prefixed tags: "难度:3", "违法类别:…", "法条:…". Other types are skipped with a warning.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET  # only for building; parsing goes through defusedxml
from decimal import Decimal, InvalidOperation

from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _

from .base import (
    ALL_OR_NOTHING,
    BLANK,
    CASE,
    MULTIPLE,
    PARTIAL,
    SINGLE,
    TRUE_FALSE,
    Issue,
    Option,
    ParseResult,
    QuestionData,
    parse_difficulty,
    validate,
)

NAME = "moodle-xml"
EXTENSIONS = (".xml",)
CONTENT_TYPE = "application/xml"
TAG_DIFFICULTY, TAG_VIOLATION, TAG_LAW = "难度:", "违法类别:", "法条:"
_CATEGORY_PREFIX = re.compile(r"^\$(course|system|module|coursecategory|cat\d*)\$/?", re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_BR_RE = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.I)


def category_from_moodle(path: str) -> str:
    path = _CATEGORY_PREFIX.sub("", path.strip())
    parts = [p.strip() for p in path.split("/") if p.strip()]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return "/".join(parts)


def category_to_moodle(path: str) -> str:
    return "$course$/top" + (f"/{path}" if path else "")


def _plain(text: str | None, fmt: str | None) -> str:
    """Moodle stores rich text; we keep plain text. HTML is reduced to text with line breaks."""
    text = text or ""
    if (fmt or "html") in ("html", "moodle_auto_format") and "<" in text:
        text = _BR_RE.sub("\n", text)
        text = _TAG_RE.sub("", text)
        text = html.unescape(text)
    elif (fmt or "html") == "html":
        text = html.unescape(text)
    return text.strip()


def _text_of(node: ET.Element | None) -> str:
    if node is None:
        return ""
    child = node.find("text")
    return _plain(child.text if child is not None else node.text, node.get("format"))


def _fraction(node: ET.Element) -> Decimal:
    try:
        return Decimal(node.get("fraction", "0") or "0")
    except InvalidOperation:
        return Decimal("NaN")


def parse(content: bytes) -> ParseResult:
    result = ParseResult()
    try:
        root = SafeET.fromstring(content)
    except Exception as exc:  # ParseError, defusedxml's forbidden constructs, encoding errors
        result.errors.append(Issue(0, _("XML 文件格式错误,无法解析:%(e)s") % {"e": exc}))
        return result
    if root.tag != "quiz":
        result.errors.append(Issue(0, _("不是 Moodle XML 题库文件(根元素应为 <quiz>)")))
        return result
    category = ""
    number = 0
    for node in root.findall("question"):
        qtype = (node.get("type") or "").strip()
        if qtype == "category":
            category = category_from_moodle(_text_of(node.find("category")))
            continue
        number += 1
        try:
            question = _parse_question(node, qtype, number, category, result)
        except _Skip as skip:
            result.warnings.append(Issue(number, str(skip)))
            continue
        if question is None:
            continue
        for message in validate(question):
            result.errors.append(Issue(number, message))
        result.questions.append(question)
    return result


class _Skip(Exception):
    pass


def _parse_question(node, qtype: str, number: int, category: str, result: ParseResult) -> QuestionData | None:
    supported = {"multichoice", "multichoiceset", "truefalse", "shortanswer", "essay"}
    if qtype not in supported:
        raise _Skip(_("不支持的题型「%(t)s」,已跳过") % {"t": qtype or "?"})
    q = QuestionData(kind=SINGLE, stem=_text_of(node.find("questiontext")), category=category, number=number)
    q.title = _text_of(node.find("name"))
    if q.title and q.stem.startswith(q.title):
        q.title = ""  # Moodle requires a name; ours defaults to the stem's beginning
    q.explanation = _text_of(node.find("generalfeedback"))
    grade = (node.findtext("defaultgrade") or "1").strip()
    try:
        q.points = Decimal(grade)
    except InvalidOperation:
        result.errors.append(Issue(number, _("分值「%(v)s」不是数字") % {"v": grade}))
        q.points = Decimal("1")
    if q.points.is_finite():
        q.points = q.points.quantize(Decimal("0.01"))
    for tag in node.findall("tags/tag"):
        text = _text_of(tag)
        if text.startswith(TAG_DIFFICULTY):
            q.difficulty = parse_difficulty(text[len(TAG_DIFFICULTY) :]) or 3
        elif text.startswith(TAG_VIOLATION):
            q.violation_category = text[len(TAG_VIOLATION) :].strip()
        elif text.startswith(TAG_LAW):
            q.law_refs.append(text[len(TAG_LAW) :].strip())
        elif text:
            q.tags.append(text)
    answers = node.findall("answer")
    if qtype in ("multichoice", "multichoiceset"):
        single = (node.findtext("single") or "true").strip().lower() in ("true", "1")
        if qtype == "multichoiceset":
            single = False
        q.kind = SINGLE if single else MULTIPLE
        q.scoring_mode = "" if single else (ALL_OR_NOTHING if qtype == "multichoiceset" else PARTIAL)
        for answer in answers:
            fraction = _fraction(answer)
            if not fraction.is_finite():
                result.errors.append(Issue(number, _("选项分数(fraction)不是数字")))
                continue
            correct = fraction >= Decimal("99.9") if single else fraction > 0
            if single and 0 < fraction < Decimal("99.9"):
                result.warnings.append(Issue(number, _("单选题的部分得分选项按错误选项处理")))
            q.options.append(Option(_text_of(answer), correct))
        if not single and qtype == "multichoice":
            positives = {_fraction(a) for a in answers if _fraction(a) > 0}
            if len(positives) > 1:
                result.warnings.append(Issue(number, _("各正确选项分数不同,导入后按正确选项平均给分")))
    elif qtype == "truefalse":
        q.kind = TRUE_FALSE
        for answer in answers:
            if _fraction(answer) >= Decimal("99.9"):
                word = _text_of(answer).lower()
                q.answer_bool = (
                    True if word in ("true", "正确", "对") else False if word in ("false", "错误", "错") else None
                )
    elif qtype == "shortanswer":
        q.kind = BLANK
        q.accepted = [_text_of(a) for a in answers if _fraction(a) >= Decimal("99.9") and _text_of(a)]
        if any(0 < _fraction(a) < Decimal("99.9") for a in answers):
            result.warnings.append(Issue(number, _("部分得分的填空答案已忽略")))
    elif qtype == "essay":
        q.kind = CASE
        q.rubric = _text_of(node.find("graderinfo"))
    return q


def _text_el(parent: ET.Element, tag: str, text: str, fmt: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if fmt:
        element.set("format", fmt)
    ET.SubElement(element, "text").text = text
    return element


def _fmt_fraction(value: Decimal) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text or "0"


def export(questions: list[QuestionData]) -> bytes:
    root = ET.Element("quiz")
    current_category = None
    for q in questions:
        if q.category != current_category:
            current_category = q.category
            cat = ET.SubElement(root, "question", type="category")
            _text_el(cat, "category", category_to_moodle(q.category))
        qtype = {
            SINGLE: "multichoice",
            MULTIPLE: "multichoiceset" if (q.scoring_mode or ALL_OR_NOTHING) == ALL_OR_NOTHING else "multichoice",
            TRUE_FALSE: "truefalse",
            BLANK: "shortanswer",
            CASE: "essay",
        }[q.kind]
        node = ET.SubElement(root, "question", type=qtype)
        _text_el(node, "name", q.title or q.stem[:30])
        _text_el(node, "questiontext", q.stem, "plain_text")
        _text_el(node, "generalfeedback", q.explanation, "plain_text")
        ET.SubElement(node, "defaultgrade").text = f"{Decimal(q.points):.7f}"
        ET.SubElement(node, "penalty").text = "0"
        ET.SubElement(node, "hidden").text = "0"
        if q.kind in (SINGLE, MULTIPLE):
            ET.SubElement(node, "single").text = "true" if q.kind == SINGLE else "false"
            ET.SubElement(node, "shuffleanswers").text = "false"
            ET.SubElement(node, "answernumbering").text = "ABCD"
            n_correct = sum(1 for o in q.options if o.correct) or 1
            share = Decimal(100) / n_correct
            for option in q.options:
                if q.kind == SINGLE or qtype == "multichoiceset":
                    fraction = Decimal(100) if option.correct else Decimal(0)
                else:
                    fraction = share if option.correct else -share
                answer = _text_el(node, "answer", option.text, "plain_text")
                answer.set("fraction", _fmt_fraction(fraction))
        elif q.kind == TRUE_FALSE:
            for word, value in (("true", True), ("false", False)):
                answer = _text_el(node, "answer", word, "moodle_auto_format")
                answer.set("fraction", "100" if q.answer_bool is value else "0")
        elif q.kind == BLANK:
            ET.SubElement(node, "usecase").text = "0"
            for accepted in q.accepted:
                answer = _text_el(node, "answer", accepted, "moodle_auto_format")
                answer.set("fraction", "100")
        elif q.kind == CASE:
            ET.SubElement(node, "responseformat").text = "plain"
            ET.SubElement(node, "responserequired").text = "1"
            ET.SubElement(node, "responsefieldlines").text = "15"
            _text_el(node, "graderinfo", q.rubric, "plain_text")
        tags = [f"{TAG_DIFFICULTY}{q.difficulty}"]
        if q.violation_category:
            tags.append(f"{TAG_VIOLATION}{q.violation_category}")
        tags += [f"{TAG_LAW}{ref}" for ref in q.law_refs]
        tags += sorted(set(q.tags))
        tags_node = ET.SubElement(node, "tags")
        for tag in tags:
            _text_el(tags_node, "tag", tag)
    ET.indent(root)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
    )
