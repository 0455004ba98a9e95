"""Grading: automatic scoring of objective items when an attempt is finalised, the manual marking queue for
case-analysis answers (single or double marking with arbitration), regrades after a key correction, release of
results, and the ledger credit on passing (granted once per officer and exam; reversed if a regrade turns a pass
into a fail)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.services import audit_record

from .. import grading
from ..models import Attempt, AttemptItem, Exam, ExamGrader, MarkingTask, Question, Regrade
from ..policy import review_visible
from .practice import wrong_book_record_many

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HALF = Decimal("0.5")
FINALISED = (Attempt.State.SUBMITTED, Attempt.State.GRADED, Attempt.State.RELEASED)


class GradingRefused(Exception):
    """A marking, assignment or regrade that is not allowed; `str(exc)` is a Chinese message for the user."""


def _item_auto_score(item: AttemptItem) -> Decimal:
    """The frozen content scored against the response, scaled to the paper's points for the item."""
    content = dict(item.content, points=str(item.points))
    return grading.score(content, item.response)


def _wrong_book(*, attempt: Attempt, items: list[AttemptItem], now: dt.datetime) -> None:
    """Objective answers feed the officer's wrong-answer book (the practice area owns the rule), all in one call; a
    confidential question does not: the book leads to practice, which would show its key before the exam's review
    policy."""
    wrong_book_record_many(
        officer=attempt.officer,
        answers=[
            (item.question, item.score is not None and item.score >= item.points)
            for item in items
            if not item.question.exam_only
        ],
        now=now,
        source="exam",
    )


@transaction.atomic
def attempt_grade(*, attempt: Attempt, now: dt.datetime) -> Attempt:
    """Score a just-finalised (SUBMITTED) attempt, under its row lock: objective items at once; case-analysis items
    go to the marking queue (round 1, and round 2 when the exam is double-marked), assigned to the exam's graders
    when it has some. With nothing left to mark the attempt is GRADED and its result settled (total, pass, credit).
    Marks the attempt scored (`scored_at`): callers grade only an attempt not scored yet."""
    exam = attempt.exam
    attempt.scored_at = now
    items = list(attempt.items.select_related("question").all())
    for item in items:
        item.needs_marking = not grading.is_auto_gradable(item.content)
        if not item.needs_marking:
            item.auto_score = _item_auto_score(item)
        item.score = None if item.needs_marking else item.auto_score
    # One UPDATE for the whole paper: submit is exam day's most expensive request.
    AttemptItem.objects.bulk_update(items, ["auto_score", "score", "needs_marking"])
    _wrong_book(attempt=attempt, items=[item for item in items if not item.needs_marking], now=now)
    for item in items:
        if item.needs_marking:
            rounds = (1, 2) if exam.double_marking else (1,)
            for round_no in rounds:
                task, created = MarkingTask.objects.get_or_create(item=item, round=round_no)
                if created:
                    _auto_assign(task=task, exam=exam)
    if any(item.needs_marking for item in items):
        attempt.save(update_fields=["scored_at"])  # settling waits for the markers; scored it is
    return attempt_settle(attempt=attempt, now=now)


# --- grading after the submit (the task worker) -------------------------------------------------------------
#
# Submit acknowledges at once: the finalisation marks the attempt SUBMITTED and, after its commit, enqueues
# `exams.tasks.grade_attempt`. The task, a retry of it, a second worker given the same job and the housekeeping
# safety net may all reach one attempt: each locks the row and grades only when `scored_at` is still None, so an
# attempt is graded exactly once.

LOST_AFTER = dt.timedelta(minutes=1)  # a submitted attempt not scored by then has lost its task
LOST_BATCH = 500  # attempts the safety net grades per run (the loop comes back)


def grades_inline() -> bool:
    """Grade inside the finalisation when the task backend would run the task at once anyway (the embedded
    default and the tests): the result is there when submit answers, as before."""
    from django_tasks.backends.immediate import ImmediateBackend

    from ..tasks import grade_attempt

    return isinstance(grade_attempt.get_backend(), ImmediateBackend)


def attempt_grade_enqueue(*, attempt_id: int) -> None:
    """Hand the attempt to the task worker (call after the finalisation's commit)."""
    from ..tasks import grade_attempt

    grade_attempt.enqueue(attempt_id)


def attempt_grade_pending(*, attempt_id: int, now: dt.datetime | None = None, wait: bool = True) -> bool:
    """Grade a finalised attempt that has not been scored yet; True when this call graded it. Locks the row, so
    racing callers grade it once. `wait=False` skips a row another worker holds (it is grading it)."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = Attempt.objects.select_for_update(of=("self",), skip_locked=not wait).select_related("exam", "officer")
        attempt = rows.filter(pk=attempt_id).first()
        if attempt is None or attempt.state != Attempt.State.SUBMITTED or attempt.scored_at is not None:
            return False
        attempt_grade(attempt=attempt, now=now)
        return True


def attempts_grade_lost(*, now: dt.datetime | None = None) -> int:
    """The safety net (housekeeping): grade every attempt submitted more than LOST_AFTER ago and still not scored
    (its task was lost: a worker died, the queue was cleared). Returns how many this run graded."""
    now = now or timezone.now()
    ids = list(
        Attempt.objects.filter(state=Attempt.State.SUBMITTED, scored_at__isnull=True, submitted_at__lt=now - LOST_AFTER)
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)[:LOST_BATCH]
    )
    return sum(attempt_grade_pending(attempt_id=pk, now=now, wait=False) for pk in ids)


# --- credit ------------------------------------------------------------------------------------------------


def exam_credit_sync(*, exam: Exam, officer, actor=None, reason: str = "") -> None:
    """Make the ledger agree with the officer's results: the exam's credit stands exactly once while any of
    their attempts at the exam is passed, and is reversed (never deleted) when none is any more."""
    if not (exam.credit_category and exam.credit_hours):
        return
    from learning import services as learning_services

    learning_services.credit_ensure(
        officer=officer,
        year=exam.year,
        category=exam.credit_category,
        hours=exam.credit_hours,
        source_kind="exam",
        source_key=exam.pk,
        standing=Attempt.objects.filter(exam=exam, officer=officer, passed=True).exists(),
        actor=actor,
        reason=exam.title,
        reversal_reason=reason or _("重新评分后考试未通过,冲销考试学时。"),
    )


def exam_credit_grant(*, exam: Exam, attempt: Attempt) -> None:
    """The exam's credit on passing, written to the learning ledger once per officer and exam."""
    if attempt.passed:
        exam_credit_sync(exam=exam, officer=attempt.officer)


# --- settle and release --------------------------------------------------------------------------------------


def attempt_settle(*, attempt: Attempt, now: dt.datetime, actor=None, reason: str = "") -> Attempt:
    """When no item awaits marking: total the scores, decide pass/fail, mark GRADED, release when the score is
    already visible, and bring the exam's credit in line (granted on passing, reversed if a regrade turned a
    pass into a fail). Does nothing while the attempt is in progress, not scored yet (the grading task settles it)
    or awaiting marking."""
    if attempt.state == Attempt.State.IN_PROGRESS:
        return attempt
    if attempt.state == Attempt.State.SUBMITTED and attempt.scored_at is None:
        return attempt
    items = list(attempt.items.all())
    if any(i.needs_marking for i in items):
        return attempt
    attempt.score = sum((i.score or ZERO for i in items), ZERO)
    attempt.max_score = sum((i.points for i in items), ZERO)
    attempt.passed = attempt.score >= attempt.exam.pass_score
    if attempt.state == Attempt.State.SUBMITTED:
        attempt.state = Attempt.State.GRADED
        attempt.graded_at = now
    attempt.save(update_fields=["score", "max_score", "passed", "state", "graded_at", "scored_at"])
    audit_record(
        actor=actor,
        action="attempt.grade",
        target=attempt,
        data={"score": str(attempt.score), "passed": attempt.passed},
    )
    exam_credit_sync(exam=attempt.exam, officer=attempt.officer, actor=actor, reason=reason)
    attempt_release_if_due(attempt=attempt, now=now)
    return attempt


def attempt_release_if_due(*, attempt: Attempt, now: dt.datetime | None = None) -> Attempt:
    """Lazy release: a GRADED attempt becomes RELEASED as soon as the review policy shows its score."""
    now = now or timezone.now()
    if attempt.state != Attempt.State.GRADED:
        return attempt
    if not review_visible(exam=attempt.exam, attempt=attempt, part="score", now=now):
        return attempt
    updated = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.GRADED).update(
        state=Attempt.State.RELEASED, released_at=now
    )
    if updated:
        attempt.state, attempt.released_at = Attempt.State.RELEASED, now
    else:
        attempt.refresh_from_db(fields=["state", "released_at"])
    return attempt


def attempt_release_due(*, now: dt.datetime | None = None) -> int:
    """Release every GRADED attempt whose score the policy now shows (periodic task). Returns how many."""
    now = now or timezone.now()
    released = 0
    for attempt in Attempt.objects.filter(state=Attempt.State.GRADED).select_related("exam").iterator():
        if attempt_release_if_due(attempt=attempt, now=now).state == Attempt.State.RELEASED:
            released += 1
    return released


# --- marking -------------------------------------------------------------------------------------------------


def exam_graders(*, exam: Exam) -> list:
    """The graders chosen for the exam (ExamGrader rows)."""
    from org.models import User

    return list(User.objects.filter(pk__in=ExamGrader.objects.filter(exam=exam).values("user")).order_by("username"))


def _load(exam: Exam) -> Counter:
    """Unmarked tasks per grader on this exam."""
    rows = MarkingTask.objects.filter(item__attempt__exam=exam, grader__isnull=False, marked_at__isnull=True)
    return Counter(rows.values_list("grader", flat=True))


def _excluded_graders(task: MarkingTask) -> set[int]:
    """A grader marks an item once: the other rounds' graders are not eligible for this task."""
    return set(
        MarkingTask.objects.filter(item_id=task.item_id, grader__isnull=False)
        .exclude(pk=task.pk)
        .values_list("grader", flat=True)
    )


def _pick(task: MarkingTask, graders: list, load: Counter):
    eligible = [g for g in graders if g.pk not in _excluded_graders(task)]
    if not eligible:
        return None
    return min(eligible, key=lambda g: (load[g.pk], g.pk))


def _auto_assign(*, task: MarkingTask, exam: Exam) -> None:
    """A new task goes to the least-loaded eligible grader of the exam (if the exam has graders yet)."""
    graders = exam_graders(exam=exam)
    if not graders:
        return
    grader = _pick(task, graders, _load(exam))
    if grader is not None:
        task.grader = grader
        task.save(update_fields=["grader"])


@transaction.atomic
def marking_assign(*, exam: Exam, graders: list, actor) -> int:
    """Choose the exam's graders (added to those chosen before) and share its unassigned tasks evenly among all
    of them (least loaded first; a grader never gets two rounds of the same answer). Tasks created later go to
    them too. Returns how many tasks were assigned now."""
    graders = list(graders)
    if not graders:
        raise GradingRefused(_("请至少选择一名阅卷人。"))
    for user in graders:
        ExamGrader.objects.get_or_create(exam=exam, user=user)
    everyone = exam_graders(exam=exam)
    if exam.double_marking and len(everyone) < 2:
        raise GradingRefused(_("双评考试至少需要两名阅卷人。"))
    load = _load(exam)
    assigned = 0
    tasks = (
        MarkingTask.objects.select_for_update()
        .filter(item__attempt__exam=exam, grader__isnull=True, marked_at__isnull=True)
        .order_by("round", "item_id")
    )
    for task in tasks:
        grader = _pick(task, everyone, load)
        if grader is None:
            continue
        task.grader = grader
        task.save(update_fields=["grader"])
        load[grader.pk] += 1
        assigned += 1
    audit_record(
        actor=actor,
        action="marking.assign",
        target=exam,
        data={"graders": [g.pk for g in everyone], "assigned": assigned},
    )
    return assigned


@transaction.atomic
def marking_grader_remove(*, exam: Exam, grader, actor) -> int:
    """Take a grader off the exam: their unmarked tasks go back to the others (or stay unassigned)."""
    ExamGrader.objects.filter(exam=exam, user=grader).delete()
    tasks = list(
        MarkingTask.objects.select_for_update().filter(item__attempt__exam=exam, grader=grader, marked_at__isnull=True)
    )
    for task in tasks:
        task.grader = None
        task.save(update_fields=["grader"])
        _auto_assign(task=task, exam=exam)
    audit_record(actor=actor, action="marking.grader_remove", target=exam, data={"grader": grader.pk})
    return len(tasks)


@transaction.atomic
def marking_reassign(*, task: MarkingTask, grader, actor) -> MarkingTask:
    """Give an unmarked task to another grader (not one who marked another round of the same answer)."""
    task = MarkingTask.objects.select_for_update().get(pk=task.pk)
    if task.marked_at is not None:
        raise GradingRefused(_("该任务已评阅,不能改派。"))
    if grader.pk in _excluded_graders(task):
        raise GradingRefused(_("同一份答卷的不同轮次必须由不同的阅卷人评阅。"))
    before = task.grader_id
    task.grader = grader
    task.save(update_fields=["grader"])
    audit_record(actor=actor, action="marking.reassign", target=task, data={"from": before, "to": grader.pk})
    return task


def _parse_mark(value, points: Decimal) -> Decimal:
    try:
        mark = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise GradingRefused(_("请输入有效的分数。")) from exc
    if not mark.is_finite() or mark < 0 or mark > points:
        raise GradingRefused(_("分数必须在 0 到 %(points)s 之间。") % {"points": points})
    if (mark / HALF) % 1 != 0:
        raise GradingRefused(_("分数须以 0.5 分为单位。"))
    return mark.quantize(CENT)


def _item_resolve(item: AttemptItem) -> Decimal | None:
    """The item's final score from its marks, or None while marking continues (creating the round-3 task when
    the two markers differ by more than the tolerance)."""
    exam = item.attempt.exam
    marks = {t.round: t for t in item.marking_tasks.all()}
    if 3 in marks:
        return marks[3].score if marks[3].marked_at else None
    first = marks.get(1)
    if first is None or first.marked_at is None:
        return None
    if not exam.double_marking:
        return first.score
    second = marks.get(2)
    if second is None or second.marked_at is None:
        return None
    if abs(first.score - second.score) <= exam.marking_tolerance:
        return ((first.score + second.score) / 2).quantize(CENT, rounding=ROUND_HALF_UP)
    arbiter = MarkingTask.objects.create(item=item, round=3)
    _auto_assign(task=arbiter, exam=exam)
    return None


@transaction.atomic
def marking_mark(*, task: MarkingTask, grader, score, comment: str = "", now: dt.datetime | None = None) -> MarkingTask:
    """A grader's mark on their task: 0..points in steps of 0.5, with a comment. Single marking: the mark is
    the item's score. Double marking: within the tolerance the item gets the mean of rounds 1 and 2, beyond it a
    round-3 task goes to an arbiter whose mark is final. With no item left to mark the attempt is settled."""
    now = now or timezone.now()
    task = MarkingTask.objects.select_for_update().select_related("item__attempt__exam").get(pk=task.pk)
    if task.grader_id != grader.pk:
        raise GradingRefused(_("这不是分配给您的阅卷任务。"))
    if task.marked_at is not None:
        raise GradingRefused(_("该任务已评阅。"))
    item = task.item
    attempt = Attempt.objects.select_for_update().get(pk=item.attempt_id)
    if attempt.state == Attempt.State.IN_PROGRESS:
        raise GradingRefused(_("该答卷尚未交卷。"))
    task.score = _parse_mark(score, item.points)
    task.comment = (comment or "").strip()
    task.marked_at = now
    task.save(update_fields=["score", "comment", "marked_at"])
    audit_record(
        actor=grader,
        action="marking.mark",
        target=task,
        data={"item": item.pk, "round": task.round, "score": str(task.score)},
    )
    final = _item_resolve(item)
    if final is not None:
        item.score = final
        item.needs_marking = False
        item.save(update_fields=["score", "needs_marking"])
        attempt_settle(attempt=attempt, now=now)
    return task


# --- regrade -------------------------------------------------------------------------------------------------


@transaction.atomic
def exam_regrade(*, exam: Exam, question: Question, actor, reason: str, now: dt.datetime | None = None) -> Regrade:
    """After a key correction: every item of the exam with `question` takes the question's latest version (the
    one deliberate exception to freezing, recorded here), objective items are rescored and attempts re-settled
    (pass may flip, the ledger credit follows). The Regrade row keeps before/after per changed attempt."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise GradingRefused(_("重新评分必须填写原因。"))
    version = question.versions.order_by("-number").first()
    items = list(
        AttemptItem.objects.select_for_update()
        .filter(attempt__exam=exam, question=question)
        .select_related("attempt__officer", "attempt__exam")
    )
    if not items:
        raise GradingRefused(_("本场考试没有使用这道试题。"))
    if any(i.content["kind"] != version.content["kind"] for i in items):
        raise GradingRefused(_("新版本的题型与考试中的不同,不能重新评分。"))
    attempts: dict[int, Attempt] = {}
    for item in items:
        item.version = version
        item.content = version.content
        fields = ["version", "content"]
        attempt = item.attempt
        if attempt.state in FINALISED and grading.is_auto_gradable(version.content):
            item.auto_score = item.score = _item_auto_score(item)
            fields += ["auto_score", "score"]
        item.save(update_fields=fields)
        if attempt.state in FINALISED:
            attempts[attempt.pk] = attempt
    changes = []
    for attempt in sorted(attempts.values(), key=lambda a: a.pk):
        before, passed_before = attempt.score, attempt.passed
        attempt_settle(attempt=attempt, now=now, actor=actor, reason=_("重新评分:%(reason)s") % {"reason": reason})
        if attempt.score != before or attempt.passed != passed_before:
            changes.append(
                {
                    "attempt": attempt.pk,
                    "officer": attempt.officer.name,
                    "employee_no": attempt.officer.employee_no,
                    "before": None if before is None else str(before),
                    "after": None if attempt.score is None else str(attempt.score),
                    "passed_before": passed_before,
                    "passed_after": attempt.passed,
                }
            )
    regrade = Regrade.objects.create(
        exam=exam, question=question, version=version, actor=actor, reason=reason[:300], changes=changes
    )
    audit_record(
        actor=actor,
        action="exam.regrade",
        target=regrade,
        data={"exam": exam.pk, "question": question.pk, "version": version.number, "changed": len(changes)},
    )
    return regrade
