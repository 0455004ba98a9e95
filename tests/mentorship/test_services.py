"""Matching on a real bureau, locking and swapping, publishing, check-ins crediting both sides exactly once with
the monthly cap, the end of a pair, evaluations, and each refusal with its Chinese message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from learning.models import CreditEntry
from mentorship import services
from mentorship.models import CheckIn, Goal, Pair, Programme
from mentorship.services import MentorshipError
from tests.certification.factories import event
from tests.factories import OfficerFactory

from .conftest import TODAY, newcomer, veteran


def _run(w):
    return services.match_run(programme=w.programme, actor=w.hr, today=TODAY)


def _publish(w):
    _run(w)
    services.programme_publish(programme=w.programme, actor=w.hr, today=TODAY)
    return {p.mentee_id: p for p in Pair.objects.filter(programme=w.programme, state=Pair.State.ACTIVE)}


def test_match_pairs_each_recruit_in_their_squad_never_with_their_leader(mworld):
    w = mworld
    summary = _run(w)
    pairs = {p.mentee_id: p.mentor_id for p in Pair.objects.filter(programme=w.programme)}
    # same team preferred; the leader of 一中队 never mentors there; 二中队's recruit gets 二中队's veteran
    assert pairs == {w.n1.pk: w.v1.pk, w.n2.pk: w.v2.pk, w.n3.pk: w.v3.pk}
    assert summary["optimal_total"] >= summary["greedy_total"]
    assert summary["unmatched"] == []
    pair = Pair.objects.get(mentee=w.n1)
    assert pair.explanation[0]["label"] == "同一分队" and pair.explanation[0]["points"] == 30.0


def test_unmatched_mentee_is_listed_with_the_reason(mworld):
    w = mworld
    extra = newcomer(w.s2t1, "孙丽")  # 二中队 has one veteran with capacity 1
    summary = _run(w)
    assert [(u["officer_id"], u["reason"]) for u in summary["unmatched"]] == [(extra.pk, "可结对的师傅名额已满")]


def test_mentor_rules_come_from_certification_and_programme(mworld):
    w = mworld
    young = veteran(w.s1t1, "年轻人", years=2)
    uncertified = OfficerFactory(unit=w.s1t1, name="无证者", hire_date=dt.date(2010, 1, 1))
    suspended = veteran(w.s1t1, "暂扣者")
    cert = suspended.certificates.get()
    event(cert, "suspended", effective_on=dt.date(2026, 1, 1), reason="调查")
    from mentorship.candidates import candidates

    c = candidates(programme=w.programme, today=TODAY)
    refused = {o.pk: str(r) for o, r in c.refused_mentors}
    assert refused[young.pk] == "执法年限不足 3 年"
    assert refused[uncertified.pk] == "执法证状态为“未持证”,不能担任师傅"
    assert refused[suspended.pk] == "执法证状态为“暂扣”,不能担任师傅"
    assert {o.pk for o in c.mentors} == {w.leader.pk, w.v1.pk, w.v2.pk, w.v3.pk}


def test_locked_pair_is_kept_and_the_rest_reoptimised(mworld):
    w = mworld
    _run(w)
    pair = Pair.objects.get(mentee=w.n1)
    services.pair_swap(pair=pair, mentor=w.v2, actor=w.hr, today=TODAY)  # HR's choice: 王芳 for 陈静
    pairs = {p.mentee_id: (p.mentor_id, p.locked) for p in Pair.objects.filter(programme=w.programme)}
    assert pairs[w.n1.pk] == (w.v2.pk, True)
    assert pairs[w.n2.pk] == (w.v1.pk, False)  # 王芳's only place is taken: 杨磊 goes to 张伟
    _run(w)  # a re-run keeps the lock
    assert Pair.objects.get(mentee=w.n1).mentor_id == w.v2.pk


def test_swap_refusals(mworld):
    w = mworld
    _run(w)
    pair = Pair.objects.get(mentee=w.n1)
    with pytest.raises(MentorshipError, match="不得为其单位负责人"):
        services.pair_swap(pair=pair, mentor=w.leader, actor=w.hr, today=TODAY)
    with pytest.raises(MentorshipError, match="不得为其单位负责人,且须同一中队"):
        services.pair_swap(pair=pair, mentor=w.v3, actor=w.hr, today=TODAY)
    services.pair_swap(pair=pair, mentor=w.v2, actor=w.hr, today=TODAY)
    other = Pair.objects.get(mentee=w.n2)
    with pytest.raises(MentorshipError, match="师傅 王芳 名额已满"):
        services.pair_swap(pair=other, mentor=w.v2, actor=w.hr, today=TODAY)


def test_publish_activates_with_goals_and_a_second_active_pair_is_refused(mworld):
    w = mworld
    pairs = _publish(w)
    assert len(pairs) == 3
    p = pairs[w.n1.pk]
    assert p.started_on == TODAY
    goals = list(Goal.objects.filter(pair=p).values_list("title", "due_on"))
    assert goals[0] == ("熟悉执法文书", TODAY + dt.timedelta(days=60)) and len(goals) == 3
    with pytest.raises(MentorshipError, match="该计划已发布"):
        services.programme_publish(programme=w.programme, actor=w.hr, today=TODAY)
    # a second programme cannot give 陈静 a second active mentor
    other = services.programme_save(
        actor=w.hr, year=2026, name="补充", unit=w.squad1, starts_on=TODAY, ends_on=dt.date(2026, 12, 31)
    )
    services.match_run(programme=other, actor=w.hr, today=TODAY)
    assert not Pair.objects.filter(programme=other, mentee=w.n1).exists()  # matching leaves 陈静 out
    unmatched = {u["officer_id"]: u["reason"] for u in Programme.objects.get(pk=other.pk).last_match["unmatched"]}
    assert unmatched[w.n1.pk] == "已在带教中(已有师傅)"
    Pair.objects.create(programme=other, mentee=w.n1, mentor=w.v2)  # a stale proposal is refused at publish
    with pytest.raises(MentorshipError, match="陈静 已有一个进行中的师徒结对,不能再结对。"):
        services.programme_publish(programme=other, actor=w.hr, today=TODAY)


def test_database_holds_one_active_pair_per_mentee(mworld):
    from django.db import IntegrityError, transaction

    w = mworld
    _publish(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pair.objects.create(programme=w.programme, mentee=w.n1, mentor=w.v2, state=Pair.State.ACTIVE)


def _credits(officer):
    return list(
        CreditEntry.objects.filter(officer=officer, source_kind="mentorship").values_list("category_id", "hours")
    )


def test_checkin_confirmed_credits_both_once(mworld):
    w = mworld
    pair = _publish(w)[w.n1.pk]
    checkin = services.checkin_log(
        pair=pair, actor=w.n1.user, met_on=TODAY, minutes=90, topic="简易程序文书", today=TODAY
    )
    assert _credits(w.n1) == []  # nothing before the mentor confirms
    services.checkin_confirm(checkin=checkin, actor=w.v1.user)
    services.checkin_confirm(checkin=checkin, actor=w.v1.user)  # a second click credits nothing
    assert _credits(w.n1) == [("business", Decimal("1.50"))]
    assert _credits(w.v1) == [("mentoring", Decimal("1.50"))]


def test_monthly_cap(mworld):
    w = mworld
    pair = _publish(w)[w.n1.pk]
    for minutes in (120, 120, 60):
        c = services.checkin_log(pair=pair, actor=w.n1.user, met_on=TODAY, minutes=minutes, topic="巡查", today=TODAY)
        services.checkin_confirm(checkin=c, actor=w.v1.user)
    assert sum(h for _c, h in _credits(w.n1)) == Decimal("4.00")  # the programme's cap of 4 h a month
    last = CheckIn.objects.order_by("-pk").first()
    assert last.mentee_hours == 0 and last.confirmed_at is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"met_on": TODAY + dt.timedelta(days=1)}, "交流日期不能晚于今天。"),
        ({"met_on": TODAY - dt.timedelta(days=1)}, "交流日期不能早于结对开始日期(2026-03-10)。"),
        ({"minutes": 5}, "交流时长须在 10 至 480 分钟之间。"),
        ({"topic": " "}, "请填写交流主题(不超过 100 字)。"),
    ],
)
def test_checkin_bad_input(mworld, kwargs, message):
    w = mworld
    pair = _publish(w)[w.n1.pk]
    values = {"met_on": TODAY, "minutes": 60, "topic": "文书", **kwargs}
    with pytest.raises(MentorshipError) as exc:
        services.checkin_log(pair=pair, actor=w.n1.user, today=TODAY, **values)
    assert str(exc.value) == message
    assert not CheckIn.objects.exists()


def test_only_the_mentee_logs_and_only_the_mentor_confirms(mworld):
    w = mworld
    pair = _publish(w)[w.n1.pk]
    with pytest.raises(MentorshipError, match="交流记录由徒弟登记"):
        services.checkin_log(pair=pair, actor=w.v1.user, met_on=TODAY, minutes=60, topic="文书", today=TODAY)
    c = services.checkin_log(pair=pair, actor=w.n1.user, met_on=TODAY, minutes=60, topic="文书", today=TODAY)
    with pytest.raises(MentorshipError, match="不能确认自己登记的交流记录"):
        services.checkin_confirm(checkin=c, actor=w.n1.user)
    with pytest.raises(MentorshipError, match="只有该结对的师傅可以确认交流记录"):
        services.checkin_confirm(checkin=c, actor=w.v2.user)
    # a mentor who logged a record themselves (e.g. through the admin) still cannot confirm it
    own = CheckIn.objects.create(pair=pair, met_on=TODAY, minutes=60, topic="自记", logged_by=w.v1.user)
    with pytest.raises(MentorshipError, match="不能确认自己登记的交流记录"):
        services.checkin_confirm(checkin=own, actor=w.v1.user)
    assert _credits(w.v1) == []


def test_end_and_evaluate(mworld):
    w = mworld
    pairs = _publish(w)
    p1, p2 = pairs[w.n1.pk], pairs[w.n2.pk]
    with pytest.raises(MentorshipError, match="结对结束后才能评价"):
        services.evaluation_submit(pair=p1, actor=w.n1.user, rating=5)
    services.pair_end(pair=p1, actor=w.hr, completed=True, today=dt.date(2026, 12, 20))
    with pytest.raises(MentorshipError, match="提前结束须填写原因"):
        services.pair_end(pair=p2, actor=w.hr, completed=False)
    services.pair_end(pair=p2, actor=w.hr, completed=False, reason="徒弟调岗")
    p1.refresh_from_db()
    services.evaluation_submit(pair=p1, actor=w.n1.user, rating=5, text="耐心")
    services.evaluation_submit(pair=p1, actor=w.v1.user, rating=4)
    with pytest.raises(MentorshipError, match="您已评价过"):
        services.evaluation_submit(pair=p1, actor=w.v1.user, rating=4)
    with pytest.raises(MentorshipError, match="评分须为 1 至 5 分"):
        services.evaluation_submit(pair=Pair.objects.get(pk=p2.pk), actor=w.n2.user, rating=6)


def test_capacity_override_is_1_to_3(mworld):
    w = mworld
    with pytest.raises(MentorshipError, match="每位师傅带徒人数须为 1 至 3 人"):
        services.capacity_set(programme=w.programme, mentor=w.v1, capacity=4, actor=w.hr)
    services.capacity_set(programme=w.programme, mentor=w.v1, capacity=2, actor=w.hr)
    newcomer(w.s1t1, "孙丽")
    summary = _run(w)
    assert Pair.objects.filter(programme=w.programme, mentor=w.v1).count() == 2
    assert summary["unmatched"] == []


def test_unit_leader_runs_programmes_only_in_their_subtree(mworld):
    w = mworld
    with pytest.raises(MentorshipError, match="只能为本人负责的单位及下级建立计划"):
        services.programme_save(
            actor=w.leader.user, year=2026, name="x", unit=w.squad2, starts_on=TODAY, ends_on=dt.date(2026, 12, 31)
        )
    with pytest.raises(MentorshipError, match="您无权管理该师徒结对计划"):
        services.match_run(programme=w.programme, actor=w.leader.user, today=TODAY)
    mine = services.programme_save(
        actor=w.leader.user, year=2026, name="一中队", unit=w.squad1, starts_on=TODAY, ends_on=dt.date(2026, 12, 31)
    )
    assert services.match_run(programme=mine, actor=w.leader.user, today=TODAY)["proposed"] == 2


def test_goal_template_needs_3_to_5(mworld):
    w = mworld
    with pytest.raises(MentorshipError, match="带教目标须为 3 至 5 项"):
        services.programme_save(actor=w.hr, programme=w.programme, goal_template=[{"title": "a", "due_days": 3}])


def test_lapsed_mentor_certificate_flags_without_ending(mworld):
    from mentorship import reminders, selectors

    w = mworld
    pairs = _publish(w)
    cert = w.v1.certificates.get()
    event(cert, "revoked", effective_on=TODAY, reason="违纪")
    data = selectors.board(viewer=w.hr, year=2026, today=TODAY)
    assert [p.pk for p in data["flagged"]] == [pairs[w.n1.pk].pk]
    assert Pair.objects.get(pk=pairs[w.n1.pk].pk).state == Pair.State.ACTIVE
    first = reminders.reminders_run(today=TODAY)
    again = reminders.reminders_run(today=TODAY)
    assert first.sent == 1 and again.sent == 0 and again.skipped == 1


def test_shared_enforcement_field_raises_the_score(mworld):
    """The field part: the violation categories each answered right in practice (from exams' selector)."""
    from django.utils import timezone

    from exams.models import PracticeAnswer
    from tests.exams.factories import question

    w = mworld
    q = question(violation_category="违法建设")
    for officer in (w.n1, w.v2):
        PracticeAnswer.objects.create(
            officer=officer,
            question=q,
            version=q.versions.first(),
            response=None,
            correct=True,
            answered_at=timezone.now(),
        )
    _run(w)
    by_mentee = {p.mentee_id: p for p in Pair.objects.filter(programme=w.programme)}
    field = next(part for part in by_mentee[w.n1.pk].explanation if part["code"] == "field")
    # 张伟 (same team, no field) still wins 陈静 on points, but 王芳's shared field now shows in her score
    assert field["points"] == 0.0
    from mentorship import matching
    from mentorship.candidates import candidates

    c = candidates(programme=w.programme, today=TODAY)
    i = [o.pk for o in c.mentees].index(w.n1.pk)
    j = [o.pk for o in c.mentors].index(w.v2.pk)
    parts = matching.explain(c.mentee_pool, c.mentor_pool, i, j, weights=matching.DEFAULT_WEIGHTS)
    assert next(p for p in parts if p["code"] == "field")["points"] == 20.0


def test_unmatched_reasons_name_the_constraint(mworld):
    from org.models import Unit
    from tests.factories import grant, unit

    w = mworld
    w.v3.certificates.get().events.create(kind="revoked", effective_on=dt.date(2026, 1, 5), reason="违纪")
    squad3 = unit("测试区城管局/执法三中队")
    Unit.objects.filter(pk=squad3.pk).update(kind=Unit.Kind.SQUAD)
    chief = veteran(squad3, "三中队长")
    grant(chief.user, "unit_leader", squad3)
    lonely = newcomer(squad3, "周新")
    reasons = {u["officer_id"]: u["reason"] for u in _run(w)["unmatched"]}
    assert reasons == {
        w.n3.pk: "本中队没有符合条件的师傅(可在计划中允许跨中队结对)",
        lonely.pk: "本中队符合条件的师傅均为其单位负责人(可允许跨中队结对)",
    }


def test_adding_a_pair_to_a_full_mentor_is_refused(mworld):
    w = mworld
    _publish(w)
    late = newcomer(w.s1t1, "孙丽")
    with pytest.raises(MentorshipError) as exc:
        services.pair_add(programme=w.programme, mentee=late, mentor=w.v1, actor=w.hr, today=TODAY)
    assert str(exc.value) == "师傅 张伟 名额已满(最多带 1 人)。"
    services.capacity_set(programme=w.programme, mentor=w.v1, capacity=2, actor=w.hr)
    pair = services.pair_add(programme=w.programme, mentee=late, mentor=w.v1, actor=w.hr, today=TODAY)
    assert pair.state == Pair.State.ACTIVE and pair.goals.count() == 3


def test_programme_close_completes_the_active_pairs(mworld):
    w = mworld
    pairs = _publish(w)
    services.pair_end(pair=pairs[w.n2.pk], actor=w.hr, completed=False, reason="调岗")
    assert services.programme_close(programme=w.programme, actor=w.hr, today=dt.date(2026, 12, 31)) == 2
    states = dict(Pair.objects.filter(programme=w.programme).values_list("mentee_id", "state"))
    assert states == {w.n1.pk: "completed", w.n2.pk: "ended_early", w.n3.pk: "completed"}
    with pytest.raises(MentorshipError, match="只能结束进行中的计划"):
        services.programme_close(programme=w.programme, actor=w.hr)
