"""year_report hands the frames it already has to certification (the year's hours, who passed the annual exam):
the statuses and verdicts must be exactly those certification computes on its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from certification.eligibility import evaluate_frame
from certification.selectors import status_frame
from exams.models import Exam
from exams.selectors import sitting_frames
from learning.models import Attendance, ExternalClaim, OfflineSession
from learning.selectors import hours_status_frame
from org.selectors import officers_on_roll
from reports.figures import year_report
from tests.certification.factories import certificate, exam_attempt

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


def test_what_officers_off_the_roll_did_counts_nowhere(bureau):
    """The whole bureau's selectors read every officer (not the roll) and keep the roll's rows: 丁 (left in July)
    and 己 (joins in 2026) may sit, sign in, be certified and claim in 2025 without moving a single figure."""
    before, _ = year_report(year=2025)
    annual = Exam.objects.get(kind=Exam.Kind.ANNUAL, year=2025)
    for officer in (bureau.d, bureau.f):
        exam_attempt(annual, officer, passed=True)
        certificate(officer, issued_on=dt.date(2025, 3, 1))
        ExternalClaim.objects.create(
            officer=officer,
            title="外部培训",
            provider="某学院",
            category_id="rule_of_law",
            hours=Decimal("6"),
            start_date=dt.date(2025, 5, 1),
            end_date=dt.date(2025, 5, 2),
            attachment="claims/proof.pdf",
            status=ExternalClaim.Status.APPROVED,
        )
    alone = OfflineSession.objects.create(  # a session only officers off the roll attended: no 场次
        title="专题讲座",
        kind=OfflineSession.Kind.LECTURE,
        category_id="rule_of_law",
        hours=Decimal("2"),
        place="会议室",
        starts_at=timezone.make_aware(dt.datetime(2025, 6, 1, 9)),
        ends_at=timezone.make_aware(dt.datetime(2025, 6, 1, 11)),
        trainer=bureau.hr,
        secret="s",
    )
    for officer in (bureau.d, bureau.f):
        Attendance.objects.create(
            session=alone, officer=officer, signed_in_at=alone.starts_at, method=Attendance.Method.QR
        )

    after, frame = year_report(year=2025)

    assert sorted(frame["name"]) == sorted(["甲", "乙", "丙", "戊"])
    assert after.groups == before.groups
    assert after.counts()["annual_sat_all"] == 2 and after.counts()["sessions"] == 2  # the hand counts still
