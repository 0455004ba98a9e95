"""Grading after submit, raced on PostgreSQL (issue #16): the task run twice at once (a retry, two workers given the
same job), the housekeeping safety net and the officer's submit racing the deadline sweep and the proctor. An
attempt is finalised once, its grading task enqueued once, and graded once (one grade audit, one credit, one
wrong-book entry)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.utils import timezone

from exams.models import Attempt, WrongBookEntry
from exams.services import attempts as attempt_services
from exams.services import grading as grading_services
from exams.tasks import grade_attempt
from learning.models import CreditEntry
from org.models import AuditEntry, RoleGrant
from tests.concurrency import run_together
from tests.exams import factories as f
from tests.factories import OfficerFactory, RoleCategoryFactory, UserFactory, grant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue(settings, monkeypatch):
    """A task backend that does not run tasks (so the finalisation enqueues), and a record of every enqueue made
    after a commit, from any thread."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    enqueued: list[int] = []
    lock = threading.Lock()

    def record(*, attempt_id: int) -> None:
        with lock:
            enqueued.append(attempt_id)

    monkeypatch.setattr(grading_services, "attempt_grade_enqueue", record)
    return enqueued


@pytest.fixture
def sitting(postgres_only):
    from content.services import credit_category_ensure

    credit_category_ensure(code="law_exam", name="学法考试")
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    single, tf = f.question("single"), f.question("true_false")
    exam = f.exam(
        f.fixed_paper([single, tf]),
        officers=[officer],
        pass_score=Decimal("2"),
        credit_category="law_exam",
        credit_hours=Decimal("40"),
    )
    # Right on true/false (passed), wrong on the single choice (a wrong-book entry).
    attempt = f.attempt(exam, officer, submit=False, responses={single: "A", tf: True})
    return officer, attempt


def _graded_once(officer, attempt) -> None:
    attempt.refresh_from_db()
    assert attempt.state in (Attempt.State.GRADED, Attempt.State.RELEASED) and attempt.scored_at is not None
    assert attempt.score == Decimal("2.00") and attempt.passed is True
    assert AuditEntry.objects.filter(action="attempt.grade", target_id=str(attempt.pk)).count() == 1
    assert CreditEntry.objects.filter(officer=officer, source_kind="exam").count() == 1
    entry = WrongBookEntry.objects.get(officer=officer)
    assert entry.wrong_count == 1
    assert attempt.items.filter(score__isnull=True).count() == 0


def test_two_workers_the_safety_net_and_a_retry_grade_once(queue, sitting):
    officer, attempt = sitting
    now = timezone.now()
    attempt_services.attempt_submit(attempt=attempt, now=now - dt.timedelta(minutes=2))
    assert queue == [attempt.pk]

    later = now + dt.timedelta(seconds=1)
    results, errors = run_together(
        lambda: grade_attempt.call(attempt.pk),
        lambda: grade_attempt.call(attempt.pk),
        lambda: grading_services.attempts_grade_lost(now=later),
        lambda: grading_services.attempt_grade_pending(attempt_id=attempt.pk, now=later),
    )

    assert not errors
    assert sum(int(r) for r in results) == 1  # True/1 from the one that graded; False/0 from the others
    _graded_once(officer, attempt)


def test_submit_sweep_and_proctor_racing_finalise_and_enqueue_once(queue, sitting):
    officer, attempt = sitting
    proctor = UserFactory(username="pg-proctor")
    grant(proctor, RoleGrant.Role.TRAINER)
    deadline = timezone.now() - dt.timedelta(seconds=1)  # just past: the officer's submit is inside the grace
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    attempt.refresh_from_db()
    sweep_at = deadline + dt.timedelta(hours=1)  # the sweep sees it past the grace period

    _results, errors = run_together(
        lambda: attempt_services.attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk)),
        lambda: attempt_services.attempts_sweep_overdue(now=sweep_at),
        lambda: attempt_services.attempt_force_submit(
            attempt=Attempt.objects.get(pk=attempt.pk), actor=proctor, reason="监考强制交卷"
        ),
    )

    # The proctor coming second is told the attempt is already handed in; nothing else may fail.
    assert all(isinstance(e, attempt_services.AttemptRefused) for e in errors) and len(errors) <= 1
    finalisations = AuditEntry.objects.filter(
        target_id=str(attempt.pk), action__in=("attempt.submit", "attempt.finalize_deadline", "attempt.force_submit")
    )
    assert finalisations.count() == 1
    assert queue == [attempt.pk]
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED and attempt.scored_at is None

    results, errors = run_together(*[lambda: grade_attempt.call(attempt.pk) for _ in range(3)])
    assert not errors and sorted(results) == [False, False, True]
    _graded_once(officer, attempt)
