"""The results workbook of an exam: sheet 成绩 (unit, 工号, name, score, pass, submitted time) and sheet 试题分析
(difficulty P and discrimination D per question). Fixed Chinese headers, whatever the UI language."""

from __future__ import annotations

from django.utils import timezone

from org.tabular import Sheet, write_workbook

from .models import Exam

RESULT_HEADERS = ["单位", "工号", "姓名", "第几次", "补考", "得分", "满分", "是否通过", "交卷时间"]
STATS_HEADERS = ["试题编号", "题型", "题干", "作答人数", "难度系数P", "区分度D"]


def _passed(value) -> str:
    return {True: "通过", False: "未通过"}.get(value, "待评分")


def results_workbook(*, exam: Exam, rows: list[dict], stats: list[dict]) -> bytes:
    results = [
        [
            row["unit_path"] or row["unit"],
            row["employee_no"],
            row["name"],
            row["number"],
            "是" if row["is_makeup"] else "",
            float(row["score"]) if row["score"] is not None else None,
            float(row["max_score"]),
            _passed(row["passed"]),
            timezone.localtime(row["submitted_at"]).strftime("%Y-%m-%d %H:%M") if row["submitted_at"] else "",
        ]
        for row in rows
    ]
    analysis = [[s["question"], s["kind"], s["stem"], s["n"], s["p"], s["d"]] for s in stats]
    return write_workbook(
        [
            Sheet("成绩", RESULT_HEADERS, results, widths={0: 30}),
            Sheet("试题分析", STATS_HEADERS, analysis, widths={2: 60}),
        ],
        title=exam.title,
    )
