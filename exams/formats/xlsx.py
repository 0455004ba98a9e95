"""The Excel question template bureaus already use: one row per question on the first sheet.

Columns (header row 1; order free; * = required): 题型* (单选/多选/判断/填空/案例分析), 题干*, 选项A … 选项F (more
letters allowed), 答案* (单选 "A", 多选 "ABD", 判断 "正确/错误", 填空 "答案1|答案2" = accepted alternatives,
案例分析: 参考答案/评分要点, optional), 分值 (default 1), 难度 (1-5 or 易/中/难, default 中), 解析, 违法类别,
法条依据 (several separated by ;), 分类 (path "行政处罚法/简易程序"), 标签 (separated by , or 、), 多选计分
(全对得分 default / 按选项给分), 标题.
"""

from __future__ import annotations

import string
from collections.abc import Sequence

from django.utils.translation import gettext as _

from org.tabular import XLSX_CONTENT_TYPE, Sheet, TableError, read_table, write_workbook
from org.text import normalize_text

from .base import (
    ALL_OR_NOTHING,
    BLANK,
    CASE,
    KIND_ALIASES,
    KIND_LABELS,
    MULTIPLE,
    SCORING_ALIASES,
    SCORING_LABELS,
    SINGLE,
    TRUE_FALSE,
    Issue,
    Option,
    ParseResult,
    QuestionData,
    parse_bool_word,
    parse_difficulty,
    parse_points,
    split_list,
    validate,
)

NAME = "xlsx"
EXTENSIONS = (".xlsx",)
CONTENT_TYPE = XLSX_CONTENT_TYPE
OPTION_PREFIX = "选项"
BASE_OPTION_LETTERS = "ABCDEF"
COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("题型", "试题类型", "题目类型"),
    "stem": ("题干", "题目", "试题内容"),
    "answer": ("答案", "正确答案", "参考答案"),
    "points": ("分值", "分数"),
    "difficulty": ("难度",),
    "explanation": ("解析", "答案解析", "试题解析"),
    "violation_category": ("违法类别", "违法行为类别"),
    "law_refs": ("法条依据", "法律依据", "法条"),
    "category": ("分类", "题库分类", "章节"),
    "tags": ("标签", "知识点"),
    "scoring_mode": ("多选计分", "计分方式"),
    "title": ("标题", "试题名称"),
}
REQUIRED = ("kind", "stem", "answer")


def headers(option_letters: str = BASE_OPTION_LETTERS) -> list[str]:
    names = [COLUMNS["kind"][0], COLUMNS["stem"][0]]
    names += [f"{OPTION_PREFIX}{letter}" for letter in option_letters]
    names += [
        COLUMNS[k][0]
        for k in (
            "answer",
            "points",
            "difficulty",
            "explanation",
            "violation_category",
            "law_refs",
            "category",
            "tags",
            "scoring_mode",
            "title",
        )
    ]
    return names


def question_from_values(
    values: dict[str, object], options: list[tuple[str, object]], number: int, unit: str = "row"
) -> tuple[QuestionData | None, list[Issue]]:
    """One question from cell values keyed like COLUMNS, plus [(letter, text)] options. Also used by the form."""
    errors: list[Issue] = []

    def error(message: str) -> None:
        errors.append(Issue(number, message, unit))

    kind_text = normalize_text(values.get("kind"))
    kind = KIND_ALIASES.get(kind_text) or (kind_text if kind_text in KIND_LABELS else None)
    if kind is None:
        error(
            _("题型「%(k)s」无效,应为 单选/多选/判断/填空/案例分析") % {"k": kind_text} if kind_text else _("缺少题型")
        )
        return None, errors
    stem = str(values.get("stem") or "").strip()
    q = QuestionData(kind=kind, stem=stem, number=number)
    q.title = normalize_text(values.get("title"))
    q.explanation = str(values.get("explanation") or "").strip()
    q.violation_category = normalize_text(values.get("violation_category"))
    q.law_refs = split_list(values.get("law_refs"), ";；\n")
    q.tags = split_list(values.get("tags"), ",,、;；\n")
    q.category = "/".join(p.strip() for p in normalize_text(values.get("category")).split("/") if p.strip())
    points_text = normalize_text(values.get("points"))
    points = parse_points(points_text) if points_text else None
    if points_text and points is None:
        error(_("分值「%(v)s」不是数字") % {"v": points_text})
    q.points = points if points is not None else q.points
    difficulty = parse_difficulty(values.get("difficulty"))
    if difficulty is None:
        error(_("难度「%(v)s」无效,应为 1-5 或 易/中/难") % {"v": normalize_text(values.get("difficulty"))})
    else:
        q.difficulty = difficulty
    answer = str(values.get("answer") or "").strip()
    answer_norm = normalize_text(answer)
    if kind in (SINGLE, MULTIPLE):
        filled = [(letter, str(text).strip()) for letter, text in options if normalize_text(text)]
        letters_present = {letter for letter, _t in filled}
        chosen = [c for c in answer_norm.upper().replace(",", "").replace("、", "").replace(" ", "") if c]
        if not chosen:
            error(_("缺少答案"))
        for letter in chosen:
            if letter not in string.ascii_uppercase:
                error(_("答案「%(a)s」应为选项字母,如 A 或 ABD") % {"a": answer_norm})
                break
            if letter not in letters_present:
                error(_("答案「%(a)s」引用的选项%(l)s为空或不存在") % {"a": answer_norm, "l": letter})
        # Options keep their letters' order; gaps (A, B, D) close up, so the letters in files are the truth here.
        q.options = [Option(text, letter in chosen) for letter, text in filled]
        if kind == SINGLE and len(set(chosen)) > 1:
            error(_("单选题只能有一个答案,填写的是「%(a)s」") % {"a": answer_norm})
        if kind == MULTIPLE:
            mode_text = normalize_text(values.get("scoring_mode"))
            q.scoring_mode = SCORING_ALIASES.get(mode_text, "") if mode_text else ALL_OR_NOTHING
            if mode_text and not q.scoring_mode:
                error(_("多选计分「%(v)s」无效,应为 全对得分 或 按选项给分") % {"v": mode_text})
    elif kind == TRUE_FALSE:
        q.answer_bool = parse_bool_word(answer_norm)
        if q.answer_bool is None:
            error(_("判断题答案「%(a)s」无效,应为 正确 或 错误") % {"a": answer_norm} if answer_norm else _("缺少答案"))
    elif kind == BLANK:
        q.accepted = [normalize_text(a) for a in answer.replace("｜", "|").split("|") if normalize_text(a)]
    elif kind == CASE:
        q.rubric = answer
    own = {e.message for e in errors}
    for message in validate(q):
        if (
            kind in (SINGLE, MULTIPLE, TRUE_FALSE)
            and message in (_("没有正确选项"), _("判断题缺少答案(正确/错误)"))
            and own
        ):
            continue  # already explained by a more precise message above
        if message not in own:
            errors.append(Issue(number, message, unit))
    return q, errors


def _category_lookup(violation_categories: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Name or code (as older exports wrote) -> code."""
    lookup = {normalize_text(code).lower(): code for code, _name in violation_categories}
    lookup |= {normalize_text(name): code for code, name in violation_categories}
    return lookup


def parse(content: bytes, *, violation_categories: Sequence[tuple[str, str]] = ()) -> ParseResult:
    """`violation_categories` [(code, name)]: when given, the 违法类别 cell may hold the name or the code and is
    stored as the code; anything else is a row error."""
    result = ParseResult()
    try:
        table = read_table(content, "questions.xlsx", headers=COLUMNS, required=REQUIRED)
    except TableError as exc:
        number = 1 if "表头" in str(exc) else 0
        result.errors.append(Issue(number, str(exc), "row"))
        return result
    option_columns = [
        (cell[len(OPTION_PREFIX) :].upper(), index)
        for index, cell in enumerate(table.header)
        if cell.startswith(OPTION_PREFIX) and len(cell) == len(OPTION_PREFIX) + 1
    ]
    lookup = _category_lookup(violation_categories)
    choices = "、".join(name for _code, name in violation_categories)
    for row in table.rows:

        def cell(index: int, row=row) -> object:
            return row.cells[index] if index < len(row.cells) else None

        options = [(letter, cell(index)) for letter, index in option_columns]
        question, errors = question_from_values(dict(row.values), options, row.number)
        if question is not None and lookup and question.violation_category:
            code = lookup.get(question.violation_category) or lookup.get(question.violation_category.lower())
            if code is None:
                errors.append(
                    Issue(
                        row.number,
                        _("违法类别「%(v)s」不存在,可填:%(c)s") % {"v": question.violation_category, "c": choices},
                        "row",
                    )
                )
            else:
                question.violation_category = code
        result.errors += errors
        if question is not None:
            result.questions.append(question)
    return result


def _points_cell(points) -> int | float:
    return int(points) if points == int(points) else float(points)


def _workbook(questions: list[QuestionData], violation_categories: Sequence[tuple[str, str]] = ()) -> bytes:
    most = max([len(q.options) for q in questions] + [len(BASE_OPTION_LETTERS)])
    letters = string.ascii_uppercase[:most]
    names = dict(violation_categories)
    rows = []
    for q in questions:
        if q.kind in (SINGLE, MULTIPLE):
            answer = "".join(letters[i] for i, o in enumerate(q.options) if o.correct)
        elif q.kind == TRUE_FALSE:
            answer = "正确" if q.answer_bool else "错误"
        elif q.kind == BLANK:
            answer = "|".join(q.accepted)
        else:
            answer = q.rubric
        option_cells = [q.options[i].text if i < len(q.options) else "" for i in range(len(letters))]
        rows.append(
            [
                KIND_LABELS[q.kind],
                q.stem,
                *option_cells,
                answer,
                _points_cell(q.points),
                q.difficulty,
                q.explanation,
                names.get(q.violation_category, q.violation_category),
                ";".join(q.law_refs),
                q.category,
                "、".join(sorted(set(q.tags))),
                SCORING_LABELS.get(q.scoring_mode or ALL_OR_NOTHING, "") if q.kind == MULTIPLE else "",
                q.title,
            ]
        )
    notes = [[line] for line in TEMPLATE_NOTES]
    if violation_categories:
        notes.append([VIOLATION_NOTE + "、".join(name for _code, name in violation_categories)])
    return write_workbook(
        [
            Sheet("试题", headers(letters), rows, widths={0: 10, 1: 60}, wrap=True, header_fill="DDEBF7"),
            Sheet("填写说明", [], notes, widths={0: 110}),
        ]
    )


TEMPLATE_NOTES = [
    "填写说明(只读取第一个工作表“试题”,第一行为表头,请勿修改表头文字)",
    "题型:单选 / 多选 / 判断 / 填空 / 案例分析",
    "选项A…选项F:选择题的选项,按顺序填写;需要更多选项可增加“选项G”等列",
    "答案:单选填 A;多选填 ABD;判断填 正确 或 错误;填空填可接受的答案,多个用 | 分隔,如 十五日|15日;案例分析填参考答案或评分要点",
    "分值:数字,默认 1;难度:1-5 或 易/中/难,默认 中",
    "违法类别:填写违法行为类别的中文名称,如 户外广告、违法建设(也接受系统代码,如 outdoor_ads);可以留空",
    "法条依据:多条用 ; 分隔,如 《中华人民共和国行政处罚法》第五十一条;《城市市容和环境卫生管理条例》第三十四条",
    "分类:题库分类路径,用 / 分隔,如 行政处罚法/简易程序;标签:用 、 或 , 分隔",
    "多选计分:全对得分(默认,少选、错选均不得分)或 按选项给分(每选对一项得 分值÷正确项数,每选错一项扣同样分数,最低 0 分)",
    "示例:单选 | 当场作出行政处罚决定的,执法人员应当在几日内报所属行政机关备案? | 三日 | 五日 | 七日 | 十日 | | | A | 1 | 中 | …",
    "系统先检查整个文件,有任何错误都不会写入,并按行号列出错误。",
]


VIOLATION_NOTE = "违法类别可选:"


def export(questions: list[QuestionData], *, violation_categories: Sequence[tuple[str, str]] = ()) -> bytes:
    """`violation_categories` [(code, name)]: the 违法类别 column shows the name, not the code."""
    return _workbook(questions, violation_categories)


def template(*, violation_categories: Sequence[tuple[str, str]] = ()) -> bytes:
    """The blank template: header row plus the instructions sheet (listing the violation categories)."""
    return _workbook([], violation_categories)
