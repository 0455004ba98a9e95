"""Thin views of the content app. Page rendering itself is Wagtail's; these parse input and call selectors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse

from .selectors import CaseFilters, case_filter_options, cases_filtered


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def case_library_context(library, request) -> dict:
    from .models import CasePage, CompilationPage

    filters = CaseFilters(
        category=(request.GET.get("category") or "")[:40],
        kind=(request.GET.get("kind") or "") if request.GET.get("kind") in CasePage.Kind.values else "",
        law=_int_or_none(request.GET.get("law")),
        year=_int_or_none(request.GET.get("year")),
        q=(request.GET.get("q") or "").strip()[:100],
    )
    results = cases_filtered(library=library, filters=filters)
    paginator = Paginator(results, 20)
    page = paginator.get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return {
        "filters": filters,
        "options": case_filter_options(),
        "cases": page,
        "total": paginator.count,
        "querystring": urlencode(params),
        "compilations": CompilationPage.objects.live().child_of(library),
    }


def compilation_pdf(compilation, request) -> HttpResponse:
    from .pdf import compilation_pdf_bytes

    data = compilation_pdf_bytes(compilation=compilation)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=compilation-{compilation.pk}.pdf"
    return response
