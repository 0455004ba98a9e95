"""The contest's rules on the database: the deadline with grace, one answer per officer per round, refused answers
(with reasons, in the log), idempotent closing with streaks and ranks, teams by 中队, the seat kept on rejoin."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from contest import services
from contest.models import Answer, Contest, ContestError, LogEntry, Seat
from org.append_only import AppendOnlyError
from org.models import Unit
from org.services import unit_ensure_path
from tests.exams import factories as ef
from tests.factories import OfficerFactory

from . import helpers as h

pytestmark = pytest.mark.django_db


def _submit(seat, cq, response, at, grace=0):
    return services.answer_submit(seat=seat, position=cq.position, response=response, received_at=at, grace_ms=grace)


def test_create_takes_only_active_contest_kinds_and_never_confidential_questions():
    host = h.trainer()
    blank = ef.question("blank")
    with pytest.raises(ContestError):
        services.contest_create(actor=host, title="竞赛", question_ids=[blank.pk])
    single = ef.question("single")
    single_secret = ef.question("single")
    type(single_secret).objects.filter(pk=single_secret.pk).update(exam_only=True)
    with pytest.raises(ContestError, match=str(single_secret.pk)):
        services.contest_create(actor=host, title="竞赛", question_ids=[single.pk, single_secret.pk])
    # Draw rules never pick a confidential question either.
    with pytest.raises(ContestError):
        services.contest_create(actor=host, title="竞赛", draw_rules=[services.DrawRule(None, "single", 2)])
    contest = services.contest_create(actor=host, title="竞赛", draw_rules=[services.DrawRule(None, "single", 1)])
    assert [cq.question_id for cq in contest.questions.all()] == [single.pk]
    assert len(contest.code) == services.CODE_LENGTH


def test_only_trainers_create():
    officer = h.officer()
    with pytest.raises(PermissionDenied):
        services.contest_create(actor=officer.user, title="竞赛", question_ids=[ef.question("single").pk])


def test_teams_are_squads_and_rejoining_keeps_the_seat():
    contest = h.contest()
    a1, a2, b1 = h.officer("执法一中队"), h.officer("执法一中队"), h.officer("执法二中队")
    seat_a1, created = services.contest_join(contest=contest, officer=a1)
    assert created
    seat_a2, _ = services.contest_join(contest=contest, officer=a2)
    seat_b1, _ = services.contest_join(contest=contest, officer=b1)
    assert seat_a1.team_id == seat_a2.team_id != seat_b1.team_id
    assert seat_a1.team.name == "执法一中队" and seat_b1.team.name == "执法二中队"
    again, created = services.contest_join(contest=contest, officer=a1)
    assert not created and again.pk == seat_a1.pk
    assert Seat.objects.filter(contest=contest).count() == 3


def test_teams_by_top_unit_or_by_own_unit_as_the_host_chooses():
    city_kinds = (Unit.Kind.CITY, Unit.Kind.BUREAU, Unit.Kind.DEPARTMENT, Unit.Kind.SQUAD, Unit.Kind.TEAM)
    one = unit_ensure_path(path="某市城管委/测试区城管局/第一大队/执法一中队/一分队", kinds=city_kinds)
    two = unit_ensure_path(path="某市城管委/测试区城管局/第一大队/执法二中队/二分队", kinds=city_kinds)
    office = unit_ensure_path(path="某市城管委/测试区城管局", kinds=city_kinds[:2])
    a, b, chief = OfficerFactory(unit=one), OfficerFactory(unit=two), OfficerFactory(unit=office)

    by_top = h.contest(team_by=Contest.TeamBy.TOP)
    teams = {o: services.contest_join(contest=by_top, officer=o)[0].team.name for o in (a, b, chief)}
    assert teams == {a: "第一大队", b: "第一大队", chief: "测试区城管局"}

    by_unit = h.contest(host=by_top.host, team_by=Contest.TeamBy.UNIT)
    assert services.contest_join(contest=by_unit, officer=a)[0].team.name == "一分队"
    assert services.contest_join(contest=by_unit, officer=b)[0].team.name == "二分队"

    by_squad = h.contest(host=by_top.host)
    assert services.contest_join(contest=by_squad, officer=a)[0].team.name == "执法一中队"


def test_an_unknown_team_rule_is_refused():
    with pytest.raises(ContestError):
        h.contest(team_by="planet")


def test_the_deadline_with_grace_to_the_millisecond():
    contest = h.contest(kinds=("single",))
    seats = [services.contest_join(contest=contest, officer=h.officer())[0] for _ in range(4)]
    cq = h.open_round(contest)
    deadline = cq.closes_at
    ms = dt.timedelta(milliseconds=1)
    # No grace: 1 ms before the deadline counts, 1 ms after does not.
    assert _submit(seats[0], cq, h.right(cq), deadline - ms).accepted
    late = _submit(seats[1], cq, h.right(cq), deadline + ms)
    assert not late.accepted and "时间已过" in late.reason
    # A measured round-trip of 120 ms: the deadline moves by 120 ms for that phone only.
    assert _submit(seats[2], cq, h.right(cq), deadline + 120 * ms - ms, grace=120).accepted
    assert not _submit(seats[3], cq, h.right(cq), deadline + 120 * ms + ms, grace=120).accepted


def test_grace_is_bounded_whatever_the_caller_passes():
    contest = h.contest(kinds=("single",))
    seat, _ = services.contest_join(contest=contest, officer=h.officer())
    cq = h.open_round(contest)
    outcome = _submit(seat, cq, h.right(cq), cq.closes_at + dt.timedelta(milliseconds=301), grace=5000)
    assert not outcome.accepted


def test_answers_during_the_read_time_or_to_another_round_are_refused_with_reasons():
    contest = h.contest(kinds=("single", "true_false"), read_seconds=5)
    seat, _ = services.contest_join(contest=contest, officer=h.officer())
    early = services.answer_submit(seat=seat, position=1, response=["A"], received_at=dt.datetime.now(dt.UTC))
    assert not early.accepted and "尚未出题" in early.reason
    cq = h.open_round(contest)
    reading = _submit(seat, cq, h.right(cq), cq.opens_at - dt.timedelta(milliseconds=1))
    assert not reading.accepted and "读题" in reading.reason
    other = services.answer_submit(seat=seat, position=2, response=True, received_at=h.after_open(cq, 100))
    assert not other.accepted
    bad = _submit(seat, cq, ["Z"], h.after_open(cq, 100))
    assert not bad.accepted and "格式" in bad.reason
    reasons = list(LogEntry.objects.filter(event=LogEntry.Event.REFUSED).values_list("reason", flat=True))
    assert len(reasons) == 4 and all(reasons)
    assert not Answer.objects.exists()


def test_answers_to_a_closed_round_are_refused():
    contest = h.contest(kinds=("single", "true_false"))
    seat, _ = services.contest_join(contest=contest, officer=h.officer())
    cq = h.open_round(contest)
    services.question_close(contest=contest, actor=contest.host, now=h.after_due(cq))
    outcome = _submit(seat, cq, h.right(cq), h.after_open(cq, 100))  # even with an in-time receipt stamp
    assert not outcome.accepted and "已收题" in outcome.reason
    assert not Answer.objects.exists()


def test_double_answers_count_once():
    contest = h.contest(kinds=("single",))
    seat, _ = services.contest_join(contest=contest, officer=h.officer())
    cq = h.open_round(contest)
    first = _submit(seat, cq, h.right(cq), h.after_open(cq, 1000))
    resent = _submit(seat, cq, h.right(cq), h.after_open(cq, 3000))  # the same answer again after a reconnect
    changed = _submit(seat, cq, h.wrong(cq), h.after_open(cq, 4000))
    assert first.accepted and not first.duplicate
    assert resent.accepted and resent.duplicate and resent.answer.pk == first.answer.pk
    assert not changed.accepted and "只能作答一次" in changed.reason
    assert Answer.objects.filter(seat=seat).count() == 1
    assert Answer.objects.get(seat=seat).received_at == h.after_open(cq, 1000)


def test_closing_scores_streaks_ranks_and_is_idempotent():
    contest = h.contest(kinds=("single", "true_false", "single"), streak_bonus=10, scoring_mode="fixed")
    fast, slow, idle = (services.contest_join(contest=contest, officer=h.officer())[0] for _ in range(3))
    totals = []
    for _round in range(3):
        contest.refresh_from_db()
        now = (
            contest.questions.filter(closed_at__isnull=False)
            .order_by("-position")
            .values_list("closed_at", flat=True)
            .first()
        )
        cq = h.open_round(contest, now=now)
        assert _submit(fast, cq, h.right(cq), h.after_open(cq, 500)).accepted
        assert _submit(slow, cq, h.right(cq) if _round != 1 else h.wrong(cq), h.after_open(cq, 9000)).accepted
        with pytest.raises(ContestError):  # not before the deadline plus the largest grace
            services.question_close(contest=contest, actor=contest.host, now=cq.closes_at)
        result = services.question_close(contest=contest, actor=contest.host, now=h.after_due(cq))
        assert result is not None
        assert services.question_close(contest=contest, actor=contest.host, now=h.after_due(cq)) is None
        totals.append({s.pk: (s.score, s.streak, s.rank) for s in result.seats})
    # fixed 100 per correct; bonus 10 × (streak − 1)
    assert totals[0][fast.pk] == (100, 1, 1) and totals[0][slow.pk][0] == 100 and totals[0][slow.pk][2] == 2
    assert totals[1][fast.pk] == (210, 2, 1) and totals[1][slow.pk] == (100, 0, 2)
    assert totals[2][fast.pk] == (330, 3, 1) and totals[2][slow.pk] == (200, 1, 2)
    assert totals[2][idle.pk] == (0, 0, 3)
    fast.refresh_from_db()
    assert fast.best_streak == 3 and fast.correct_count == 3


def test_only_the_host_drives():
    contest = h.contest(kinds=("single",))
    other_trainer = h.trainer("trainer-other")
    with pytest.raises(ContestError):
        services.question_next(contest=contest, actor=other_trainer)
    cq = h.open_round(contest)
    with pytest.raises(ContestError):
        services.question_close(contest=contest, actor=other_trainer, now=h.after_due(cq))
    with pytest.raises(ContestError):
        services.contest_finish(contest=contest, actor=other_trainer)


def test_next_needs_the_round_closed_and_freezes_content_at_start():
    contest = h.contest(kinds=("single", "true_false"))
    assert all(cq.content is None for cq in contest.questions.all())
    cq = h.open_round(contest)
    assert all(c.content for c in contest.questions.all())
    with pytest.raises(ContestError, match="收题"):
        services.question_next(contest=contest, actor=contest.host)
    with pytest.raises(ContestError, match="收题"):
        services.contest_finish(contest=contest, actor=contest.host)
    services.question_close(contest=contest, actor=contest.host, now=h.after_due(cq))
    second = services.question_next(contest=contest, actor=contest.host, now=h.after_due(cq))
    services.question_close(contest=contest, actor=None, now=h.after_due(second))
    with pytest.raises(ContestError, match="最后一题"):
        services.question_next(contest=contest, actor=contest.host)
    finished = services.contest_finish(contest=contest, actor=contest.host)
    assert finished.status == Contest.Status.FINISHED


def test_the_timer_closes_overdue_rounds():
    contest = h.contest(kinds=("single",))
    seat, _ = services.contest_join(contest=contest, officer=h.officer())
    cq = h.open_round(contest)
    _submit(seat, cq, h.right(cq), h.after_open(cq, 100))
    assert services.close_overdue(now=cq.closes_at) == []
    results = services.close_overdue(now=h.after_due(cq))
    assert len(results) == 1 and results[0].seats[0].score > 0
    assert services.close_overdue(now=h.after_due(cq)) == []


def test_linear_points_use_the_server_time_less_the_grace():
    contest = h.contest(kinds=("single",), scoring_mode="linear", max_points=100, floor_points=50)
    seat, _ = services.contest_join(contest=contest, officer=h.officer())
    cq = h.open_round(contest)
    outcome = _submit(seat, cq, h.right(cq), h.after_open(cq, 10_100), grace=100)
    assert outcome.answer.elapsed_ms == 10_000 and outcome.answer.points == 75


def test_the_log_is_append_only():
    contest = h.contest(kinds=("single",))
    services.contest_join(contest=contest, officer=h.officer())
    entry = LogEntry.objects.first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.all().delete()


def test_the_housekeeping_job_closes_and_reports():
    from contest.jobs import close_overdue_rounds
    from org.housekeeping import jobs

    assert "contest_close_overdue" in {job.name for job in jobs()}
    contest = h.contest(kinds=("single",), seconds_per_question=5, read_seconds=0)
    cq = h.open_round(contest, now=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=10))
    assert close_overdue_rounds() == 1
    cq.refresh_from_db()
    assert cq.closed_at is not None
    assert close_overdue_rounds() == 0


def test_finishing_credits_study_hours_to_participants_exactly_once():
    from learning import selectors as learning_selectors
    from learning.models import CreditEntry

    category = next(iter(learning_selectors.categories()))
    with pytest.raises(ContestError):
        h.contest(kinds=("single",), credit_hours=2)  # hours without a category
    contest = h.contest(kinds=("single",), credit_hours=Decimal("1.5"), credit_category=category)
    answered, idle = (services.contest_join(contest=contest, officer=h.officer())[0] for _ in range(2))
    cq = h.open_round(contest)
    _submit(answered, cq, h.wrong(cq), h.after_open(cq, 100))  # taking part is enough, right or wrong
    services.question_close(contest=contest, actor=contest.host, now=h.after_due(cq))
    services.contest_finish(contest=contest, actor=contest.host)
    services.contest_finish(contest=contest, actor=contest.host)  # a second click: nothing more
    entries = CreditEntry.objects.filter(source_id=f"contest-{contest.pk}")
    assert [(e.officer_id, e.hours, e.category_id) for e in entries] == [
        (answered.officer_id, Decimal("1.50"), category)
    ]
    assert idle.officer_id not in set(entries.values_list("officer_id", flat=True))
