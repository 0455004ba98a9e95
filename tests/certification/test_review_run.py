"""The review run (年审): preview, confirm in one transaction with the evidence snapshot, idempotent re-runs,
single reviews of officers who became eligible later until deadline + grace, and a later ledger reversal that
never rewrites a past review."""

from __future__ import annotations

import datetime as dt

import pytest

from certification import services
from certification.models import CertificateEvent
from certification.selectors import officer_status
from certification.services import CertificationError
from certification.status import Status
from tests.certification import factories as f
from tests.factories import OfficerFactory, unit

K = CertificateEvent.Kind
TODAY = dt.date(2026, 11, 15)
BUREAU = "测试区城管局"


@pytest.fixture
def squad(db, world_hr):
    f.cycle(2025)
    f.cycle(2026)
    f.hour_rule(category="rule_of_law", hours="40")
    annual = f.exam()
    squad = unit(f"{BUREAU}/执法一中队")
    team = unit(f"{BUREAU}/执法一中队/一分队")
    people = {}
    for name, hours, exam in [("张伟", 40, True), ("王芳", 30, True), ("李强", 40, False)]:
        o = OfficerFactory(unit=team, name=name)
        f.review(f.certificate(o), 2025)
        if hours:
            f.credit(o, hours)
        if exam:
            f.exam_attempt(annual, o, score="90")
        people[name] = o
    new = OfficerFactory(unit=squad, name="陈静")
    f.certificate(new, issued_on=dt.date(2026, 5, 1))
    people["陈静"] = new
    outside = OfficerFactory(unit=unit(f"{BUREAU}/执法二中队"), name="刘洋")
    f.review(f.certificate(outside), 2025)
    people["刘洋"] = outside
    return {"unit": squad, "people": people, "hr": world_hr, "annual": annual}


def names(rows):
    return sorted(r.officer.name for r in rows)


def test_preview_sorts_the_subtree_and_writes_nothing(squad):
    preview = services.review_run_preview(viewer=squad["hr"], unit=squad["unit"], year=2026, today=TODAY)
    assert names(preview.eligible) == ["张伟"]
    assert names(preview.not_eligible) == ["李强", "王芳"]
    assert names(preview.skipped) == ["陈静"]  # issued in 2026: no review this year
    wang = next(r for r in preview.not_eligible if r.officer.name == "王芳")
    assert [c.code for c in wang.unmet] == ["hours"] and "欠10.00学时" in wang.unmet[0].detail
    assert not CertificateEvent.objects.filter(year=2026).exists()


def test_confirm_writes_one_review_each_with_snapshot_and_rerun_is_idempotent(squad):
    result = services.review_run_confirm(actor=squad["hr"], unit=squad["unit"], year=2026, today=TODAY)
    assert sorted(e.certificate.officer.name for e in result.passed) == ["张伟"]
    assert sorted(e.certificate.officer.name for e in result.failed) == ["李强", "王芳"]
    passed = result.passed[0]
    assert (passed.kind, passed.year, passed.seq, passed.effective_on) == (K.REVIEW_PASSED, 2026, 1, TODAY)
    assert passed.evidence["eligible"] is True
    conditions = {c["code"]: c for c in passed.evidence["conditions"]}
    assert conditions["hours"]["evidence"]["total_earned"] == "40.00"
    assert conditions["annual_exam"]["evidence"]["score"] == "90.00"
    failed = next(e for e in result.failed if e.certificate.officer.name == "李强")
    assert {c["code"]: c["state"] for c in failed.evidence["conditions"]}["annual_exam"] == "unmet"
    count = CertificateEvent.objects.count()
    again = services.review_run_confirm(actor=squad["hr"], unit=squad["unit"], year=2026, today=TODAY)
    assert (again.passed, again.failed) == ([], [])
    assert names(again.already) == ["张伟", "李强", "王芳"]
    assert CertificateEvent.objects.count() == count
    assert officer_status(officer=squad["people"]["张伟"], today=TODAY).status == Status.VALID
    assert officer_status(officer=squad["people"]["王芳"], today=TODAY).status == Status.AT_RISK
    assert officer_status(officer=squad["people"]["刘洋"], today=TODAY).status == Status.AT_RISK  # outside: untouched


def test_failed_then_eligible_is_reviewed_singly_until_deadline_plus_grace(squad):
    services.review_run_confirm(actor=squad["hr"], unit=squad["unit"], year=2026, today=TODAY)
    wang = squad["people"]["王芳"]
    cert = wang.certificates.get()
    with pytest.raises(CertificationError, match="王芳尚不符合2026年度年审条件:本年度学时"):
        services.review_single(actor=squad["hr"], certificate=cert, year=2026, today=TODAY)
    f.credit(wang, 10)  # a claim approved
    last_day = dt.date(2027, 3, 2)
    event = services.review_single(actor=squad["hr"], certificate=cert, year=2026, today=last_day)
    assert (event.kind, event.seq) == (K.REVIEW_PASSED, 2)
    assert officer_status(officer=wang, today=dt.date(2027, 3, 3)).status == Status.VALID
    with pytest.raises(CertificationError, match="年审已通过"):
        services.review_single(actor=squad["hr"], certificate=cert, year=2026, today=last_day)
    # a re-run now leaves him alone too
    again = services.review_run_confirm(actor=squad["hr"], unit=squad["unit"], year=2026, today=last_day)
    assert again.passed == [] and again.failed == []


def test_single_review_after_grace_or_before_window_or_without_cycle_is_refused(squad):
    li = squad["people"]["李强"]
    f.exam_attempt(squad["annual"], li)
    cert = li.certificates.get()
    with pytest.raises(CertificationError, match="年审已于2027-03-02结束"):
        services.review_single(actor=squad["hr"], certificate=cert, year=2026, today=dt.date(2027, 3, 3))
    with pytest.raises(CertificationError, match="年审自2026-11-01开始"):
        services.review_single(actor=squad["hr"], certificate=cert, year=2026, today=dt.date(2026, 10, 31))
    with pytest.raises(CertificationError, match="2027年度没有年审周期"):
        services.review_run_confirm(actor=squad["hr"], unit=squad["unit"], year=2027, today=TODAY)
    assert not CertificateEvent.objects.filter(year__in=[2026, 2027]).exists()
    services.review_single(actor=squad["hr"], certificate=cert, year=2026, today=dt.date(2027, 3, 2))


def test_suspended_certificate_is_not_reviewed(squad):
    zhang = squad["people"]["张伟"]
    cert = zhang.certificates.get()
    services.certificate_suspend(actor=squad["hr"], certificate=cert, reason="涉嫌违纪", effective_on=TODAY)
    result = services.review_run_confirm(actor=squad["hr"], unit=squad["unit"], year=2026, today=TODAY)
    assert "张伟" in names(result.skipped)
    with pytest.raises(CertificationError, match="不需要或不能年审:暂扣"):
        services.review_single(actor=squad["hr"], certificate=cert, year=2026, today=TODAY)


def test_later_ledger_reversal_never_rewrites_a_past_review(squad):
    services.review_run_confirm(actor=squad["hr"], unit=squad["unit"], year=2026, today=TODAY)
    zhang = squad["people"]["张伟"]
    review = CertificateEvent.objects.get(certificate__officer=zhang, year=2026)
    snapshot = review.evidence
    f.credit(zhang, -40, reverses=zhang.credits.get())
    st = officer_status(officer=zhang, today=TODAY)
    assert st.status == Status.VALID
    assert CertificateEvent.objects.get(pk=review.pk).evidence == snapshot
    assert st.warnings and "年审结论不变" in st.warnings[0]
