"""Access to one exam or attempt, for views and the websocket consumer alike (org/access.py's pattern).

Each helper loads the object and raises Http404 (it does not exist, or it is someone else's attempt: nobody
answers or reads for an officer) or PermissionDenied with a Chinese reason."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from org.models import User

from .models import Attempt, Exam
from .selectors import exams as exam_selectors
from .selectors import grading as grading_selectors

# What a user may do with an exam → (the rule, the refusal).
EXAM_ACTIONS = {
    "monitor": (exam_selectors.may_monitor, _("您无权查看该考试的监考页面。")),
    "proctor": (exam_selectors.may_proctor, _("只有培训师和人事可以执行监考操作。")),
    "mark": (grading_selectors.may_manage_marking, _("只有考试创建人和人事可以分配阅卷。")),
    "results": (grading_selectors.may_view_results, _("您无权查看考试成绩。")),
}


def _pk(value) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError, OverflowError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def access_exam(user: User, pk: int | str, *, action: str) -> Exam:
    rule, refusal = EXAM_ACTIONS[action]
    exam = Exam.objects.select_related("paper").filter(pk=_pk(pk)).first()
    if exam is None:
        raise Http404
    if not rule(user, exam):
        raise PermissionDenied(refusal)
    return exam


def access_own_attempt(user: User, attempt_id: int | str) -> Attempt:
    """The user's own attempt, or 404 (also for a trainer or a leader)."""
    attempt = (
        Attempt.objects.select_related("exam", "officer").filter(pk=_pk(attempt_id), officer__user_id=user.pk).first()
    )
    if attempt is None:
        raise Http404
    return attempt
