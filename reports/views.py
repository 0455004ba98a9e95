"""Thin views of /reports/: the year's figures (HR: the bureau; unit leaders: their subtree), its charts, the .xlsx
and .docx, the 计算中 status the page polls, and HR's year close with its snapshots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus

from org.access import role_required
from org.tabular import download_response, xlsx_response

from . import charts, exports, selectors
from .figures import Options, scope_groups
from .tasks import close_year, compute_year

MIN_YEAR = 2000
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BadInput(ValueError):
    pass


@dataclass
class Query:
    year: int
    options: Options
    live: bool

    def params(self) -> str:
        parts = [f"year={self.year}", f"hours_per_day={self.options.hours_per_day}"]
        if self.options.reference:
            parts.append(f"reference={self.options.reference.isoformat()}")
        if self.live:
            parts.append("live=1")
        return "&".join(parts)


def _query(request: HttpRequest) -> Query:
    """Year, hours per day, reference date: checked here (a 400 for anything out of range, never a 500)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or selectors.default_year(today))
        hours_per_day = int(request.GET.get("hours_per_day") or Options().hours_per_day)
        raw_reference = (request.GET.get("reference") or "").strip()
        reference = dt.date.fromisoformat(raw_reference) if raw_reference else None
    except ValueError as error:
        raise BadInput(_("参数格式不正确。")) from error
    if not MIN_YEAR <= year <= today.year + 1:
        raise BadInput(_("年度超出范围。"))
    if not 1 <= hours_per_day <= 24:
        raise BadInput(_("每天折算学时须在 1 到 24 之间。"))
    if reference is not None and reference.year != year:
        raise BadInput(_("参考日期须在所选年度内。"))
    return Query(
        year=year, options=Options(hours_per_day=hours_per_day, reference=reference), live=bool(request.GET.get("live"))
    )


def _years(query: Query) -> list[int]:
    return [y for y in range(query.year - selectors.YEARS_SHOWN + 1, query.year + 1) if y >= MIN_YEAR]


def _options_for(query: Query, year: int) -> Options:
    # a reference date is of the chosen year; the years before are counted on their own 31 Dec
    return query.options if year == query.year else Options(hours_per_day=query.options.hours_per_day)


def _reports(query: Query, *, start: bool) -> dict[int, object]:
    """year → Report, or None while it is being computed (start=True starts the computation of what is missing)."""
    out = {}
    for year in _years(query):
        options = _options_for(query, year)
        report = selectors.report_for(year=year, options=options, live=query.live)
        if report is None and start and selectors.mark_pending(year=year, options=options):
            reference = options.reference.isoformat() if options.reference else None
            compute_year.enqueue(year, options.hours_per_day, reference)
            report = selectors.report_for(year=year, options=options, live=query.live)  # inline backends: ready
        out[year] = report
    return out


def _shown_years(request: HttpRequest, reports: dict) -> list[selectors.Shown]:
    paths = selectors.scope_paths(request.user)
    out = []
    for _year, report in sorted(reports.items()):
        _total, units = scope_groups(report, paths)
        out.append(selectors.shown(report=report, paths=paths, scope_label=_scope_label(paths, units)))
    return out


def _scope_label(paths, units) -> str:
    if not units:
        return _("本单位") if paths is not None else _("全局")
    top = min(u["depth"] for u in units)
    return "、".join(u["name"] for u in units if u["depth"] == top)


def _bad(error: BadInput) -> HttpResponse:
    return HttpResponseBadRequest(str(error))


@role_required("hr_pages")
def index(request: HttpRequest) -> HttpResponse:
    try:
        query = _query(request)
    except BadInput as error:
        return _bad(error)
    reports = _reports(query, start=True)
    if any(r is None for r in reports.values()):
        return render(
            request,
            "reports/computing.html",
            {"query": query, "status_url": reverse("reports:status") + "?" + query.params()},
        )
    years = _shown_years(request, reports)
    shown = years[-1]
    snapshot = selectors.latest_snapshot(year=query.year)
    return render(
        request,
        "reports/index.html",
        {
            "query": query,
            "shown": shown,
            "years": years,
            "trend": selectors.trend_rows(years),
            "unit_headers": selectors.unit_table_headers(),
            "summary": exports.summary_text(shown),
            "reference_text": exports.reference_text(shown),
            "snapshot": snapshot,
            "frozen": shown.report.snapshot_id is not None,
            "charts": charts.CHARTS,
            "year_choices": list(range(timezone.localdate().year, MIN_YEAR - 1, -1))[:15],
            "may_close": selectors.scope_paths(request.user) is None,
            "params": query.params(),
        },
    )


@role_required("hr_pages")
def status(request: HttpRequest) -> JsonResponse:
    """Polled by static/reports/reports.js while the page shows 计算中."""
    try:
        query = _query(request)
    except BadInput as error:
        return JsonResponse({"error": str(error)}, status=400)
    reports = _reports(query, start=False)
    done = sum(r is not None for r in reports.values())
    return JsonResponse({"ready": done == len(reports), "done": done, "total": len(reports)})


def _ready_years(request: HttpRequest, query: Query) -> list[selectors.Shown]:
    """For files and charts: whatever is not cached yet is computed now (a download waits for its numbers)."""
    reports = {}
    for year in _years(query):
        options = _options_for(query, year)
        reports[year] = selectors.report_for(year=year, options=options, live=query.live) or (
            selectors.live_report_compute(year=year, options=options)
        )
    return _shown_years(request, reports)


def _filename(shown: selectors.Shown, ext: str) -> str:
    return _("%(year)s年度培训统计") % {"year": shown.year} + f".{ext}"


@role_required("hr_pages")
def export_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        query = _query(request)
    except BadInput as error:
        return _bad(error)
    years = _ready_years(request, query)
    return xlsx_response(exports.report_xlsx(years[-1], years), _filename(years[-1], "xlsx"))


@role_required("hr_pages")
def export_docx(request: HttpRequest) -> HttpResponse:
    try:
        query = _query(request)
    except BadInput as error:
        return _bad(error)
    years = _ready_years(request, query)
    return download_response(exports.report_docx(years[-1], years), _filename(years[-1], "docx"), DOCX_CONTENT_TYPE)


@role_required("hr_pages")
def chart(request: HttpRequest, name: str) -> HttpResponse:
    if name not in charts.CHARTS:
        raise Http404
    try:
        query = _query(request)
    except BadInput as error:
        return _bad(error)
    years = _ready_years(request, query)
    svg = charts.render(charts.chart(name, shown=years[-1], years=years), "svg")
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@role_required("hr")
def close(request: HttpRequest) -> HttpResponse:
    """HR closes (or reopens and closes again) a year: the figures are frozen into a new snapshot."""
    try:
        query = _query(request)
    except BadInput as error:
        return _bad(error)
    year, options = query.year, query.options
    result = None
    if selectors.closing_mark(year=year):
        reference = options.reference.isoformat() if options.reference else None
        reason = (request.POST.get("reason") or "")[:300]
        result = close_year.enqueue(year, options.hours_per_day, reference, request.user.pk, reason)
    if selectors.closing(year=year):  # in the task worker: the snapshots page shows 正在关账 and refreshes
        messages.info(request, _("正在关账:%(year)s年度的统计正在计算并冻结,完成后本页自动显示。") % {"year": year})
    elif result is not None and result.status == TaskResultStatus.FAILED:
        messages.error(request, _("关账失败,未生成快照,请稍后重试。"))
    elif result is not None:  # the embedded default and the tests run the task at once
        snapshot = selectors.latest_snapshot(year=year)
        messages.success(
            request, _("%(year)s年度已关账:%(n)s 人的统计已冻结。") % {"year": year, "n": snapshot.officer_count}
        )
    return redirect(reverse("reports:snapshots", args=[year]))


@role_required("hr")
def snapshot_list(request: HttpRequest, year: int) -> HttpResponse:
    """A year's snapshots, newest first, and what changed between the newest and the one it superseded."""
    items = selectors.snapshots(year=year)
    diff = None
    if len(items) >= 2:
        diff = selectors.snapshot_diff(old=items[1], new=items[0])
    return render(
        request,
        "reports/snapshots.html",
        {"year": year, "snapshots": items, "diff": diff, "closing": selectors.closing(year=year)},
    )
