"""sitting_frames: the annual and the qualification exam read in one pass (reports), each kind kept apart."""

from __future__ import annotations

from exams.models import Attempt, Exam
from exams.selectors import sitting_frame, sitting_frames
from org.models import Officer
from tests.certification.factories import exam, exam_attempt
from tests.factories import OfficerFactory, unit

ANNUAL, QUALIFICATION = Exam.Kind.ANNUAL, Exam.Kind.QUALIFICATION


def _rows(frame):
    return {r.officer_id: (r.required, r.sat, r.passed) for r in frame.itertuples()}


def test_each_kind_counts_only_its_own_exams_and_audience(db):
    one, two = unit("测试局/一中队"), unit("测试局/二中队")
    a, b, c, d = (OfficerFactory(unit=u) for u in (one, one, two, two))
    annual = exam(kind=ANNUAL, year=2025)
    annual.units.add(one)  # a and b must sit the annual exam
    qualification = exam(kind=QUALIFICATION, year=2025)
    qualification.officers.add(c)  # c must sit the qualification exam
    exam_attempt(annual, a, passed=True)
    exam_attempt(annual, b, score="40", passed=False)
    exam_attempt(qualification, c, score="40", passed=False)
    exam_attempt(qualification, c, passed=True)  # the second attempt passed
    exam_attempt(qualification, d, state=Attempt.State.IN_PROGRESS, passed=False)  # not handed in: not sat
    exam_attempt(exam(kind=ANNUAL, year=2024), d)  # another year: not counted
    officers = Officer.objects.all()

    frames = sitting_frames(officers=officers, kinds=[ANNUAL, QUALIFICATION], year=2025)

    assert _rows(frames[ANNUAL]) == {a.pk: (True, True, True), b.pk: (True, True, False)}
    assert _rows(frames[QUALIFICATION]) == {c.pk: (True, True, True)}
    for kind in (ANNUAL, QUALIFICATION):  # the one-kind form reads the same
        assert _rows(sitting_frame(officers=officers, kind=kind, year=2025)) == _rows(frames[kind])


def test_a_kind_without_exams_is_an_empty_frame(db):
    officer = OfficerFactory(unit=unit())
    exam_attempt(exam(kind=ANNUAL, year=2025), officer)

    frames = sitting_frames(officers=Officer.objects.all(), kinds=[ANNUAL, QUALIFICATION], year=2025)

    assert _rows(frames[ANNUAL]) == {officer.pk: (False, True, True)}  # sat without being in the audience
    assert frames[QUALIFICATION].empty
    assert list(frames[QUALIFICATION].columns) == ["officer_id", "required", "sat", "passed"]
