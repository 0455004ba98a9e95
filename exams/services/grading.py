"""Grading: automatic scoring of objective items when an attempt is finalised, the manual marking queue for
case-analysis answers, regrades after a key correction, release of results, and the ledger credit on passing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from org.services import audit_record

from .. import grading
from ..models import Attempt, AttemptItem, Exam, MarkingTask

ZERO = Decimal("0.00")


def _item_auto_score(item: AttemptItem) -> Decimal:
    """The frozen content scored against the response, scaled to the paper's points for the item."""
    content = dict(item.content, points=str(item.points))
    return grading.score(content, item.response)


@transaction.atomic
def attempt_grade(*, attempt: Attempt, now: dt.datetime) -> Attempt:
    """Score a just-finalised (SUBMITTED) attempt: objective items at once; case-analysis items go to the
    marking queue (round 1, and round 2 when the exam is double-marked). With nothing left to mark the attempt
    is GRADED and its result settled (total, pass, ledger credit)."""
    exam = attempt.exam
    for item in attempt.items.all():
        if grading.is_auto_gradable(item.content):
            item.auto_score = item.score = _item_auto_score(item)
            item.needs_marking = False
            item.save(update_fields=["auto_score", "score", "needs_marking"])
        else:
            item.needs_marking = True
            item.score = None
            item.save(update_fields=["score", "needs_marking"])
            rounds = (1, 2) if exam.double_marking else (1,)
            for round_no in rounds:
                MarkingTask.objects.get_or_create(item=item, round=round_no)
    return attempt_settle(attempt=attempt, now=now)


def attempt_settle(*, attempt: Attempt, now: dt.datetime) -> Attempt:
    """When no item awaits marking: total the scores, decide pass/fail, mark GRADED and grant the exam's credit
    (once per officer and exam) on passing. Does nothing while marking is pending."""
    items = list(attempt.items.all())
    if any(i.needs_marking for i in items):
        return attempt
    attempt.score = sum((i.score or ZERO for i in items), ZERO)
    attempt.max_score = sum((i.points for i in items), ZERO)
    attempt.passed = attempt.score >= attempt.exam.pass_score
    if attempt.state == Attempt.State.SUBMITTED:
        attempt.state = Attempt.State.GRADED
        attempt.graded_at = now
    attempt.save(update_fields=["score", "max_score", "passed", "state", "graded_at"])
    audit_record(
        actor=None,
        action="attempt.grade",
        target=attempt,
        data={"score": str(attempt.score), "passed": attempt.passed},
    )
    if attempt.passed:
        exam_credit_grant(exam=attempt.exam, attempt=attempt)
    return attempt


def exam_credit_grant(*, exam: Exam, attempt: Attempt) -> None:
    """The exam's credit on passing, written to the learning ledger once per officer and exam (credit_grant
    is idempotent on its source)."""
    if not (exam.credit_category and exam.credit_hours):
        return
    from learning import services as learning_services

    learning_services.credit_grant(
        officer=attempt.officer,
        year=exam.year,
        category=exam.credit_category,
        hours=exam.credit_hours,
        source_kind="exam",
        source_id=exam.pk,
        actor=None,
        reason=exam.title,
    )
