"""exams/frozen.py: the one reader of frozen question JSON for what people see."""

from decimal import Decimal

from exams.frozen import FrozenQuestion

CHOICE = {
    "kind": "multiple",
    "stem": "哪些属于城市管理相对集中行政处罚权的范围?",
    "options": [
        {"key": "A", "text": "市容环境卫生", "correct": True},
        {"key": "B", "text": "户外广告", "correct": False},
        {"key": "C", "text": "渣土运输", "correct": True},
        {"key": "D", "text": "食品生产", "correct": False},
    ],
    "explanation": "见《城市管理执法办法》第八条。",
    "rubric": "",
    "points": 2,
}


def test_public_never_carries_the_key_the_explanation_or_the_rubric():
    public = FrozenQuestion.of(dict(CHOICE, rubric="要点")).public()
    text = repr(public)
    assert "correct" not in text and "第八条" not in text and "要点" not in text
    assert [o["label"] for o in public["options"]] == ["A", "B", "C", "D"]


def test_letters_follow_the_sitting_not_the_stored_keys():
    shown = FrozenQuestion.of(CHOICE, ["D", "C", "B", "A"])  # the officer saw D first, as A
    assert shown.labels() == {"D": "A", "C": "B", "B": "C", "A": "D"}
    assert shown.key_text() == "BD"  # keys A and C were shown as D and B: in display order, B then D
    assert shown.response_text(["A", "B"]) == "CD"
    assert shown.key() == ["C", "A"]  # the page gets the stored keys, in display order
    assert [o["correct"] for o in shown.options(with_key=True)] == [False, True, False, True]
    assert [o["correct"] for o in shown.options()] == [None] * 4


def test_other_kinds_as_text():
    assert FrozenQuestion.of({"kind": "true_false", "answer_bool": False}).key_text() == "错误"
    assert FrozenQuestion.of({"kind": "true_false"}).response_text(True) == "正确"
    blank = FrozenQuestion.of({"kind": "blank", "accepted": ["警告", "罚款"]})
    assert blank.key_text() == "警告 / 罚款" and blank.key() == ["警告", "罚款"]
    case = FrozenQuestion.of({"kind": "case", "rubric": "定性准确 3 分", "points": "10"})
    assert case.key_text() == "定性准确 3 分" and case.key() is None and case.points == Decimal("10")
    assert case.response_text("", unanswered="未作答") == "未作答"
