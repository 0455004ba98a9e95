"""Parsing, exporting and round trips of the three formats (pure: no database)."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from exams import formats
from exams.formats import gift, moodle_xml, xlsx
from exams.formats.base import QuestionData

from .samples import GIFT, MOODLE_XML


def canon(questions: list[QuestionData]) -> list[dict]:
    return [{k: v for k, v in q.to_content().items() if k != "title"} for q in questions]


def test_moodle_xml_reads_every_supported_type():
    result = moodle_xml.parse(MOODLE_XML)
    assert result.errors == []
    kinds = [q.kind for q in result.questions]
    assert kinds == ["single", "multiple", "true_false", "blank", "case"]
    single, multiple, tf, blank, case = result.questions
    assert single.category == "行政处罚法/简易程序"
    assert single.stem == "当场作出行政处罚决定的,执法人员应当在几日内报所属行政机关备案?"  # HTML stripped
    assert [o.correct for o in single.options] == [False, False, True]
    assert single.explanation == "依据行政处罚法第五十二条。"
    assert single.tags == ["简易程序"] and single.difficulty == 2
    assert single.law_refs == ["《中华人民共和国行政处罚法》第五十二条"]
    assert multiple.scoring_mode == "partial" and multiple.points == Decimal("2")
    assert [o.correct for o in multiple.options] == [True, False, True]
    assert tf.answer_bool is True and tf.category == "城市管理/市容环境"
    assert blank.accepted == ["十五", "15"] and blank.points == Decimal("1.5")
    assert case.rubric == "指出违法事实、法律依据、处罚程序。" and case.points == Decimal("10")


def test_moodle_xml_unsupported_types_are_skipped_with_numbered_warnings():
    result = moodle_xml.parse(MOODLE_XML)
    messages = [str(w) for w in result.warnings]
    assert messages == ["第 6 题:不支持的题型「matching」,已跳过", "第 7 题:不支持的题型「numerical」,已跳过"]


def test_gift_reads_every_supported_type():
    result = gift.parse(GIFT)
    assert result.errors == []
    assert [q.kind for q in result.questions] == ["single", "multiple", "true_false", "blank", "case"]
    single, multiple, tf, blank, case = result.questions
    assert single.title == "备案期限"
    assert single.explanation == "依据行政处罚法第五十二条: 应当报所属行政机关备案。"  # \\: unescaped
    assert [o.text for o in single.options] == ["三日", "五日", "七日"]  # answer feedback "# 正确" dropped
    assert [o.correct for o in single.options] == [False, False, True]
    assert single.tags == ["简易程序"] and single.category == "行政处罚法/简易程序"
    assert multiple.stem == "下列属于行政处罚种类的有:"
    assert multiple.scoring_mode == "partial" and [o.correct for o in multiple.options] == [True, False, True]
    assert tf.answer_bool is True and tf.category == "城市管理/市容环境"
    assert blank.stem == "当事人应当自收到罚款决定书之日起 ____ 日内缴纳罚款。"  # missing-word form
    assert blank.accepted == ["十五", "15"]
    assert case.kind == "case"
    assert [str(w) for w in result.warnings] == [
        "第 6 题:不支持的题型「匹配题」,已跳过",
        "第 7 题:不支持的题型「数值题」,已跳过",
    ]


@pytest.mark.parametrize(
    ("text", "kind", "answer"),
    [("事实 {TRUE}", "true_false", True), ("事实 {F}", "true_false", False), ("事实 {FALSE}", "true_false", False)],
)
def test_gift_true_false_spellings(text, kind, answer):
    q = gift.parse(text.encode()).questions[0]
    assert (q.kind, q.answer_bool) == (kind, answer)


def test_gift_escapes_round_trip():
    source = "题干含特殊符号 \\{ \\} \\= \\~ \\# \\: 结束 {=答案\\=一 ~错\\~误}".encode()
    q = gift.parse(source).questions[0]
    assert q.stem == "题干含特殊符号 { } = ~ # : 结束"
    assert [o.text for o in q.options] == ["答案=一", "错~误"]
    again = gift.parse(gift.export([q])).questions[0]
    assert canon([again]) == canon([q])


@pytest.mark.parametrize(("module", "sample"), [(moodle_xml, MOODLE_XML), (gift, GIFT)])
def test_round_trip_keeps_the_bank(module, sample):
    first = module.parse(sample)
    exported = module.export(first.questions)
    second = module.parse(exported)
    assert second.errors == [] and second.warnings == []
    assert canon(second.questions) == canon(first.questions)


@pytest.mark.parametrize("target", [moodle_xml, gift, xlsx])
def test_any_format_carries_every_field_of_our_bank(target):
    source = moodle_xml.parse(MOODLE_XML).questions
    for q in source:
        q.violation_category = "占道经营"
        q.difficulty = 4
    source[1].scoring_mode = "all"  # all-or-nothing multiple choice survives too
    again = target.parse(target.export(source))
    assert again.errors == []
    assert canon(again.questions) == canon(source)


def test_xlsx_template_is_blank_with_chinese_headers_and_notes():
    book = load_workbook(io.BytesIO(xlsx.template()))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["题型", "题干", "选项A"]
    for column in ("选项F", "答案", "分值", "难度", "解析", "违法类别", "法条依据", "分类", "标签"):
        assert column in header
    assert sheet.max_row == 1
    assert book.worksheets[1].title == "填写说明"
    assert xlsx.parse(xlsx.template()).questions == []


def sheet_bytes(rows, header=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or xlsx.headers())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(kind, stem, options=("", "", "", "", "", ""), answer="", points=1, difficulty="中", **extra):
    cells = [
        kind,
        stem,
        *options,
        answer,
        points,
        difficulty,
        extra.get("explanation", ""),
        extra.get("violation", ""),
        extra.get("law", ""),
        extra.get("category", ""),
        extra.get("tags", ""),
        extra.get("scoring", ""),
        "",
    ]
    return cells


def test_xlsx_reads_bureau_style_rows():
    content = sheet_bytes(
        [
            row(
                "单选",
                "行政处罚法自何时起施行?",
                ("2021年7月15日", "2021年1月22日", "", "", "", ""),
                "Ａ",
                1,
                "易",
                law="《中华人民共和国行政处罚法》第八十六条",
                category="行政处罚法/总则",
                tags="总则、施行日期",
            ),
            row("多选", "行政处罚的种类包括:", ("警告", "罚款", "记过", "", "", ""), "a b", 2, 3, scoring="按选项给分"),
            row("判断", "城管执法人员可以委托协管员作出行政处罚决定。", answer="错误"),
            row("填空", "罚款应在收到决定书之日起____日内缴纳。", answer="十五|15 ｜ 十五日"),
            row("案例分析", "某店外摆经营,请分析。", answer="违法事实、依据、程序", points=10, difficulty="难"),
        ]
    )
    result = xlsx.parse(content)
    assert result.errors == []
    single, multiple, tf, blank, case = result.questions
    assert single.kind == "single" and [o.correct for o in single.options] == [True, False]
    assert single.difficulty == 2 and single.category == "行政处罚法/总则" and single.tags == ["总则", "施行日期"]
    assert multiple.scoring_mode == "partial" and [o.correct for o in multiple.options] == [True, True, False]
    assert tf.answer_bool is False
    assert blank.accepted == ["十五", "15", "十五日"]
    assert case.rubric == "违法事实、依据、程序" and case.difficulty == 4 and case.points == Decimal("10")


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (row("问答", "题干", answer="A"), "第 3 行:题型「问答」无效,应为 单选/多选/判断/填空/案例分析"),
        (row("单选", "", ("甲", "乙", "", "", "", ""), "A"), "第 3 行:缺少题干"),
        (row("单选", "题干", ("甲", "乙", "", "", "", ""), ""), "第 3 行:缺少答案"),
        (row("单选", "题干", ("甲", "乙", "", "", "", ""), "E"), "第 3 行:答案「E」引用的选项E为空或不存在"),
        (row("单选", "题干", ("甲", "乙", "", "", "", ""), "AB"), "第 3 行:单选题只能有一个答案,填写的是「AB」"),
        (row("判断", "题干", answer="也许"), "第 3 行:判断题答案「也许」无效,应为 正确 或 错误"),
        (row("填空", "题干", answer=""), "第 3 行:填空题缺少答案"),
        (row("单选", "题干", ("甲", "乙", "", "", "", ""), "A", points="两分"), "第 3 行:分值「两分」不是数字"),
        (
            row("单选", "题干", ("甲", "乙", "", "", "", ""), "A", difficulty="超难"),
            "第 3 行:难度「超难」无效,应为 1-5 或 易/中/难",
        ),
        (row("单选", "题干", ("甲", "", "", "", "", ""), "A"), "第 3 行:选择题至少需要两个选项"),
    ],
)
def test_xlsx_bad_rows_are_reported_by_row_number(bad_row, message):
    good = row("判断", "正常的一道题", answer="正确")
    result = xlsx.parse(sheet_bytes([good, bad_row]))
    assert message in [str(e) for e in result.errors]


def test_xlsx_missing_required_column():
    result = xlsx.parse(sheet_bytes([["单选", "题干"]], header=["题型", "题干"]))
    assert [str(e) for e in result.errors] == ["第 1 行:表头缺少必填列:答案"]


def test_xlsx_not_an_excel_file():
    result = xlsx.parse(b"this is not a zip")
    assert len(result.errors) == 1 and "无法读取 Excel 文件" in str(result.errors[0])


def test_malformed_xml_is_an_error():
    result = moodle_xml.parse(b"<quiz><question type='multichoice'><questiontext>")
    assert result.questions == [] and "XML 文件格式错误" in str(result.errors[0])


def test_xml_external_entities_are_refused():
    evil = b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>'
    result = moodle_xml.parse(evil)
    assert result.questions == [] and result.errors


def test_moodle_multichoice_without_correct_option_is_numbered():
    bad = MOODLE_XML.replace(
        b'<answer fraction="100"><text>\xe4\xb8\x83\xe6\x97\xa5', b'<answer fraction="0"><text>\xe4\xb8\x83\xe6\x97\xa5'
    )
    result = moodle_xml.parse(bad)
    assert [str(e) for e in result.errors] == ["第 1 题:没有正确选项"]


def test_moodle_truefalse_without_answer_and_missing_stem():
    xml = """<quiz>
      <question type="truefalse"><questiontext><text>说法</text></questiontext>
        <answer fraction="0"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>
      <question type="shortanswer"><questiontext><text></text></questiontext>
        <answer fraction="100"><text>x</text></answer></question>
    </quiz>""".encode()
    errors = [str(e) for e in moodle_xml.parse(xml).errors]
    assert errors == ["第 1 题:判断题缺少答案(正确/错误)", "第 2 题:缺少题干"]


def test_gift_errors_are_numbered():
    text = "第一题 {=对 ~错}\n\n第二题没有正确答案 {~甲 ~乙}\n\n第三题缺括号 {=甲 ~乙\n\n{=无题干}\n".encode()
    errors = [str(e) for e in gift.parse(text).errors]
    assert errors == ["第 2 题:没有正确选项", "第 3 题:答案部分缺少右花括号 }", "第 4 题:缺少题干"]


def test_guess_format_from_extension():
    assert formats.guess("题库.XML") == "moodle-xml"
    assert formats.guess("a.gift") == "gift" and formats.guess("a.txt") == "gift"
    assert formats.guess("模板.xlsx") == "xlsx"
    assert formats.guess("a.doc") is None
