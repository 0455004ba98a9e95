"""year_report hands the frames it already has to certification (the year's hours, who passed the annual exam):
the statuses and verdicts must be exactly those certification computes on its own."""

from __future__ import annotations

import datetime as dt

from certification.eligibility import evaluate_frame
from certification.selectors import status_frame
from exams.models import Exam
from exams.selectors import sitting_frames
from learning.selectors import hours_status_frame
from org.selectors import officers_on_roll
from reports.figures import year_report

DEC_31 = dt.date(2025, 12, 31)


def test_statuses_in_the_report_are_certifications_own(bureau):
    _report, frame = year_report(year=2025)
    alone = status_frame(officers=officers_on_roll(on=DEC_31), today=DEC_31).set_index("officer_id")["status"]
    assert frame.set_index("officer_id")["cert_status"].to_dict() == alone.to_dict()


def test_verdicts_from_the_shared_exam_passes_equal_certifications_own(bureau):
    roll = officers_on_roll(on=DEC_31)
    annual = sitting_frames(officers=roll, kinds=[Exam.Kind.ANNUAL], year=2025)[Exam.Kind.ANNUAL]
    passed = annual.loc[annual["passed"], "officer_id"]
    assert set(passed) == {bureau.a.pk}  # 甲 passed, 乙 failed: the exam condition tells them apart
    shared = evaluate_frame(
        officers=roll,
        year=2025,
        today=DEC_31,
        hours=hours_status_frame(year=2025, officers=roll),
        annual_passed=passed,
    )
    alone = evaluate_frame(officers=roll, year=2025, today=DEC_31)
    key = ["officer_id"]
    assert shared.sort_values(key, ignore_index=True).equals(alone.sort_values(key, ignore_index=True))
    assert shared.set_index("officer_id").loc[bureau.b.pk, "exam_met"] == False  # noqa: E712
