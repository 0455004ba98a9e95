"""Who an exam is for: org's one Audience rule over the exam's units, role categories and named officers."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from org.audience import Audience, audiences_of
from org.models import Officer

from ..models import Exam


def exam_audience_spec(exam: Exam) -> Audience:
    return audiences_of([exam])[exam.pk]


def exam_audience(exam: Exam) -> QuerySet[Officer]:
    """Active officers the exam is for."""
    return exam_audience_spec(exam).officers()


def officer_in_audience(*, exam: Exam, officer: Officer) -> bool:
    return officer.status == Officer.Status.ACTIVE and exam_audience_spec(exam).includes(officer)


def exams_for_officer(*, officer: Officer, exams: QuerySet[Exam]) -> list[Exam]:
    """Those of `exams` whose audience includes the officer (three queries for all of them, not one per exam)."""
    if officer.status != Officer.Status.ACTIVE:
        return []
    exams = list(exams)
    audiences = audiences_of(exams)
    return [e for e in exams if audiences[e.pk].includes(officer)]


AUDIENCE_SIZE_TTL = 60  # seconds: the entry page of a city-wide exam is opened thousands of times in a minute


def exam_start_spread_seconds(exam: Exam) -> int:
    """How long the entry page may wait (at random, 0 to this) before its start request: long enough that the
    exam's whole audience arrives at no more than EXAM_STARTS_PER_SECOND (what two cores take with room for the
    autosaves), never shorter than EXAM_START_SPREAD_SECONDS, never longer than EXAM_START_SPREAD_MAX_SECONDS. The
    exam clock starts with the attempt, so the wait costs nobody time. The audience is counted once a minute."""
    floor, ceiling = settings.EXAM_START_SPREAD_SECONDS, settings.EXAM_START_SPREAD_MAX_SECONDS
    rate = settings.EXAM_STARTS_PER_SECOND
    if rate <= 0:
        return floor
    key = f"exams:audience-size:{exam.pk}"
    size = cache.get(key)
    if size is None:
        size = exam_audience(exam).count()
        cache.set(key, size, AUDIENCE_SIZE_TTL)
    return start_spread_for(size, floor=floor, ceiling=ceiling, rate=rate)


def start_spread_for(size: int, *, floor: int, ceiling: int, rate: int) -> int:
    """The entry page's longest wait for an audience of `size` (see exam_start_spread_seconds)."""
    if rate <= 0:
        return floor
    return max(floor, min(ceiling, -(-size // rate)))
