"""HR's certification pages under /hr/certification/: the board, officer lists and detail, HR's actions on a
certificate, the review run (年审), "remind now", 待发证 and recording a certificate, import, review cycles, and
.xlsx export of every list. Unit leaders read everything of their subtree; only HR (and admins) write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org import uploads
from org.access import access_officer, access_unit, has, role_required
from org.models import Officer, Unit
from org.scopes import officers_visible_to
from org.selectors import unit_tree_for
from org.tabular import capped
from org.units import subtree_q

from .. import selectors, services
from ..forms import (
    BlockForm,
    BoardFilterForm,
    CycleForm,
    ImportForm,
    IssueForm,
    LiftBlockForm,
    ReasonDateForm,
    SingleReviewForm,
    SuspendForm,
    VoidForm,
    clamp_year,
)
from ..models import Certificate, CertificateEvent, ReviewBlock, ReviewCycle
from ..reminders import remind_now
from ..status import STATUS_COLOURS, STATUS_ORDER, Status
from .common import StatusRow, event_lines, pdf_response, unmet_conditions, xlsx_response, year_review

PAGE_SIZE = 100
_IMPORT_UPLOAD = "certificate_upload"


# --- filters --------------------------------------------------------------------------------------------------


def _unit_from(request: HttpRequest) -> Unit | None:
    raw = request.GET.get("unit") or request.POST.get("unit")
    if not raw:
        return None
    return access_unit(request.user, raw)


def _status_from(request: HttpRequest) -> str:
    value = request.GET.get("status", "")
    return value if value in Status.values else ""


def _filters(request: HttpRequest) -> dict:
    unit = _unit_from(request)
    status = _status_from(request)
    year = clamp_year(request.GET.get("year"))
    q = (request.GET.get("q") or "").strip()[:50]
    form = BoardFilterForm(initial={"unit": unit.pk if unit else None, "status": status, "year": year, "q": q})
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return {
        "unit": unit,
        "status": status,
        "year": year,
        "q": q,
        "form": form,
        "query": query.urlencode(),
        "tree": _tree(request),
    }


def _tree(request: HttpRequest) -> list[dict]:
    tree = unit_tree_for(viewer=request.user)
    top = min((n["depth"] for n in tree), default=1)
    for node in tree:
        node["indent"] = "\u3000" * (node["depth"] - top)
    return tree


def _scoped_officers(request: HttpRequest, unit: Unit | None, q: str = ""):
    officers = officers_visible_to(request.user).filter(status=Officer.Status.ACTIVE)
    if unit is not None:
        officers = officers.filter(subtree_q([unit]))
    if q:
        from django.db.models import Q

        officers = officers.filter(Q(name__contains=q) | Q(employee_no=q))
    return officers.select_related("unit", "role_category", "user")


def _status_rows_xlsx(*, filename: str, sheet: str, rows: list, year: int | None = None) -> HttpResponse:
    headers = [
        _("工号"),
        _("姓名"),
        _("单位"),
        _("人员类别"),
        _("执法岗位"),
        _("证号"),
        _("状态"),
        _("有效年度"),
        _("最近年审"),
        _("未满足条件"),
    ]
    if year:
        headers.append(_("%(year)s 年审") % {"year": year})

    def line(r):
        o = r.officer
        return [
            o.employee_no,
            o.name,
            o.unit.full_path,
            o.role_category.name,
            _("是") if o.enforcement_duty else _("否"),
            r.certificate.number if r.certificate else "",
            str(r.label),
            r.valid_for_year or "",
            r.last_review.effective_on if r.last_review else "",
            ";".join(f"{c.label}:{c.detail}" if c.detail else str(c.label) for c in unmet_conditions(r)),
        ] + ([_review_words(year_review(r, year))] if year else [])

    return xlsx_response(filename=filename, sheet=sheet, headers=headers, rows=(line(r) for r in rows))


def _review_words(event) -> str:
    if event is None:
        return _("未审")
    return _("通过") if event.kind == CertificateEvent.Kind.REVIEW_PASSED else _("未通过")


# --- the board ------------------------------------------------------------------------------------------------


@role_required("hr_pages")
def board(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    data = selectors.board(viewer=request.user, unit=f["unit"], status=f["status"] or None)
    export = request.GET.get("export")
    if export in ("unlicensed", "at_risk"):
        rows = data["on_duty_unlicensed"] if export == "unlicensed" else data["at_risk"]
        return _status_rows_xlsx(filename=f"certification-{export}.xlsx", sheet=export, rows=rows)
    if export == "units":
        headers = [_("单位"), *[str(s.label) for s in STATUS_ORDER], _("合计")]
        return xlsx_response(
            filename="certification-units.xlsx",
            sheet=_("单位统计"),
            headers=headers,
            rows=(
                [r["unit"].full_path, *[r["counts"].get(s, 0) for s in STATUS_ORDER], r["total"]] for r in data["units"]
            ),
        )
    top_depth = min((r.get("depth", r["unit"].depth) for r in data["units"]), default=0)
    return render(
        request,
        "certification/board.html",
        {
            **f,
            "data": data,
            "unit_rows": [
                {
                    "unit": r["unit"],
                    "depth": r.get("depth", r["unit"].depth) - top_depth,
                    "cells": [(s, r["counts"].get(s, 0)) for s in STATUS_ORDER],
                    "total": r["total"],
                }
                for r in data["units"]
            ],
            "unlicensed": [StatusRow(r) for r in data["on_duty_unlicensed"]],
            "drill": [StatusRow(r) for r in data.get("officers", [])] if f["status"] else [],
            "status_label": Status(f["status"]).label if f["status"] else "",
            "at_risk": [StatusRow(r) for r in data["at_risk"]],
            "columns": [(s, s.label, STATUS_COLOURS[s]) for s in STATUS_ORDER],
            "may_write": has(request.user, "hr"),
            "today": timezone.localdate(),
        },
    )


@role_required("hr_pages")
def officer_list(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    rows = selectors.statuses(officers=_scoped_officers(request, f["unit"], f["q"]))
    if f["status"]:
        rows = [r for r in rows if r.status == f["status"]]
    rows = [StatusRow(r, year=f["year"]) for r in rows]
    review = request.GET.get("review", "")
    if review in REVIEW_FILTERS:
        rows = [r for r in rows if REVIEW_FILTERS[review](r.year_review)]
    rows.sort(key=lambda r: (STATUS_ORDER.index(r.status), r.officer.unit.path, r.officer.employee_no))
    if request.GET.get("export") == "xlsx":
        return _status_rows_xlsx(filename="certification-officers.xlsx", sheet=_("人员"), rows=rows, year=f["year"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "certification/officer_list.html",
        {**f, "page": page, "total": len(rows), "may_write": has(request.user, "hr"), "review": review},
    )


# The officer list's 年审结果 filter for the chosen year: passed, failed, or not reviewed (standing review only).
REVIEW_FILTERS = {
    "passed": lambda e: e is not None and e.kind == CertificateEvent.Kind.REVIEW_PASSED,
    "failed": lambda e: e is not None and e.kind == CertificateEvent.Kind.REVIEW_FAILED,
    "none": lambda e: e is None,
}


@role_required("hr_pages")
def officer_detail(request: HttpRequest, pk: int, forms: dict | None = None, http_status: int = 200) -> HttpResponse:
    officer = access_officer(request.user, pk)
    status = selectors.officer_status(officer=officer)
    may_write = has(request.user, "hr")
    forms = forms or {}
    context = {
        "officer": officer,
        "s": status,
        "lines": event_lines(status.events),
        "blocks": ReviewBlock.objects.filter(officer=officer).order_by("-starts_on"),
        "may_write": may_write,
        "certificates": Certificate.objects.filter(officer=officer).order_by("-issued_on"),
    }
    if may_write:
        context.update(
            suspend_form=forms.get("suspend") or SuspendForm(initial={"effective_on": timezone.localdate()}),
            reinstate_form=forms.get("reinstate") or ReasonDateForm(prefix="reinstate"),
            revoke_form=forms.get("revoke") or ReasonDateForm(prefix="revoke"),
            review_form=forms.get("review") or SingleReviewForm(),
            void_form=forms.get("void") or VoidForm(),
            block_form=forms.get("block") or BlockForm(initial={"starts_on": timezone.localdate()}),
            lift_form=forms.get("lift") or LiftBlockForm(),
            issue_form=forms.get("issue") or IssueForm(),
        )
    return render(request, "certification/officer_detail.html", context, status=http_status)


@role_required("hr_pages")
def officer_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    officer = access_officer(request.user, pk)
    status = selectors.officer_status(officer=officer)
    if status.certificate is None:
        raise Http404
    return pdf_response(request, status)


# --- HR's actions on one certificate --------------------------------------------------------------------------


def _certificate(request: HttpRequest, pk: int) -> Certificate:
    try:
        certificate = Certificate.objects.select_related("officer__unit").get(pk=int(pk))
    except (Certificate.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    access_officer(request.user, certificate.officer_id)
    return certificate


def _run(request: HttpRequest, officer_pk: int, form_key: str, form, action) -> HttpResponse:
    """Validate the form, call the service; a refusal comes back as a message (and the form, with 400)."""
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
        return officer_detail(request, officer_pk, forms={form_key: form}, http_status=400)
    try:
        done = action(form.cleaned_data)
    except services.CertificationError as exc:
        messages.error(request, str(exc))
        return officer_detail(request, officer_pk, forms={form_key: form}, http_status=400)
    messages.success(request, done)
    return redirect("certification:officer_detail", pk=officer_pk)


@require_POST
@role_required("hr")
def certificate_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate(request, pk)

    def act(d):
        services.certificate_suspend(
            actor=request.user,
            certificate=certificate,
            reason=d["reason"],
            effective_on=d["effective_on"],
            ends_on=d["ends_on"],
        )
        return _("已暂扣执法证 %(number)s。") % {"number": certificate.number}

    return _run(request, certificate.officer_id, "suspend", SuspendForm(request.POST), act)


@require_POST
@role_required("hr")
def certificate_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate(request, pk)

    def act(d):
        services.certificate_reinstate(
            actor=request.user, certificate=certificate, reason=d["reason"], effective_on=d["effective_on"]
        )
        return _("已恢复执法证 %(number)s。") % {"number": certificate.number}

    return _run(request, certificate.officer_id, "reinstate", ReasonDateForm(request.POST, prefix="reinstate"), act)


@require_POST
@role_required("hr")
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate(request, pk)

    def act(d):
        services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=d["reason"], effective_on=d["effective_on"]
        )
        return _("已注销执法证 %(number)s。") % {"number": certificate.number}

    return _run(request, certificate.officer_id, "revoke", ReasonDateForm(request.POST, prefix="revoke"), act)


@require_POST
@role_required("hr")
def certificate_review(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _certificate(request, pk)

    def act(d):
        event = services.review_single(actor=request.user, certificate=certificate, year=d["year"])
        if getattr(event, "kind", None) == CertificateEvent.Kind.REVIEW_PASSED:
            return _("%(year)s 年度年审通过。") % {"year": d["year"]}
        return _("已记录 %(year)s 年度年审结果。") % {"year": d["year"]}

    return _run(request, certificate.officer_id, "review", SingleReviewForm(request.POST), act)


@require_POST
@role_required("hr")
def event_void(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = CertificateEvent.objects.select_related("certificate").get(pk=int(pk))
    except (CertificateEvent.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    access_officer(request.user, event.certificate.officer_id)

    def act(d):
        services.event_void(actor=request.user, event=event, reason=d["reason"])
        return _("已更正(作废)该记录。")

    return _run(request, event.certificate.officer_id, "void", VoidForm(request.POST), act)


@require_POST
@role_required("hr")
def block_add(request: HttpRequest, pk: int) -> HttpResponse:
    officer = access_officer(request.user, pk)

    def act(d):
        services.review_block_add(
            actor=request.user,
            officer=officer,
            kind=d["kind"],
            reason=d["reason"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        )
        return _("已添加年审限制。")

    return _run(request, officer.pk, "block", BlockForm(request.POST), act)


@require_POST
@role_required("hr")
def block_lift(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        block = ReviewBlock.objects.get(pk=int(pk))
    except (ReviewBlock.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    access_officer(request.user, block.officer_id)

    def act(d):
        services.review_block_lift(actor=request.user, block=block, reason=d["reason"], lifted_on=d["lifted_on"])
        return _("已解除年审限制。")

    return _run(request, block.officer_id, "lift", LiftBlockForm(request.POST), act)


# --- review run, remind now -----------------------------------------------------------------------------------


@role_required("hr")
def review_run(request: HttpRequest) -> HttpResponse:
    """Pick a unit subtree and the year → preview (eligible / not, with the unmet conditions) → confirm."""
    unit = _unit_from(request)
    source = request.POST if request.method == "POST" else request.GET
    year = clamp_year(source.get("year"))
    if request.method == "POST":
        if unit is None:
            messages.error(request, _("请选择单位。"))
            return redirect("certification:review_run")
        try:
            result = services.review_run_confirm(actor=request.user, unit=unit, year=year)
        except services.CertificationError as exc:
            messages.error(request, str(exc))
            return redirect(f"{reverse('certification:review_run')}?unit={unit.pk}&year={year}")
        messages.success(request, _run_summary(result, year))
        return redirect(f"{reverse('certification:board')}?unit={unit.pk}&year={year}")
    preview = None
    error = ""
    if unit is not None:
        try:
            preview = services.review_run_preview(viewer=request.user, unit=unit, year=year)
        except services.CertificationError as exc:
            error = str(exc)
    return render(
        request,
        "certification/review_run.html",
        {
            "unit": unit,
            "year": year,
            "preview": preview,
            "error": error,
            "tree": _tree(request),
            "cycles": ReviewCycle.objects.order_by("-year"),
        },
        status=400 if error else 200,
    )


def _run_summary(result, year: int) -> str:
    passed = getattr(result, "passed", None)
    failed = getattr(result, "failed", None)
    already = getattr(result, "already", None)

    def n(v):
        return len(v) if isinstance(v, list | tuple | set) else (v or 0)

    return _("%(year)s 年度年审已记录:通过 %(p)s 人,未通过 %(f)s 人,此前已审 %(a)s 人。") % {
        "year": year,
        "p": n(passed),
        "f": n(failed),
        "a": n(already),
    }


@require_POST
@role_required("hr")
def remind(request: HttpRequest) -> HttpResponse:
    unit = _unit_from(request)
    report = remind_now(actor=request.user, unit=unit)
    if report.sent or report.skipped:
        messages.success(
            request, _("已提醒 %(n)s 人(今日已提醒过的 %(s)s 人不再重复)。") % {"n": report.sent, "s": report.skipped}
        )
    else:
        messages.info(request, _("没有需要提醒的人员(或当前没有进行中的年审)。"))
    url = reverse("certification:board")
    return redirect(f"{url}?unit={unit.pk}" if unit else url)


# --- 待发证, recording a certificate, import -------------------------------------------------------------------


@role_required("hr_pages")
def awaiting(request: HttpRequest) -> HttpResponse:
    officers = list(selectors.awaiting_issue(viewer=request.user))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            filename="certification-awaiting.xlsx",
            sheet=_("待发证"),
            headers=[_("工号"), _("姓名"), _("单位"), _("人员类别")],
            rows=([o.employee_no, o.name, o.unit.full_path, o.role_category.name] for o in officers),
        )
    return render(
        request,
        "certification/awaiting.html",
        {"officers": officers, "may_write": has(request.user, "hr"), "form": IssueForm()},
    )


@require_POST
@role_required("hr")
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    officer = access_officer(request.user, pk)

    def act(d):
        services.certificate_issue(actor=request.user, officer=officer, **d)
        return _("已为 %(name)s 记录执法证 %(number)s。") % {"name": officer.name, "number": d["number"]}

    return _run(request, officer.pk, "issue", IssueForm(request.POST), act)


@role_required("hr")
def import_certificates(request: HttpRequest) -> HttpResponse:
    """Upload → whole-file validation → preview (dry run) → confirm; nothing is written until confirm."""
    context: dict = {"form": ImportForm()}
    if request.method == "POST" and "confirm" in request.POST:
        staged = uploads.staged_upload_get(request, key=_IMPORT_UPLOAD, token=request.POST.get("token"))
        if staged is None:
            messages.error(request, _("上传已过期,请重新选择文件。"))
            return redirect("certification:import")
        return _import(request, staged.meta["name"], staged.content, context, apply=True)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return render(request, "certification/import.html", context, status=400)
        upload = form.cleaned_data["file"]
        return _import(request, upload.name, upload.read(), context, apply=False)
    return render(request, "certification/import.html", context)


def _import(request: HttpRequest, name: str, content: bytes, context: dict, *, apply: bool) -> HttpResponse:
    try:
        report = services.certificates_import(actor=request.user, data=content, filename=name, dry_run=not apply)
    except services.CertificationError as exc:
        context["file_error"] = str(exc)
        return render(request, "certification/import.html", context, status=400)
    context["report"] = report
    if getattr(report, "errors", None):
        # A hostile file may hold thousands of errors: the page lists the first ones and counts the rest.
        context["errors"], context["errors_more"] = capped(report.errors)
        context["error_total"] = len(report.errors)
        return render(request, "certification/import.html", context, status=400)
    if apply:
        uploads.staged_upload_discard(request, key=_IMPORT_UPLOAD)
        messages.success(request, _("导入完成:%(summary)s") % {"summary": _import_summary(report)})
        return redirect("certification:board")
    context["summary"] = _import_summary(report)
    context["token"] = uploads.staged_upload_put(request, key=_IMPORT_UPLOAD, content=content, meta={"name": name})
    context["filename"] = name
    return render(request, "certification/import.html", context)


def _import_summary(report) -> str:
    def n(name):
        v = getattr(report, name, 0)
        return len(v) if isinstance(v, list | tuple | set | dict) else (v or 0)

    return _("新增 %(c)s 张,已存在未变 %(u)s 张。") % {"c": n("created"), "u": n("unchanged")}


@role_required("hr_pages")
def export_certificates(request: HttpRequest) -> HttpResponse:
    """Every certificate in the viewer's scope, in the import's columns (an export imports back unchanged)."""
    headers, rows = services.certificates_export_rows(viewer=request.user)
    return xlsx_response(filename="certificates.xlsx", sheet=_("执法证"), headers=headers, rows=rows)


# --- review cycles --------------------------------------------------------------------------------------------


@role_required("hr_pages")
def cycles(request: HttpRequest) -> HttpResponse:
    may_write = has(request.user, "hr")
    year = clamp_year(request.GET.get("year") or request.POST.get("year"))
    existing = ReviewCycle.objects.filter(year=year).first()
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied(_("只有人事可以进行此操作。"))
        form = CycleForm(request.POST)
        if form.is_valid():
            try:
                services.review_cycle_save(actor=request.user, **form.cleaned_data)
            except services.CertificationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已保存 %(year)s 年度年审周期。") % {"year": form.cleaned_data["year"]})
                return redirect(f"{reverse('certification:cycles')}?year={form.cleaned_data['year']}")
        status = 400
    else:
        initial = {"year": year}
        if existing is not None:
            initial.update(
                window_opens=existing.window_opens,
                deadline=existing.deadline,
                grace_days=existing.grace_days,
                requires_hours=existing.requires_hours,
                requires_annual_exam=existing.requires_annual_exam,
                requires_training_days=existing.requires_training_days,
                note=existing.note,
            )
        form = CycleForm(initial=initial)
        status = 200
    return render(
        request,
        "certification/cycles.html",
        {"form": form, "cycles": ReviewCycle.objects.order_by("-year"), "may_write": may_write, "year": year},
        status=status,
    )
