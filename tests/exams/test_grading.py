from decimal import Decimal

import pytest

from exams.formats.base import Option, QuestionData
from exams.grading import ManualGradingRequired, is_auto_gradable, score


def content(kind, **kw):
    return QuestionData(kind=kind, stem="题干", **kw).to_content()


SINGLE = content("single", options=[Option("甲"), Option("乙", True), Option("丙")], points=Decimal("2"))


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("B", "2.00"),
        (["B"], "2.00"),
        ("b", "2.00"),
        ("Ｂ", "2.00"),
        ("A", "0.00"),
        ("AB", "0.00"),
        ("", "0.00"),
        (None, "0.00"),
    ],
)
def test_single_choice(answer, expected):
    assert score(SINGLE, answer) == Decimal(expected)


MULTI_OPTIONS = [Option("甲", True), Option("乙"), Option("丙", True), Option("丁")]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("AC", "2.00"), ("CA", "2.00"), (["A", "C"], "2.00"), ("A", "0.00"), ("ACD", "0.00"), ("", "0.00")],
)
def test_multiple_all_or_nothing(answer, expected):
    c = content("multiple", options=MULTI_OPTIONS, scoring_mode="all", points=Decimal("2"))
    assert score(c, answer) == Decimal(expected)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("AC", "2.00"),  # both correct
        ("A", "1.00"),  # one of two correct: 2/2 each
        ("ACD", "1.00"),  # two right, one wrong: 2 - 1
        ("AD", "0.00"),  # one right, one wrong
        ("BD", "0.00"),  # only wrong: floored at 0, never negative
        ("ABCD", "0.00"),
        ("A,C", "2.00"),
        ("ＡＣ", "2.00"),  # full-width letters
        ("ACZ", "1.00"),  # a key that is not an option counts as a wrong choice
    ],
)
def test_multiple_partial_credit(answer, expected):
    c = content("multiple", options=MULTI_OPTIONS, scoring_mode="partial", points=Decimal("2"))
    assert score(c, answer) == Decimal(expected)


def test_partial_credit_with_three_correct_rounds_and_reaches_full_points():
    c = content(
        "multiple",
        options=[Option("a", True), Option("b", True), Option("c", True), Option("d")],
        scoring_mode="partial",
        points=Decimal("2"),
    )
    assert score(c, "A") == Decimal("0.67")
    assert score(c, "AB") == Decimal("1.33")
    assert score(c, "ABC") == Decimal("2.00")
    assert score(c, "ABCD") == Decimal("1.33")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (True, "1.00"),
        ("正确", "1.00"),
        ("对", "1.00"),
        ("√", "1.00"),
        ("T", "1.00"),
        (False, "0.00"),
        ("错误", "0.00"),
        ("", "0.00"),
        (None, "0.00"),
    ],
)
def test_true_false(answer, expected):
    assert score(content("true_false", answer_bool=True), answer) == Decimal(expected)


def test_true_false_false_answer():
    c = content("true_false", answer_bool=False)
    assert score(c, "错误") == Decimal("1.00")
    assert score(c, True) == Decimal("0.00")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("十五日", "3.00"),
        ("１５日", "3.00"),  # full-width digits
        (" 15 日 ", "3.00"),  # stray spaces
        ("15\u3000日", "3.00"),  # ideographic space
        ("十五天", "0.00"),
        ("", "0.00"),
        (None, "0.00"),
    ],
)
def test_blank_normalises_width_and_spaces(answer, expected):
    c = content("blank", accepted=["十五日", "15日"], points=Decimal("3"))
    assert score(c, answer) == Decimal(expected)


def test_blank_is_case_insensitive_for_latin():
    c = content("blank", accepted=["GB 50016"])
    assert score(c, "ｇｂ50016") == Decimal("1.00")


def test_case_analysis_needs_a_person():
    c = content("case", rubric="指出违法事实、法律依据、处罚种类")
    assert not is_auto_gradable(c)
    with pytest.raises(ManualGradingRequired):
        score(c, "任意作答")
