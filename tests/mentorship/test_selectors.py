"""The interface reports uses (pairs_frame, year_counts) and the reminders, each sent once."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship import reminders, selectors, services
from mentorship.models import Pair, ReminderLog
from org.models import Officer
from org.units import subtree_q
from tests.certification.factories import certificate

from .conftest import TODAY


def _published(w):
    services.match_run(programme=w.programme, actor=w.hr, today=TODAY)
    services.programme_publish(programme=w.programme, actor=w.hr, today=TODAY)
    return {p.mentee_id: p for p in Pair.objects.filter(programme=w.programme)}


def test_pairs_frame_and_year_counts(mworld):
    w = mworld
    services.match_run(programme=w.programme, actor=w.hr, today=TODAY)
    assert selectors.pairs_frame(year=2026).empty  # proposals are not pairs yet
    assert selectors.year_counts(year=2026) == {
        "pairs_formed": 0,
        "pairs_completed": 0,
        "completion_rate": None,
        "mentees_certified": 0,
    }
    services.programme_publish(programme=w.programme, actor=w.hr, today=TODAY)
    pairs = {p.mentee_id: p for p in Pair.objects.filter(programme=w.programme)}
    services.pair_end(pair=pairs[w.n1.pk], actor=w.hr, completed=True, today=dt.date(2026, 11, 1))
    services.pair_end(pair=pairs[w.n2.pk], actor=w.hr, completed=False, reason="调岗", today=dt.date(2026, 6, 1))
    certificate(w.n1, issued_on=dt.date(2026, 10, 1))  # after the pair started: counts
    certificate(w.n3, issued_on=dt.date(2025, 1, 1))  # before: does not
    with CaptureQueriesContext(connection) as queries:
        frame = selectors.pairs_frame(year=2026)
    assert len(queries) <= 4
    assert list(frame.columns) == [
        "pair_id",
        "programme_id",
        "mentee_id",
        "mentor_id",
        "state",
        "started_on",
        "ended_on",
        "mentee_certified",
    ]
    rows = {r.mentee_id: r for r in frame.itertuples()}
    assert rows[w.n1.pk].state == "completed" and rows[w.n1.pk].ended_on == dt.date(2026, 11, 1)
    assert rows[w.n3.pk].state == "active" and rows[w.n3.pk].ended_on is None
    assert rows[w.n1.pk].started_on == TODAY
    assert [bool(rows[m].mentee_certified) for m in (w.n1.pk, w.n2.pk, w.n3.pk)] == [True, False, False]
    assert selectors.year_counts(year=2026) == {
        "pairs_formed": 3,
        "pairs_completed": 1,
        "completion_rate": 0.5,
        "mentees_certified": 1,
    }
    squad2 = Officer.objects.filter(subtree_q([w.squad2]))
    assert selectors.year_counts(year=2026, officers=squad2)["pairs_formed"] == 1
    assert selectors.year_counts(year=2025)["pairs_formed"] == 0


def test_quiet_pair_reminds_both_then_the_leader_once_each(mworld):
    w = mworld
    pair = _published(w)[w.n1.pk]
    assert reminders.reminders_run(today=TODAY + dt.timedelta(days=20)).sent == 0  # 3 weeks not reached
    first = reminders.reminders_run(today=TODAY + dt.timedelta(days=21))
    assert first.sent == 6  # mentee and mentor of each of the three pairs
    assert reminders.reminders_run(today=TODAY + dt.timedelta(days=22)).sent == 0  # once
    later = reminders.reminders_run(today=TODAY + dt.timedelta(days=42))
    # after twice the quiet weeks: the unit leader of 一中队 for its two pairs, nobody for 二中队 (no leader)
    assert later.sent == 2
    assert set(ReminderLog.objects.filter(key__contains=":leader:").values_list("user_id", flat=True)) == {
        w.leader.user_id
    }
    assert reminders.reminders_run(today=TODAY + dt.timedelta(days=43)).sent == 0
    # a confirmed meeting starts a new quiet spell
    c = services.checkin_log(
        pair=pair,
        actor=w.n1.user,
        met_on=TODAY + dt.timedelta(days=43),
        minutes=60,
        topic="复盘",
        today=TODAY + dt.timedelta(days=43),
    )
    services.checkin_confirm(checkin=c, actor=w.v1.user)
    assert reminders.reminders_run(today=TODAY + dt.timedelta(days=50)).sent == 0
    assert reminders.reminders_run(today=TODAY + dt.timedelta(days=64)).sent == 2
