"""GIFT, Moodle's plain-text question format (https://docs.moodle.org/en/GIFT_format).

Read and written: ::title::, // comments, $CATEGORY: lines, escapes \\~ \\= \\# \\{ \\} \\: and \\n, [html]/[moodle]/
[plain]/[markdown] prefixes, #### general feedback (→ 解析), multiple choice {=right ~wrong} (one right → 单选),
several right answers with weights {~%50%A ~%50%B ~%-100%C} (→ 多选), true/false {T} {F} {TRUE} {FALSE},
short answer {=a =b} (→ 填空, also the missing-word form "… {=a} …" which becomes "… ____ …"), essay {} (→ 案例分析).
Matching (->), numerical ({#…}) and descriptions are skipped with a warning.

GIFT has no place for points, difficulty and the like; we write them in a comment Moodle ignores,
`// @zfxt {"points": "2.00", ...}`, and tags as Moodle's `// [tag:…]`, so our own round trip is lossless.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation

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
from .moodle_xml import category_from_moodle, category_to_moodle

NAME = "gift"
EXTENSIONS = (".gift", ".txt")
CONTENT_TYPE = "text/plain; charset=utf-8"
_SPECIAL = "~=#{}:"
_PLACEHOLDER = {c: chr(0xE000 + i) for i, c in enumerate(_SPECIAL)}
_RESTORE = {v: k for k, v in _PLACEHOLDER.items()}
_TAG_RE = re.compile(r"\[tag:([^\]]+)\]")
_META = "@zfxt"
_TF_RE = re.compile(r"^(TRUE|FALSE|T|F)\s*(#.*)?$", re.S)
_TITLE_RE = re.compile(r"^::(.*?)::", re.S)
_FORMAT_RE = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.I)
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


class _Skip(Exception):
    pass


def _protect(text: str) -> str:
    text = text.replace("\\\\", "\x01")
    for char, placeholder in _PLACEHOLDER.items():
        text = text.replace("\\" + char, placeholder)
    return text.replace("\\n", "\n")


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text.replace("\x01", "\\").strip()


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gift", content, 0, 1, "not utf-8 or gb18030")


def parse(content: bytes) -> ParseResult:
    result = ParseResult()
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        result.errors.append(Issue(0, _("文件编码无法识别,请另存为 UTF-8。")))
        return result
    category = ""
    block: list[str] = []
    comments: list[str] = []
    number = 0

    def flush() -> None:
        nonlocal number, block, comments
        if not "".join(block).strip():
            block = []
            return
        number += 1
        _parse_block("\n".join(block), comments, number, category, result)
        block, comments = [], []

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("//"):
            comments.append(line[2:].strip())
            continue
        if line.startswith("$CATEGORY:"):
            flush()
            comments = []
            category = category_from_moodle(line[len("$CATEGORY:") :])
            continue
        if not line:
            flush()
            continue
        block.append(raw)
    flush()
    return result


def _split_feedback(body: str) -> tuple[str, str]:
    head, _sep, feedback = body.partition("#")
    return head, feedback


def _parse_block(raw: str, comments: list[str], number: int, category: str, result: ParseResult) -> None:
    text = _protect(raw).strip()
    q = QuestionData(kind=SINGLE, stem="", category=category, number=number)
    match = _TITLE_RE.match(text)
    if match:
        q.title = _restore(match.group(1))
        text = text[match.end() :]
    text = _FORMAT_RE.sub("", text, count=1)
    start = text.find("{")
    if start < 0:
        result.warnings.append(Issue(number, _("没有答案部分(描述性文本),已跳过")))
        return
    end = text.find("}", start)
    if end < 0:
        result.errors.append(Issue(number, _("答案部分缺少右花括号 }")))
        return
    before, answer, after = text[:start], text[start + 1 : end], text[end + 1 :]
    if "{" in after or "}" in after:
        result.errors.append(Issue(number, _("一道题只能有一个答案部分 {…}")))
        return
    before = _FORMAT_RE.sub("", before, count=1)
    q.stem = _restore(before) if not after.strip() else f"{_restore(before)} ____ {_restore(after)}".strip()
    answer, _sep, general = answer.partition("####")
    q.explanation = _restore(general)
    _apply_comments(q, comments, number, result)
    try:
        _parse_answer(q, answer.strip(), number, result)
    except _Skip as skip:
        result.warnings.append(Issue(number, str(skip)))
        return
    for message in validate(q):
        result.errors.append(Issue(number, message))
    result.questions.append(q)


def _apply_comments(q: QuestionData, comments: list[str], number: int, result: ParseResult) -> None:
    for comment in comments:
        q.tags += [t.strip() for t in _TAG_RE.findall(comment) if t.strip()]
        if comment.startswith(_META):
            try:
                meta = json.loads(comment[len(_META) :])
                if "points" in meta:
                    q.points = Decimal(str(meta["points"]))
                if "difficulty" in meta:
                    q.difficulty = parse_difficulty(meta["difficulty"]) or 0
                q.scoring_mode = meta.get("scoring_mode", q.scoring_mode)
                q.violation_category = meta.get("violation_category", "")
                q.law_refs = [str(x) for x in meta.get("law_refs", [])]
                q.rubric = meta.get("rubric", "")
            except (ValueError, InvalidOperation, AttributeError, TypeError):
                result.errors.append(Issue(number, _("@zfxt 注释不是有效的 JSON")))


def _parse_answer(q: QuestionData, answer: str, number: int, result: ParseResult) -> None:
    if not answer:
        q.kind = CASE
        return
    if answer.startswith("#"):
        raise _Skip(_("不支持的题型「数值题」,已跳过"))
    tf = _TF_RE.match(answer)
    if tf:
        q.kind = TRUE_FALSE
        q.answer_bool = tf.group(1) in ("T", "TRUE")
        return
    tokens = re.findall(r"([=~])([^=~]*)", answer)
    leading = re.split(r"[=~]", answer, maxsplit=1)[0].strip()
    if any("->" in body for _m, body in tokens):
        raise _Skip(_("不支持的题型「匹配题」,已跳过"))
    if leading and not tokens:
        q.kind = BLANK
        q.accepted = [_restore(_split_feedback(leading)[0])]
        return
    if leading:
        result.errors.append(Issue(number, _("答案「%(a)s」前缺少 = 或 ~") % {"a": _restore(leading)}))
    has_wrong = any(marker == "~" for marker, _b in tokens)
    parsed: list[tuple[str, Decimal | None, str]] = []
    for marker, body in tokens:
        body = body.strip()
        weight = None
        weight_match = _WEIGHT_RE.match(body)
        if weight_match:
            weight = Decimal(weight_match.group(1))
            body = body[weight_match.end() :]
        text, _feedback = _split_feedback(body)
        parsed.append((marker, weight, _restore(text)))
    if not has_wrong:
        q.kind = BLANK
        q.accepted = [text for _m, weight, text in parsed if (weight is None or weight >= 100) and text]
        if any(weight is not None and weight < 100 for _m, weight, _t in parsed):
            result.warnings.append(Issue(number, _("部分得分的填空答案已忽略")))
        return
    weighted = any(weight is not None and weight > 0 and marker == "~" for marker, weight, _t in parsed)
    for marker, weight, text in parsed:
        correct = (marker == "=" and (weight is None or weight > 0)) or (
            marker == "~" and weight is not None and weight > 0
        )
        q.options.append(Option(text, correct))
    n_correct = sum(1 for o in q.options if o.correct)
    if weighted or n_correct > 1:
        q.kind = MULTIPLE
        q.scoring_mode = q.scoring_mode or PARTIAL
    else:
        q.kind = SINGLE
        q.scoring_mode = ""


def _fmt_weight(value: Decimal) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text or "0"


def export(questions: list[QuestionData]) -> bytes:
    out: list[str] = ["// 执法学堂题库导出(GIFT 格式)", ""]
    current = None
    for q in questions:
        if q.category != current:
            current = q.category
            out += [f"$CATEGORY: {category_to_moodle(q.category)}", ""]
        tags = " ".join(f"[tag:{t.replace(']', '')}]" for t in sorted(set(q.tags)))
        if tags:
            out.append(f"// {tags}")
        meta = {"points": str(Decimal(q.points).quantize(Decimal("0.01"))), "difficulty": q.difficulty}
        if q.kind == MULTIPLE:
            meta["scoring_mode"] = q.scoring_mode or ALL_OR_NOTHING
        if q.violation_category:
            meta["violation_category"] = q.violation_category
        if q.law_refs:
            meta["law_refs"] = q.law_refs
        if q.kind == CASE and q.rubric:
            meta["rubric"] = q.rubric
        out.append(f"// {_META} " + json.dumps(meta, ensure_ascii=False))
        head = (f"::{escape(q.title)}::" if q.title else "") + escape(q.stem)
        general = f"\n####{escape(q.explanation)}" if q.explanation else ""
        if q.kind == SINGLE:
            body = "\n".join(f"{'=' if o.correct else '~'}{escape(o.text)}" for o in q.options)
            out.append(f"{head} {{\n{body}{general}\n}}")
        elif q.kind == MULTIPLE:
            share = Decimal(100) / (sum(1 for o in q.options if o.correct) or 1)
            body = "\n".join(f"~%{_fmt_weight(share if o.correct else -share)}%{escape(o.text)}" for o in q.options)
            out.append(f"{head} {{\n{body}{general}\n}}")
        elif q.kind == TRUE_FALSE:
            out.append(f"{head} {{{'TRUE' if q.answer_bool else 'FALSE'}{general}}}")
        elif q.kind == BLANK:
            out.append(f"{head} {{{' '.join('=' + escape(a) for a in q.accepted)}{general}}}")
        else:
            out.append(f"{head} {{{general}}}")
        out.append("")
    return "\n".join(out).encode("utf-8")
