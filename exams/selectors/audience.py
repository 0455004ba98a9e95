"""Who an exam is for: org's one Audience rule over the exam's units, role categories and named officers."""

from __future__ import annotations

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
