"""The report as files: .xlsx (a sheet per table, via org.tabular) and the training section of the annual report as
.docx (python-docx): one paragraph of sentences in the seeds' register, the tables, the charts as PNG. Every
number is the page's: all come from selectors.Shown (figures.figure_text for text, figures.figure_cell for the
spreadsheet's numbers)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from org.tabular import Chart, Sheet, write_workbook

from . import charts
from .charts import RATE_KEYS
from .figures import FIGURES
from .selectors import UNIT_TABLE_KEYS, Shown, trend_rows, unit_table_headers


def summary_text(shown: Shown) -> str:
    """The paragraph to paste into the bureau's 法治政府建设年度报告 (the page shows the same text)."""
    t = shown.text
    parts = [
        _(
            "全年组织线下培训%(sessions)s场次、%(attendances)s人次,队员受训率%(training_rate)s,年人均受训%(days)s天、人均%(hours)s学时"
        )
        % {
            "sessions": t("sessions"),
            "attendances": t("attendances"),
            "training_rate": t("training_rate"),
            "days": t("days_per_head"),
            "hours": t("hours_per_head"),
        },
        _("年度学法考试参考率%(sit)s、通过率%(passed)s")
        % {"sit": t("annual_sit_rate"), "passed": t("annual_pass_rate")},
        _(
            "年末%(certified)s人持有效行政执法证,执法岗位持证率%(rate)s,年度新增%(new)s名人员取得行政执法证,%(reviewed)s人通过年审"
        )
        % {
            "certified": t("certified"),
            "rate": t("cert_rate"),
            "new": t("new_certificates"),
            "reviewed": t("review_passed"),
        },
    ]
    if shown.total_group == "":
        parts.append(
            _("全年发布法律课程%(courses)s门、典型案例%(cases)s件,印发案例汇编%(compilations)s册")
            % {
                "courses": t("courses_published"),
                "cases": t("cases_published"),
                "compilations": t("compilations_issued"),
            }
        )
    if shown.report.has_mentorship:
        parts.append(
            _("结成师徒%(pairs)s对,%(completed)s对出师,%(certified)s名徒弟取得执法证")
            % {"pairs": t("pairs_formed"), "completed": t("pairs_completed"), "certified": t("mentees_certified")}
        )
    return ";".join(parts) + "。"


def title_text(shown: Shown) -> str:
    return _("%(year)s年度执法人员教育培训情况(%(scope)s)") % {"year": shown.year, "scope": shown.scope_label}


def reference_text(shown: Shown) -> str:
    return _("统计参考日期:%(date)s;每天折算%(hours)s学时。") % {
        "date": shown.report.reference.isoformat(),
        "hours": shown.report.hours_per_day,
    }


def tables(shown: Shown, years: list[Shown]) -> list[Sheet]:
    """The tables of the page, as sheets (also the .docx tables): texts as the page writes them."""
    return [
        Sheet(
            title=_("指标"),
            headers=[_("指标"), _("数值"), _("口径")],
            rows=[[r["label"], r["text"], r["definition"]] for r in shown.figure_rows()],
            preamble=[[title_text(shown)], [reference_text(shown)]],
            widths={0: 24, 1: 12, 2: 70},
        ),
        Sheet(
            title=_("各单位"),
            headers=[_("单位"), *unit_table_headers()],
            rows=[[("  " * r["indent"]) + r["name"], *r["cells"]] for r in shown.unit_rows()],
            widths={0: 30},
        ),
        Sheet(
            title=_("近三年"),
            headers=[_("指标"), *[str(s.year) for s in years]],
            rows=[[r["label"], *r["cells"]] for r in trend_rows(years)],
            widths={0: 24},
        ),
        Sheet(
            title=_("线下培训"),
            headers=[_("形式"), _("场次"), _("人次")],
            rows=[[r["kind"], r["sessions"], r["attendances"]] for r in shown.session_rows()],
        ),
        Sheet(
            title=_("学时分布"),
            headers=[_("学时"), _("人数")],
            rows=[list(band) for band in shown.hours_distribution()],
        ),
    ]


def workbook_sheets(shown: Shown, years: list[Shown]) -> list[Sheet]:
    """The same tables for Excel: every figure a number with its format (rates as percentages), and native charts
    beside the tables (completion by unit, pass rates by year, the hours distribution, sessions by kind)."""
    by_key = {f.key: f for f in FIGURES}
    figures, units, trend, sessions, hours = tables(shown, years)
    figures.rows = [[r["label"], shown.cell(r["key"]), r["definition"]] for r in shown.figure_rows()]
    units.rows = [
        [("  " * r["indent"]) + r["name"], *(shown.cell(k, r["path"]) for k in UNIT_TABLE_KEYS)]
        for r in shown.unit_rows()
    ]
    rate_column = UNIT_TABLE_KEYS.index("training_rate") + 1
    # Below the unit table (it is wide): completion by unit.
    units.charts = [
        Chart(
            title=str(by_key["training_rate"].label),
            values=(rate_column,),
            y_format="0%",
            anchor=f"A{len(units.rows) + 4}",
        )
    ]
    trend.rows = [[r["label"], *(s.cell(r["key"]) for s in years)] for r in trend_rows(years)]
    rates = Sheet(
        title=_("参考率与通过率"),
        headers=[_("年度"), *[str(by_key[k].label) for k in RATE_KEYS]],
        rows=[[str(s.year), *(s.cell(k) for k in RATE_KEYS)] for s in years],
        widths={i: 18 for i in range(1, len(RATE_KEYS) + 1)},
        charts=[
            Chart(
                title=str(_("各年参考率、通过率与持证率")),
                values=tuple(range(1, len(RATE_KEYS) + 1)),
                y_format="0%",
            )
        ],
    )
    sessions.charts = [Chart(title=str(_("线下培训场次与人次")), values=(1, 2))]
    hours.charts = [Chart(title=str(_("学时分布")), values=(1,), y_title=str(_("人数")))]
    return [figures, units, trend, rates, sessions, hours]


def report_xlsx(shown: Shown, years: list[Shown]) -> bytes:
    return write_workbook(workbook_sheets(shown, years), title=title_text(shown))


def report_docx(shown: Shown, years: list[Shown]) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    family = charts.cjk_family()
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    if family:
        style.font.name = family
        style.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", family)
    document.add_heading(title_text(shown), level=1)
    document.add_paragraph(summary_text(shown))
    document.add_paragraph(reference_text(shown))
    for sheet in tables(shown, years):
        document.add_heading(str(sheet.title), level=2)
        rows = [list(r) for r in sheet.rows]
        table = document.add_table(rows=1, cols=len(sheet.headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, sheet.headers, strict=True):
            cell.text = str(header)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
    document.add_heading(_("图表"), level=2)
    for name in charts.CHARTS:
        png = charts.render(charts.chart(name, shown=shown, years=years), "png")
        document.add_picture(io.BytesIO(png), width=Cm(16))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
