"""Selectors: one officer's status with warnings, many officers set-based, the board rolled up the tree for HR and
for a unit leader's subtree, and the 待发证 list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification import selectors
from certification.models import CertificateEvent
from certification.status import Status
from exams.models import Exam
from org.models import Officer, RoleCategory
from tests.certification import factories as f
from tests.factories import OfficerFactory, grant, unit

TODAY = dt.date(2026, 11, 15)  # the 2026 window is open
BUREAU = "测试区城管局"


@pytest.fixture
def bureau(db, world_hr):
    f.cycle(2025)
    f.cycle(2026)
    f.hour_rule(category="rule_of_law", hours="40")
    annual = f.exam()
    team1 = unit(f"{BUREAU}/执法一中队/一分队")
    team2 = unit(f"{BUREAU}/执法一中队/二分队")
    squad2 = unit(f"{BUREAU}/执法二中队")
    ready = OfficerFactory(unit=team1, name="张伟")  # certified, reviewed 2025, all met → 待年审
    cert = f.certificate(ready)
    f.review(cert, 2025)
    f.credit(ready, 40)
    f.exam_attempt(annual, ready)
    short = OfficerFactory(unit=team1, name="王芳")  # certified, reviewed 2025, hours short → 存在风险
    f.review(f.certificate(short), 2025)
    f.exam_attempt(annual, short)
    done = OfficerFactory(unit=team2, name="李强")  # reviewed 2026 → 有效
    cert = f.certificate(done)
    f.review(cert, 2025)
    f.review(cert, 2026, on=dt.date(2026, 11, 3))
    suspended = OfficerFactory(unit=squad2, name="刘洋")
    cert = f.certificate(suspended)
    f.review(cert, 2025)
    f.event(cert, CertificateEvent.Kind.SUSPENDED, effective_on=dt.date(2026, 11, 1), reason="暂扣")
    recruit = OfficerFactory(unit=squad2, name="陈静", role_category=RoleCategory.objects.get(code="recruit"))
    qualification = f.exam(kind=Exam.Kind.QUALIFICATION, title="2026年行政执法资格考试")
    f.exam_attempt(qualification, recruit, score="75")
    leader = OfficerFactory(unit=unit(f"{BUREAU}/执法一中队"), name="王建国", enforcement_duty=False)
    grant(leader.user, "unit_leader", unit(f"{BUREAU}/执法一中队"))
    return {
        "ready": ready,
        "short": short,
        "done": done,
        "suspended": suspended,
        "recruit": recruit,
        "leader": leader,
        "hr": world_hr,
        "annual": annual,
    }


def test_statuses_of_many_officers_set_based(bureau):
    officers = Officer.objects.filter(pk__in=[o.pk for k, o in bureau.items() if isinstance(o, Officer)])
    with CaptureQueriesContext(connection) as q:
        rows = {s.officer.pk: s for s in selectors.statuses(officers=officers, today=TODAY)}
    assert len(q.captured_queries) <= 15
    assert rows[bureau["ready"].pk].status == Status.REVIEW_DUE
    assert rows[bureau["short"].pk].status == Status.AT_RISK
    assert [c.code for c in rows[bureau["short"].pk].missing] == ["hours"]
    assert rows[bureau["done"].pk].status == Status.VALID
    assert rows[bureau["done"].pk].valid_for_year == 2026
    assert rows[bureau["suspended"].pk].status == Status.SUSPENDED
    assert rows[bureau["recruit"].pk].status == Status.UNCERTIFIED


def test_officer_status_warns_after_a_ledger_reversal_but_keeps_the_review(bureau):
    from certification.eligibility import evaluate_officer

    officer = bureau["ready"]
    cert = officer.certificates.get()
    snapshot = evaluate_officer(officer=officer, year=2026, today=TODAY).snapshot()
    f.review(cert, 2026, on=TODAY, evidence=snapshot)
    assert selectors.officer_status(officer=officer, today=TODAY).warnings == []
    entry = officer.credits.get()
    f.credit(officer, -40, reverses=entry)
    st = selectors.officer_status(officer=officer, today=TODAY)
    assert st.status == Status.VALID and st.valid_for_year == 2026
    assert len(st.warnings) == 1
    assert "年审时40.00学时,现为0.00学时" in st.warnings[0] and "现已不达标" in st.warnings[0]


def test_board_rolls_up_the_tree_for_hr(bureau):
    data = selectors.board(viewer=bureau["hr"], today=TODAY)
    rows = {r["unit"].full_path: r for r in data["units"]}
    squad1 = rows[f"{BUREAU}/执法一中队"]["counts"]
    assert squad1[Status.REVIEW_DUE] == 1 and squad1[Status.AT_RISK] == 1 and squad1[Status.VALID] == 1
    assert squad1[Status.UNCERTIFIED] == 1  # the leader, uncertified (not on duty)
    top = rows[BUREAU]
    assert top["total"] == data["total"] == 6 + 1  # six here and HR's own officer (政治处)
    assert top["counts"][Status.SUSPENDED] == 1
    unlicensed = {s.officer.name for s in data["on_duty_unlicensed"]}
    assert unlicensed == {"王芳", "刘洋", "陈静", "周敏"}  # at risk, suspended, uncertified (on duty); not the leader
    assert [s.officer.name for s in data["at_risk"]] == ["王芳"]
    drill = selectors.board(viewer=bureau["hr"], today=TODAY, status=Status.VALID)
    assert [s.officer.name for s in drill["officers"]] == ["李强"]


def test_board_of_a_unit_leader_is_their_subtree_only(bureau):
    data = selectors.board(viewer=bureau["leader"].user, today=TODAY)
    paths = {r["unit"].full_path for r in data["units"]}
    assert f"{BUREAU}/执法二中队" not in paths and BUREAU not in paths
    assert data["total"] == 4  # 张伟, 王芳, 李强 and the leader himself
    assert {s.officer.name for s in data["on_duty_unlicensed"]} == {"王芳"}


def test_awaiting_issue_lists_qualified_without_certificate(bureau):
    names = [o.name for o in selectors.awaiting_issue(viewer=bureau["hr"])]
    assert names == ["陈静"]
    assert selectors.awaiting_issue(viewer=bureau["leader"].user) == []
    f.certificate(bureau["recruit"], issued_on=dt.date(2026, 11, 1))
    assert selectors.awaiting_issue(viewer=bureau["hr"]) == []


def test_status_frame_equals_the_status_function_on_random_histories(db, world_hr):
    """The vectorised status (benchmark, board totals) and derive_status agree on every officer and day."""
    import random

    from certification.selectors import status_frame

    rng = random.Random(20261130)
    f.cycle(2025)
    f.cycle(2026)
    f.hour_rule(category="rule_of_law", hours="40")
    annual = f.exam()
    team = unit(f"{BUREAU}/执法三中队")
    K = CertificateEvent.Kind
    for i in range(40):
        role = "auxiliary" if i == 39 else "enforcer"
        o = OfficerFactory(unit=team, role_category=RoleCategory.objects.get(code=role))
        if rng.random() < 0.5:
            f.credit(o, rng.choice([20, 40, 45]))
        if rng.random() < 0.5:
            f.exam_attempt(annual, o)
        if rng.random() < 0.1:
            continue  # uncertified
        issued = rng.choice([dt.date(2023, 5, 1), dt.date(2024, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 12, 1)])
        cert = f.certificate(o, issued_on=issued, valid_until=rng.choice([None, None, dt.date(2026, 12, 31)]))
        if rng.random() < 0.6:
            f.review(cert, 2025, passed=rng.random() < 0.8, on=dt.date(2025, 12, 1))
        if rng.random() < 0.4:
            f.review(cert, 2026, passed=rng.random() < 0.7, on=dt.date(2026, 11, rng.randint(2, 28)))
        if rng.random() < 0.2:
            start = dt.date(2026, rng.randint(6, 12), 1)
            f.event(cert, K.SUSPENDED, effective_on=start, ends_on=rng.choice([None, start + dt.timedelta(days=20)]))
            if rng.random() < 0.5:
                f.event(cert, K.REINSTATED, effective_on=start + dt.timedelta(days=10))
        if rng.random() < 0.1:
            revoked = f.event(cert, K.REVOKED, effective_on=dt.date(2026, 9, 1), reason="注销")
            if rng.random() < 0.5:
                f.event(cert, K.VOIDED, effective_on=dt.date(2026, 9, 2), voids=revoked, reason="误录")
        if rng.random() < 0.05:
            f.event(cert, K.VOIDED, effective_on=issued, voids=cert.events.get(kind=K.ISSUED), reason="录错")
        if rng.random() < 0.1:
            f.certificate(o, issued_on=dt.date(2026, 10, 1))  # a second certificate
    officers = Officer.objects.filter(unit=team)
    seen: set[str] = set()
    for today in [
        dt.date(2026, 6, 1),
        dt.date(2026, 10, 15),
        dt.date(2026, 11, 15),
        dt.date(2027, 2, 10),
        dt.date(2027, 3, 3),
        dt.date(2027, 5, 1),
    ]:
        objects = {s.officer.pk: s for s in selectors.statuses(officers=officers, today=today)}
        frame = status_frame(officers=officers, today=today).set_index("officer_id")
        for officer_id, st in objects.items():
            row = frame.loc[officer_id]
            assert row["status"] == st.status, (today, officer_id, st.status, row["status"])
            expected_year = st.valid_for_year
            got = None if row["valid_for_year"] != row["valid_for_year"] else int(row["valid_for_year"])
            assert got == expected_year, (today, officer_id, st.status, expected_year, got)
        seen.update(frame["status"])
    assert len(seen) >= 7, seen  # every state but one shows up somewhere
