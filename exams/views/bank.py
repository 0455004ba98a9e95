"""Trainer pages of the question bank. Thin: parse input, call one service or selector, render.
Who may come here: the "training" capability of org/access.py (trainers, HR, admins); everyone else gets 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import selectors as content_selectors
from org import uploads
from org.access import role_required
from org.tabular import TableError, capped, check_upload_size, download_response, max_rows_read, xlsx_response

from .. import formats, selectors, services
from ..formats import Issue, xlsx
from ..forms import FORMAT_CHOICES, ImportForm, QuestionFilterForm, QuestionForm, StatusForm, initial_from_data
from ..models import Question, QuestionCategory


def _filtered(request: HttpRequest):
    form = QuestionFilterForm(request.GET or None)
    category = None
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        if data.get("category"):
            category = get_object_or_404(QuestionCategory, pk=data["category"])
        filters = {
            "kind": data.get("kind") or "",
            "status": data.get("status") or "",
            "difficulty": data.get("difficulty"),
            "q": data.get("q") or "",
            "tag": data.get("tag") or "",
            "needs_review": True if data.get("review") else None,
        }
    return form, category, selectors.question_list(category=category, **filters)


@role_required("training")
def bank_list(request: HttpRequest) -> HttpResponse:
    form, category, questions = _filtered(request)
    page = Paginator(questions, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exams/bank_list.html",
        {
            "form": form,
            "category": category,
            "page": page,
            "total": page.paginator.count,
            "tree": selectors.category_tree(),
            "query": query.urlencode(),
            "formats": FORMAT_CHOICES,
        },
    )


@role_required("training")
def question_create(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None, initial={"category_path": request.GET.get("category", "")})
    if request.method == "POST" and form.is_valid():
        question = services.question_create(data=form.question_data, actor=request.user)
        messages.success(request, _("试题已保存(草稿)。"))
        return redirect("exams:question_detail", pk=question.pk)
    return render(
        request, "exams/question_form.html", {"form": form, "paths": selectors.category_paths(), "question": None}
    )


@role_required("training")
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("category", "author"), pk=pk)
    return render(
        request,
        "exams/question_detail.html",
        {
            "question": question,
            "data": selectors.question_data(question),
            "versions": selectors.question_versions(question),
            "notices": selectors.question_review_notices(question),
            "citations": selectors.question_citations(question),
            "status_form": StatusForm(initial={"status": question.status}),
        },
    )


@role_required("training")
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    form = QuestionForm(request.POST or None, initial=initial_from_data(selectors.question_data(question)))
    if request.method == "POST" and form.is_valid():
        before = question.version_number
        question = services.question_update(
            question=question, data=form.question_data, actor=request.user, note=form.cleaned_data.get("note", "")
        )
        if question.version_number == before:
            messages.info(request, _("内容没有变化,未生成新版本。"))
        else:
            messages.success(request, _("已保存为第 %(n)s 版。") % {"n": question.version_number})
        return redirect("exams:question_detail", pk=question.pk)
    return render(
        request, "exams/question_form.html", {"form": form, "paths": selectors.category_paths(), "question": question}
    )


@role_required("training")
@require_POST
def question_status(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.question_set_status(question=question, status=form.cleaned_data["status"], actor=request.user)
        messages.success(request, _("状态已改为「%(s)s」。") % {"s": question.get_status_display()})
    return redirect("exams:question_detail", pk=question.pk)


@role_required("training")
@require_POST
def question_exam_only(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    exam_only = request.POST.get("exam_only") == "1"
    services.question_set_exam_only(question=question, exam_only=exam_only, actor=request.user)
    if exam_only:
        messages.success(request, _("已设为保密题:不再进入练习和错题本。"))
    else:
        messages.success(request, _("已取消保密:本题可用于练习。"))
    return redirect("exams:question_detail", pk=question.pk)


@role_required("training")
@require_POST
def question_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    services.question_clear_review(question=question, actor=request.user)
    messages.success(request, _("已标记为复核完成。"))
    return redirect("exams:question_detail", pk=question.pk)


@role_required("training")
def bank_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in formats.FORMATS:
        raise Http404
    _form, _category, questions = _filtered(request)
    module = formats.get(fmt)
    content = module.export(selectors.questions_data(questions), **_format_options(fmt))
    filename = f"题库-{timezone.localdate():%Y%m%d}.{formats.FILE_SUFFIX[fmt]}"
    return download_response(content, filename, module.CONTENT_TYPE)


def _format_options(fmt: str) -> dict:
    """The spreadsheet shows violation categories by their Chinese name and reads name or code."""
    if fmt == xlsx.NAME:
        return {"violation_categories": content_selectors.violation_categories()}
    return {}


@role_required("training")
def bank_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(xlsx.template(**_format_options(xlsx.NAME)), "试题导入模板.xlsx")


_QUESTION_UPLOAD = "question_upload"


@role_required("training")
def bank_import(request: HttpRequest) -> HttpResponse:
    """Upload → validate the whole file → preview (dry run) → confirm. Nothing is written until confirm."""
    context: dict = {"form": ImportForm(), "paths": selectors.category_paths()}
    if request.method == "POST" and "confirm" in request.POST:
        staged = uploads.staged_upload_get(request, key=_QUESTION_UPLOAD, token=request.POST.get("token"))
        if staged is None:
            messages.error(request, _("上传已过期,请重新选择文件。"))
            return redirect("exams:bank_import")
        return _check_and_maybe_apply(request, staged.meta, staged.content, context, apply=True)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            fmt = form.cleaned_data["format"] or formats.guess(upload.name)
            if fmt is None:
                context["file_error"] = _("无法从扩展名判断格式,请选择格式。")
                return render(request, "exams/bank_import.html", context, status=400)
            stash = {
                "name": upload.name,
                "format": fmt,
                "category_root": form.cleaned_data["category_root"],
                "status": Question.Status.ACTIVE if form.cleaned_data["activate"] else Question.Status.DRAFT,
                "exam_only": form.cleaned_data["exam_only"],
            }
            return _check_and_maybe_apply(request, stash, upload.read(), context, apply=False)
    return render(request, "exams/bank_import.html", context)


def _check_and_maybe_apply(request, stash: dict, content: bytes, context: dict, *, apply: bool):
    try:
        check_upload_size(content)
    except TableError as exc:
        context["file_error"] = str(exc)
        return render(request, "exams/bank_import.html", context, status=400)
    parsed = formats.get(stash["format"]).parse(content, **_format_options(stash["format"]))
    if len(parsed.questions) > max_rows_read():
        parsed.errors.insert(0, Issue(0, _("文件超过 %(n)s 道试题,请拆分后分批导入。") % {"n": max_rows_read()}))
    context["warnings"], context["warnings_more"] = capped(parsed.warnings)
    if not parsed.ok:
        context["errors"], context["errors_more"] = capped(parsed.errors)
        context["error_total"] = len(parsed.errors)
        return render(request, "exams/bank_import.html", context, status=400)
    report = services.questions_import(
        parsed=parsed,
        actor=request.user,
        category_root=stash["category_root"],
        status=stash["status"],
        exam_only=bool(stash.get("exam_only")),
        dry_run=not apply,
        source=stash["name"],
    )
    context["report"] = report
    if apply:
        uploads.staged_upload_discard(request, key=_QUESTION_UPLOAD)
        messages.success(
            request,
            _("导入完成:新增 %(c)s 道试题,重复跳过 %(d)s 道。")
            % {"c": len(report.created), "d": len(report.duplicates)},
        )
        return redirect("exams:bank_list")
    context.update(
        token=uploads.staged_upload_put(request, key=_QUESTION_UPLOAD, content=content, meta=stash),
        filename=stash["name"],
        exam_only=bool(stash.get("exam_only")),
        by_kind=[(Question.Kind(k).label, n) for k, n in report.counts_by_kind().items()],
    )
    return render(request, "exams/bank_import.html", context)
