"""Submit acknowledges at once and the task worker grades after the commit (issue #16): the pending state, the
task (idempotent), the sweep and the proctor enqueueing it, the housekeeping safety net for a lost task, and the
result page showing 评分中 until the grade is there. With the immediate backend (tests, `make run`) grading stays
inside the submit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt, MarkingTask, WrongBookEntry
from exams.services import attempts as attempt_services
from exams.services import grading as grading_services
from exams.tasks import grade_attempt
from learning.models import CreditEntry
from org.housekeeping import run_due
from org.models import AuditEntry
from tests.exams import factories as f

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def deferred(settings):
    """A queue that keeps the enqueued tasks instead of running them: the production shape (a task worker)."""
    settings.TASKS = DUMMY
    backend = grade_attempt.get_backend()
    backend.clear()
    return backend


@pytest.fixture
def exam(officer):
    from content.services import credit_category_ensure

    credit_category_ensure(code="law_exam", name="学法考试")
    questions = [f.question("single"), f.question("true_false")]  # keys D and True, 2 points each
    return f.exam(
        f.fixed_paper(questions),
        officers=[officer],
        pass_score=Decimal("4"),
        credit_category="law_exam",
        credit_hours=Decimal("40"),
    )


def _open(exam, officer, **responses):
    """An attempt in progress, wrong on the single choice (C) unless told otherwise, right on true/false."""
    single, tf = (i.question for i in exam.paper.items.order_by("position"))
    return f.attempt(exam, officer, submit=False, responses={single: responses.get("single", "C"), tf: True})


def _grade_audits(attempt) -> int:
    return AuditEntry.objects.filter(action="attempt.grade", target_id=str(attempt.pk)).count()


def test_submit_acknowledges_ungraded_and_enqueues_the_task_after_commit(
    officer, exam, deferred, django_capture_on_commit_callbacks
):
    attempt = _open(exam, officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        done = attempt_services.attempt_submit(attempt=attempt)
        assert deferred.results == []  # nothing is queued before the submit commits
    for callback in callbacks:
        callback()

    assert done.state == Attempt.State.SUBMITTED and done.scored_at is None and done.score is None
    assert [(r.task.name, r.args) for r in deferred.results] == [(grade_attempt.name, [attempt.pk])]
    assert not attempt.items.filter(score__isnull=False).exists()
    assert _grade_audits(attempt) == 0
    assert AuditEntry.objects.filter(action="attempt.submit", target_id=str(attempt.pk)).count() == 1


def test_the_task_grades_once_and_a_rerun_changes_nothing(officer, exam, deferred, django_capture_on_commit_callbacks):
    attempt = _open(exam, officer, single="D")
    with django_capture_on_commit_callbacks(execute=True):
        attempt_services.attempt_submit(attempt=attempt)

    assert grade_attempt.call(attempt.pk) is True
    attempt.refresh_from_db()
    assert attempt.state in (Attempt.State.GRADED, Attempt.State.RELEASED)
    assert attempt.scored_at is not None and attempt.graded_at is not None
    assert attempt.score == Decimal("4.00") and attempt.passed is True
    assert CreditEntry.objects.filter(officer=officer, source_kind="exam").count() == 1

    scored_at = attempt.scored_at
    assert grade_attempt.call(attempt.pk) is False  # a retry, a second worker, the safety net
    assert grading_services.attempts_grade_lost(now=timezone.now() + dt.timedelta(minutes=5)) == 0
    attempt.refresh_from_db()
    assert attempt.scored_at == scored_at
    assert _grade_audits(attempt) == 1
    assert CreditEntry.objects.filter(officer=officer, source_kind="exam").count() == 1


def test_the_wrong_book_is_written_by_the_task_once(officer, exam, deferred, django_capture_on_commit_callbacks):
    attempt = _open(exam, officer)  # the single choice wrong
    with django_capture_on_commit_callbacks(execute=True):
        attempt_services.attempt_submit(attempt=attempt)
    assert not WrongBookEntry.objects.filter(officer=officer).exists()

    grade_attempt.call(attempt.pk)
    grade_attempt.call(attempt.pk)

    entries = WrongBookEntry.objects.filter(officer=officer)
    assert entries.count() == 1 and entries.get().wrong_count == 1


def test_case_answers_reach_the_marking_queue_once_and_the_attempt_waits(
    officer, deferred, django_capture_on_commit_callbacks
):
    case = f.question("case")
    exam = f.exam(f.fixed_paper([f.question("single"), case]), officers=[officer], double_marking=True)
    attempt = f.attempt(exam, officer, submit=False, responses={case: "先责令改正"})
    with django_capture_on_commit_callbacks(execute=True):
        attempt_services.attempt_submit(attempt=attempt)

    grade_attempt.call(attempt.pk)
    grade_attempt.call(attempt.pk)

    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED and attempt.scored_at is not None
    assert MarkingTask.objects.filter(item__attempt=attempt).count() == 2  # rounds 1 and 2, not four


def test_sweep_and_proctor_enqueue_too(officer, exam, trainer, deferred, django_capture_on_commit_callbacks):
    overdue = _open(exam, officer)
    Attempt.objects.filter(pk=overdue.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert attempt_services.attempts_sweep_overdue() == 1
    overdue.refresh_from_db()
    assert overdue.state == Attempt.State.SUBMITTED and overdue.scored_at is None

    forced = _open(exam, officer)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_services.attempt_force_submit(attempt=forced, actor=trainer, reason="使用手机")

    assert sorted(r.args[0] for r in deferred.results) == sorted([overdue.pk, forced.pk])
    for result in deferred.results:
        grade_attempt.call(*result.args)
    assert not Attempt.objects.filter(scored_at__isnull=True).exists()


def test_safety_net_grades_a_lost_task_after_a_minute_only(officer, exam, deferred):
    attempt = _open(exam, officer, single="D")
    now = timezone.now()
    attempt_services.attempt_submit(attempt=attempt, now=now)  # on_commit never runs here: the task is lost

    assert grading_services.attempts_grade_lost(now=now + dt.timedelta(seconds=30)) == 0
    assert grading_services.attempts_grade_lost(now=now + dt.timedelta(seconds=61)) == 1

    attempt.refresh_from_db()
    assert attempt.scored_at is not None and attempt.passed is True
    assert grade_attempt.call(attempt.pk) is False  # the task arriving late does nothing


def test_housekeeping_runs_the_safety_net(officer, exam, deferred):
    attempt = _open(exam, officer)
    attempt_services.attempt_submit(attempt=attempt, now=timezone.now() - dt.timedelta(minutes=2))

    done = dict(run_due({}, only="exams.grade_lost"))

    assert "1 submitted attempt(s) graded" in done["exams.grade_lost"]
    attempt.refresh_from_db()
    assert attempt.scored_at is not None


def test_a_regrade_before_the_task_leaves_the_grading_to_the_task(
    officer, exam, trainer, deferred, django_capture_on_commit_callbacks
):
    attempt = _open(exam, officer, single="D")
    with django_capture_on_commit_callbacks(execute=True):
        attempt_services.attempt_submit(attempt=attempt)
    single = exam.paper.items.order_by("position").first().question

    grading_services.exam_regrade(exam=exam, question=single, actor=trainer, reason="答案更正")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED and attempt.scored_at is None

    assert grade_attempt.call(attempt.pk) is True
    attempt.refresh_from_db()
    assert attempt.score == Decimal("4.00")


def test_immediate_backend_grades_inside_the_submit(officer, exam):
    attempt = _open(exam, officer, single="D")

    done = attempt_services.attempt_submit(attempt=attempt)

    assert done.state in (Attempt.State.GRADED, Attempt.State.RELEASED)
    assert done.scored_at is not None and done.score == Decimal("4.00")


# --- the officer's pages ------------------------------------------------------------------------------------


def test_result_page_shows_grading_and_refreshes_until_graded(
    client, officer, exam, deferred, django_capture_on_commit_callbacks
):
    attempt = _open(exam, officer, single="D")
    client.force_login(officer.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exams:attempt_submit", args=[attempt.pk]), {"answers": []}, content_type="application/json"
        )
    assert response.status_code == 200
    assert response.json()["state"] == "submitted"
    url = response.json()["result_url"]

    pending = client.get(url).content.decode()
    assert "评分中" in pending and 'http-equiv="refresh"' in pending
    assert "得分" not in pending and "阅卷中" not in pending

    grade_attempt.call(attempt.pk)
    graded = client.get(url).content.decode()
    assert "评分中" not in graded and 'http-equiv="refresh"' not in graded
    assert "得分 4.00 / 4.00" in graded


def test_result_page_in_english_says_grading(client, officer, exam, deferred):
    attempt = _open(exam, officer)
    attempt_services.attempt_submit(attempt=attempt)
    client.force_login(officer.user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(reverse("exams:attempt_result", args=[attempt.pk])).content.decode()

    assert "Grading…" in page and "评分中" not in page


def test_another_officer_cannot_see_a_pending_result(client, officer, exam, deferred):
    from tests.factories import OfficerFactory

    attempt = _open(exam, officer)
    attempt_services.attempt_submit(attempt=attempt)
    client.force_login(OfficerFactory().user)

    assert client.get(reverse("exams:attempt_result", args=[attempt.pk])).status_code == 404
