"""The format-neutral shape of one question, shared by every import/export format, the form and the
frozen version content.

`QuestionData.to_content()` is THE frozen JSON schema stored in QuestionVersion.content (schema 1):

    {"schema": 1, "kind": "single|multiple|true_false|blank|case", "title": str, "stem": str,
     "options": [{"key": "A", "text": str, "correct": bool}, ...],     # choice questions, ordered
     "scoring_mode": "all|partial|",                                  # multiple choice only
     "answer_bool": bool|None,                                         # true/false only
     "accepted": [str, ...],                                          # fill in the blank only
     "rubric": str,                                                   # case analysis (评分要点)
     "points": "2.00", "explanation": str, "difficulty": 1..5, "violation_category": str,
     "tags": [str], "law_refs": [str], "category": "A/B"}
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from org.text import normalize_text

SCHEMA = 1
SINGLE, MULTIPLE, TRUE_FALSE, BLANK, CASE = "single", "multiple", "true_false", "blank", "case"
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, BLANK, CASE)
ALL_OR_NOTHING, PARTIAL = "all", "partial"
# Fixed Chinese labels used inside files, whatever the UI language.
KIND_LABELS = {SINGLE: "单选", MULTIPLE: "多选", TRUE_FALSE: "判断", BLANK: "填空", CASE: "案例分析"}
KIND_ALIASES = {
    "单选": SINGLE,
    "单选题": SINGLE,
    "单项选择": SINGLE,
    "单项选择题": SINGLE,
    "多选": MULTIPLE,
    "多选题": MULTIPLE,
    "多项选择": MULTIPLE,
    "多项选择题": MULTIPLE,
    "判断": TRUE_FALSE,
    "判断题": TRUE_FALSE,
    "填空": BLANK,
    "填空题": BLANK,
    "案例分析": CASE,
    "案例分析题": CASE,
    "案例": CASE,
    "案例题": CASE,
    "简答": CASE,
    "简答题": CASE,
    "论述题": CASE,
}
SCORING_LABELS = {ALL_OR_NOTHING: "全对得分", PARTIAL: "按选项给分"}
SCORING_ALIASES = {
    "全对得分": ALL_OR_NOTHING,
    "全部选对得分": ALL_OR_NOTHING,
    "全对": ALL_OR_NOTHING,
    "all": ALL_OR_NOTHING,
    "按选项给分": PARTIAL,
    "部分得分": PARTIAL,
    "少选得分": PARTIAL,
    "partial": PARTIAL,
}
DIFFICULTY_ALIASES = {
    "很易": 1,
    "易": 2,
    "容易": 2,
    "简单": 2,
    "中": 3,
    "中等": 3,
    "一般": 3,
    "难": 4,
    "较难": 4,
    "很难": 5,
}
TRUE_WORDS = {"正确", "对", "是", "√", "✓", "t", "true", "y", "yes", "1"}
FALSE_WORDS = {"错误", "错", "否", "×", "✗", "x", "f", "false", "n", "no", "0"}
DEFAULT_CATEGORY = "默认"
OPTION_KEYS = string.ascii_uppercase


@dataclass
class Option:
    text: str
    correct: bool = False


@dataclass
class QuestionData:
    kind: str
    stem: str
    options: list[Option] = field(default_factory=list)
    scoring_mode: str = ""
    answer_bool: bool | None = None
    accepted: list[str] = field(default_factory=list)
    rubric: str = ""
    points: Decimal = Decimal("1")
    explanation: str = ""
    difficulty: int = 3
    violation_category: str = ""
    tags: list[str] = field(default_factory=list)
    law_refs: list[str] = field(default_factory=list)
    category: str = ""
    title: str = ""
    number: int = 0  # position in the source file (question number or spreadsheet row), for messages

    def to_content(self) -> dict:
        choice = self.kind in (SINGLE, MULTIPLE)
        return {
            "schema": SCHEMA,
            "kind": self.kind,
            "title": self.title,
            "stem": self.stem,
            "options": [
                {"key": OPTION_KEYS[i], "text": o.text, "correct": bool(o.correct)} for i, o in enumerate(self.options)
            ]
            if choice
            else [],
            "scoring_mode": (self.scoring_mode or ALL_OR_NOTHING) if self.kind == MULTIPLE else "",
            "answer_bool": self.answer_bool if self.kind == TRUE_FALSE else None,
            "accepted": list(self.accepted) if self.kind == BLANK else [],
            "rubric": self.rubric if self.kind == CASE else "",
            "points": str(Decimal(self.points).quantize(Decimal("0.01"))),
            "explanation": self.explanation,
            "difficulty": int(self.difficulty),
            "violation_category": self.violation_category,
            "tags": sorted(set(self.tags)),
            "law_refs": list(self.law_refs),
            "category": self.category,
        }

    @classmethod
    def from_content(cls, content: dict) -> QuestionData:
        return cls(
            kind=content["kind"],
            stem=content["stem"],
            options=[Option(o["text"], bool(o["correct"])) for o in content.get("options", [])],
            scoring_mode=content.get("scoring_mode", ""),
            answer_bool=content.get("answer_bool"),
            accepted=list(content.get("accepted", [])),
            rubric=content.get("rubric", ""),
            points=Decimal(content.get("points", "1")),
            explanation=content.get("explanation", ""),
            difficulty=int(content.get("difficulty", 3)),
            violation_category=content.get("violation_category", ""),
            tags=list(content.get("tags", [])),
            law_refs=list(content.get("law_refs", [])),
            category=content.get("category", ""),
            title=content.get("title", ""),
        )

    def key(self) -> tuple:
        """What makes two questions 'the same' for round trips and duplicate detection."""
        content = self.to_content()
        return (content["category"], content["kind"], normalize_text(content["stem"]))


@dataclass(frozen=True)
class Issue:
    number: int  # question number (Moodle XML, GIFT) or spreadsheet row (xlsx)
    message: str
    unit: str = "question"  # "question" or "row"

    def __str__(self) -> str:
        if self.unit == "row":
            return _("第 %(n)s 行:%(m)s") % {"n": self.number, "m": self.message}
        if self.number:
            return _("第 %(n)s 题:%(m)s") % {"n": self.number, "m": self.message}
        return str(self.message)


@dataclass
class ParseResult:
    questions: list[QuestionData] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        result = {k: 0 for k in KINDS}
        for q in self.questions:
            result[q.kind] += 1
        return result


def parse_points(value: object) -> Decimal | None:
    text = normalize_text(value)
    if not text:
        return None
    try:
        points = Decimal(text)
    except InvalidOperation:
        return None
    if not points.is_finite():
        return None
    return points


def parse_difficulty(value: object) -> int | None:
    text = normalize_text(value)
    if not text:
        return 3
    if text in DIFFICULTY_ALIASES:
        return DIFFICULTY_ALIASES[text]
    try:
        number = int(Decimal(text))
    except (InvalidOperation, ValueError):
        return None
    return number if 1 <= number <= 5 else None


def parse_bool_word(value: object) -> bool | None:
    text = normalize_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def split_list(value: object, separators: str = ";；,,、\n") -> list[str]:
    text = normalize_text(value) if "\n" not in str(value or "") else str(value)
    for sep in separators:
        text = text.replace(sep, "\x00")
    return [normalize_text(part) for part in text.split("\x00") if normalize_text(part)]


def validate(q: QuestionData) -> list[str]:
    """Errors (Chinese) that make a question unusable. Empty list means valid."""
    errors: list[str] = []
    if q.kind not in KINDS:
        return [_("未知题型「%(k)s」") % {"k": q.kind}]
    if not q.stem.strip():
        errors.append(_("缺少题干"))
    if q.points is None or q.points <= 0:
        errors.append(_("分值必须大于 0"))
    elif q.points >= Decimal("10000"):
        errors.append(_("分值过大"))
    if not (1 <= int(q.difficulty or 0) <= 5):
        errors.append(_("难度须为 1-5 或 易/中/难"))
    if q.kind in (SINGLE, MULTIPLE):
        if len(q.options) < 2:
            errors.append(_("选择题至少需要两个选项"))
        if len(q.options) > len(OPTION_KEYS):
            errors.append(_("选项过多"))
        if any(not o.text.strip() for o in q.options):
            errors.append(_("选项内容不能为空"))
        correct = sum(1 for o in q.options if o.correct)
        if correct == 0:
            errors.append(_("没有正确选项"))
        elif q.kind == SINGLE and correct > 1:
            errors.append(_("单选题只能有一个正确选项"))
        if q.kind == MULTIPLE and q.scoring_mode not in ("", ALL_OR_NOTHING, PARTIAL):
            errors.append(_("多选计分方式无效"))
    elif q.kind == TRUE_FALSE:
        if q.answer_bool is None:
            errors.append(_("判断题缺少答案(正确/错误)"))
    elif q.kind == BLANK:
        if not [a for a in q.accepted if normalize_text(a)]:
            errors.append(_("填空题缺少答案"))
    return errors
