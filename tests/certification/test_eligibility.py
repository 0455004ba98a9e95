"""The eligibility engine against officers whose facts are stated by hand: hours per category vs the 2026 rule of
执法人员 (法治教育 40 h + 学法考试 20 h, at least 8 training days = 64 h), the annual law exam, HR blocks,
协管员. Both the object form (`evaluate`, with evidence) and the frame form (`evaluate_frame`) must agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.eligibility import evaluate, evaluate_frame, evaluate_officer
from exams.models import Attempt, Exam
from org.models import Officer, RoleCategory
from tests.certification import factories as f
from tests.factories import OfficerFactory, unit

TODAY = dt.date(2026, 11, 15)


@pytest.fixture
def rules(db):
    f.cycle()
    f.hour_rule(category="rule_of_law", hours="40")
    f.hour_rule(category="law_exam", hours="20")
    f.day_rule(days="8")
    return f.exam()


@pytest.fixture
def squad(db):
    return unit("测试区城管局/执法一中队")


def everything_done(officer, annual):
    f.credit(officer, 44, category="rule_of_law")
    f.credit(officer, 20, category="law_exam")
    f.exam_attempt(annual, officer, score="88")


def states(e):
    return {c.code: c.state for c in e.conditions}


def test_officer_with_everything_is_eligible_with_evidence(rules, squad):
    officer = OfficerFactory(unit=squad)
    everything_done(officer, rules)
    e = evaluate_officer(officer=officer, year=2026, today=TODAY)
    assert e.eligible
    assert states(e) == {"hours": "met", "training_days": "met", "annual_exam": "met", "blocks": "met"}
    hours = next(c for c in e.conditions if c.code == "hours")
    by_code = {c["code"]: c for c in hours.evidence["categories"]}
    assert by_code["rule_of_law"] == {
        "code": "rule_of_law",
        "name": "法治教育",
        "required": "40.00",
        "earned": "44.00",
        "shortfall": "0.00",
    }
    exam = next(c for c in e.conditions if c.code == "annual_exam")
    assert exam.evidence["score"] == "88.00" and exam.evidence["exam_id"] == rules.pk
    days = next(c for c in e.conditions if c.code == "training_days")
    assert days.evidence == {"days": "8.0", "min_days": "8.0", "days_short": "0.0"}
    snap = e.snapshot()
    assert snap["eligible"] is True and snap["evaluated_on"] == "2026-11-15" and len(snap["conditions"]) == 4


def test_short_in_one_category_is_unmet_with_the_shortfall_even_when_total_is_enough(rules, squad):
    officer = OfficerFactory(unit=squad)
    f.credit(officer, 60, category="rule_of_law")  # 64 h total would be enough days, but 学法考试 is short
    f.credit(officer, 4, category="law_exam")
    f.exam_attempt(rules, officer)
    e = evaluate_officer(officer=officer, year=2026, today=TODAY)
    assert not e.eligible
    assert states(e)["hours"] == "unmet" and states(e)["training_days"] == "met"
    hours = e.unmet[0]
    assert "学法考试欠16.00学时" in hours.detail
    assert hours.fix_url == "/learning/"


def test_reversal_counts_training_days_short(rules, squad):
    officer = OfficerFactory(unit=squad)
    everything_done(officer, rules)
    entry = f.credit(officer, 10, category="rule_of_law")
    f.credit(officer, -10, category="rule_of_law", reverses=entry)
    f.credit(officer, -4, category="rule_of_law")  # 40 + 20 = 60 h = 7.5 days < 8
    e = evaluate_officer(officer=officer, year=2026, today=TODAY)
    assert states(e) == {"hours": "met", "training_days": "unmet", "annual_exam": "met", "blocks": "met"}
    assert e.unmet[0].evidence["days_short"] == "0.5"


def test_failed_exam_is_unmet_ungraded_is_pending_best_pass_wins(rules, squad):
    failed, waiting, retook = OfficerFactory(unit=squad), OfficerFactory(unit=squad), OfficerFactory(unit=squad)
    for o in (failed, waiting, retook):
        f.credit(o, 44, category="rule_of_law")
        f.credit(o, 20, category="law_exam")
    f.exam_attempt(rules, failed, score="40", passed=False)
    f.exam_attempt(rules, waiting, score="0", passed=None, state=Attempt.State.SUBMITTED)
    f.exam_attempt(rules, retook, score="70")
    makeup = f.exam(title="2026年度学法考试补考")
    f.exam_attempt(makeup, retook, score="92")
    result = evaluate(
        officers=Officer.objects.filter(pk__in=[failed.pk, waiting.pk, retook.pk]), year=2026, today=TODAY
    )
    assert states(result[failed.pk])["annual_exam"] == "unmet"
    assert states(result[waiting.pk])["annual_exam"] == "pending"
    assert not result[waiting.pk].eligible
    assert result[retook.pk].eligible
    exam = next(c for c in result[retook.pk].conditions if c.code == "annual_exam")
    assert (exam.evidence["score"], exam.evidence["title"]) == ("92.00", "2026年度学法考试补考")


def test_exam_of_another_year_kind_or_draft_does_not_count(rules, squad):
    officer = OfficerFactory(unit=squad)
    f.credit(officer, 64, category="rule_of_law")
    f.credit(officer, 20, category="law_exam")
    f.exam_attempt(f.exam(year=2025), officer)
    f.exam_attempt(f.exam(kind=Exam.Kind.QUALIFICATION), officer)
    f.exam_attempt(f.exam(status=Exam.Status.DRAFT), officer)
    e = evaluate_officer(officer=officer, year=2026, today=TODAY)
    assert states(e)["annual_exam"] == "unmet"


def test_hr_block_in_force_on_the_day(rules, squad, world_hr):
    officer = OfficerFactory(unit=squad)
    everything_done(officer, rules)
    f.block(officer, by=world_hr, starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 12, 31), reason="记过处分")
    lifted = f.block(officer, by=world_hr, starts_on=dt.date(2026, 1, 1), lifted_on=dt.date(2026, 2, 1), reason="旧")
    e = evaluate_officer(officer=officer, year=2026, today=TODAY)
    assert states(e)["blocks"] == "unmet"
    assert [b["reason"] for b in e.unmet[0].evidence["blocks"]] == ["记过处分"]
    assert "记过处分" in e.unmet[0].detail and lifted.reason not in e.unmet[0].detail
    assert evaluate_officer(officer=officer, year=2026, today=dt.date(2027, 1, 1)).eligible


def test_auxiliary_cannot_be_eligible(rules, squad):
    officer = OfficerFactory(unit=squad, role_category=RoleCategory.objects.get(code="auxiliary"))
    everything_done(officer, rules)
    e = evaluate_officer(officer=officer, year=2026, today=TODAY)
    assert not e.eligible and states(e)["role"] == "unmet"


def test_cycle_switches_drop_conditions(rules, squad):
    from certification.models import ReviewCycle

    ReviewCycle.objects.filter(year=2026).update(requires_annual_exam=False, requires_training_days=False)
    officer = OfficerFactory(unit=squad)
    f.credit(officer, 40, category="rule_of_law")
    f.credit(officer, 20, category="law_exam")
    e = evaluate_officer(officer=officer, year=2026, today=TODAY)
    assert e.eligible and set(states(e)) == {"hours", "blocks"}


def test_no_rules_for_the_role_is_met_and_says_so(rules, squad):
    officer = OfficerFactory(unit=squad, role_category=RoleCategory.objects.get(code="legal"))
    f.exam_attempt(rules, officer)
    e = evaluate_officer(officer=officer, year=2026, today=TODAY)
    assert e.eligible
    assert next(c for c in e.conditions if c.code == "hours").detail == "本年度未设学时要求"


def test_set_based_and_the_frame_agrees(rules, squad, world_hr):
    people = [OfficerFactory(unit=squad) for _ in range(6)]
    everything_done(people[0], rules)
    everything_done(people[1], rules)
    f.block(people[1], by=world_hr, starts_on=dt.date(2026, 11, 1))
    f.credit(people[2], 64, category="rule_of_law")  # no law_exam hours, no exam
    f.exam_attempt(rules, people[3], score="61")  # exam only
    f.credit(people[4], 44, category="rule_of_law")
    f.credit(people[4], 20, category="law_exam")
    f.exam_attempt(rules, people[4], passed=None, state=Attempt.State.IN_PROGRESS)
    officers = Officer.objects.filter(pk__in=[p.pk for p in people])
    with CaptureQueriesContext(connection) as few:
        result = evaluate(officers=officers, year=2026, today=TODAY)
    assert len(few.captured_queries) <= 12
    assert [result[p.pk].eligible for p in people] == [True, False, False, False, False, False]
    frame = evaluate_frame(officers=officers, year=2026, today=TODAY).set_index("officer_id")
    for p in people:
        row = frame.loc[p.pk]
        assert bool(row["eligible"]) == result[p.pk].eligible
        st = states(result[p.pk])
        assert bool(row["hours_met"]) == (st["hours"] == "met")
        assert bool(row["days_met"]) == (st["training_days"] == "met")
        assert bool(row["exam_met"]) == (st["annual_exam"] == "met")
        assert bool(row["exam_pending"]) == (st["annual_exam"] == "pending")
        assert bool(row["blocked"]) == (st["blocks"] == "unmet")
