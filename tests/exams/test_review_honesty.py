"""Issue #12 (option letters) and #11 (per-question scores): the review shows the options in the order and with the
letters the officer saw, their chosen letters in that order; the grader's view uses the same letters; a
question's score is shown only when the review policy shows the answers (it would give the key away)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.formats.base import Option
from exams.frozen import FrozenQuestion
from exams.models import Exam, ReviewWhen
from exams.policy import review_visible
from exams.selectors.grading import attempt_result
from tests.exams import factories as f

pytestmark = pytest.mark.django_db

SHOWN = ["D", "B", "C", "A"]  # the sitting's display order of the original keys: D is shown as A


@pytest.fixture
def shuffled(officer):
    """A multiple-choice question whose options the sitting showed as D, B, C, A; the officer picked the options
    shown as B, C, D (keys B, C, A)."""
    multiple = f.question(
        "multiple",
        options=[Option("警告", True), Option("罚款", True), Option("记过"), Option("没收违法所得", True)],
    )
    exam = f.exam(f.fixed_paper([multiple]), officers=[officer])
    attempt = f.attempt(exam, officer, responses={multiple: ["A", "B", "C"]})
    attempt.items.update(option_order=SHOWN)
    closed = timezone.now() - dt.timedelta(days=1)
    Exam.objects.filter(pk=exam.pk).update(opens_at=closed - dt.timedelta(days=1), closes_at=closed)
    return attempt


def test_review_lists_options_in_the_sitting_order_with_the_letters_shown(officer, shuffled):
    result = attempt_result(attempt=shuffled, now=timezone.now())
    options = result.items[0].options
    assert [(o["label"], o["text"]) for o in options] == [
        ("A", "没收违法所得"),
        ("B", "罚款"),
        ("C", "记过"),
        ("D", "警告"),
    ]
    assert [o["label"] for o in options if o["chosen"]] == ["B", "C", "D"]
    assert result.items[0].answer == "BCD"  # what the officer picked, as they saw it
    assert result.items[0].correct == "ABD"  # 没收违法所得, 罚款, 警告 as shown


def test_result_page_shows_the_letters_the_officer_saw(client, officer, shuffled):
    client.force_login(officer.user)
    html = client.get(reverse("exams:attempt_result", args=[shuffled.pk])).content.decode()
    shown = re.findall(r'<span class="opt-label">([A-Z])</span>\. (\S+?)[ <]', html)
    assert shown == [("A", "没收违法所得"), ("B", "罚款"), ("C", "记过"), ("D", "警告")]
    assert re.search(r"我的答案:</span> BCD", html)


def test_the_graders_text_of_an_answer_uses_the_same_letters():
    content = {
        "kind": "single",
        "options": [{"key": k, "text": k, "correct": k == "A"} for k in "ABCD"],
    }
    shown = FrozenQuestion.of(content, SHOWN)
    assert shown.response_text("A") == "D" and shown.key_text() == "D"
    assert FrozenQuestion.of(content).response_text("A") == "A"  # an unshuffled sitting: letters are the keys


# --- per-question scores follow the review policy --------------------------------------------------------------


def test_item_scores_are_a_review_part_visible_only_with_the_answers(officer):
    tf = f.question("true_false")
    exam = f.exam(f.fixed_paper([tf]), officers=[officer], show_score=ReviewWhen.SUBMIT, show_answers=ReviewWhen.CLOSE)
    attempt = f.attempt(exam, officer, responses={tf: False})
    now = timezone.now()
    assert review_visible(exam=exam, attempt=attempt, part="score", now=now)
    assert not review_visible(exam=exam, attempt=attempt, part="item_scores", now=now)
    exam.show_answers = ReviewWhen.SUBMIT
    assert review_visible(exam=exam, attempt=attempt, part="item_scores", now=now)
    exam.show_score = ReviewWhen.NEVER
    assert not review_visible(exam=exam, attempt=attempt, part="item_scores", now=now)


def test_result_page_hides_each_questions_score_while_the_answers_are_hidden(client, officer):
    """A true/false question scored 0 tells the officer the other answer was right, before a second attempt."""
    tf, single = f.question("true_false", points=Decimal("3")), f.question("single")
    exam = f.exam(
        f.fixed_paper([tf, single]),
        officers=[officer],
        attempts_allowed=2,
        show_score=ReviewWhen.SUBMIT,
        show_answers=ReviewWhen.CLOSE,
    )
    attempt = f.attempt(exam, officer, responses={tf: False, single: "D"})
    client.force_login(officer.user)
    url = reverse("exams:attempt_result", args=[attempt.pk])
    html = client.get(url).content.decode()
    assert "得分 2.00 / 5.00" in html  # the total still shows (show_score = after submit)
    assert "得 0.00 分" not in html and "得 2.00 分" not in html
    Exam.objects.filter(pk=exam.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=2), closes_at=timezone.now() - dt.timedelta(days=1)
    )
    html = client.get(url).content.decode()
    assert "得 0.00 分" in html and "得 2.00 分" in html
