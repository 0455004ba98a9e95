"""Helpers the certification views share: one certificate's status (the verify page), the history as lines, the
PDF, and .xlsx responses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from org import tabular
from org.tabular import Sheet, write_workbook

from ..models import Certificate, CertificateEvent
from ..pdf import CertificatePdf, PdfEvent, certificate_pdf_bytes

Kind = CertificateEvent.Kind


def unmet_conditions(status) -> list:
    eligibility = getattr(status, "eligibility", None)
    return [c for c in (eligibility.conditions if eligibility else []) if c.state != "met"]


class StatusRow:
    """An OfficerStatus for a list, with its unmet conditions at hand for the template."""

    def __init__(self, status, *, year: int | None = None):
        self._status = status
        self.unmet = unmet_conditions(status)
        self.year = year
        self.year_review = year_review(status, year) if year else None

    def __getattr__(self, name):
        return getattr(self._status, name)


def year_review(status, year: int) -> CertificateEvent | None:
    """The standing review of `year` on the officer's certificate (voided ones excluded), or None."""
    from django.utils import timezone

    from ..status import live_events, reviews_by_year

    return reviews_by_year(live_events(status.events, timezone.localdate())).get(year)


def event_lines(events: Iterable[CertificateEvent]) -> list[dict]:
    """The history in recorded order, each event with its words and whether a later event voided it."""
    events = list(events)
    voided = {e.voids_id for e in events if e.kind == Kind.VOIDED}
    lines = []
    for e in events:
        what = e.get_kind_display()
        if e.kind in CertificateEvent.REVIEW_KINDS:
            what = _("%(year)s 年度%(what)s") % {"year": e.year, "what": what}
        detail = e.reason
        if e.kind == Kind.SUSPENDED:
            span = _("暂扣至 %(date)s") % {"date": e.ends_on} if e.ends_on else _("暂扣(未定结束日期)")
            detail = f"{span};{e.reason}" if e.reason else span
        lines.append(
            {
                "event": e,
                "when": e.effective_on,
                "what": what,
                "detail": detail,
                "voided": e.pk in voided,
                "is_review": e.kind in CertificateEvent.REVIEW_KINDS,
                "conditions": (e.evidence or {}).get("conditions", []) if isinstance(e.evidence, dict) else [],
            }
        )
    return lines


def verify_url(request: HttpRequest, certificate: Certificate) -> str:
    return request.build_absolute_uri(reverse("certification:verify", args=[certificate.verify_token]))


def pdf_response(request: HttpRequest, status) -> HttpResponse:
    """The A4 record of the officer's certificate (the caller has checked access)."""
    certificate = status.certificate
    officer = status.officer
    lines = [ln for ln in event_lines(status.events) if ln["event"].kind != Kind.VOIDED]
    record = CertificatePdf(
        officer_name=officer.name,
        employee_no=officer.employee_no,
        unit=officer.unit.full_path,
        number=certificate.number,
        issuing_authority=certificate.issuing_authority,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        enforcement_category=certificate.enforcement_category,
        enforcement_area=certificate.enforcement_area,
        status_label=str(status.label),
        valid_for_year=status.valid_for_year,
        last_review_on=status.last_review.effective_on if status.last_review else None,
        events=[
            PdfEvent(
                when=ln["when"],
                what=ln["what"] + (_("(已更正)") if ln["voided"] else ""),
                detail=ln["detail"],
            )
            for ln in lines
        ],
        verify_url=verify_url(request, certificate),
    )
    response = HttpResponse(certificate_pdf_bytes(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{officer.employee_no}.pdf"'
    return response


def xlsx_response(*, filename: str, sheet: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """One sheet as a download, through the project's Excel kit (formulas neutralised)."""
    data = write_workbook([Sheet(sheet, [str(h) for h in headers], rows)])
    return tabular.xlsx_response(data, filename)
