"""Reads of the grading area: passed-exam checks for certification, the grader's queue, an officer's result as
the review policy lets them see it, and per-exam results with statistics (pass rate, mean, item analysis)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.db.models import Count, F, Max, Min, Q, QuerySet

from org.scopes import officers_visible_to, roles_of

from ..frozen import FrozenQuestion
from ..models import Attempt, AttemptItem, Exam, MarkingTask, Question
from ..policy import review_visible

GRADED_STATES = (Attempt.State.GRADED, Attempt.State.RELEASED)
FINALISED = (Attempt.State.SUBMITTED, *GRADED_STATES)
GROUP_SHARE = 0.27  # the upper and lower groups of the discrimination index


def officer_passed_exam_kind(*, officer, kind: str, year: int) -> bool:
    """Has the officer passed a published exam of this kind (Exam.Kind) and year? (certification's rule)"""
    return Attempt.objects.filter(
        officer=officer,
        exam__kind=kind,
        exam__year=year,
        exam__status=Exam.Status.PUBLISHED,
        state__in=GRADED_STATES,
        passed=True,
    ).exists()


# --- the grader -----------------------------------------------------------------------------------------------


def grader_tasks(*, grader) -> QuerySet[MarkingTask]:
    """The grader's own tasks, unmarked first (oldest first), then the marked ones (latest first)."""
    return (
        MarkingTask.objects.filter(grader=grader)
        .select_related("item__attempt__exam")
        .order_by(F("marked_at").desc(nulls_first=True), "item__attempt__exam_id", "item_id", "round")
    )


def grader_pending(*, grader) -> QuerySet[MarkingTask]:
    return grader_tasks(grader=grader).filter(marked_at__isnull=True)


@dataclass
class MarkingView:
    """What a grader sees of an answer: the question, rubric and answer, never the officer or other marks."""

    task: MarkingTask
    exam_title: str
    stem: str
    rubric: str
    answer: str
    points: Decimal
    round_label: str


def marking_view(*, task: MarkingTask) -> MarkingView:
    item = task.item
    question = FrozenQuestion.of_item(item)
    return MarkingView(
        task=task,
        exam_title=item.attempt.exam.title,
        stem=question.stem,
        rubric=question.rubric,
        answer=question.response_text(item.response),
        points=item.points,
        round_label=str(task.round),
    )


def exam_marking_overview(*, exam: Exam) -> dict:
    tasks = MarkingTask.objects.filter(item__attempt__exam=exam)
    per_grader = (
        tasks.filter(grader__isnull=False)
        .values("grader", "grader__username")
        .annotate(total=Count("id"), pending=Count("id", filter=Q(marked_at__isnull=True)))
        .order_by("grader__username")
    )
    return {
        "total": tasks.count(),
        "pending": tasks.filter(marked_at__isnull=True).count(),
        "unassigned": tasks.filter(grader__isnull=True, marked_at__isnull=True).count(),
        "per_grader": list(per_grader),
        "open_tasks": list(
            tasks.filter(marked_at__isnull=True).select_related("grader", "item").order_by("round", "item_id")
        ),
    }


# --- the officer's result ---------------------------------------------------------------------------------------


@dataclass
class ResultItem:
    position: int
    kind_label: str
    stem: str
    options: list[dict]  # {"key", "label" (the letter shown in the sitting), "text", "chosen", "correct" (None
    # unless answers are visible)}, in the sitting's display order
    answer: str
    points: Decimal
    score: Decimal | None  # None unless item scores are visible (policy part "item_scores")
    correct: str | None  # the key / accepted answers / rubric, only when answers are visible
    explanation: str | None  # only when explanations are visible
    comments: list[str] = field(default_factory=list)


@dataclass
class AttemptResult:
    attempt: Attempt
    show_score: bool
    show_answers: bool
    show_explanations: bool
    grading: bool  # submitted, the grading task has not run yet: the page shows 评分中 and reloads itself
    pending_marking: bool
    items: list[ResultItem]


def attempt_result(*, attempt: Attempt, now: dt.datetime) -> AttemptResult:
    """The officer's review of their attempt. Keys and explanations are copied out of the frozen content only
    when exams.policy.review_visible allows; nothing else of the content leaves this function."""
    exam = attempt.exam
    show_score = review_visible(exam=exam, attempt=attempt, part="score", now=now)
    show_answers = review_visible(exam=exam, attempt=attempt, part="answers", now=now)
    show_explanations = review_visible(exam=exam, attempt=attempt, part="explanations", now=now)
    show_item_scores = review_visible(exam=exam, attempt=attempt, part="item_scores", now=now)
    kinds = dict(Question.Kind.choices)
    items = []
    for item in attempt.items.prefetch_related("marking_tasks").order_by("position"):
        question = FrozenQuestion.of_item(item)
        options = question.options(chosen=question.chosen_keys(item.response), with_key=show_answers)
        comments = []
        if show_score:  # the markers' feedback comes with the result (a comment gives no key away by itself)
            comments = [t.comment for t in item.marking_tasks.all() if t.marked_at and t.comment]
        items.append(
            ResultItem(
                position=item.position,
                kind_label=str(kinds.get(question.kind, question.kind)),
                stem=question.stem,
                options=options,
                answer=question.response_text(item.response),
                points=item.points,
                score=item.score if show_item_scores else None,
                correct=question.key_text() if show_answers else None,
                explanation=question.explanation if show_explanations else None,
                comments=comments,
            )
        )
    return AttemptResult(
        attempt=attempt,
        show_score=show_score,
        show_answers=show_answers,
        show_explanations=show_explanations,
        grading=attempt.state == Attempt.State.SUBMITTED and attempt.scored_at is None,
        pending_marking=attempt.state == Attempt.State.SUBMITTED and attempt.scored_at is not None,
        items=items,
    )


# --- results and statistics ---------------------------------------------------------------------------------


def may_view_results(user, exam: Exam) -> bool:
    roles = roles_of(user)
    return roles.may_use_cms or roles.is_unit_leader


def may_manage_marking(user, exam: Exam) -> bool:
    """The exam's owner, HR and admins assign graders."""
    roles = roles_of(user)
    return roles.sees_everyone or (roles.may_use_cms and exam.created_by_id == user.pk)


def exam_attempts_for(*, exam: Exam, viewer) -> QuerySet[Attempt]:
    """The exam's finalised attempts the viewer may see (unit leaders: their subtree)."""
    return (
        Attempt.objects.filter(exam=exam, state__in=FINALISED, officer__in=officers_visible_to(viewer))
        .select_related("officer__unit")
        .order_by("officer__unit__path", "officer__employee_no", "number")
    )


def results_rows(*, attempts) -> list[dict]:
    return [
        {
            "attempt": a,
            "unit": a.officer.unit.name if a.officer.unit_id else "",
            "unit_path": a.officer.unit.full_path if a.officer.unit_id else "",
            "employee_no": a.officer.employee_no,
            "name": a.officer.name,
            "number": a.number,
            "is_makeup": a.is_makeup,
            "score": a.score if a.state in GRADED_STATES else None,
            "max_score": a.max_score,
            "passed": a.passed if a.state in GRADED_STATES else None,
            "state": a.get_state_display(),
            "submitted_at": a.submitted_at,
        }
        for a in attempts
    ]


def results_summary(*, rows: list[dict]) -> dict:
    """Per officer their best graded attempt counts: 参考人数, graded, passed, pass rate, mean score."""
    best: dict[str, dict] = {}
    officers = set()
    for row in rows:
        officers.add(row["employee_no"])
        if row["score"] is None:
            continue
        current = best.get(row["employee_no"])
        if current is None or row["score"] > current["score"]:
            best[row["employee_no"]] = row
    graded = list(best.values())
    passed = sum(1 for r in graded if r["passed"])
    mean = (sum((r["score"] for r in graded), Decimal(0)) / len(graded)).quantize(Decimal("0.01")) if graded else None
    return {
        "officers": len(officers),
        "graded": len(graded),
        "passed": passed,
        "pass_rate": round(100 * passed / len(graded), 1) if graded else None,
        "mean": mean,
    }


def question_statistics(*, attempts) -> list[dict]:
    """Item analysis over graded attempts: per question the difficulty index P (mean share of its points
    earned) and the discrimination index D (upper 27% of attempts by total minus lower 27%, each the mean
    share of the question's points among the attempts of that group that had the question; for drawn papers a
    question counts only in the attempts that drew it). Group size: round(27% of N), at least 1."""
    graded = [a for a in attempts if a.state in GRADED_STATES and a.score is not None]
    if not graded:
        return []
    scored = AttemptItem.objects.filter(attempt__in=[a.pk for a in graded], score__isnull=False)
    frame = pd.DataFrame.from_records(
        [
            {"attempt": r["attempt_id"], "question": r["question_id"], "share": float(r["score"]) / float(r["points"])}
            for r in scored.values("attempt_id", "question_id", "points", "score")
        ]
    )
    if frame.empty:
        return []
    # Stem and kind as frozen in one sitting per question (not every sitting's whole content JSON).
    sample_ids = scored.values("question_id").annotate(last=Max("pk")).values_list("last", flat=True)
    frozen = {
        question_id: content
        for question_id, content in AttemptItem.objects.filter(pk__in=list(sample_ids)).values_list(
            "question_id", "content"
        )
    }
    totals = sorted(((float(a.score), a.pk) for a in graded), reverse=True)
    n = len(totals)
    group = max(1, int(math.floor(GROUP_SHARE * n + 0.5)))
    upper = {pk for _score, pk in totals[:group]}
    lower = {pk for _score, pk in totals[-group:]}
    kinds = dict(Question.Kind.choices)
    rows = []
    for question_id, sub in frame.groupby("question", sort=True):
        up = sub[sub["attempt"].isin(upper)]["share"]
        low = sub[sub["attempt"].isin(lower)]["share"]
        d = None if up.empty or low.empty else round(float(up.mean() - low.mean()), 2)
        rows.append(
            {
                "question": int(question_id),
                "stem": frozen[question_id].get("stem", ""),
                "kind": str(kinds.get(frozen[question_id].get("kind", ""), "")),
                "n": int(len(sub)),
                "p": round(float(sub["share"].mean()), 2),
                "d": d,
            }
        )
    return rows


def regrade_candidates(*, exam: Exam) -> list[dict]:
    """Questions of the exam whose bank version is newer than the one frozen in some attempt: the ones a
    trainer may want to regrade after a key correction."""
    used = (
        AttemptItem.objects.filter(attempt__exam=exam)
        .values("question_id", "question__version_number", "question__stem")
        .annotate(oldest=Min("version__number"))
    )
    return [
        {"question": r["question_id"], "stem": r["question__stem"], "version": r["question__version_number"]}
        for r in used
        if r["oldest"] < r["question__version_number"]
    ]


def grader_candidates() -> list:
    """Who may be chosen to mark: trainers (and HR / admins)."""
    from org import selectors as org_selectors
    from org.models import RoleGrant

    return org_selectors.users_with_roles(RoleGrant.Role.TRAINER, RoleGrant.Role.HR, RoleGrant.Role.ADMIN)
