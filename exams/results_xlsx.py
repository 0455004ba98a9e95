"""The results workbook of an exam: sheet 成绩 (unit, 工号, name, score, pass, submitted time) and sheet 试题分析
(difficulty P and discrimination D per question). Fixed Chinese headers, whatever the UI language."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Exam

RESULT_HEADERS = ["单位", "工号", "姓名", "第几次", "补考", "得分", "满分", "是否通过", "交卷时间"]
STATS_HEADERS = ["试题编号", "题型", "题干", "作答人数", "难度系数P", "区分度D"]


def _passed(value) -> str:
    return {True: "通过", False: "未通过"}.get(value, "待评分")


def results_workbook(*, exam: Exam, rows: list[dict], stats: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "成绩"
    sheet.append(RESULT_HEADERS)
    for row in rows:
        submitted = timezone.localtime(row["submitted_at"]).strftime("%Y-%m-%d %H:%M") if row["submitted_at"] else ""
        sheet.append(
            [
                row["unit_path"] or row["unit"],
                row["employee_no"],
                row["name"],
                row["number"],
                "是" if row["is_makeup"] else "",
                float(row["score"]) if row["score"] is not None else None,
                float(row["max_score"]),
                _passed(row["passed"]),
                submitted,
            ]
        )
    analysis = book.create_sheet("试题分析")
    analysis.append(STATS_HEADERS)
    for stat in stats:
        analysis.append([stat["question"], stat["kind"], stat["stem"], stat["n"], stat["p"], stat["d"]])
    for ws in (sheet, analysis):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 30
    analysis.column_dimensions["C"].width = 60
    book.properties.title = exam.title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
