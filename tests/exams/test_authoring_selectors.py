"""officer_exams buckets and statuses, and the monitor's counts and scoping."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from exams.models import Attempt, Exam
from exams.selectors.exams import exam_monitor, officer_exams
from tests.exams import factories as f
from tests.org.conftest import world  # noqa: F401

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def _keys(bucket):
    return {row.exam.title: row.key for row in bucket}


def test_officer_exams_buckets(world):  # noqa: F811
    now = timezone.now()
    q = f.question("single")
    paper = f.fixed_paper([q])
    right, wrong = {q: "D"}, {q: "A"}  # the builder's single-choice key is the 4th option
    squad = [world.squad1]
    f.exam(paper, units=squad, title="开放中", pass_score=Decimal(2))
    f.exam(paper, units=squad, title="明天开考", opens_at=now + D, closes_at=now + 2 * D)
    continuing = f.exam(paper, units=squad, title="作答中")
    f.attempt(continuing, world.a1, submit=False)
    passed = f.exam(paper, units=squad, title="已通过", opens_at=now - 3 * D, closes_at=now - 2 * D, pass_score=2)
    f.attempt(passed, world.a1, responses=right, now=now - 2 * D - H)
    makeup = f.exam(
        paper,
        units=squad,
        title="待补考",
        opens_at=now - 3 * D,
        closes_at=now - 2 * D,
        makeup_attempts=1,
        makeup_opens_at=now + D,
        makeup_closes_at=now + 2 * D,
    )
    f.attempt(makeup, world.a1, responses=wrong, now=now - 2 * D - H)
    f.exam(paper, units=squad, title="错过了", opens_at=now - 3 * D, closes_at=now - 2 * D)
    f.exam(paper, units=[world.squad2], title="别的中队")
    f.exam(paper, units=squad, title="草稿", status=Exam.Status.DRAFT)

    buckets = officer_exams(officer=world.a1, now=now)
    assert _keys(buckets["open"]) == {"开放中": "can_start", "作答中": "in_progress"}
    assert _keys(buckets["upcoming"]) == {"明天开考": "not_open", "待补考": "makeup_pending"}
    assert _keys(buckets["finished"]) == {"已通过": "passed", "错过了": "missed"}
    passed_row = next(r for r in buckets["finished"] if r.key == "passed")
    assert passed_row.result is not None and passed_row.result.score == Decimal("2.00")
    makeup_row = next(r for r in buckets["upcoming"] if r.key == "makeup_pending")
    assert makeup_row.is_makeup and makeup_row.opens_at == makeup.makeup_opens_at


def test_result_hidden_when_the_policy_says_so(world):  # noqa: F811
    now = timezone.now()
    q = f.question("single")
    exam = f.exam(f.fixed_paper([q]), units=[world.squad1], show_score="never", opens_at=now - 3 * D, closes_at=now - D)
    f.attempt(exam, world.a1, responses={q: "D"}, now=now - 2 * D)
    row = officer_exams(officer=world.a1, now=now)["finished"][0]
    assert row.result is None and row.key == "submitted"


def test_monitor_counts_and_scope(world):  # noqa: F811
    now = timezone.now()
    q1, q2 = f.question("single"), f.question("true_false")
    exam = f.exam(f.fixed_paper([q1, q2]), units=[world.squad1, world.squad2], pass_score=Decimal(1))
    online = f.attempt(exam, world.a1, submit=False, responses={q1: "A"})
    Attempt.objects.filter(pk=online.pk).update(last_seen_at=now - dt.timedelta(seconds=20))
    away = f.attempt(exam, world.a2, submit=False)
    Attempt.objects.filter(pk=away.pk).update(last_seen_at=now - dt.timedelta(minutes=5))
    f.attempt(exam, world.a3, responses={q1: "D", q2: True})

    everyone = exam_monitor(exam=exam, viewer=world.trainer, now=now)
    assert (everyone.audience, everyone.started, everyone.in_progress, everyone.submitted) == (5, 3, 2, 1)
    assert (everyone.not_started, everyone.online) == (2, 1)
    rows = {r.officer.name: r for r in everyone.rows}
    assert rows["张伟"].online and rows["张伟"].answered == 1 and not rows["王芳"].online
    assert rows["李强"].answered == 2 and rows["刘洋"].attempt is None

    leader = exam_monitor(exam=exam, viewer=world.leader, now=now)
    assert {r.officer.name for r in leader.rows} == {"张伟", "王芳", "李强", "王建国"}
    assert (leader.audience, leader.not_started) == (4, 1)
