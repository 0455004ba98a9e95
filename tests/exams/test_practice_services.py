"""practice_answer: graded on the current version, stored, applied to the wrong-answer book."""

from __future__ import annotations

import pytest
from django.utils import timezone

from exams.models import PracticeAnswer, Question, WrongBookEntry
from exams.services.practice import PracticeRefused, practice_answer
from tests.exams import factories as xf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "right", "wrong"),
    [
        ("single", "D", "A"),
        ("multiple", ["A", "B", "D"], ["A", "B"]),
        ("true_false", True, False),
        ("blank", "事 实", "证据"),
    ],
)
def test_each_objective_kind_is_graded_and_stored(officer, kind, right, wrong):
    q = xf.question(kind)
    bad = practice_answer(officer=officer, question=q, response=wrong, now=timezone.now())
    assert bad.correct is False and bad.entry is not None and bad.entry.cleared_at is None
    good = practice_answer(officer=officer, question=q, response=right, now=timezone.now())
    assert good.correct is True and good.score == good.max_score
    assert good.content["explanation"] and good.content["law_refs"]
    assert list(PracticeAnswer.objects.order_by("answered_at", "id").values_list("correct", flat=True)) == [
        False,
        True,
    ]
    assert WrongBookEntry.objects.get().streak == 1


def test_partial_credit_on_multiple_choice_is_not_right(officer):
    q = xf.question("multiple", scoring_mode="partial")
    feedback = practice_answer(officer=officer, question=q, response=["A", "B"], now=timezone.now())
    assert feedback.score > 0 and feedback.correct is False


def test_inactive_questions_and_unassessed_case_answers_are_refused(officer):
    retired = xf.question("single", status=Question.Status.RETIRED)
    with pytest.raises(PracticeRefused):
        practice_answer(officer=officer, question=retired, response="D", now=timezone.now())
    case = xf.question("case")
    with pytest.raises(PracticeRefused):
        practice_answer(officer=officer, question=case, response="分析……", now=timezone.now())
    assert not PracticeAnswer.objects.exists()
    ok = practice_answer(officer=officer, question=case, response="分析……", now=timezone.now(), self_assessed=True)
    assert ok.correct is True and not WrongBookEntry.objects.exists()
