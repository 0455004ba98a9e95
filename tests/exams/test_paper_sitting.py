"""Cheap starts: a fixed paper's resolved questions are kept in the cache, and a sitting built from them is exactly
the one the uncached path (paper_materialize + option_order with the attempt's seed) builds; draw papers still draw
per sitting; every edit that changes what a paper resolves to is seen by the next start."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exams import services as bank_services
from exams.formats.base import Option
from exams.models import Exam, Paper, PaperRule
from exams.services import exams as exam_services
from exams.services import papers as paper_services
from exams.services.attempts import AttemptRefused, attempt_start
from exams.services.papers import SittingQuestion, option_order, paper_materialize, paper_sitting
from tests.exams import factories as f
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def uncached(paper: Paper, seed: int) -> list[SittingQuestion]:
    """The sitting as the start built it before the cache: materialise, then the option orders, one rng."""
    rng = random.Random(seed)
    drawn = paper_materialize(paper=paper, rng=rng)
    return [
        SittingQuestion(
            d.question.pk,
            d.version.pk,
            d.version.content,
            d.points,
            option_order(content=d.version.content, shuffle=paper.shuffle_options, rng=rng),
        )
        for d in drawn
    ]


def sitting(paper: Paper, seed: int) -> list[SittingQuestion]:
    return paper_sitting(paper_id=paper.pk, rng=random.Random(seed))


@pytest.fixture
def questions():
    return [f.question(kind) for kind in ("single", "multiple", "true_false", "blank", "single", "multiple")]


@pytest.mark.parametrize("shuffle_questions", [False, True])
@pytest.mark.parametrize("shuffle_options", [False, True])
def test_a_cached_fixed_paper_gives_the_sitting_of_the_uncached_path(questions, shuffle_questions, shuffle_options):
    paper = f.fixed_paper(questions, shuffle_questions=shuffle_questions, shuffle_options=shuffle_options)
    cold = sitting(paper, 1)
    assert cold == uncached(paper, 1)
    with CaptureQueriesContext(connection) as warm_queries:
        warm = [sitting(paper, seed) for seed in range(12)]
    assert len(warm_queries) == 0  # the cache alone
    assert warm == [uncached(paper, seed) for seed in range(12)]
    orders = {tuple(q.question_id for q in s) for s in warm}
    options = {tuple(next(q for q in s if q.question_id == questions[0].pk).option_order) for s in warm}
    assert (len(orders) > 1) == shuffle_questions and (len(options) > 1) == shuffle_options


def test_draw_papers_still_draw_per_sitting_from_the_same_pool():
    for n in range(8):
        f.question("single", stem=f"单选题{n}:当场处罚的备案期限?")
    paper = Paper.objects.create(title="随机卷", mode=Paper.Mode.DRAW, shuffle_options=True)
    PaperRule.objects.create(paper=paper, position=1, kind="single", count=3, points_each=Decimal(5))
    sittings = [sitting(paper, seed) for seed in range(6)]
    assert sittings == [uncached(paper, seed) for seed in range(6)]
    assert len({tuple(q.question_id for q in s) for s in sittings}) > 1
    with CaptureQueriesContext(connection) as queries:
        sitting(paper, 7)
    assert len(queries) > 0  # never served from the cache


def test_an_attempt_freezes_what_the_uncached_path_gives_for_its_seed(officer, questions):
    paper = f.fixed_paper(questions, shuffle_questions=True)
    other = OfficerFactory()
    exam = f.exam(paper, officers=[officer, other])
    attempts = [attempt_start(exam=exam, officer=officer), attempt_start(exam=exam, officer=other)]  # cold, warm
    for attempt in attempts:
        stored = [
            SittingQuestion(i.question_id, i.version_id, i.content, i.points, i.option_order)
            for i in attempt.items.order_by("position")
        ]
        assert stored == uncached(paper, attempt.seed)
        attempt.refresh_from_db()
        assert attempt.max_score == sum(q.points for q in stored) == Decimal("12")


def test_a_warm_start_reads_no_paper_table(officer, questions):
    paper = f.fixed_paper(questions)
    exams = [f.exam(paper, officers=[officer], title=f"考试{i}") for i in range(2)]
    attempt_start(exam=exams[0], officer=officer)  # warms the cache
    exam = Exam.objects.get(pk=exams[1].pk)
    with CaptureQueriesContext(connection) as queries:
        attempt = attempt_start(exam=exam, officer=officer)
    sql = " ".join(q["sql"] for q in queries)
    assert "exams_paperitem" not in sql and "exams_questionversion" not in sql and '"exams_paper"' not in sql
    assert 'UPDATE "exams_attempt"' not in sql  # max_score goes in with the insert
    assert attempt.items.count() == len(questions)


def test_a_new_question_version_reaches_the_next_sitting(questions):
    paper = f.fixed_paper(questions)
    assert sitting(paper, 1)[0].content["stem"] == questions[0].versions.get().content["stem"]
    bank_services.question_update(
        question=questions[0],
        data=f.question_data("single", stem="修改后的题干", options=[Option("甲", True), Option("乙")], points=3),
        actor=None,
    )
    first = sitting(paper, 1)[0]
    assert first.content["stem"] == "修改后的题干" and first.points == Decimal("3")
    assert sitting(paper, 1) == uncached(paper, 1)


def test_paper_edits_reach_the_next_sitting(questions):
    """A paper is locked while a published exam uses it; cancelled, it is editable again, and a later exam must
    not get the old questions."""
    paper = f.fixed_paper(questions[:3], shuffle_options=False)
    exam = f.exam(paper)
    assert len(sitting(paper, 1)) == 3
    exam_services.exam_cancel(exam=exam, actor=None, reason="改卷")
    paper_services.paper_item_add(paper=paper, question=questions[3], actor=None)
    assert [q.question_id for q in sitting(paper, 1)] == [q.pk for q in questions[:4]]
    item = paper.items.get(question=questions[3])
    paper_services.paper_item_move(item=item, offset=-1, actor=None)
    assert [q.question_id for q in sitting(paper, 1)] == [q.pk for q in (*questions[:2], questions[3], questions[2])]
    paper_services.paper_item_remove(item=paper.items.get(question=questions[0]), actor=None)
    assert len(sitting(paper, 1)) == 3
    paper_services.paper_update(paper=paper, actor=None, shuffle_options=True, shuffle_questions=True)
    assert sitting(paper, 5) == uncached(paper, 5)
    assert {tuple(q.question_id for q in sitting(paper, s)) for s in range(8)} != {
        tuple(q.question_id for q in sitting(paper, 0))
    }


def test_an_empty_fixed_paper_still_refuses_the_start(officer):
    paper = Paper.objects.create(title="空卷", mode=Paper.Mode.FIXED)
    exam = f.exam(paper, officers=[officer])
    with pytest.raises(AttemptRefused, match="还没有试题"):
        attempt_start(exam=exam, officer=officer, now=timezone.now() + dt.timedelta(minutes=1))
    assert not exam.attempts.exists()
