"""The wrong-answer book rule (错题本): wrong opens, two right in a row clears, a later wrong opens anew."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from exams.models import WrongBookEntry
from exams.services.practice import wrong_book_record, wrong_book_record_many
from tests.exams import factories as xf
from tests.factories import OfficerFactory, RoleCategoryFactory

pytestmark = pytest.mark.django_db


def _at(minutes: int) -> dt.datetime:
    return timezone.now().replace(microsecond=0) + dt.timedelta(minutes=minutes)


def _record(officer, question, correct, minute, source="practice"):
    return wrong_book_record(officer=officer, question=question, correct=correct, now=_at(minute), source=source)


def test_right_answer_without_an_entry_changes_nothing(officer):
    q = xf.question("single")
    assert _record(officer, q, True, 0) is None
    assert not WrongBookEntry.objects.exists()


def test_wrong_opens_an_entry_and_more_wrongs_count_on_it(officer):
    q = xf.question("single")
    entry = _record(officer, q, False, 0)
    assert (entry.wrong_count, entry.streak, entry.cleared_at, entry.source) == (1, 0, None, "practice")
    assert entry.added_at == entry.last_wrong_at == _at(0)
    again = _record(officer, q, False, 5, source="exam")
    assert again.pk == entry.pk
    again.refresh_from_db()
    assert (again.wrong_count, again.streak, again.last_wrong_at, again.added_at) == (2, 0, _at(5), _at(0))
    assert WrongBookEntry.objects.count() == 1


def test_wrong_right_wrong_right_right(officer):
    q = xf.question("true_false")
    entry = _record(officer, q, False, 0)
    _record(officer, q, True, 1)
    entry.refresh_from_db()
    assert (entry.streak, entry.cleared_at) == (1, None)
    _record(officer, q, False, 2)  # the streak is broken
    entry.refresh_from_db()
    assert (entry.wrong_count, entry.streak, entry.cleared_at) == (2, 0, None)
    _record(officer, q, True, 3)
    entry.refresh_from_db()
    assert (entry.streak, entry.cleared_at) == (1, None)
    _record(officer, q, True, 4)
    entry.refresh_from_db()
    assert (entry.streak, entry.cleared_at) == (2, _at(4))
    assert not WrongBookEntry.objects.filter(officer=officer, cleared_at__isnull=True).exists()
    # Further right answers touch nothing; a later wrong opens a NEW entry and keeps the history.
    assert _record(officer, q, True, 5) is None
    fresh = _record(officer, q, False, 6, source="exam")
    assert fresh.pk != entry.pk
    assert (fresh.wrong_count, fresh.streak, fresh.source, fresh.added_at) == (1, 0, "exam", _at(6))
    assert WrongBookEntry.objects.filter(officer=officer, question=q).count() == 2


def test_the_book_is_per_officer_and_per_question(officer):
    other = OfficerFactory()
    q1, q2 = xf.question("single"), xf.question("blank")
    _record(officer, q1, False, 0)
    _record(other, q1, True, 1)
    _record(other, q1, True, 2)
    _record(officer, q2, True, 3)
    assert list(WrongBookEntry.objects.values_list("officer_id", "question_id", "cleared_at")) == [
        (officer.pk, q1.pk, None)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_answers_open_one_entry():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite has no row locks")
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    q = xf.question("single")
    n = 6
    barrier = threading.Barrier(n)
    errors: list[Exception] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            wrong_book_record(officer=officer, question=q, correct=False, now=_at(i))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    entries = list(WrongBookEntry.objects.filter(officer=officer, question=q))
    assert len(entries) == 1
    assert entries[0].wrong_count == n


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_right_answers_count_each_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite has no row locks")
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    q = xf.question("single")
    entry = wrong_book_record(officer=officer, question=q, correct=False, now=_at(0))
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            wrong_book_record(officer=officer, question=q, correct=True, now=_at(i + 1))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    entry.refresh_from_db()
    assert entry.streak == 2
    assert entry.cleared_at is not None


def _book(officer):
    return sorted(
        WrongBookEntry.objects.filter(officer=officer).values_list(
            "question_id", "wrong_count", "streak", "last_wrong_at", "cleared_at", "source"
        ),
        key=lambda row: (row[0], row[4] is None, row[4]),
    )


def test_many_at_once_applies_the_same_rule_as_one_by_one(db):
    """An exam's objective items (grading) in one call: every case of the rule, against the one-by-one book."""
    role = RoleCategoryFactory()
    one_by_one, at_once = OfficerFactory(role_category=role), OfficerFactory(role_category=role)
    questions = [xf.question("single") for _ in range(6)]
    for officer in (one_by_one, at_once):
        _record(officer, questions[1], False, 0)  # open, streak 0
        _record(officer, questions[2], False, 0)  # open, streak 1: the next right clears it
        _record(officer, questions[2], True, 1)
        _record(officer, questions[3], False, 0)  # cleared earlier: a wrong opens a new one
        _record(officer, questions[3], True, 1)
        _record(officer, questions[3], True, 2)
    # q0 right without entry, q1 wrong again, q2 right (clears), q3 wrong (new entry), q4 wrong (new), q5 right
    answers = list(zip(questions, [True, False, True, False, False, True], strict=True))
    for question, correct in answers:
        _record(one_by_one, question, correct, 10, source="exam")
    wrong_book_record_many(officer=at_once, answers=answers, now=_at(10), source="exam")
    expected = [row[1:] for row in _book(one_by_one)]
    assert [row[1:] for row in _book(at_once)] == expected
    assert len(expected) == 5  # q1 open, q2 cleared, q3 cleared + a new one open, q4 new open
