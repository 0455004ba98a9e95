"""Practice (刷题) and the wrong-answer book (错题本).

- `wrong_book_record` is THE rule of the book, for practice answers and (called by grading) exam answers:
  a wrong answer opens an entry, or, when one is open, counts one more wrong and resets the streak; a right
  answer to a question with an open entry adds to the streak, and at two right in a row the entry is cleared.
  A wrong answer after that opens a new entry. At most one open entry per officer and question (the partial
  unique constraint `wrongbook_one_open`), also when two answers race.
- `wrong_book_record_many` applies the same rule to a graded exam's objective items at once.
- `practice_answer` grades one practice answer against the question's current version, stores it
  (PracticeAnswer) and applies the book rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from org.models import Officer

from .. import grading
from ..models import PracticeAnswer, Question, QuestionVersion, WrongBookEntry

CLEAR_AFTER_RIGHT_IN_A_ROW = 2


class PracticeRefused(Exception):
    """A practice action that is not allowed; str(exc) is a Chinese message for the officer."""


def _open_entry_locked(*, officer: Officer, question: Question) -> WrongBookEntry | None:
    return (
        WrongBookEntry.objects.select_for_update()
        .filter(officer=officer, question=question, cleared_at__isnull=True)
        .first()
    )


@transaction.atomic
def wrong_book_record(
    *, officer: Officer, question: Question, correct: bool, now: dt.datetime, source: str = "practice"
) -> WrongBookEntry | None:
    """Apply one answer (right or wrong) to the officer's wrong-answer book. Returns the open or just-cleared
    entry, or None when a right answer met no open entry."""
    entry = _open_entry_locked(officer=officer, question=question)
    if entry is None:
        if correct:
            return None
        try:
            with transaction.atomic():
                return WrongBookEntry.objects.create(
                    officer=officer,
                    question=question,
                    added_at=now,
                    last_wrong_at=now,
                    wrong_count=1,
                    streak=0,
                    source=source,
                )
        except IntegrityError:
            # Another answer opened the entry meanwhile (wrongbook_one_open): count this wrong on it.
            entry = _open_entry_locked(officer=officer, question=question)
            if entry is None:  # pragma: no cover - the racing entry cannot be cleared by a wrong answer
                raise
    if correct:
        entry.streak += 1
        fields = ["streak"]
        if entry.streak >= CLEAR_AFTER_RIGHT_IN_A_ROW:
            entry.cleared_at = now
            fields.append("cleared_at")
        entry.save(update_fields=fields)
        return entry
    entry.wrong_count += 1
    entry.streak = 0
    entry.last_wrong_at = now
    entry.save(update_fields=["wrong_count", "streak", "last_wrong_at"])
    return entry


@transaction.atomic
def wrong_book_record_many(
    *, officer: Officer, answers: list[tuple[Question, bool]], now: dt.datetime, source: str = "exam"
) -> None:
    """`wrong_book_record` for the objective items of one graded attempt, (question, correct) each: the same
    rule in a few statements (one locked read of the open entries, one bulk update, one bulk insert) instead of
    five per question; submit is exam day's most expensive request."""
    questions = [q.pk for q, _correct in answers]
    if len(set(questions)) != len(questions):  # the same question twice: its answers apply in order
        for question, correct in answers:
            wrong_book_record(officer=officer, question=question, correct=correct, now=now, source=source)
        return
    open_entries = {
        e.question_id: e
        for e in WrongBookEntry.objects.select_for_update().filter(
            officer=officer, question_id__in=questions, cleared_at__isnull=True
        )
    }
    opened, changed = [], []
    for question, correct in answers:
        entry = open_entries.get(question.pk)
        if entry is None:
            if not correct:
                opened.append(
                    WrongBookEntry(
                        officer=officer,
                        question=question,
                        added_at=now,
                        last_wrong_at=now,
                        wrong_count=1,
                        streak=0,
                        source=source,
                    )
                )
        elif correct:
            entry.streak += 1
            if entry.streak >= CLEAR_AFTER_RIGHT_IN_A_ROW:
                entry.cleared_at = now
            changed.append(entry)
        else:
            entry.wrong_count += 1
            entry.streak = 0
            entry.last_wrong_at = now
            changed.append(entry)
    if changed:
        WrongBookEntry.objects.bulk_update(changed, ["wrong_count", "streak", "last_wrong_at", "cleared_at"])
    if opened:
        try:
            with transaction.atomic():
                WrongBookEntry.objects.bulk_create(opened)
        except IntegrityError:
            # A practice answer opened one of these meanwhile (wrongbook_one_open): one by one, by the rule.
            for entry in opened:
                wrong_book_record(officer=officer, question=entry.question, correct=False, now=now, source=source)


@dataclass(frozen=True)
class PracticeFeedback:
    """What the officer sees after answering: the verdict, the key, the 解析 and the cited law articles."""

    answer: PracticeAnswer
    correct: bool
    score: Decimal
    max_score: Decimal
    content: dict
    entry: WrongBookEntry | None

    @property
    def cleared(self) -> bool:
        return bool(self.entry and self.entry.cleared_at)


def question_current_version(question: Question) -> QuestionVersion:
    version = question.versions.order_by("-number").first()
    if version is None:
        raise PracticeRefused(_("该题暂无可用版本。"))
    return version


@transaction.atomic
def practice_answer(
    *,
    officer: Officer,
    question: Question,
    response: object,
    now: dt.datetime,
    self_assessed: bool | None = None,
) -> PracticeFeedback:
    """Grade one practice answer with exams.grading.score on the question's current version content (full
    points = right), store it and apply the wrong-answer book rule. Case-analysis questions are self-checked:
    the officer compares their answer with the rubric and says whether they got it (`self_assessed`)."""
    if question.status != Question.Status.ACTIVE:
        raise PracticeRefused(_("该题已停用,不能练习。"))
    if question.exam_only:
        raise PracticeRefused(_("该题为考试保密题,不能练习。"))
    version = question_current_version(question)
    content = version.content
    top = grading.max_score(content)
    if grading.is_auto_gradable(content):
        got = grading.score(content, response)
        correct = got >= top
    else:
        if self_assessed is None:
            raise PracticeRefused(_("案例分析题请对照评分要点自评。"))
        correct = bool(self_assessed)
        got = top if correct else Decimal("0.00")
    answer = PracticeAnswer.objects.create(
        officer=officer, question=question, version=version, response=response, correct=correct, answered_at=now
    )
    entry = wrong_book_record(officer=officer, question=question, correct=correct, now=now, source="practice")
    return PracticeFeedback(answer=answer, correct=correct, score=got, max_score=top, content=content, entry=entry)
