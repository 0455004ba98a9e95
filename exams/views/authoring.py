"""Exams pages: authoring (papers, exams, the live monitor) for trainers and HR, read-only monitor for unit
leaders, and the officer's own pages (我的考试, the exam entry page). Thin: parse, call one service or selector,
render.

Access (org/access.py, exams/access.py): papers and exam management need the "training" capability (403
otherwise); the exam list, monitor and results also admit unit leaders ("exam_pages": their subtree, read-only);
an officer sees only exams whose audience includes them (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.access import access_unit, current_officer, has, role_required
from org.scopes import units_visible_to

from .. import selectors as bank_selectors
from ..access import access_exam
from ..forms import QuestionFilterForm
from ..forms_authoring import CancelForm, ExamForm, ItemsAddForm, PaperForm, RuleForm, exam_initial
from ..models import Attempt, Exam, Paper, PaperItem, PaperRule, Question, QuestionCategory
from ..selectors import exams as exam_selectors
from ..selectors.audience import exam_audience, exam_start_spread_seconds, exams_for_officer
from ..services import attempts as attempt_services
from ..services import exams as exam_services
from ..services import papers as paper_services
from ..services.papers import AuthoringRefused


def _refused(request: HttpRequest, exc: AuthoringRefused) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _credit_categories() -> dict[str, str]:
    from learning import selectors as learning_selectors

    return learning_selectors.categories()


# --- papers ----------------------------------------------------------------------------------------------


@role_required("training")
def paper_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(exam_selectors.paper_list(), 30).get_page(request.GET.get("page"))
    return render(request, "exams/authoring/paper_list.html", {"page": page, "query": ""})


@role_required("training")
def paper_create(request: HttpRequest) -> HttpResponse:
    form = PaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            paper = paper_services.paper_create(actor=request.user, **form.cleaned_data)
        except AuthoringRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("试卷已建立,请添加试题或抽题规则。"))
            return redirect("exams:paper_detail", pk=paper.pk)
    return render(request, "exams/authoring/paper_form.html", {"form": form, "paper": None})


@role_required("training")
def paper_edit(request: HttpRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk)
    initial = {k: getattr(paper, k) for k in paper_services.PAPER_FIELDS}
    form = PaperForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            paper_services.paper_update(paper=paper, actor=request.user, **form.cleaned_data)
        except AuthoringRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("试卷已保存。"))
            return redirect("exams:paper_detail", pk=paper.pk)
    return render(request, "exams/authoring/paper_form.html", {"form": form, "paper": paper})


@role_required("training")
def paper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper editor: its items (fixed) with the bank to add from, or its rules (draw) with the rule form,
    and the check the author sees before publishing."""
    paper = get_object_or_404(Paper, pk=pk)
    context: dict = {
        "paper": paper,
        "check": paper_services.paper_check(paper=paper),
        "locked": paper_services.paper_locked(paper),
        "exams": paper.exams.order_by("-opens_at"),
    }
    if paper.mode == Paper.Mode.FIXED:
        filter_form = QuestionFilterForm(request.GET or None)
        filters: dict = {}
        category = None
        if filter_form.is_valid():
            data = filter_form.cleaned_data
            if data.get("category"):
                category = QuestionCategory.objects.filter(pk=data["category"]).first()
            filters = {
                "kind": data.get("kind") or "",
                "status": data.get("status") or "",
                "difficulty": data.get("difficulty"),
                "q": data.get("q") or "",
                "tag": data.get("tag") or "",
            }
        in_paper = paper.items.values("question_id")
        candidates = (
            bank_selectors.question_list(category=category, **filters)
            .exclude(status=Question.Status.RETIRED)
            .exclude(pk__in=in_paper)
        )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            items=paper.items.select_related("question", "question__category").order_by("position", "id"),
            filter_form=filter_form,
            categories=QuestionCategory.objects.order_by("full_path"),
            category=category,
            page=Paginator(candidates, 20).get_page(request.GET.get("page")),
            query=query.urlencode(),
        )
    else:
        context.update(rule_form=RuleForm())
    return render(request, "exams/authoring/paper_detail.html", context)


def _back_to_paper(paper: Paper, request: HttpRequest) -> HttpResponse:
    url = reverse("exams:paper_detail", args=[paper.pk])
    back = request.POST.get("query", "")
    return redirect(f"{url}?{back}" if back else url)


@role_required("training")
@require_POST
def paper_items_add(request: HttpRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk)
    form = ItemsAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要加入的试题。"))
        return _back_to_paper(paper, request)
    try:
        for question in form.cleaned_data["questions"]:
            paper_services.paper_item_add(paper=paper, question=question, actor=request.user)
    except AuthoringRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已加入 %(n)s 道试题。") % {"n": len(form.cleaned_data["questions"])})
    return _back_to_paper(paper, request)


@role_required("training")
@require_POST
def paper_item_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    item = get_object_or_404(PaperItem, pk=item_id, paper_id=pk)
    try:
        paper_services.paper_item_remove(item=item, actor=request.user)
    except AuthoringRefused as exc:
        _refused(request, exc)
    return _back_to_paper(item.paper, request)


@role_required("training")
@require_POST
def paper_item_move(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    item = get_object_or_404(PaperItem, pk=item_id, paper_id=pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        paper_services.paper_item_move(item=item, offset=offset, actor=request.user)
    except AuthoringRefused as exc:
        _refused(request, exc)
    return _back_to_paper(item.paper, request)


@role_required("training")
@require_POST
def paper_rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk)
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            paper_services.paper_rule_add(paper=paper, actor=request.user, **form.cleaned_data)
        except AuthoringRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("抽题规则已添加。"))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _back_to_paper(paper, request)


@role_required("training")
def paper_rule_edit(request: HttpRequest, pk: int, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(PaperRule.objects.select_related("paper"), pk=rule_id, paper_id=pk)
    initial = {k: getattr(rule, k) for k in paper_services.RULE_FIELDS}
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            paper_services.paper_rule_update(rule=rule, actor=request.user, **form.cleaned_data)
        except AuthoringRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("抽题规则已保存。"))
            return redirect("exams:paper_detail", pk=pk)
    return render(request, "exams/authoring/rule_form.html", {"form": form, "rule": rule, "paper": rule.paper})


@role_required("training")
@require_POST
def paper_rule_remove(request: HttpRequest, pk: int, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(PaperRule, pk=rule_id, paper_id=pk)
    try:
        paper_services.paper_rule_remove(rule=rule, actor=request.user)
    except AuthoringRefused as exc:
        _refused(request, exc)
    return _back_to_paper(rule.paper, request)


@role_required("training")
def paper_rule_count(request: HttpRequest) -> JsonResponse:
    """Live availability for the rule editor: how many active questions a rule with these filters can draw."""
    form = RuleForm(request.GET)
    form.is_valid()  # count what is parseable; count and points do not matter here
    data = form.cleaned_data
    if not data.get("kind"):
        return JsonResponse({"available": None})
    probe = PaperRule(
        kind=data["kind"], category=data.get("category"), tag=data.get("tag") or "", difficulty=data.get("difficulty")
    )
    return JsonResponse({"available": paper_services.rule_candidates(probe).count()})


@role_required("training")
@require_POST
def paper_copy(request: HttpRequest, pk: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=pk)
    copy = paper_services.paper_copy(paper=paper, actor=request.user)
    messages.success(request, _("已复制为新试卷《%(title)s》,可自由修改。") % {"title": copy.title})
    return redirect("exams:paper_detail", pk=copy.pk)


# --- exams (trainers) ------------------------------------------------------------------------------------


@role_required("exam_pages")
def exam_manage_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(exam_selectors.exams_for_manager(user=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "exams/authoring/exam_list.html",
        {"page": page, "query": "", "may_edit": has(request.user, "training"), "now": timezone.now()},
    )


def _exam_form(request: HttpRequest, *, exam: Exam | None) -> ExamForm:
    initial = exam_initial(exam) if exam else {"year": timezone.localdate().year, "paper": request.GET.get("paper")}
    return ExamForm(request.POST or None, initial=initial, credit_categories=_credit_categories())


@role_required("training")
def exam_create(request: HttpRequest) -> HttpResponse:
    form = _exam_form(request, exam=None)
    if request.method == "POST" and form.is_valid():
        try:
            exam = exam_services.exam_create(actor=request.user, **form.service_kwargs())
        except AuthoringRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("考试已保存为草稿。检查无误后请发布。"))
            return redirect("exams:exam_manage_detail", pk=exam.pk)
    return render(request, "exams/authoring/exam_form.html", {"form": form, "exam": None})


@role_required("training")
def exam_edit(request: HttpRequest, pk: int) -> HttpResponse:
    exam = get_object_or_404(Exam, pk=pk)
    form = _exam_form(request, exam=exam)
    if request.method == "POST" and form.is_valid():
        try:
            exam_services.exam_update(exam=exam, actor=request.user, **form.service_kwargs())
        except AuthoringRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("考试已保存。"))
            return redirect("exams:exam_manage_detail", pk=exam.pk)
    started = Attempt.objects.filter(exam=exam).exists()
    return render(request, "exams/authoring/exam_form.html", {"form": form, "exam": exam, "started": started})


@role_required("training")
def exam_manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exam = get_object_or_404(Exam.objects.select_related("paper", "created_by"), pk=pk)
    return render(
        request,
        "exams/authoring/exam_detail.html",
        {
            "exam": exam,
            "check": paper_services.paper_check(paper=exam.paper),
            "audience_size": exam_audience(exam).count(),
            "units": exam.units.order_by("path"),
            "role_categories": exam.role_categories.all(),
            "named": exam.officers.select_related("unit"),
            "credit_name": _credit_categories().get(exam.credit_category, exam.credit_category),
            "cancel_form": CancelForm(),
            "started": Attempt.objects.filter(exam=exam).exists(),
        },
    )


@role_required("training")
@require_POST
def exam_publish(request: HttpRequest, pk: int) -> HttpResponse:
    exam = get_object_or_404(Exam, pk=pk)
    try:
        exam_services.exam_publish(exam=exam, actor=request.user)
    except AuthoringRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("考试已发布,已通知参考人员。"))
    return redirect("exams:exam_manage_detail", pk=exam.pk)


@role_required("training")
@require_POST
def exam_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    exam = get_object_or_404(Exam, pk=pk)
    try:
        exam_services.exam_cancel(exam=exam, actor=request.user, reason=request.POST.get("reason", ""))
    except AuthoringRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("考试已取消。"))
    return redirect("exams:exam_manage_detail", pk=exam.pk)


# --- the live monitor ------------------------------------------------------------------------------------


def _local(value) -> str:
    return timezone.localtime(value).strftime("%H:%M:%S") if value else ""


class _BadMonitorQuery(ValueError):
    pass


def _bounded_int(value: str | None, *, default: int, low: int, high: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise _BadMonitorQuery from None
    if not low <= number <= high:
        raise _BadMonitorQuery
    return number


def _monitor_filters(request: HttpRequest) -> dict:
    """The monitor's query string: unit (in the viewer's scope: else 403/404), state, q (name or 工号), page (past
    the last page: the last one) and size (at most MONITOR_MAX_PAGE_SIZE). Malformed input: _BadMonitorQuery."""
    params = request.GET
    state = params.get("state", "")
    search = params.get("q", "").strip()
    if state and state not in exam_selectors.MONITOR_STATES or len(search) > 50:
        raise _BadMonitorQuery
    unit_pk = params.get("unit", "")
    return {
        "unit": access_unit(request.user, unit_pk) if unit_pk else None,
        "state": state,
        "search": search,
        "page": _bounded_int(params.get("page"), default=1, low=1, high=1_000_000),
        "page_size": _bounded_int(
            params.get("size"),
            default=exam_selectors.MONITOR_PAGE_SIZE,
            low=1,
            high=exam_selectors.MONITOR_MAX_PAGE_SIZE,
        ),
    }


def _counts_json(counts: exam_selectors.MonitorCounts) -> dict:
    return {
        "audience": counts.audience,
        "started": counts.started,
        "in_progress": counts.in_progress,
        "overdue": counts.overdue,
        "submitted": counts.submitted,
        "not_started": counts.not_started,
        "online": counts.online,
    }


def _state_labels() -> dict[str, str]:
    return {"not_started": _("未开始"), "in_progress": _("作答中"), "overdue": _("已超时"), "submitted": _("已交卷")}


def _monitor_json(monitor: exam_selectors.Monitor) -> dict:
    labels = _state_labels()
    return {
        "counts": _counts_json(monitor),
        "units": [
            {
                "unit": entry.unit.pk if entry.unit else None,
                "name": entry.unit.name if entry.unit else "",
                "is_self": entry.is_self,
                "counts": _counts_json(entry.counts),
            }
            for entry in monitor.units
        ],
        "page": monitor.page,
        "num_pages": monitor.num_pages,
        "page_size": monitor.page_size,
        "matching": monitor.matching,
        "poll_seconds": exam_selectors.MONITOR_POLL_SECONDS,
        "rows": [
            {
                "officer": row.officer.pk,
                "name": row.officer.name,
                "employee_no": row.officer.employee_no,
                "unit": row.officer.unit.full_path,
                "attempt": row.attempt.pk if row.attempt else None,
                "state": row.state,
                "state_label": labels[row.state],
                "started": _local(row.attempt.started_at) if row.attempt else "",
                "answered": row.answered,
                "last_seen": _local(row.attempt.last_seen_at) if row.attempt else "",
                "deadline": _local(row.attempt.deadline) if row.attempt else "",
                "online": row.online,
            }
            for row in monitor.rows
        ],
        "server_now": timezone.now().isoformat(),
    }


def _monitor(request: HttpRequest, pk: int) -> tuple[Exam, exam_selectors.Monitor]:
    exam = access_exam(request.user, pk, action="monitor")
    filters = _monitor_filters(request)
    return exam, exam_selectors.exam_monitor(exam=exam, viewer=request.user, now=timezone.now(), **filters)


@login_required
def exam_monitor(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        exam, monitor = _monitor(request, pk)
    except _BadMonitorQuery:
        return HttpResponseBadRequest(_("筛选条件无效。"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exams/authoring/monitor.html",
        {
            "exam": exam,
            "monitor": monitor,
            "may_proctor": exam_selectors.may_proctor(request.user, exam),
            "units": units_visible_to(request.user).order_by("path").only("pk", "name", "full_path", "path", "depth"),
            "states": _state_labels(),
            "page_query": query.urlencode(),
            "poll_seconds": exam_selectors.MONITOR_POLL_SECONDS,
        },
    )


@login_required
def exam_monitor_data(request: HttpRequest, pk: int) -> JsonResponse:
    """What the monitor page polls: the counts and the current page only."""
    try:
        _exam, monitor = _monitor(request, pk)
    except _BadMonitorQuery:
        return JsonResponse({"error": _("筛选条件无效。")}, status=400)
    return JsonResponse(_monitor_json(monitor))


def _minutes(request: HttpRequest) -> int | None:
    try:
        minutes = int(request.POST.get("minutes", ""))
    except ValueError:
        return None
    return minutes if 0 < minutes <= 600 else None


def _proctor_reply(request: HttpRequest, exam: Exam, *, ok: bool, message: str) -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": ok, "message": message}, status=200 if ok else 409)
    (messages.success if ok else messages.error)(request, message)
    return redirect("exams:exam_monitor", pk=exam.pk)


@login_required
@require_POST
def exam_proctor(request: HttpRequest, pk: int, attempt_id: int, action: str) -> HttpResponse:
    """延时 (minutes + reason) or 强制交卷 (reason) for one in-progress attempt, through the attempts engine."""
    exam = access_exam(request.user, pk, action="proctor")
    attempt = get_object_or_404(Attempt, pk=attempt_id, exam=exam)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        return _proctor_reply(request, exam, ok=False, message=_("请填写原因。"))
    if attempt.state != Attempt.State.IN_PROGRESS:
        return _proctor_reply(request, exam, ok=False, message=_("该考生已交卷。"))
    try:
        if action == "extend":
            minutes = _minutes(request)
            if minutes is None:
                return _proctor_reply(request, exam, ok=False, message=_("延时分钟数须为 1 到 600 之间的整数。"))
            attempt_services.attempt_extend(attempt=attempt, minutes=minutes, actor=request.user, reason=reason)
            message = _("已为 %(name)s 延时 %(m)s 分钟。") % {"name": attempt.officer.name, "m": minutes}
        else:
            attempt_services.attempt_force_submit(attempt=attempt, actor=request.user, reason=reason)
            message = _("已强制 %(name)s 交卷。") % {"name": attempt.officer.name}
    except attempt_services.AttemptRefused as exc:
        return _proctor_reply(request, exam, ok=False, message=str(exc))
    return _proctor_reply(request, exam, ok=True, message=message)


@login_required
@require_POST
def exam_extend_all(request: HttpRequest, pk: int) -> HttpResponse:
    """全体延时: every attempt in progress gets the same minutes."""
    exam = access_exam(request.user, pk, action="proctor")
    reason = request.POST.get("reason", "").strip()
    minutes = _minutes(request)
    if not reason or minutes is None:
        return _proctor_reply(request, exam, ok=False, message=_("请填写原因和延时分钟数(1 到 600 之间的整数)。"))
    extended = 0
    for attempt in Attempt.objects.filter(exam=exam, state=Attempt.State.IN_PROGRESS).select_related("officer"):
        try:
            attempt_services.attempt_extend(attempt=attempt, minutes=minutes, actor=request.user, reason=reason)
        except attempt_services.AttemptRefused:
            continue
        extended += 1
    return _proctor_reply(
        request,
        exam,
        ok=True,
        message=_("已为 %(n)s 名正在作答的考生延时 %(m)s 分钟。") % {"n": extended, "m": minutes},
    )


# --- the officer's pages ---------------------------------------------------------------------------------


@login_required
def my_exams(request: HttpRequest) -> HttpResponse:
    officer = current_officer(request.user)
    buckets = (
        exam_selectors.officer_exams(officer=officer, now=timezone.now())
        if officer
        else {"upcoming": [], "open": [], "finished": []}
    )
    return render(request, "exams/authoring/my_exams.html", {"officer": officer, **buckets})


@login_required
def exam_entry(request: HttpRequest, exam_id: int) -> HttpResponse:
    """The officer's landing page of one exam: instructions, window, duration, attempts left, start/continue."""
    officer = current_officer(request.user)
    exam = get_object_or_404(Exam.objects.select_related("paper"), pk=exam_id, status=Exam.Status.PUBLISHED)
    if officer is None or not exams_for_officer(officer=officer, exams=Exam.objects.filter(pk=exam.pk)):
        raise Http404(_("没有这场考试。"))
    row = exam_selectors.officer_exam(exam=exam, officer=officer, now=timezone.now())
    check = paper_services.paper_check(paper=exam.paper)
    return render(
        request,
        "exams/authoring/exam_entry.html",
        {
            "exam": exam,
            "row": row,
            "question_count": check.question_count,
            "total_points": check.total_points,
            "start_spread": exam_start_spread_seconds(exam),
        },
    )


urlpatterns = [
    path("papers/", paper_list, name="paper_list"),
    path("papers/new/", paper_create, name="paper_create"),
    path("papers/rule-count/", paper_rule_count, name="paper_rule_count"),
    path("papers/<int:pk>/", paper_detail, name="paper_detail"),
    path("papers/<int:pk>/edit/", paper_edit, name="paper_edit"),
    path("papers/<int:pk>/copy/", paper_copy, name="paper_copy"),
    path("papers/<int:pk>/items/add/", paper_items_add, name="paper_items_add"),
    path("papers/<int:pk>/items/<int:item_id>/remove/", paper_item_remove, name="paper_item_remove"),
    path("papers/<int:pk>/items/<int:item_id>/move/", paper_item_move, name="paper_item_move"),
    path("papers/<int:pk>/rules/add/", paper_rule_add, name="paper_rule_add"),
    path("papers/<int:pk>/rules/<int:rule_id>/edit/", paper_rule_edit, name="paper_rule_edit"),
    path("papers/<int:pk>/rules/<int:rule_id>/remove/", paper_rule_remove, name="paper_rule_remove"),
    path("manage/", exam_manage_list, name="exam_manage_list"),
    path("manage/new/", exam_create, name="exam_create"),
    path("manage/<int:pk>/", exam_manage_detail, name="exam_manage_detail"),
    path("manage/<int:pk>/edit/", exam_edit, name="exam_edit"),
    path("manage/<int:pk>/publish/", exam_publish, name="exam_publish"),
    path("manage/<int:pk>/cancel/", exam_cancel, name="exam_cancel"),
    path("manage/<int:pk>/monitor/", exam_monitor, name="exam_monitor"),
    path("manage/<int:pk>/monitor.json", exam_monitor_data, name="exam_monitor_data"),
    path("manage/<int:pk>/extend-all/", exam_extend_all, name="exam_extend_all"),
    path(
        "manage/<int:pk>/attempts/<int:attempt_id>/extend/",
        exam_proctor,
        {"action": "extend"},
        name="exam_proctor_extend",
    ),
    path(
        "manage/<int:pk>/attempts/<int:attempt_id>/force-submit/",
        exam_proctor,
        {"action": "force_submit"},
        name="exam_proctor_force_submit",
    ),
    path("mine/", my_exams, name="my_exams"),
    path("<int:exam_id>/", exam_entry, name="exam_entry"),
]
