"""PostgreSQL: two answers from one officer to one round at the same moment (two phones, or a resend racing the
original) give one answer; an answer racing the round's close is either in the result or refused, never lost;
the database refuses changes to the log."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from contest import services
from contest.models import Answer, LogEntry, Seat
from tests.concurrency import run_together

from . import helpers as h

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_answers_from_one_officer_at_once_count_once(postgres_only):
    contest = h.contest(kinds=("single",))
    seat, _ = services.contest_join(contest=contest, officer=h.officer())
    cq = h.open_round(contest)
    for attempt in range(5):  # several rounds of the race: each must end with exactly one answer
        Answer.objects.filter(seat=seat).delete()
        responses = (h.right(cq), h.wrong(cq))
        results, errors = run_together(
            *(
                lambda r=r, attempt=attempt: services.answer_submit(
                    seat=Seat.objects.get(pk=seat.pk),
                    position=1,
                    response=r,
                    received_at=h.after_open(cq, 1000 + attempt),
                )
                for r in responses
            )
        )
        assert not errors, errors
        assert Answer.objects.filter(seat=seat).count() == 1
        assert sorted(o.accepted for o in results) == [False, True]
        refused = next(o for o in results if not o.accepted)
        assert "只能作答一次" in refused.reason


def test_an_answer_racing_the_close_is_scored_or_refused_never_lost(postgres_only):
    contest = h.contest(kinds=("single",))
    seats = [services.contest_join(contest=contest, officer=h.officer())[0] for _ in range(6)]
    cq = h.open_round(contest)
    due = h.after_due(cq)
    calls = [
        lambda s=s: services.answer_submit(
            seat=Seat.objects.get(pk=s.pk), position=1, response=h.right(cq), received_at=cq.closes_at
        )
        for s in seats
    ]
    calls.append(lambda: services.question_close(contest=contest, actor=contest.host, now=due))
    results, errors = run_together(*calls)
    assert not errors, errors
    scored = {s.pk for s in Seat.objects.filter(contest=contest, score__gt=0)}
    answered = set(Answer.objects.filter(contest_question=cq).values_list("seat_id", flat=True))
    assert scored == answered  # every stored answer is in the scores; the refused ones were told why
    refused = LogEntry.objects.filter(event=LogEntry.Event.REFUSED).count()
    assert len(answered) + refused == len(seats)


def test_database_refuses_changes_to_the_log(postgres_only):
    contest = h.contest(kinds=("single",))
    services.contest_join(contest=contest, officer=h.officer())
    entry = LogEntry.objects.get()
    for sql in ("UPDATE contest_logentry SET reason = 'x' WHERE id = %s", "DELETE FROM contest_logentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
