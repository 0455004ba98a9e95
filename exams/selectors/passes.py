"""Passed exams for many officers at once (certification's eligibility engine, reports): set-based, one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.db.models import FloatField, Max, Q, QuerySet
from django.db.models.functions import Cast

from org.audience import audiences_of
from org.frames import fetch_frame

from ..models import Attempt, Exam

GRADED_STATES = (Attempt.State.GRADED, Attempt.State.RELEASED)
AWAITING_GRADE = (Attempt.State.IN_PROGRESS, Attempt.State.SUBMITTED)


@dataclass(frozen=True)
class ExamPass:
    """An officer's best passed attempt of an exam kind and year."""

    exam_id: int
    title: str
    score: Decimal
    max_score: Decimal
    finished_at: dt.datetime | None
    attempt_id: int


def _attempts(*, officers: QuerySet | None, kind: str, year: int | None) -> QuerySet[Attempt]:
    attempts = Attempt.objects.filter(exam__kind=kind, exam__status=Exam.Status.PUBLISHED)
    if year is not None:
        attempts = attempts.filter(exam__year=year)
    if officers is not None:
        attempts = attempts.filter(officer_id__in=officers.order_by().values("pk"))
    return attempts.order_by()


def best_passes(*, officers: QuerySet | None, kind: str, year: int | None) -> dict[int, ExamPass]:
    """officer_id → the best passed, graded attempt (highest score, then earliest) of a published exam of this kind
    (Exam.Kind) and year (None: any year, e.g. the qualification exam). The same rule as officer_passed_exam_kind, for many officers in one query."""
    rows = (
        _attempts(officers=officers, kind=kind, year=year)
        .filter(state__in=GRADED_STATES, passed=True)
        .values_list("officer_id", "exam_id", "exam__title", "score", "max_score", "submitted_at", "pk")
    )
    out: dict[int, ExamPass] = {}
    for officer_id, exam_id, title, score, max_score, finished, pk in rows:
        best = out.get(officer_id)
        key = (score or Decimal(0), -(finished.timestamp() if finished else 0), -pk)
        if best is None or key > (
            best.score,
            -(best.finished_at.timestamp() if best.finished_at else 0),
            -best.attempt_id,
        ):
            out[officer_id] = ExamPass(exam_id, title, score or Decimal(0), max_score, finished, pk)
    return out


def officers_awaiting_grade(*, officers: QuerySet | None, kind: str, year: int) -> set[int]:
    """Officers with an attempt of this kind and year still in progress or waiting for marking: their result is
    pending, not failed."""
    return set(
        _attempts(officers=officers, kind=kind, year=year)
        .filter(state__in=AWAITING_GRADE)
        .values_list("officer_id", flat=True)
        .distinct()
    )


def passes_frame(*, officers: QuerySet | None, kind: str, year: int) -> pd.DataFrame:
    """One row per officer with a passed attempt: officer_id, best_score (float). For 100,000 officers: the best
    score per officer is taken in the database and read straight from the cursor (no Decimal per row)."""
    rows = fetch_frame(
        _attempts(officers=officers, kind=kind, year=year)
        .filter(state__in=GRADED_STATES, passed=True)
        .values("officer_id")
        .annotate(best_score=Cast(Max("score"), FloatField()))
        .values_list("officer_id", "best_score"),
        ["officer_id", "best_score"],
    )
    rows["best_score"] = rows["best_score"].astype(float)
    return rows


SAT_STATES = (Attempt.State.SUBMITTED, *GRADED_STATES)


def sitting_frame(*, officers: QuerySet, kind: str, year: int) -> pd.DataFrame:
    """Of the officers, those required to sit (in the audience of a published exam of this kind and year), those who
    sat (handed in an attempt of one) and those who passed (a passed, graded attempt: the best_passes rule).
    Columns: officer_id, required, sat, passed (bool); one row per officer with any of the three (officers with
    none are absent). Three queries whatever the number of officers (reports' 参考率 and 通过率)."""
    officer_qs = officers.order_by()
    exams = list(Exam.objects.filter(kind=kind, year=year, status=Exam.Status.PUBLISHED))
    required: set[int] = set()
    if exams:
        audience_q = Q(pk__in=[])
        for audience in audiences_of(exams).values():
            audience_q |= audience.q()
        required = set(officer_qs.filter(audience_q).values_list("pk", flat=True))
    attempts = _attempts(officers=officer_qs, kind=kind, year=year)
    sat: set[int] = set()
    passed: set[int] = set()
    rows = attempts.filter(state__in=SAT_STATES).values_list("officer_id", "state", "passed").distinct()
    for officer_id, state, did_pass in rows:
        sat.add(officer_id)
        if state in GRADED_STATES and did_pass:
            passed.add(officer_id)
    ids = pd.Series(sorted(required | sat), dtype="int64")
    frame = pd.DataFrame({"officer_id": ids})
    frame["required"] = frame["officer_id"].isin(required)
    frame["sat"] = frame["officer_id"].isin(sat)
    frame["passed"] = frame["officer_id"].isin(passed)
    return frame
