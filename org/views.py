"""Thin views: parse input, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import dashboard, selectors, services, uploads
from .access import access_officer, access_unit, current_officer, role_required
from .forms import OfficerFilterForm, RosterUploadForm
from .models import Officer
from .roster import RosterFileError, parse_roster
from .scopes import may_issue_initial_password
from .tabular import capped, xlsx_response


def public_media(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail images only; MEDIA_ROOT is read per request so tests may move it."""
    import posixpath

    from django.conf import settings
    from django.http import Http404
    from django.views.static import serve

    # Judge the path as serve() will resolve it: "images/../documents/x" is a document, not an image.
    normalised = posixpath.normpath(path).lstrip("/")
    if not normalised.startswith(PUBLIC_MEDIA_FOLDERS) or ".." in normalised.split("/"):
        raise Http404
    return serve(request, normalised, document_root=settings.MEDIA_ROOT)


PUBLIC_MEDIA_FOLDERS = ("images/", "original_images/")


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True, "time": timezone.now().isoformat()})


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: with hashed static names the URL is known only after collectstatic.
    return redirect(static("favicon.svg"), permanent=True)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Every 403: a Chinese page with the navigation, the reason, and a way home (handler403)."""
    reason = str(exception) if exception is not None and str(exception) else _("您没有权限访问这个页面。")
    return render(request, "403.html", {"reason": reason}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted with a missing or stale security token (an old tab, cookies cleared): say what to do."""
    message = _("页面已过期或安全校验未通过,请返回上一页刷新后重新提交。")
    return render(request, "403.html", {"reason": message}, status=403)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    officer = current_officer(request.user)
    return render(request, "org/home.html", {"officer": officer, "cards": dashboard.cards_for(request, officer)})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "org/profile.html", {"officer": current_officer(request.user)})


def _filtered_officers(request: HttpRequest):
    form = OfficerFilterForm(request.GET or None)
    unit = None
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        if data.get("unit"):
            unit = access_unit(request.user, data["unit"])
        duty = data.get("enforcement_duty")
        filters = {
            "q": data.get("q") or "",
            "role_category_id": data["role_category"].pk if data.get("role_category") else None,
            "status": data.get("status") or "",
            "enforcement_duty": None if duty in (None, "") else duty == "1",
        }
    return form, unit, selectors.officer_list_for(viewer=request.user, unit=unit, **filters)


@role_required("hr_pages")
def officer_list(request: HttpRequest) -> HttpResponse:
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


@role_required("hr_pages")
def officer_export(request: HttpRequest) -> HttpResponse:
    _form, _unit, officers = _filtered_officers(request)
    content = selectors.roster_export_xlsx(officers=officers)
    return xlsx_response(content, f"花名册-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    officer = access_officer(request.user, pk)
    context = {"officer": officer, "may_issue_password": may_issue_initial_password(request.user, officer.user)}
    return render(request, "org/officer_detail.html", context)


@role_required("roster")
@require_POST
def officer_initial_password(request: HttpRequest, pk: int) -> HttpResponse:
    officer = get_object_or_404(Officer, pk=pk)
    password = services.officer_issue_initial_password(officer=officer, actor=request.user)
    context = {"officer": officer, "initial_password": password, "may_issue_password": True}
    return render(request, "org/officer_detail.html", context)


_ROSTER_UPLOAD = "roster_upload"


@role_required("roster")
def roster_import(request: HttpRequest) -> HttpResponse:
    """Upload → validate everything → preview (dry run) → confirm. Nothing is written until confirm."""
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
        context["errors"], context["errors_more"] = capped(parsed.errors)
        context["error_total"] = len(parsed.errors)
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
