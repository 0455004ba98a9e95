"""Online study: the server-owned clock (heartbeats of a visible, active page), check questions, lesson and course
completion."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Officer

from .. import catalog
from ..models import (
    CreditEntry,
    Enrolment,
    LessonProgress,
    StudySession,
)
from .common import LearningError
from .enrolment import enrolment_elect
from .ledger import credit_grant


def _scale() -> float:
    return settings.LEARNING_SECONDS_PER_MINUTE / 60


def _next_check_gap() -> int:
    low, high = settings.LEARNING_CHECK_EVERY_SECONDS
    return max(1, int(random.uniform(low, high) * _scale()))


@dataclass
class StudyStart:
    status: str  # "ok" | "busy"
    session: StudySession | None
    progress: LessonProgress
    spec: object


def _progress_for(*, officer: Officer, spec) -> LessonProgress:
    required = max(1, int(spec.credited_minutes * settings.LEARNING_SECONDS_PER_MINUTE))
    checks = 1 if spec.check_questions else 0
    defaults = {
        "course_id": spec.course_id,
        "required_seconds": required,
        "checks_required": checks,
        # The first check comes at a random point of the lesson, so it cannot be predicted.
        "next_check_at": int(required * random.uniform(0.2, 0.7)) if checks else None,
    }
    try:
        with transaction.atomic():
            progress, _created = LessonProgress.objects.get_or_create(
                officer=officer, lesson_id=spec.lesson_id, defaults=defaults
            )
    except IntegrityError:
        progress = LessonProgress.objects.get(officer=officer, lesson_id=spec.lesson_id)
    return progress


def study_start(
    *, officer: Officer, lesson_id: int, takeover: bool = False, now: dt.datetime | None = None
) -> StudyStart:
    """Open a study session for a lesson page. Only one session per officer is active: while another tab
    is still beating, a new one is refused ("busy") unless the officer asks to take over."""
    spec = catalog.lesson_study_spec(lesson_id=lesson_id)
    if spec is None:
        raise LearningError(_("课时不存在或未发布。"))
    now = now or timezone.now()
    enrolment_elect(officer=officer, course_id=spec.course_id, year=timezone.localtime(now).year)
    progress = _progress_for(officer=officer, spec=spec)
    with transaction.atomic():
        others = list(StudySession.objects.select_for_update().filter(officer=officer, active=True))
        live = [s for s in others if (now - s.last_beat_at).total_seconds() <= settings.LEARNING_MAX_GAP_SECONDS]
        if live and not takeover:
            return StudyStart(status="busy", session=None, progress=progress, spec=spec)
        if others:
            StudySession.objects.filter(pk__in=[s.pk for s in others]).update(active=False, ended_at=now)
        try:
            with transaction.atomic():
                session = StudySession.objects.create(
                    token=secrets.token_urlsafe(24),
                    officer=officer,
                    progress=progress,
                    started_at=now,
                    last_beat_at=now,
                )
        except IntegrityError:  # another tab started in the same instant
            return StudyStart(status="busy", session=None, progress=progress, spec=spec)
    return StudyStart(status="ok", session=session, progress=progress, spec=spec)


def _check_payload(spec, key: str) -> dict | None:
    for q in spec.check_questions:
        if q.key == key:
            return {"key": q.key, "prompt": q.prompt, "options": list(q.options)}  # never the answer
    return None


def study_progress_payload(progress: LessonProgress, spec) -> dict:
    return {
        "studied_seconds": progress.studied_seconds,
        "required_seconds": progress.required_seconds,
        "percent": progress.percent,
        "completed": progress.completed_at is not None,
        "check": _check_payload(spec, progress.pending_check_key) if progress.pending_check_key else None,
        "heartbeat_seconds": settings.LEARNING_HEARTBEAT_SECONDS,
    }


def _pose_check(progress: LessonProgress, spec) -> None:
    if spec.check_questions and not progress.pending_check_key:
        progress.pending_check_key = random.choice(spec.check_questions).key


def study_heartbeat(
    *,
    officer: Officer,
    token: str,
    visible: bool = True,
    active: bool = True,
    video_position: float | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """Count the time since the session's previous heartbeat, if it is study. The browser only says that
    the page is open, visible and in use; the server measures the time and applies every cap."""
    now = now or timezone.now()
    with transaction.atomic():
        # One round trip locks the session and its lesson progress (FOR UPDATE covers both joined rows).
        session = (
            StudySession.objects.select_for_update()
            .select_related("progress")
            .filter(token=token, officer=officer)
            .first()
        )
        if session is None:
            return {"status": "unknown", "counted": 0}
        if not session.active:
            return {"status": "superseded", "counted": 0}
        progress = session.progress
        spec = catalog.lesson_study_spec(lesson_id=progress.lesson_id)
        if spec is None:
            return {"status": "unknown", "counted": 0}
        delta = (now - session.last_beat_at).total_seconds()
        reason = "ok"
        counted = 0
        if delta <= 0:
            reason = "too_soon"
        elif delta > settings.LEARNING_MAX_GAP_SECONDS:
            reason = "gap"
        elif not (visible and active):
            reason = "idle"
        elif video_position is not None and not _video_ok(session, spec, video_position, now):
            reason = "video_ahead"
        elif progress.pending_check_key:
            reason = "check_pending"
        elif progress.studied_seconds >= progress.required_seconds:
            reason = "cap"
        else:
            counted = int(delta)
            if progress.next_check_at is not None and progress.studied_seconds + counted >= progress.next_check_at:
                counted = max(0, progress.next_check_at - progress.studied_seconds)
                _pose_check(progress, spec)
                progress.next_check_at = None
            counted = min(counted, progress.required_seconds - progress.studied_seconds)
        progress.studied_seconds += counted
        session.counted_seconds += counted
        if counted and counted == int(delta):
            # Keep the fraction of a second for the next beat.
            session.last_beat_at = session.last_beat_at + dt.timedelta(seconds=counted)
        else:
            # Refused, paused or capped time is dropped entirely.
            session.last_beat_at = now
        if progress.studied_seconds >= progress.required_seconds and progress.checks_passed < progress.checks_required:
            _pose_check(progress, spec)
        if video_position is not None and reason != "video_ahead":
            session.video_position = video_position
            session.video_position_at = now
        session.beats += 1
        session.save(update_fields=["last_beat_at", "counted_seconds", "beats", "video_position", "video_position_at"])
        completed_now = _lesson_maybe_complete(progress, now=now)
        progress.save(
            update_fields=["studied_seconds", "next_check_at", "pending_check_key", "completed_at", "updated_at"]
        )
    if completed_now:
        _course_maybe_complete(officer=officer, course_id=progress.course_id, now=now)
    return {"status": reason, "counted": counted, **study_progress_payload(progress, spec)}


def _video_ok(session: StudySession, spec, position: float, now: dt.datetime) -> bool:
    """The video position may not run ahead of the wall clock (plus a tolerance)."""
    tolerance = settings.LEARNING_VIDEO_TOLERANCE_SECONDS
    if position < 0:
        return False
    if spec.video_duration_seconds and position > spec.video_duration_seconds + tolerance:
        return False
    if session.video_position is None or session.video_position_at is None:
        return True
    elapsed = (now - session.video_position_at).total_seconds()
    return position <= session.video_position + elapsed + tolerance


def _lesson_maybe_complete(progress: LessonProgress, *, now: dt.datetime) -> bool:
    if progress.completed_at is not None:
        return False
    if (
        progress.studied_seconds >= progress.required_seconds
        and progress.checks_passed >= progress.checks_required
        and not progress.pending_check_key
    ):
        progress.completed_at = now
        return True
    return False


def study_check_answer(*, officer: Officer, token: str, key: str, choice: int, now: dt.datetime | None = None) -> dict:
    """Answer the pending check question. The answer is compared here; the browser never has it."""
    now = now or timezone.now()
    with transaction.atomic():
        session = StudySession.objects.select_for_update().filter(token=token, officer=officer).first()
        if session is None or not session.active:
            return {"status": "superseded" if session else "unknown", "correct": False}
        progress = LessonProgress.objects.select_for_update().get(pk=session.progress_id)
        spec = catalog.lesson_study_spec(lesson_id=progress.lesson_id)
        question = (
            next((q for q in spec.check_questions if q.key == progress.pending_check_key), None) if spec else None
        )
        if question is None or key != progress.pending_check_key:
            return {"status": "no_check", "correct": False, **(study_progress_payload(progress, spec) if spec else {})}
        correct = choice == question.answer_index
        if correct:
            progress.pending_check_key = ""
            progress.checks_passed += 1
            remaining = progress.required_seconds - progress.studied_seconds
            gap = _next_check_gap()
            progress.next_check_at = progress.studied_seconds + gap if gap < remaining else None
            session.last_beat_at = now  # the clock restarts now, not when the check was posed
            session.save(update_fields=["last_beat_at"])
        completed_now = _lesson_maybe_complete(progress, now=now)
        progress.save()
    if completed_now:
        _course_maybe_complete(officer=officer, course_id=progress.course_id, now=now)
    return {"status": "ok", "correct": correct, **study_progress_payload(progress, spec)}


def study_stop(*, officer: Officer, token: str, now: dt.datetime | None = None) -> None:
    StudySession.objects.filter(token=token, officer=officer, active=True).update(
        active=False, ended_at=now or timezone.now()
    )


def _course_maybe_complete(*, officer: Officer, course_id: int, now: dt.datetime) -> CreditEntry | None:
    """A course is complete when all its lessons are; completion writes the ledger credit once."""
    lesson_ids = catalog.course_lesson_ids(course_id=course_id)
    if not lesson_ids:
        return None
    done = LessonProgress.objects.filter(officer=officer, lesson_id__in=lesson_ids, completed_at__isnull=False).count()
    if done < len(set(lesson_ids)):
        return None
    specs = [s for s in (catalog.lesson_study_spec(lesson_id=i) for i in lesson_ids) if s is not None]
    if not specs:
        return None
    minutes = sum(s.credited_minutes for s in specs)
    year = timezone.localtime(now).year
    with transaction.atomic():
        enrolment, _created = enrolment_elect(officer=officer, course_id=course_id, year=year)
        if enrolment.completed_at is None:
            Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=now)
        if not specs[0].credit_category_code:  # a course without a 学时类别 in content credits nothing
            return None
        entry, _created = credit_grant(
            officer=officer,
            year=year,
            category=specs[0].credit_category_code,
            hours=(Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01")),
            source_kind=CreditEntry.SourceKind.COURSE,
            source_id=str(course_id),
            actor=None,
            reason=_("完成在线课程"),
        )
    return entry
