"""Exams pages: grading. The officer's result page; the grader's queue and marking page (anonymous: the answer
and the rubric, never the officer or the other marks); the exam owner's/HR's grader assignment page; the results
page (trainers and HR: everyone; unit leaders: their subtree) with its .xlsx export and the regrade action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.access import has, require, role_required
from org.tabular import xlsx_response

from ..access import access_exam, access_own_attempt
from ..models import Attempt, MarkingTask, Question
from ..results_xlsx import results_workbook
from ..selectors import grading as selectors
from ..services import grading as services
from ..services.grading import GradingRefused

# While the grading task has not run (a second or so after submit) the result page reloads itself this often.
RESULT_REFRESH_SECONDS = 3


@login_required
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer's own result: score, pass and per question their answer; keys and explanations only when
    the review policy allows. Anyone else's attempt is a 404."""
    attempt = access_own_attempt(request.user, pk)
    now = timezone.now()
    services.attempt_release_if_due(attempt=attempt, now=now)
    if attempt.state == Attempt.State.IN_PROGRESS:
        messages.info(request, _("这次作答还没有交卷。"))
    return render(
        request,
        "exams/grading/attempt_result.html",
        {"result": selectors.attempt_result(attempt=attempt, now=now), "refresh_seconds": RESULT_REFRESH_SECONDS},
    )


@role_required("training")
def grading_queue(request: HttpRequest) -> HttpResponse:
    tasks = list(selectors.grader_tasks(grader=request.user)[:200])
    pending = [t for t in tasks if t.marked_at is None]
    done = [t for t in tasks if t.marked_at is not None]
    return render(request, "exams/grading/queue.html", {"pending": pending, "done": done[:50]})


@role_required("training")
def marking_task(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one answer. Only the task's grader sees it (others: 404)."""
    task = get_object_or_404(MarkingTask.objects.select_related("item__attempt__exam"), pk=pk, grader=request.user)
    error = ""
    if request.method == "POST":
        try:
            services.marking_mark(
                task=task,
                grader=request.user,
                score=request.POST.get("score", ""),
                comment=request.POST.get("comment", ""),
            )
        except GradingRefused as exc:
            error = str(exc)
        else:
            messages.success(request, _("评分已保存。"))
            following = selectors.grader_pending(grader=request.user).first()
            if following is not None:
                return redirect("exams:marking_task", pk=following.pk)
            return redirect("exams:grading_queue")
    return render(
        request,
        "exams/grading/mark.html",
        {"view": selectors.marking_view(task=task), "error": error, "posted": request.POST if error else {}},
        status=400 if error else 200,
    )


@login_required
def exam_marking(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the exam's graders and share the answers to mark among them; reassign or remove."""
    exam = access_exam(request.user, pk, action="mark")
    candidates = selectors.grader_candidates()
    by_pk = {u.pk: u for u in candidates}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                chosen = [by_pk[int(i)] for i in request.POST.getlist("graders") if i.isdigit() and int(i) in by_pk]
                n = services.marking_assign(exam=exam, graders=chosen, actor=request.user)
                messages.success(request, _("已分配 %(n)s 份答卷。") % {"n": n})
            elif action == "reassign":
                task = get_object_or_404(MarkingTask, pk=request.POST.get("task"), item__attempt__exam=exam)
                grader = by_pk.get(int(request.POST.get("grader") or 0))
                if grader is None:
                    raise GradingRefused(_("请选择阅卷人。"))
                services.marking_reassign(task=task, grader=grader, actor=request.user)
                messages.success(request, _("已改派。"))
            elif action == "remove":
                grader = by_pk.get(int(request.POST.get("grader") or 0))
                if grader is None:
                    raise GradingRefused(_("请选择阅卷人。"))
                services.marking_grader_remove(exam=exam, grader=grader, actor=request.user)
                messages.success(request, _("已移除该阅卷人,其未评答卷已重新分配。"))
        except GradingRefused as exc:
            messages.error(request, str(exc))
        return redirect("exams:exam_marking", pk=exam.pk)
    return render(
        request,
        "exams/grading/marking_assign.html",
        {
            "exam": exam,
            "candidates": candidates,
            "graders": services.exam_graders(exam=exam),
            "overview": selectors.exam_marking_overview(exam=exam),
        },
    )


@login_required
def exam_results(request: HttpRequest, pk: int) -> HttpResponse:
    exam = access_exam(request.user, pk, action="results")
    attempts = list(selectors.exam_attempts_for(exam=exam, viewer=request.user))
    rows = selectors.results_rows(attempts=attempts)
    may_regrade = has(request.user, "training")
    return render(
        request,
        "exams/grading/results.html",
        {
            "exam": exam,
            "rows": rows,
            "summary": selectors.results_summary(rows=rows),
            "stats": selectors.question_statistics(attempts=attempts),
            "may_regrade": may_regrade,
            "candidates": selectors.regrade_candidates(exam=exam) if may_regrade else [],
            "regrades": list(exam.regrades.select_related("question", "version", "actor")) if may_regrade else [],
            "may_assign": selectors.may_manage_marking(request.user, exam),
        },
    )


@login_required
def exam_results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    exam = access_exam(request.user, pk, action="results")
    attempts = list(selectors.exam_attempts_for(exam=exam, viewer=request.user))
    data = results_workbook(
        exam=exam,
        rows=selectors.results_rows(attempts=attempts),
        stats=selectors.question_statistics(attempts=attempts),
    )
    return xlsx_response(data, f"成绩-{exam.title}-{exam.pk}.xlsx")


@login_required
@require_POST
def exam_regrade(request: HttpRequest, pk: int) -> HttpResponse:
    """按新答案重新评分: one question of the exam takes its latest version; trainers and HR."""
    require(request.user, "training", message=_("只有培训师和人事可以重新评分。"))
    exam = access_exam(request.user, pk, action="results")
    question = get_object_or_404(Question, pk=request.POST.get("question") or 0)
    try:
        regrade = services.exam_regrade(
            exam=exam, question=question, actor=request.user, reason=request.POST.get("reason", "")
        )
    except GradingRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已按新答案重新评分,%(n)s 份答卷的成绩有变化。") % {"n": len(regrade.changes)})
    return redirect("exams:exam_results", pk=exam.pk)


urlpatterns = [
    path("attempts/<int:pk>/result/", attempt_result, name="attempt_result"),
    path("grading/", grading_queue, name="grading_queue"),
    path("grading/tasks/<int:pk>/", marking_task, name="marking_task"),
    path("manage/<int:pk>/marking/", exam_marking, name="exam_marking"),
    path("manage/<int:pk>/results/", exam_results, name="exam_results"),
    path("manage/<int:pk>/results.xlsx", exam_results_xlsx, name="exam_results_xlsx"),
    path("manage/<int:pk>/regrade/", exam_regrade, name="exam_regrade"),
]
