"""Thin views: parse input, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import dashboard, selectors, services, uploads
from .forms import OfficerFilterForm, RosterUploadForm
from .models import Officer, Unit
from .roster import RosterFileError, parse_roster
from .scopes import may_view_officer_file, may_view_unit, roles_of


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True, "time": timezone.now().isoformat()})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    officer = selectors.officer_for_user(request.user)
    return render(request, "org/home.html", {"officer": officer, "cards": dashboard.cards_for(request, officer)})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "org/profile.html", {"officer": selectors.officer_for_user(request.user)})


def _require_hr_pages(request: HttpRequest) -> None:
    if not roles_of(request.user).may_use_hr_pages:
        raise PermissionDenied(_("只有人事和单位负责人可以查看人员名册。"))


def _require_roster_manager(request: HttpRequest) -> None:
    if not roles_of(request.user).may_manage_roster:
        raise PermissionDenied(_("只有人事可以导入花名册。"))


def _filtered_officers(request: HttpRequest):
    form = OfficerFilterForm(request.GET or None)
    unit = None
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        if data.get("unit"):
            unit = get_object_or_404(Unit, pk=data["unit"])
            if not may_view_unit(request.user, unit):
                raise PermissionDenied
        duty = data.get("enforcement_duty")
        filters = {
            "q": data.get("q") or "",
            "role_category_id": data["role_category"].pk if data.get("role_category") else None,
            "status": data.get("status") or "",
            "enforcement_duty": None if duty in (None, "") else duty == "1",
        }
    return form, unit, selectors.officer_list_for(viewer=request.user, unit=unit, **filters)


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    _require_hr_pages(request)
    form, unit, officers = _filtered_officers(request)
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "org/officer_list.html",
        {
            "form": form,
            "unit": unit,
            "page": page,
            "total": page.paginator.count,
            "tree": selectors.unit_tree_for(viewer=request.user),
            "query": query.urlencode(),
        },
    )


@login_required
def officer_export(request: HttpRequest) -> HttpResponse:
    _require_hr_pages(request)
    _form, _unit, officers = _filtered_officers(request)
    content = selectors.roster_export_xlsx(officers=officers)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"roster-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    officer = get_object_or_404(Officer.objects.select_related("unit", "role_category", "user"), pk=pk)
    if not may_view_officer_file(request.user, officer):
        raise PermissionDenied
    return render(request, "org/officer_detail.html", {"officer": officer})


@login_required
@require_POST
def officer_initial_password(request: HttpRequest, pk: int) -> HttpResponse:
    _require_roster_manager(request)
    officer = get_object_or_404(Officer, pk=pk)
    password = services.officer_issue_initial_password(officer=officer, actor=request.user)
    return render(request, "org/officer_detail.html", {"officer": officer, "initial_password": password})


_ROSTER_UPLOAD = "roster_upload"


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    """Upload → validate everything → preview (dry run) → confirm. Nothing is written until confirm."""
    _require_roster_manager(request)
    context: dict = {"form": RosterUploadForm()}
    if request.method == "POST" and "confirm" in request.POST:
        staged = uploads.staged_upload_get(request, key=_ROSTER_UPLOAD, token=request.POST.get("token"))
        if staged is None:
            messages.error(request, _("上传已过期,请重新选择文件。"))
            return redirect("org:roster_import")
        return _validate_and_maybe_apply(request, staged.meta["name"], staged.content, context, apply=True)
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            return _validate_and_maybe_apply(request, upload.name, upload.read(), context, apply=False)
    return render(request, "org/roster_import.html", context)


def _validate_and_maybe_apply(request, name: str, content: bytes, context: dict, *, apply: bool):
    try:
        parsed = parse_roster(name, content)
    except RosterFileError as exc:
        context["file_error"] = str(exc)
        return render(request, "org/roster_import.html", context, status=400)
    if not parsed.ok:
        context["errors"] = parsed.errors
        return render(request, "org/roster_import.html", context, status=400)
    report = services.roster_import(parsed=parsed, actor=request.user, dry_run=not apply)
    context["report"] = report
    if apply:
        uploads.staged_upload_discard(request, key=_ROSTER_UPLOAD)
        messages.success(
            request,
            _("导入完成:新增 %(c)s 人,更新 %(u)s 人,未变 %(n)s 人。")
            % {"c": len(report.created), "u": len(report.updated), "n": len(report.unchanged)},
        )
        return redirect("org:officer_list")
    context["token"] = uploads.staged_upload_put(request, key=_ROSTER_UPLOAD, content=content, meta={"name": name})
    context["filename"] = name
    return render(request, "org/roster_import.html", context)
