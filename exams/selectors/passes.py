"""Passed exams for many officers at once (certification's eligibility engine, reports): set-based, one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.db.models import FloatField, Max, QuerySet
from django.db.models.functions import Cast

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
