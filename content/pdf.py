"""案例汇编 PDF: cover, foreword, table of contents, one section per case, page numbers. reportlab with an
embedded TrueType CJK font (reportlab cannot embed the CFF-based Noto CJK .ttc files)."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Spacer
from reportlab.platypus.tableofcontents import TableOfContents

FONT_NAME = "ZfxtCJK"
# TrueType CJK fonts, in order of preference (Debian: fonts-wqy-microhei / fonts-wqy-zenhei).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


def _try_register(path: str) -> bool:
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
    except Exception:  # not a TrueType font reportlab can embed
        return False
    return True


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register and return the CJK font name, or fail with a clear message."""
    configured = getattr(settings, "CONTENT_PDF_FONT", "")
    candidates = [configured] if configured else []
    candidates += list(FONT_CANDIDATES)
    for path in candidates:
        if path and Path(path).is_file() and _try_register(path):
            return FONT_NAME
    raise ImproperlyConfigured(
        "案例汇编 PDF 需要一个 TrueType 中文字体:请安装 Debian 包 fonts-wqy-microhei(或 fonts-wqy-zenhei),"
        "或把 CONTENT_PDF_FONT 设为某个 .ttf/.ttc 文件的路径。Tried: " + ", ".join(p for p in candidates if p)
    )


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK", spaceAfter=4)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontSize=24, leading=34, alignment=TA_CENTER, spaceAfter=18),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=13, leading=20, alignment=TA_CENTER),
        "h1": ParagraphStyle("h1", parent=base, fontSize=16, leading=24, spaceBefore=6, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=base, fontSize=11.5, leading=18, spaceBefore=6, spaceAfter=2),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=11, leading=18),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, leading=14, textColor="#555555"),
    }


class _CompilationDoc(BaseDocTemplate):
    def __init__(self, buffer, *, font: str, title: str):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=title,
            author="执法学堂",
        )
        self.font = font
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._page_number)])

    def _page_number(self, canvas, doc) -> None:
        if doc.page == 1:
            return
        canvas.saveState()
        canvas.setFont(self.font, 9)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, _("第 %(n)s 页") % {"n": doc.page})
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Paragraph) and getattr(flowable, "_toc_level", None) is not None:
            key = f"case-{self.seq.nextf('case')}"
            self.canv.bookmarkPage(key)
            self.notify("TOCEntry", (flowable._toc_level, flowable.getPlainText(), self.page, key))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def compilation_pdf_bytes(*, compilation) -> bytes:
    from .selectors import article_display

    font = cjk_font()
    s = _styles(font)
    buffer = io.BytesIO()
    doc = _CompilationDoc(buffer, font=font, title=compilation.title)
    story: list = [Spacer(1, 60 * mm), _p(compilation.title, s["title"])]
    if compilation.compiled_by:
        story.append(_p(compilation.compiled_by, s["subtitle"]))
    story += [_p(timezone.localdate().strftime("%Y-%m"), s["subtitle"]), PageBreak()]
    if compilation.foreword:
        story += [_p(_("前言"), s["h1"]), _p(compilation.foreword, s["body"]), PageBreak()]
    toc = TableOfContents()
    toc.levelStyles = [s["toc1"]]
    toc.dotsMinLevel = 0
    story += [_p(_("目录"), s["h1"]), toc, PageBreak()]
    for number, case in enumerate(compilation.cases_live(), start=1):
        heading = _p(_("案例%(n)s %(title)s") % {"n": number, "title": case.title}, s["h1"])
        heading._toc_level = 0
        story.append(heading)
        meta = " · ".join(
            x
            for x in (
                case.category.name if case.category_id else "",
                case.get_kind_display(),
                case.source_unit,
                case.decided_on.strftime("%Y-%m-%d") if case.decided_on else "",
            )
            if x
        )
        story.append(_p(meta, s["meta"]))
        sections = [(_("基本案情"), case.facts), (_("证据"), case.evidence)]
        basis = [
            article_display(article=item.article)
            for item in case.legal_basis.select_related("article__law").prefetch_related("article__versions")
        ]
        if basis:
            text = "\n".join(
                f"《{d.article.law.title}》{d.article.label}:{d.version.text if d.version else ''}" for d in basis
            )
            sections.append((_("法律依据"), text))
        sections += [
            (_("裁量基准适用"), case.discretion),
            (_("处理决定"), case.decision),
            (_("评析要点"), case.key_points),
        ]
        for heading_text, body in sections:
            if body:
                story += [_p(heading_text, s["h2"]), _p(body, s["body"])]
        story.append(PageBreak())
    doc.multiBuild(story)
    return buffer.getvalue()
