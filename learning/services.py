"""Every write of the learning app. Keyword-only, atomic, audited where it matters."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Officer, RoleCategory, User
from org.services import audit_record

from . import catalog
from .models import (
    Attendance,
    CreditEntry,
    Enrolment,
    ExternalClaim,
    HourRule,
    LessonProgress,
    OfflineSession,
    StudySession,
    TrainingDayRule,
)


class LearningError(Exception):
    """A rule of the domain refused the request; the message is for the user."""


# --- credit categories -------------------------------------------------------------------------------
# Content owns the categories (content.CreditCategory, edited as a Wagtail snippet and written only through
# content.services); learning's models point at them by code. Here a category is named by its code.


def _category(category) -> str:
    """The code of a credit category content knows (a code, or anything with a .code); LearningError if not."""
    code = str(getattr(category, "code", category) or "")
    if code not in dict(catalog.credit_categories()):
        raise LearningError(_("未知的学时类别:%(code)s") % {"code": code or "-"})
    return code


# --- the ledger --------------------------------------------------------------------------------------


def credit_grant(
    *,
    officer: Officer,
    year: int,
    category: str,
    hours: Decimal | int | str,
    source_kind: str,
    source_id: str | int,
    actor: User | None,
    reason: str = "",
) -> tuple[CreditEntry, bool]:
    """Grant credit for a source exactly once. A second grant for the same (officer, source, category)
    returns the existing entry with created=False, also when two requests race (unique constraint)."""
    category = _category(category)
    hours = Decimal(str(hours)).quantize(Decimal("0.01"))
    if hours <= 0:
        raise LearningError(_("授予的学时必须大于零。"))
    if source_kind not in CreditEntry.SourceKind.values:
        raise LearningError(_("未知的学时来源。"))
    key = {"officer": officer, "source_kind": source_kind, "source_id": str(source_id), "category_id": category}
    existing = CreditEntry.objects.filter(reverses__isnull=True, **key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            entry = CreditEntry.objects.create(year=year, hours=hours, actor=actor, reason=reason[:300], **key)
            audit_record(
                actor=actor,
                action="credit.grant",
                target=entry,
                data={"officer": officer.pk, "hours": str(hours), "source": f"{source_kind}:{source_id}"},
            )
    except IntegrityError:
        return CreditEntry.objects.get(reverses__isnull=True, **key), False
    return entry, True


@transaction.atomic
def credit_reverse(*, entry: CreditEntry, actor: User | None, reason: str) -> CreditEntry:
    """Cancel an entry with a reversing entry (negative hours). The original row stays untouched."""
    if not reason.strip():
        raise LearningError(_("冲销必须填写原因。"))
    if entry.reverses_id is not None:
        raise LearningError(_("冲销记录本身不能再冲销。"))
    if CreditEntry.objects.filter(reverses=entry).exists():
        raise LearningError(_("该记录已被冲销。"))
    try:
        with transaction.atomic():
            reversal = CreditEntry.objects.create(
                officer_id=entry.officer_id,
                year=entry.year,
                category_id=entry.category_id,
                hours=-entry.hours,
                source_kind=entry.source_kind,
                source_id=entry.source_id,
                reverses=entry,
                actor=actor,
                reason=reason[:300],
            )
    except IntegrityError as exc:
        raise LearningError(_("该记录已被冲销。")) from exc
    audit_record(actor=actor, action="credit.reverse", target=reversal, data={"reverses": entry.pk, "reason": reason})
    return reversal


def credit_adjust(
    *, officer: Officer, year: int, category: str, hours: Decimal | int | str, actor: User, reason: str
) -> CreditEntry:
    """A manual adjustment by HR (e.g. hours imported from the provincial platform). Always a new row."""
    if not reason.strip():
        raise LearningError(_("人工调整必须填写原因。"))
    entry, _created = credit_grant(
        officer=officer,
        year=year,
        category=category,
        hours=hours,
        source_kind=CreditEntry.SourceKind.MANUAL,
        source_id=uuid.uuid4().hex,
        actor=actor,
        reason=reason,
    )
    return entry


# --- yearly rules ------------------------------------------------------------------------------------


@transaction.atomic
def hour_rule_set(
    *, year: int, role_category: RoleCategory, category: str, hours: Decimal | None, actor: User | None
) -> HourRule | None:
    """Set (or with hours=None remove) the required hours for year × role category × credit category."""
    category = _category(category)
    rule = HourRule.objects.filter(year=year, role_category=role_category, category_id=category).first()
    if hours is None:
        if rule is not None:
            rule.delete()
            audit_record(
                actor=actor,
                action="hour_rule.delete",
                data={"year": year, "role": role_category.code, "category": category},
            )
        return None
    hours = Decimal(str(hours))
    if hours < 0:
        raise LearningError(_("应修学时不能为负数。"))
    if rule is None:
        rule = HourRule.objects.create(
            year=year, role_category=role_category, category_id=category, required_hours=hours
        )
    elif rule.required_hours != hours:
        rule.required_hours = hours
        rule.save(update_fields=["required_hours"])
    else:
        return rule
    audit_record(
        actor=actor,
        action="hour_rule.set",
        target=rule,
        data={"year": year, "role": role_category.code, "category": category, "hours": str(hours)},
    )
    return rule


@transaction.atomic
def training_day_rule_set(
    *, year: int, role_category: RoleCategory, min_days: Decimal | None, actor: User | None
) -> TrainingDayRule | None:
    rule = TrainingDayRule.objects.filter(year=year, role_category=role_category).first()
    if min_days is None:
        if rule is not None:
            rule.delete()
            audit_record(
                actor=actor, action="training_day_rule.delete", data={"year": year, "role": role_category.code}
            )
        return None
    min_days = Decimal(str(min_days))
    if min_days < 0:
        raise LearningError(_("培训天数不能为负数。"))
    if rule is None:
        rule = TrainingDayRule.objects.create(year=year, role_category=role_category, min_days=min_days)
    elif rule.min_days != min_days:
        rule.min_days = min_days
        rule.save(update_fields=["min_days"])
    else:
        return rule
    audit_record(actor=actor, action="training_day_rule.set", target=rule, data={"min_days": str(min_days)})
    return rule


# --- enrolments --------------------------------------------------------------------------------------


def enrolment_elect(*, officer: Officer, course_id: int, year: int | None = None) -> tuple[Enrolment, bool]:
    """The officer chooses an (elective) course. Enrolling twice is harmless."""
    year = year or timezone.localdate().year
    try:
        with transaction.atomic():
            return Enrolment.objects.get_or_create(
                officer=officer, course_id=course_id, defaults={"year": year, "source": Enrolment.Source.ELECTIVE}
            )
    except IntegrityError:
        return Enrolment.objects.get(officer=officer, course_id=course_id), False


@transaction.atomic
def enrolments_sync(*, officer: Officer, year: int | None = None) -> int:
    """Enrol the officer in every required course of the year whose audience includes their role, and in
    every course assigned to their role or unit subtree. Returns how many enrolments were created."""
    from .models import CourseAssignment

    year = year or timezone.localdate().year
    wanted: set[int] = set()
    for course in catalog.courses_published(year=year):
        if course.required and (
            not course.audience_role_codes or officer.role_category.code in course.audience_role_codes
        ):
            wanted.add(course.course_id)
    unit_path = officer.unit.path
    for assignment in CourseAssignment.objects.filter(year=year).select_related("unit"):
        if assignment.role_category_id and assignment.role_category_id != officer.role_category_id:
            continue
        if assignment.unit_id and not unit_path.startswith(assignment.unit.path):
            continue
        wanted.add(assignment.course_id)
    have = set(Enrolment.objects.filter(officer=officer, course_id__in=wanted).values_list("course_id", flat=True))
    new = [Enrolment(officer=officer, course_id=c, year=year, source=Enrolment.Source.RULE) for c in wanted - have]
    Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- online study ------------------------------------------------------------------------------------


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


def _progress_payload(progress: LessonProgress, spec) -> dict:
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
    return {"status": reason, "counted": counted, **_progress_payload(progress, spec)}


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
            return {"status": "no_check", "correct": False, **(_progress_payload(progress, spec) if spec else {})}
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
    return {"status": "ok", "correct": correct, **_progress_payload(progress, spec)}


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


# --- offline sessions --------------------------------------------------------------------------------


@transaction.atomic
def offline_session_create(
    *,
    title: str,
    kind: str,
    category: str,
    hours: Decimal,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    trainer: User,
    invited_units=(),
    invited_officers=(),
) -> OfflineSession:
    if ends_at <= starts_at:
        raise LearningError(_("结束时间必须晚于开始时间。"))
    session = OfflineSession.objects.create(
        title=title,
        kind=kind,
        category_id=_category(category),
        hours=hours,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        trainer=trainer,
        secret=secrets.token_hex(16),
    )
    session.invited_units.set(invited_units)
    session.invited_officers.set(invited_officers)
    audit_record(actor=trainer, action="offline_session.create", target=session)
    return session


def qr_window(now: dt.datetime) -> int:
    return int(now.timestamp()) // settings.LEARNING_QR_WINDOW_SECONDS


def qr_token(*, session: OfflineSession, window: int) -> str:
    key = (settings.SECRET_KEY + session.secret).encode()
    return hmac.new(key, f"{session.pk}:{window}".encode(), hashlib.sha256).hexdigest()[:20]


def qr_token_valid(*, session: OfflineSession, token: str, now: dt.datetime) -> bool:
    """Accept the code of the current window and of the previous one (a scan just before it rotated)."""
    window = qr_window(now)
    return any(hmac.compare_digest(token, qr_token(session=session, window=w)) for w in (window, window - 1))


SIGN_IN_EARLY = dt.timedelta(minutes=30)
SIGN_OUT_LATE = dt.timedelta(minutes=30)


def officer_invited(*, session: OfflineSession, officer: Officer) -> bool:
    units = list(session.invited_units.all())
    invited_ids = set(session.invited_officers.values_list("pk", flat=True))
    if not units and not invited_ids:
        return True
    return officer.pk in invited_ids or any(officer.unit.path.startswith(u.path) for u in units)


def _grant_attendance(attendance: Attendance, *, actor: User | None) -> None:
    session = attendance.session
    entry, _created = credit_grant(
        officer=attendance.officer,
        year=timezone.localtime(session.starts_at).year,
        category=session.category_id,
        hours=session.hours,
        source_kind=CreditEntry.SourceKind.OFFLINE,
        source_id=str(session.pk),
        actor=actor,
        reason=session.title,
    )
    if attendance.credit_id != entry.pk:
        attendance.credit = entry
        attendance.save(update_fields=["credit"])


@transaction.atomic
def attendance_scan(
    *, session: OfflineSession, officer: Officer, token: str, now: dt.datetime | None = None
) -> tuple[Attendance, str]:
    """Sign in (first scan) or sign out (second scan) with the rotating code on the room's screen.
    Returns (attendance, "in" | "out" | "done"). Signing out completes attendance and writes the credit."""
    now = now or timezone.now()
    if not qr_token_valid(session=session, token=token, now=now):
        raise LearningError(_("二维码已过期,请重新扫描屏幕上的二维码。"))
    if not officer_invited(session=session, officer=officer):
        raise LearningError(_("您不在本次培训的参训名单中。"))
    attendance = Attendance.objects.select_for_update().filter(session=session, officer=officer).first()
    if attendance is None or attendance.signed_in_at is None:
        if not (session.starts_at - SIGN_IN_EARLY <= now <= session.ends_at):
            raise LearningError(_("不在签到时间内。"))
        if attendance is None:
            attendance = Attendance.objects.create(session=session, officer=officer, signed_in_at=now)
        else:
            attendance.signed_in_at = now
            attendance.save(update_fields=["signed_in_at"])
        return attendance, "in"
    if attendance.signed_out_at is None:
        if not (session.starts_at <= now <= session.ends_at + SIGN_OUT_LATE):
            raise LearningError(_("不在签退时间内。"))
        attendance.signed_out_at = now
        attendance.save(update_fields=["signed_out_at"])
        _grant_attendance(attendance, actor=officer.user)
        return attendance, "out"
    return attendance, "done"


@transaction.atomic
def attendance_manual(*, session: OfflineSession, officer: Officer, actor: User, reason: str) -> Attendance:
    """The trainer records attendance by hand (phone flat, scanned late ...). A reason is required."""
    if not reason.strip():
        raise LearningError(_("人工补录必须填写原因。"))
    attendance, _created = Attendance.objects.select_for_update().get_or_create(session=session, officer=officer)
    attendance.signed_in_at = attendance.signed_in_at or session.starts_at
    attendance.signed_out_at = attendance.signed_out_at or session.ends_at
    attendance.method = Attendance.Method.MANUAL
    attendance.reason = reason[:300]
    attendance.recorded_by = actor
    attendance.save()
    _grant_attendance(attendance, actor=actor)
    audit_record(
        actor=actor, action="attendance.manual", target=attendance, data={"officer": officer.pk, "reason": reason}
    )
    return attendance


# --- external training -------------------------------------------------------------------------------


ALLOWED_ATTACHMENTS = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def external_claim_submit(
    *,
    officer: Officer,
    title: str,
    provider: str,
    category: str,
    hours: Decimal,
    start_date: dt.date,
    end_date: dt.date,
    attachment,
) -> ExternalClaim:
    if end_date < start_date:
        raise LearningError(_("结束日期不能早于开始日期。"))
    if hours <= 0 or hours > 200:
        raise LearningError(_("学时应在 0 到 200 之间。"))
    name = (getattr(attachment, "name", "") or "").lower()
    if not name.endswith(ALLOWED_ATTACHMENTS):
        raise LearningError(_("证明材料须为 PDF、图片或 Word 文件。"))
    if getattr(attachment, "size", 0) > MAX_ATTACHMENT_BYTES:
        raise LearningError(_("证明材料不能超过 10 MB。"))
    claim = ExternalClaim.objects.create(
        officer=officer,
        title=title,
        provider=provider,
        category_id=_category(category),
        hours=hours,
        start_date=start_date,
        end_date=end_date,
        attachment=attachment,
    )
    audit_record(actor=officer.user, action="external_claim.submit", target=claim)
    return claim


@transaction.atomic
def external_claim_decide(*, claim: ExternalClaim, actor: User, approve: bool, reason: str = "") -> ExternalClaim:
    """Approve (writes the credit) or reject (needs a reason). A claim is decided once."""
    claim = ExternalClaim.objects.select_for_update().select_related("officer").get(pk=claim.pk)
    if claim.status != ExternalClaim.Status.PENDING:
        raise LearningError(_("该申报已审核。"))
    if not approve and not reason.strip():
        raise LearningError(_("退回必须填写原因。"))
    if claim.officer.user_id == actor.pk:
        raise LearningError(_("不能审核本人的申报。"))
    claim.status = ExternalClaim.Status.APPROVED if approve else ExternalClaim.Status.REJECTED
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.decision_reason = reason[:300]
    if approve:
        entry, _created = credit_grant(
            officer=claim.officer,
            year=claim.end_date.year,
            category=claim.category_id,
            hours=claim.hours,
            source_kind=CreditEntry.SourceKind.EXTERNAL,
            source_id=str(claim.pk),
            actor=actor,
            reason=f"{claim.provider} · {claim.title}",
        )
        claim.credit = entry
    claim.save()
    audit_record(actor=actor, action="external_claim.decide", target=claim, data={"approve": approve, "reason": reason})
    return claim


@transaction.atomic
def rules_save(
    *,
    year: int,
    hours: dict[tuple[int, str], Decimal | None],
    days: dict[int, Decimal | None],
    actor: User,
) -> int:
    """Save HR's rule grid for a year: {(role_category_id, category_code): hours or None}, {role_id: days}.
    Returns how many cells changed."""
    roles = {r.pk: r for r in RoleCategory.objects.filter(pk__in={k[0] for k in hours} | set(days))}
    before = {(r.role_category_id, r.category_id): r.required_hours for r in HourRule.objects.filter(year=year)} | {
        ("days", r.role_category_id): r.min_days for r in TrainingDayRule.objects.filter(year=year)
    }
    changed = 0
    for (role_id, code), value in hours.items():
        if before.get((role_id, code)) != value:
            hour_rule_set(year=year, role_category=roles[role_id], category=code, hours=value, actor=actor)
            changed += 1
    for role_id, value in days.items():
        if before.get(("days", role_id)) != value:
            training_day_rule_set(year=year, role_category=roles[role_id], min_days=value, actor=actor)
            changed += 1
    return changed
