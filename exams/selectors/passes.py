"""Passed exams for many officers at once (certification's eligibility engine, reports): set-based, one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db.models import FloatField, Max, Q, QuerySet
from django.db.models.functions import Cast

from org.audience import audiences_of
from org.frames import as_bool, fetch_frame, fetch_rows

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
    return sitting_frames(officers=officers, kinds=[kind], year=year)[kind]


def sitting_frames(*, officers: QuerySet, kinds: list[str], year: int) -> dict[str, pd.DataFrame]:
    """`sitting_frame` of several exam kinds at once (reports: the annual and the qualification exam): the attempts
    of all of them in one read, the audiences one query per kind; rows straight from the cursor (org.frames)."""
    officer_qs = officers.order_by()
    exams_by_kind: dict[str, list[Exam]] = {kind: [] for kind in kinds}
    for exam in Exam.objects.filter(kind__in=kinds, year=year, status=Exam.Status.PUBLISHED):
        exams_by_kind[exam.kind].append(exam)
    attempts = fetch_frame(
        Attempt.objects.filter(
            exam__kind__in=kinds,
            exam__status=Exam.Status.PUBLISHED,
            exam__year=year,
            officer_id__in=officer_qs.values("pk"),
            state__in=SAT_STATES,
        )
        .order_by()
        .values_list("officer_id", "exam__kind", "state", "passed")
        .distinct(),
        ["officer_id", "kind", "state", "passed"],
    )
    # passed: a passed attempt that is graded (the best_passes rule); column-wise, not a Python loop over 200,000 rows
    attempts["passed"] = as_bool(attempts["passed"]) & attempts["state"].isin([str(s) for s in GRADED_STATES])
    out = {}
    for kind in kinds:
        required = np.empty(0, dtype="int64")
        if exams_by_kind[kind]:
            audience_q = Q(pk__in=[])
            for audience in audiences_of(exams_by_kind[kind]).values():
                audience_q |= audience.q()
            required = np.array(fetch_rows(officer_qs.filter(audience_q).values_list("pk")), dtype="int64").reshape(-1)
        of_kind = attempts[attempts["kind"] == kind]
        sat = of_kind["officer_id"].to_numpy(dtype="int64")
        passed = of_kind.loc[of_kind["passed"], "officer_id"].to_numpy(dtype="int64")
        frame = pd.DataFrame({"officer_id": np.union1d(required, sat).astype("int64")})
        frame["required"] = frame["officer_id"].isin(required)
        frame["sat"] = frame["officer_id"].isin(sat)
        frame["passed"] = frame["officer_id"].isin(passed)
        out[kind] = frame
    return out
