"""Races on PostgreSQL with real threads: submits, sweeps and proctors finalising the same overdue attempts give
exactly one finalisation each; concurrent starts give one attempt; saves racing a submit never write into a
graded attempt."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exams.models import Attempt, AttemptItem
from exams.services.attempts import (
    AnswerIn,
    AttemptRefused,
    attempt_save,
    attempt_save_owned,
    attempt_start,
    attempt_submit,
    attempts_sweep_overdue,
)
from org.models import AuditEntry
from tests.concurrency import run_together
from tests.exams import factories as f
from tests.factories import OfficerFactory, RoleCategoryFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _exam(officers, **kw):
    questions = [f.question(kind) for kind in ("single", "true_false", "blank")]
    now = timezone.now()
    return f.exam(f.fixed_paper(questions), officers=officers, opens_at=now - dt.timedelta(hours=3), **kw)


def test_submits_and_sweeps_racing_finalise_each_overdue_attempt_once(postgres_only):
    role = RoleCategoryFactory()
    officers = [OfficerFactory(role_category=role) for _ in range(3)]
    exam = _exam(officers, duration_minutes=30)
    started = timezone.now() - dt.timedelta(hours=2)
    attempts = [attempt_start(exam=exam, officer=o, now=started) for o in officers]
    calls = []
    for attempt in attempts:
        calls += [lambda a=attempt: attempt_submit(attempt=Attempt.objects.get(pk=a.pk))] * 2
    calls += [attempts_sweep_overdue] * 3
    results, errors = run_together(*calls)
    assert not errors, errors
    swept = sum(r for r in results if isinstance(r, int))
    assert swept <= len(attempts)
    for attempt in attempts:
        attempt.refresh_from_db()
        assert attempt.state in (Attempt.State.GRADED, Attempt.State.RELEASED)
        assert attempt.submitted_at == attempt.deadline
        assert attempt.finished_by == Attempt.FinishedBy.DEADLINE
        rows = AuditEntry.objects.filter(target_type="exams.Attempt", target_id=str(attempt.pk))
        assert (
            rows.filter(action__in=["attempt.submit", "attempt.finalize_deadline", "attempt.force_submit"]).count() == 1
        )
        assert rows.filter(action="attempt.grade").count() == 1


def test_concurrent_starts_give_one_attempt(postgres_only):
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    exam = _exam([officer], attempts_allowed=3)
    results, errors = run_together(*[lambda: attempt_start(exam=exam, officer=officer)] * 6)
    assert not errors, errors
    assert len({a.pk for a in results}) == 1
    assert Attempt.objects.filter(exam=exam, officer=officer).count() == 1
    assert AttemptItem.objects.filter(attempt=results[0]).count() == 3
    assert AuditEntry.objects.filter(action="attempt.start", target_id=str(results[0].pk)).count() == 1


def test_saves_racing_a_submit_never_change_the_graded_attempt(postgres_only):
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    exam = _exam([officer])
    attempt = attempt_start(exam=exam, officer=officer)
    item = attempt.items.get(position=2)  # true/false

    def save(seq):
        def call():
            try:
                return attempt_save(attempt=attempt, answers=[AnswerIn(item.pk, seq, seq % 2 == 0)])
            except AttemptRefused:
                return "refused"

        return call

    results, errors = run_together(
        *[save(seq) for seq in range(1, 6)], lambda: attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk))
    )
    assert not errors, errors
    attempt.refresh_from_db()
    item.refresh_from_db()
    # whatever was saved before the submit is what was graded
    graded_with = item.auto_score
    assert graded_with is not None
    expected = item.points if item.response is True else 0
    assert graded_with == expected


# --- the one-statement autosave (attempt_save_owned) ----------------------------------------------------------


def test_one_statement_saves_racing_a_submit_never_change_the_graded_attempt(postgres_only):
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    exam = _exam([officer])
    attempt = attempt_start(exam=exam, officer=officer)
    item = attempt.items.get(position=2)  # true/false

    def save(seq):
        return lambda: attempt_save_owned(
            user=officer.user, attempt_id=attempt.pk, answers=[AnswerIn(item.pk, seq, seq % 2 == 0)]
        )

    calls = [save(seq) for seq in range(1, 9)]
    calls.insert(4, lambda: attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk)))
    results, errors = run_together(*calls)
    assert not errors, errors
    attempt.refresh_from_db()
    item.refresh_from_db()
    assert attempt.state in (Attempt.State.GRADED, Attempt.State.RELEASED)
    # what was stored before the submit is what was graded; a save after it wrote nothing (None: refused)
    assert item.auto_score == (item.points if item.response is True else 0)
    acked = [r for r in results if r is not None and not isinstance(r, Attempt)]
    for result in acked:
        for ack in result.acked:
            assert ack["stored"] >= ack["seq"] and ack["seq"] <= item.seq


def test_one_statement_save_writes_only_the_plain_case(postgres_only):
    officer, other = (OfficerFactory(role_category=RoleCategoryFactory()) for _ in range(2))
    exam = _exam([officer, other])
    attempt = attempt_start(exam=exam, officer=officer)
    single, tf, _blank = attempt.items.order_by("position")
    key = single.content["options"][0]["key"]

    saved = attempt_save_owned(user=officer.user, attempt_id=attempt.pk, answers=[AnswerIn(tf.pk, 2, True)])
    assert saved.acked == [{"item": tf.pk, "seq": 2, "applied": True, "stored": 2}]
    assert saved.attempt.deadline == attempt.deadline
    stale = attempt_save_owned(user=officer.user, attempt_id=attempt.pk, answers=[AnswerIn(tf.pk, 1, False)])
    assert stale.acked == [{"item": tf.pk, "seq": 1, "applied": False, "stored": 2}]
    tf.refresh_from_db()
    assert (tf.seq, tf.response) == (2, True)

    # Not the plain case: nothing written, None (attempt_save decides and says why).
    assert attempt_save_owned(user=other.user, attempt_id=attempt.pk, answers=[AnswerIn(single.pk, 1, key)]) is None
    assert attempt_save_owned(user=officer.user, attempt_id=attempt.pk, answers=[AnswerIn(single.pk, 1, "Z")]) is None
    assert attempt_save_owned(user=officer.user, attempt_id=attempt.pk, answers=[AnswerIn(10**12, 1, key)]) is None
    late = attempt.deadline + dt.timedelta(hours=1)
    assert (
        attempt_save_owned(user=officer.user, attempt_id=attempt.pk, answers=[AnswerIn(single.pk, 1, key)], now=late)
        is None
    )
    single.refresh_from_db()
    assert single.seq == 0 and single.response is None
    attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk))
    assert attempt_save_owned(user=officer.user, attempt_id=attempt.pk, answers=[AnswerIn(single.pk, 1, key)]) is None
    single.refresh_from_db()
    assert single.seq == 0


def test_one_statement_save_steps_aside_when_a_regrade_changed_the_item(postgres_only):
    """The validation rules are kept per process; a regrade (a new version of an item) makes the statement write
    nothing for that item and return None, so attempt_save validates against the new content."""
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    exam = _exam([officer])
    attempt = attempt_start(exam=exam, officer=officer)
    tf = attempt.items.get(position=2)
    assert attempt_save_owned(user=officer.user, attempt_id=attempt.pk, answers=[AnswerIn(tf.pk, 1, True)])
    newer = f.question("true_false").versions.first()
    AttemptItem.objects.filter(pk=tf.pk).update(version=newer)  # what exam_regrade does to the item
    assert attempt_save_owned(user=officer.user, attempt_id=attempt.pk, answers=[AnswerIn(tf.pk, 2, False)]) is None
    tf.refresh_from_db()
    assert (tf.seq, tf.response) == (1, True)  # nothing written by the statement
    saved = attempt_save(attempt=Attempt.objects.get(pk=attempt.pk), answers=[AnswerIn(tf.pk, 2, False)])
    assert saved.acked[0]["applied"] is True
    # the rules were read again: the plain path works for the next save
    again = attempt_save_owned(user=officer.user, attempt_id=attempt.pk, answers=[AnswerIn(tf.pk, 3, True)])
    assert again.acked == [{"item": tf.pk, "seq": 3, "applied": True, "stored": 3}]
