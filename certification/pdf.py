"""The certificate record as an A4 PDF: who holds it, what is printed on it, its status, every review with its
date, and a QR code that opens the public verify page. reportlab with the project's embedded CJK font (see
content/pdf.py); the QR is a PNG made by segno, so a scanner (or a test) reads it back from the page image."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from content.pdf import cjk_font


@dataclass(frozen=True)
class PdfEvent:
    """One line of the history as printed (already in words)."""

    when: date
    what: str
    detail: str


@dataclass(frozen=True)
class CertificatePdf:
    """What goes on the page; built by the view from certification.selectors.officer_status."""

    officer_name: str
    employee_no: str
    unit: str
    number: str
    issuing_authority: str
    issued_on: date
    valid_until: date | None
    enforcement_category: str
    enforcement_area: str
    status_label: str
    valid_for_year: int | None
    last_review_on: date | None
    events: list[PdfEvent]
    verify_url: str


def qr_png(url: str, *, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _d(value: date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def certificate_pdf_bytes(record: CertificatePdf) -> bytes:
    font = cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=13, textColor="#555555")
    title = ParagraphStyle("title", parent=body, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=body, fontSize=12.5, leading=20, spaceBefore=10, spaceAfter=4)
    centre = ParagraphStyle("centre", parent=small, alignment=TA_CENTER)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("行政执法证及年审记录") + f" {record.number}",
        author="执法学堂",
    )
    qr = Image(io.BytesIO(qr_png(record.verify_url)), width=36 * mm, height=36 * mm)
    valid_for = (
        _("%(year)s 年度有效") % {"year": record.valid_for_year} if record.valid_for_year else record.status_label
    )
    facts = [
        (_("姓名"), record.officer_name),
        (_("工号"), record.employee_no),
        (_("单位"), record.unit),
        (_("证号"), record.number),
        (_("发证机关"), record.issuing_authority),
        (_("发证日期"), _d(record.issued_on)),
        (_("有效期至"), _d(record.valid_until)),
        (_("执法类别"), record.enforcement_category or "—"),
        (_("执法区域"), record.enforcement_area or "—"),
        (_("当前状态"), f"{record.status_label}({valid_for})" if record.valid_for_year else record.status_label),
        (_("最近年审"), _d(record.last_review_on)),
    ]
    facts_table = Table([[_p(k, small), _p(v, body)] for k, v in facts], colWidths=[24 * mm, 96 * mm])
    facts_table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#DDDDDD")),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    qr_block = Table([[qr], [_p(_("扫码核验证件状态"), centre)]], colWidths=[44 * mm])
    head = Table([[facts_table, qr_block]], colWidths=[122 * mm, 50 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))

    story: list = [
        _p(_("行政执法证及年审记录"), title),
        _p(_("打印日期:%(date)s") % {"date": _d(timezone.localdate())}, centre),
        Spacer(1, 6 * mm),
        head,
        _p(_("记录"), h2),
    ]
    rows = [[_p(_("日期"), small), _p(_("事项"), small), _p(_("说明"), small)]]
    rows += [[_p(_d(e.when), body), _p(e.what, body), _p(e.detail, body)] for e in record.events]
    if len(rows) == 1:
        rows.append([_p("—", body), _p(_("暂无记录"), body), _p("", body)])
    history = Table(rows, colWidths=[26 * mm, 46 * mm, 102 * mm], repeatRows=1)
    history.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F0F2F5")),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#CCCCCC")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [
        history,
        Spacer(1, 8 * mm),
        _p(_("本记录由执法学堂生成;证件当前状态以扫码核验页面为准。"), small),
        _p(record.verify_url, small),
    ]
    doc.build(story)
    return buffer.getvalue()
