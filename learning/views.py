"""Thin views: parse input, ask org.scopes, call one service or selector, render."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from org.access import access_officer, access_unit, current_officer, has, officer_required, require, role_required
from org.jsonbody import JsonBodyError, json_body, json_float, json_int
from org.models import Officer, RoleCategory
from org.scopes import officers_visible_to
from org.selectors import unit_tree_for
from org.tabular import xlsx_response

from . import catalog, selectors, services
from .forms import (
    ClaimDecisionForm,
    ExternalClaimForm,
    ManualAttendanceForm,
    OfflineSessionForm,
    ReverseForm,
    UnitHoursFilterForm,
)
from .models import CreditEntry, ExternalClaim, OfflineSession


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


# --- officer ---------------------------------------------------------------------------------------


@officer_required
def my_learning(request: HttpRequest, officer: Officer) -> HttpResponse:
    year = _year(request)
    services.enrolments_sync(officer=officer, year=year)
    credits = selectors.recent_credits(officer=officer)
    titles = selectors.source_titles(credits)
    return render(
        request,
        "learning/my_learning.html",
        {
            "officer": officer,
            "year": year,
            "summary": selectors.officer_summary(officer=officer, year=year),
            "credits": [(c, titles.get(c.pk, "")) for c in credits],
            "courses": selectors.courses_for(officer=officer),
            "electives": selectors.electives_for(officer=officer, year=year),
            "sessions": selectors.upcoming_sessions_for(officer=officer),
            "claims": officer.external_claims.select_related("category")[:10],
        },
    )


@officer_required
@require_POST
def course_enrol(request: HttpRequest, course_id: int, officer: Officer) -> HttpResponse:
    if course_id not in {c.course_id for c in catalog.courses_published()}:
        raise Http404
    services.enrolment_elect(officer=officer, course_id=course_id)
    messages.success(request, _("已加入我的课程。"))
    return redirect("learning:my")


# --- online study (JSON) -----------------------------------------------------------------------------


MAX_VIDEO_SECONDS = 7 * 24 * 3600  # a video position past a week is not a position


def _study_view(func):
    @login_required
    @require_POST
    def wrapper(request: HttpRequest) -> JsonResponse:
        officer = current_officer(request.user)
        if officer is None:
            return JsonResponse({"status": "forbidden"}, status=403)
        try:
            # org.jsonbody: size, depth and number ranges checked at the edge (400 with a Chinese message).
            return func(request, officer, json_body(request, max_bytes=16 * 1024, empty={}))
        except JsonBodyError as exc:
            return JsonResponse({"status": "bad_request", "message": str(exc)}, status=400)
        except (KeyError, TypeError, ValueError):
            return JsonResponse({"status": "bad_request", "message": _("请求格式不正确。")}, status=400)
        except services.LearningError as exc:
            return JsonResponse({"status": "refused", "message": str(exc)}, status=404)

    wrapper.__name__ = func.__name__
    return wrapper


@_study_view
def study_start(request, officer, data) -> JsonResponse:
    result = services.study_start(officer=officer, lesson_id=json_int(data["lesson_id"]), takeover=bool(data.get("takeover")))
    payload = services.study_progress_payload(result.progress, result.spec)
    if result.status == "busy":
        return JsonResponse({"status": "busy", "message": _("您正在另一个窗口学习,本窗口不计时。"), **payload}, status=409)
    return JsonResponse({"status": "ok", "token": result.session.token, **payload})


@_study_view
def study_heartbeat(request, officer, data) -> JsonResponse:
    position = data.get("video_position")
    result = services.study_heartbeat(
        officer=officer,
        token=str(data["token"]),
        visible=bool(data.get("visible", True)),
        active=bool(data.get("active", True)),
        video_position=json_float(position, low=0, high=MAX_VIDEO_SECONDS) if position is not None else None,
    )
    status = 409 if result["status"] in ("superseded", "unknown") else 200
    return JsonResponse(result, status=status)


@_study_view
def study_check(request, officer, data) -> JsonResponse:
    result = services.study_check_answer(
        officer=officer, token=str(data["token"]), key=str(data["key"]), choice=json_int(data["choice"], low=0, high=1000)
    )
    return JsonResponse(result)


@_study_view
def study_stop(request, officer, data) -> JsonResponse:
    services.study_stop(officer=officer, token=str(data["token"]))
    return JsonResponse({"status": "ok"})


@officer_required
def lesson_study(request: HttpRequest, lesson_id: int, officer: Officer) -> HttpResponse:
    """A plain study page for a lesson (the widget alone); content's lesson page mounts the same widget."""
    spec = catalog.lesson_study_spec(lesson_id=lesson_id)
    if spec is None:
        raise Http404
    progress = selectors.lesson_progress_for(officer=officer, lesson_id=lesson_id)
    return render(request, "learning/lesson_study.html", {"spec": spec, "progress": progress})


# --- offline sessions --------------------------------------------------------------------------------


def _managed_session(request: HttpRequest, pk: int) -> OfflineSession:
    require(request.user, "training")
    session = get_object_or_404(OfflineSession.objects.select_related("category"), pk=pk)
    if not selectors.may_manage_session(request.user, session):
        raise PermissionDenied(_("只有本场培训的培训师和人事可以管理该培训。"))
    return session


@role_required("training")
def session_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.sessions_for_manager(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "learning/session_list.html", {"page": page})


@role_required("training")
def session_new(request: HttpRequest) -> HttpResponse:
    form = OfflineSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        session = services.offline_session_create(
            title=d["title"], kind=d["kind"], category=d["category"], hours=d["hours"], place=d["place"],
            starts_at=d["starts_at"], ends_at=d["ends_at"], trainer=request.user,
            invited_units=d["invited_units"], invited_officers=d["invited_officers"],
        )
        messages.success(request, _("已安排线下培训。"))
        return redirect("learning:session_detail", pk=session.pk)
    return render(request, "learning/session_form.html", {"form": form})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    form = ManualAttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_manual(
                session=session, officer=form.cleaned_data["employee_no"], actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.LearningError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已补录签到。"))
            return redirect("learning:session_detail", pk=pk)
    return render(
        request,
        "learning/session_detail.html",
        {"session": session, "attendance": selectors.attendance_for(session=session), "form": form},
    )


@login_required
def session_screen(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    return render(request, "learning/session_screen.html", {"session": session})


@login_required
def session_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The current sign-in code as SVG; the screen page reloads it every few seconds."""
    session = _managed_session(request, pk)
    token = services.qr_token(session=session, window=services.qr_window(timezone.now()))
    url = request.build_absolute_uri(reverse("learning:checkin", args=[session.pk, token]))
    svg = segno.make(url, error="m").svg_inline(scale=6)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@login_required
def session_export(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    return xlsx_response(selectors.attendance_xlsx(session=session), f"签到表-{session.pk}.xlsx")


@officer_required
def checkin(request: HttpRequest, pk: int, token: str, officer: Officer) -> HttpResponse:
    """What the officer's phone opens after scanning the room's code: confirm, then sign in or out."""
    session = get_object_or_404(OfflineSession.objects.select_related("category"), pk=pk)
    context = {"session": session, "token": token}
    if request.method == "POST":
        try:
            attendance, action = services.attendance_scan(session=session, officer=officer, token=token)
        except services.LearningError as exc:
            context["error"] = str(exc)
            return render(request, "learning/checkin.html", context, status=400)
        context.update({"attendance": attendance, "action": action})
        return render(request, "learning/checkin.html", context)
    if not services.qr_token_valid(session=session, token=token, now=timezone.now()):
        context["error"] = _("二维码已过期,请重新扫描屏幕上的二维码。")
        return render(request, "learning/checkin.html", context, status=400)
    return render(request, "learning/checkin.html", context)


# --- external training -------------------------------------------------------------------------------


@officer_required
def claim_new(request: HttpRequest, officer: Officer) -> HttpResponse:
    form = ExternalClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.external_claim_submit(
                officer=officer, title=d["title"], provider=d["provider"], category=d["category"], hours=d["hours"],
                start_date=d["start_date"], end_date=d["end_date"], attachment=d["attachment"],
            )
        except services.LearningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已提交外部培训学时申报,等待审核。"))
            return redirect("learning:my")
    return render(request, "learning/claim_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required("hr_pages")
def claim_review(request: HttpRequest) -> HttpResponse:
    claims = selectors.claims_to_review(user=request.user)
    status = request.GET.get("status", ExternalClaim.Status.PENDING)
    if status in ExternalClaim.Status.values:
        claims = claims.filter(status=status)
    page = Paginator(claims, 30).get_page(request.GET.get("page"))
    return render(request, "learning/claim_review.html", {"page": page, "status": status, "statuses": ExternalClaim.Status.choices})


@role_required("hr_pages")
@require_POST
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(ExternalClaim.objects.select_related("officer__unit"), pk=pk)
    if not selectors.may_decide_claim(request.user, claim):
        raise PermissionDenied
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择通过或退回。"))
        return redirect("learning:claim_review")
    try:
        services.external_claim_decide(
            claim=claim, actor=request.user, approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except services.LearningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已审核。"))
    return redirect("learning:claim_review")


@login_required
def claim_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    from django.http import FileResponse

    claim = get_object_or_404(ExternalClaim.objects.select_related("officer__unit"), pk=pk)
    if not (claim.officer.user_id == request.user.pk or selectors.may_decide_claim(request.user, claim)):
        raise PermissionDenied
    response = FileResponse(
        claim.attachment.open("rb"), as_attachment=True, filename=claim.attachment.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- unit leader / HR --------------------------------------------------------------------------------


def _unit_rows(request: HttpRequest):
    form = UnitHoursFilterForm(request.GET or None)
    unit = None
    officers = officers_visible_to(request.user).filter(status=Officer.Status.ACTIVE)
    only_short = False
    if form.is_valid():
        if form.cleaned_data.get("unit"):
            unit = access_unit(request.user, form.cleaned_data["unit"])
            officers = officers.filter(unit__path__startswith=unit.path)
        only_short = form.cleaned_data.get("only_short") or False
    year = _year(request)
    rows, columns = selectors.unit_status_rows(year=year, officers=officers)
    if only_short:
        rows = [r for r in rows if r["short"]]
    return form, unit, year, rows, columns


@role_required("hr_pages")
def unit_hours(request: HttpRequest) -> HttpResponse:
    form, unit, year, rows, columns = _unit_rows(request)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/unit_hours.html",
        {
            "form": form, "unit": unit, "year": year, "page": page, "columns": columns, "total": len(rows),
            "short": sum(1 for r in rows if r["short"]), "tree": unit_tree_for(viewer=request.user),
            "query": query.urlencode(),
        },
    )


@role_required("hr_pages")
def unit_hours_export(request: HttpRequest) -> HttpResponse:
    _form, _unit, year, rows, columns = _unit_rows(request)
    return xlsx_response(selectors.unit_status_xlsx(year=year, rows=rows, columns=columns), f"学时-{year}.xlsx")


@login_required
def officer_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    officer = access_officer(request.user, pk)
    year = _year(request)
    entries = list(selectors.credits_page(officer=officer, year=year))
    titles = selectors.source_titles(entries)
    reversed_ids = set(CreditEntry.objects.filter(reverses__in=entries).values_list("reverses_id", flat=True))
    return render(
        request,
        "learning/officer_ledger.html",
        {
            "officer": officer, "year": year, "summary": selectors.officer_summary(officer=officer, year=year),
            "entries": [(e, titles.get(e.pk, ""), e.pk in reversed_ids) for e in entries],
            "may_reverse": has(request.user, "hr"), "reverse_form": ReverseForm(),
        },
    )


@role_required("hr", message=gettext_lazy("只有人事可以冲销学时。"))
@require_POST
def credit_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(CreditEntry, pk=pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.credit_reverse(entry=entry, actor=request.user, reason=form.cleaned_data["reason"])
        except services.LearningError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已冲销。"))
    else:
        messages.error(request, _("冲销必须填写原因。"))
    return redirect(f"{reverse('learning:officer_ledger', args=[entry.officer_id])}?year={entry.year}")


@role_required("hr", message=gettext_lazy("只有人事可以修改学时规则。"))
def rules_edit(request: HttpRequest) -> HttpResponse:
    """HR edits the yearly rules as data: year × role category × credit category → hours; days per role."""
    year = _year(request) if request.method == "GET" else int(request.POST.get("year", timezone.localdate().year))
    roles = list(RoleCategory.objects.all())
    categories = [{"code": code, "name": name} for code, name in selectors.categories().items()]
    error = ""
    if request.method == "POST":
        hours: dict = {}
        days: dict = {}
        try:
            for role in roles:
                for cat in categories:
                    code = cat["code"]
                    raw = request.POST.get(f"h_{role.pk}_{code}", "").strip()
                    hours[(role.pk, code)] = Decimal(raw) if raw else None
                raw = request.POST.get(f"d_{role.pk}", "").strip()
                days[role.pk] = Decimal(raw) if raw else None
            if any(v is not None and v < 0 for v in [*hours.values(), *days.values()]):
                raise InvalidOperation
        except InvalidOperation:
            error = _("请输入非负数字。")
        else:
            changed = services.rules_save(year=year, hours=hours, days=days, actor=request.user)
            messages.success(request, _("已保存 %(n)s 处修改。") % {"n": changed})
            return redirect(f"{reverse('learning:rules')}?year={year}")
    current = {(r.role_category_id, r.category_id): r.required_hours for r in selectors.rules_for_year(year=year)}
    from .models import TrainingDayRule

    day_rules = dict(TrainingDayRule.objects.filter(year=year).values_list("role_category_id", "min_days"))
    grid = [
        {
            "role": role,
            "cells": [
                {"name": f"h_{role.pk}_{c['code']}", "value": current.get((role.pk, c["code"]), "")} for c in categories
            ],
            "days_name": f"d_{role.pk}",
            "days": day_rules.get(role.pk, ""),
        }
        for role in roles
    ]
    return render(
        request, "learning/rules.html", {"year": year, "categories": categories, "grid": grid, "error": error},
        status=400 if error else 200,
    )
