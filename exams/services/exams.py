"""Exams (考试) as trainers author them: create, edit, publish (with every check), cancel.

An exam is a DRAFT until published. Publishing checks the paper (paper_check), the windows, the pass score and
the audience, then notifies the audience. Once published, the window may still be extended; once anyone has
started, every other field is locked (changing them would make the sittings unequal)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Officer, RoleCategory, Unit, User
from org.services import audit_record, notice_push

from ..models import Attempt, Exam, Paper, ReviewWhen
from ..selectors.audience import exam_audience
from .papers import AuthoringRefused, paper_check

__all__ = [
    "EXAM_FIELDS",
    "AuthoringRefused",
    "exam_cancel",
    "exam_create",
    "exam_publish",
    "exam_update",
    "exam_validate",
]

EXAM_FIELDS = (
    "title",
    "kind",
    "year",
    "paper",
    "instructions",
    "opens_at",
    "closes_at",
    "duration_minutes",
    "attempts_allowed",
    "pass_score",
    "makeup_attempts",
    "makeup_opens_at",
    "makeup_closes_at",
    "show_score",
    "show_answers",
    "show_explanations",
    "one_question_per_page",
    "double_marking",
    "marking_tolerance",
    "credit_category",
    "credit_hours",
    "course_id",
)
# What may still change once somebody has started: extending the windows.
EXTENDABLE_AFTER_START = ("closes_at", "makeup_closes_at")


def _credit_categories() -> dict[str, str]:
    from learning import selectors as learning_selectors

    return learning_selectors.categories()


def exam_validate(exam: Exam) -> list[str]:
    """Every problem with the exam's own fields (not the paper or the audience), in Chinese."""
    problems: list[str] = []
    if not (exam.title or "").strip():
        problems.append(_("请填写考试名称。"))
    if exam.opens_at and exam.closes_at and exam.closes_at <= exam.opens_at:
        problems.append(_("截止时间必须晚于开考时间。"))
    if not exam.duration_minutes or exam.duration_minutes <= 0:
        problems.append(_("考试时长必须大于 0 分钟。"))
    if not exam.attempts_allowed or exam.attempts_allowed < 1:
        problems.append(_("允许作答次数至少为 1 次。"))
    if exam.pass_score is None or exam.pass_score < 0:
        problems.append(_("及格分不能为负数。"))
    if exam.makeup_attempts:
        opens, closes = exam.makeup_opens_at, exam.makeup_closes_at
        if bool(opens) != bool(closes):
            problems.append(_("补考开始时间和补考截止时间须同时填写(都不填则在考试时间内补考)。"))
        elif opens and closes:
            if closes <= opens:
                problems.append(_("补考截止时间必须晚于补考开始时间。"))
            if exam.closes_at and opens < exam.closes_at:
                problems.append(_("补考时间必须在正式考试截止之后。"))
    elif exam.makeup_opens_at or exam.makeup_closes_at:
        problems.append(_("补考次数为 0 时不应填写补考时间。"))
    if bool(exam.credit_category) != bool(exam.credit_hours):
        problems.append(_("通过后授予学时须同时填写学时类别和学时数。"))
    elif exam.credit_category and exam.credit_category not in _credit_categories():
        problems.append(_("学时类别「%(code)s」不存在。") % {"code": exam.credit_category})
    if exam.credit_hours is not None and exam.credit_hours < 0:
        problems.append(_("授予学时不能为负数。"))
    formal = exam.kind in (Exam.Kind.ANNUAL, Exam.Kind.QUALIFICATION)
    if formal and ReviewWhen.DURING in (exam.show_answers, exam.show_explanations):
        # Showing the key while the sitting is open would let an officer correct answers from it.
        problems.append(_("学法考试和执法资格考试不能在答题时显示答案或解析。"))
    return problems


def _set_audience(exam: Exam, *, units, role_categories, officers) -> None:
    if units is not None:
        exam.units.set(units)
    if role_categories is not None:
        exam.role_categories.set(role_categories)
    if officers is not None:
        exam.officers.set(officers)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EXAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown exam fields: {sorted(unknown)}")


@transaction.atomic
def exam_create(
    *,
    actor: User | None,
    paper: Paper,
    units: list[Unit] | None = None,
    role_categories: list[RoleCategory] | None = None,
    officers: list[Officer] | None = None,
    **fields,
) -> Exam:
    """A DRAFT exam. `fields` are Exam fields (see EXAM_FIELDS); the audience is units AND role categories plus
    the named officers."""
    _check_fields(fields)
    fields.setdefault("year", timezone.localdate().year)
    fields.setdefault("credit_category", "")
    exam = Exam(paper=paper, status=Exam.Status.DRAFT, created_by=actor if actor and actor.pk else None, **fields)
    problems = exam_validate(exam)
    if problems:
        raise AuthoringRefused(*problems)
    exam.save()
    _set_audience(exam, units=units, role_categories=role_categories, officers=officers)
    audit_record(actor=actor, action="exam.create", target=exam, data={"title": exam.title, "paper": paper.pk})
    return exam


def _has_started(exam: Exam) -> bool:
    return Attempt.objects.filter(exam=exam).exists()


@transaction.atomic
def exam_update(
    *,
    exam: Exam,
    actor: User | None,
    units: list[Unit] | None = None,
    role_categories: list[RoleCategory] | None = None,
    officers: list[Officer] | None = None,
    **fields,
) -> Exam:
    """Change a draft freely; a published exam nobody has started yet too (its checks are run again); once
    anyone has started, only the windows may be extended."""
    _check_fields(fields)
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if exam.status == Exam.Status.CANCELLED:
        raise AuthoringRefused(_("考试已取消,不能修改。"))
    changed = {k: v for k, v in fields.items() if getattr(exam, k) != v}
    audience_changed = _audience_differs(exam, units=units, role_categories=role_categories, officers=officers)
    if exam.status == Exam.Status.PUBLISHED and _has_started(exam):
        locked = [k for k in changed if k not in EXTENDABLE_AFTER_START]
        if locked or audience_changed:
            raise AuthoringRefused(_("已有人员开始作答,考试内容已锁定,只能延长截止时间。"))
        for key in changed:
            before = getattr(exam, key)
            if before is not None and changed[key] is not None and changed[key] < before:
                raise AuthoringRefused(_("已有人员开始作答,截止时间只能延后,不能提前。"))
    for key, value in changed.items():
        setattr(exam, key, value)
    problems = exam_validate(exam)
    if problems:
        raise AuthoringRefused(*problems)
    exam.save()
    _set_audience(exam, units=units, role_categories=role_categories, officers=officers)
    if exam.status == Exam.Status.PUBLISHED:
        problems = _publish_problems(exam, now=timezone.now(), new=False)
        if problems:
            raise AuthoringRefused(*problems)
    audit_record(
        actor=actor,
        action="exam.update",
        target=exam,
        data={"fields": sorted(changed), "audience": audience_changed},
    )
    return exam


def _audience_differs(exam: Exam, *, units, role_categories, officers) -> bool:
    def ids(objs) -> set[int]:
        return {o.pk for o in objs}

    return any(
        new is not None and ids(new) != set(current.values_list("pk", flat=True))
        for new, current in ((units, exam.units), (role_categories, exam.role_categories), (officers, exam.officers))
    )


def _publish_problems(exam: Exam, *, now: dt.datetime, new: bool) -> list[str]:
    problems = exam_validate(exam)
    check = paper_check(paper=exam.paper)
    problems.extend(check.problems)
    if check.ok and exam.pass_score is not None and exam.pass_score > check.total_points:
        problems.append(
            _("及格分 %(pass)s 高于试卷总分 %(total)s。")
            % {"pass": _num(exam.pass_score), "total": _num(check.total_points)}
        )
    if new and exam.closes_at <= now:
        problems.append(_("截止时间已过,不能发布。"))
    if not exam_audience(exam).exists():
        problems.append(_("参考人员为空:请选择参考单位、人员类别或指定人员。"))
    return problems


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


@transaction.atomic
def exam_publish(*, exam: Exam, actor: User | None, now: dt.datetime | None = None) -> Exam:
    """Check everything, publish, and tell every officer of the audience."""
    now = now or timezone.now()
    exam = Exam.objects.select_for_update().select_related("paper").get(pk=exam.pk)
    if exam.status != Exam.Status.DRAFT:
        raise AuthoringRefused(_("只有草稿状态的考试可以发布。"))
    problems = _publish_problems(exam, now=now, new=True)
    if problems:
        raise AuthoringRefused(*problems)
    exam.status = Exam.Status.PUBLISHED
    exam.published_at = now
    exam.save(update_fields=["status", "published_at", "updated_at"])
    audience = list(exam_audience(exam).select_related("user"))
    audit_record(actor=actor, action="exam.publish", target=exam, data={"audience": len(audience)})
    opens = timezone.localtime(exam.opens_at)
    closes = timezone.localtime(exam.closes_at)
    text = _("新考试《%(title)s》:%(opens)s 至 %(closes)s,请按时参加。") % {
        "title": exam.title,
        "opens": f"{opens:%Y-%m-%d %H:%M}",
        "closes": f"{closes:%Y-%m-%d %H:%M}",
    }
    for officer in audience:
        if officer.user_id:
            notice_push(user=officer.user, text=text, kind="exam")
    return exam


@transaction.atomic
def exam_cancel(*, exam: Exam, actor: User | None, reason: str) -> Exam:
    """Cancel a draft or a published exam nobody has started (results and credits are never thrown away)."""
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if not reason.strip():
        raise AuthoringRefused(_("请填写取消原因。"))
    if exam.status == Exam.Status.CANCELLED:
        return exam
    if _has_started(exam):
        raise AuthoringRefused(_("已有人员开始作答,不能取消考试。"))
    was_published = exam.status == Exam.Status.PUBLISHED
    exam.status = Exam.Status.CANCELLED
    exam.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="exam.cancel", target=exam, data={"reason": reason.strip()})
    if was_published:
        text = _("考试《%(title)s》已取消。") % {"title": exam.title}
        for officer in exam_audience(exam).select_related("user"):
            if officer.user_id:
                notice_push(user=officer.user, text=text, kind="exam")
    return exam
