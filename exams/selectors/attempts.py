"""Attempts, read side: who may start an exam now (eligibility), and what the exam page may show of an attempt.

`attempt_payload` is the ONLY builder of what the browser gets of an attempt (the page's embedded JSON and every
JSON response): keys (options' `correct`, `answer_bool`, `accepted`, `rubric`) and explanations are left out
unless `exams.policy.review_visible` allows them (mode DURING: per item, once the officer's answer is saved).
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from org.models import Officer

from ..frozen import FrozenQuestion
from ..models import Attempt, AttemptItem, Exam
from ..policy import review_visible
from .audience import officer_in_audience

LABELS = string.ascii_uppercase


@dataclass(frozen=True)
class Eligibility:
    """Whether the officer may start (or continue) the exam now, and why not.

    `can_start` is True when the start button works: it starts a new attempt, or continues `open_attempt`."""

    can_start: bool
    reason: str
    is_makeup: bool
    attempts_used: int
    attempts_left: int
    open_attempt: Attempt | None
    window_opens_at: dt.datetime | None
    window_closes_at: dt.datetime | None


def makeup_window(exam: Exam) -> tuple[dt.datetime, dt.datetime]:
    """The 补考 window: its own dates, or the regular window when they are empty."""
    return (exam.makeup_opens_at or exam.opens_at, exam.makeup_closes_at or exam.closes_at)


def _when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def exam_eligibility(*, exam: Exam, officer: Officer, now: dt.datetime) -> Eligibility:
    attempts = list(Attempt.objects.filter(exam=exam, officer=officer).order_by("number"))
    regular = [a for a in attempts if not a.is_makeup]
    makeup = [a for a in attempts if a.is_makeup]
    open_attempt = next((a for a in attempts if a.state == Attempt.State.IN_PROGRESS), None)
    passed = any(a.passed for a in attempts)
    regular_left = max(0, exam.attempts_allowed - len(regular))
    makeup_left = max(0, exam.makeup_attempts - len(makeup))
    m_opens, m_closes = makeup_window(exam)

    def result(can: bool, reason: str = "", *, is_makeup: bool = False, left: int | None = None) -> Eligibility:
        opens, closes = (m_opens, m_closes) if is_makeup else (exam.opens_at, exam.closes_at)
        return Eligibility(
            can_start=can,
            reason=reason,
            is_makeup=is_makeup,
            attempts_used=len(attempts),
            attempts_left=0 if passed else (regular_left + makeup_left if left is None else left),
            open_attempt=open_attempt,
            window_opens_at=opens,
            window_closes_at=closes,
        )

    if exam.status != Exam.Status.PUBLISHED:
        return result(False, _("本次考试尚未发布或已取消。"), left=0)
    if officer.status != Officer.Status.ACTIVE or not officer_in_audience(exam=exam, officer=officer):
        return result(False, _("您不在本次考试的参考人员范围内。"), left=0)
    if open_attempt is not None:
        return result(True, is_makeup=open_attempt.is_makeup)
    if passed:
        return result(False, _("您已通过本次考试,无需再次作答。"))
    if now < exam.opens_at:
        return result(False, _("考试尚未开始,开考时间为 %(time)s。") % {"time": _when(exam.opens_at)})
    if now < exam.closes_at and regular_left > 0:
        return result(True, left=regular_left + makeup_left)
    # 补考: only for officers whose regular attempts all failed, with makeup attempts left, inside its window.
    failed_all = bool(regular) and all(a.passed is False for a in regular)
    if exam.makeup_attempts and regular and not failed_all:
        if any(a.passed is None for a in regular):
            return result(False, _("成绩评定完成后才能确定是否可以补考。"))
    if failed_all and makeup_left > 0:
        if now < m_opens:
            return result(False, _("补考尚未开始,补考开始时间为 %(time)s。") % {"time": _when(m_opens)}, is_makeup=True)
        if now < m_closes:
            return result(True, is_makeup=True, left=makeup_left)
        return result(False, _("补考已结束。"), is_makeup=True, left=0)
    if now >= exam.closes_at:
        return result(False, _("考试已结束。"), left=0)
    return result(False, _("您的作答次数已用完。"), left=0)


# --- what the browser gets ------------------------------------------------------------------------------


def attempt_overdue(attempt: Attempt, now: dt.datetime) -> bool:
    """An open attempt past its deadline and the save grace: to be finalised before anything else."""
    grace = dt.timedelta(seconds=settings.EXAM_SAVE_GRACE_SECONDS)
    return attempt.state == Attempt.State.IN_PROGRESS and now > attempt.deadline + grace


def item_public(item: AttemptItem, *, show_answers: bool = False, show_explanations: bool = False) -> dict:
    """One frozen question as the exam page may see it. The key and the explanation are included only when
    the caller says the review policy allows it (and then only for an item whose answer is saved)."""
    question = FrozenQuestion.of_item(item)
    data = {
        "id": item.pk,
        "position": item.position,
        **question.public(),  # options in display order with the sitting's letters; the response stores the key
        "points": str(item.points),
        "response": item.response,
        "seq": item.seq,
        "flagged": item.flagged,
    }
    answered = item.seq > 0
    if show_answers and answered and question.kind != "case":
        data["correct"] = question.key()
    if show_explanations and answered and question.explanation:
        data["explanation"] = question.explanation
    return data


def attempt_payload(*, attempt: Attempt, now: dt.datetime, items: list[AttemptItem] | None = None) -> dict:
    """Everything the exam page needs (JSON-ready), never a key the review policy does not allow yet."""
    exam = attempt.exam
    show_answers = review_visible(exam=exam, attempt=attempt, part="answers", now=now)
    show_explanations = review_visible(exam=exam, attempt=attempt, part="explanations", now=now)
    if items is None:
        items = list(attempt.items.order_by("position"))
    return {
        "id": attempt.pk,
        "state": attempt.state,
        "server_now": now.isoformat(),
        "deadline": attempt.deadline.isoformat(),
        "items": [item_public(i, show_answers=show_answers, show_explanations=show_explanations) for i in items],
    }


def attempt_clock(*, attempt: Attempt, now: dt.datetime) -> dict:
    """The small state answer: the server's clock, the deadline and the state."""
    return {
        "id": attempt.pk,
        "state": attempt.state,
        "server_now": now.isoformat(),
        "deadline": attempt.deadline.isoformat(),
    }


def attempts_overdue_ids(*, now: dt.datetime) -> list[int]:
    grace = dt.timedelta(seconds=settings.EXAM_SAVE_GRACE_SECONDS)
    return list(
        Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lt=now - grace)
        .order_by("deadline", "pk")
        .values_list("pk", flat=True)
    )
