"""Who an exam is for: officers of its unit subtrees AND of its role categories (empty = any), plus the named
officers. With neither units nor role categories only the named officers take part."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from org.models import Officer

from ..models import Exam


def exam_audience_q(exam: Exam) -> Q:
    units = list(exam.units.all())
    role_ids = list(exam.role_categories.values_list("pk", flat=True))
    named = Q(pk__in=exam.officers.values_list("pk", flat=True))
    if not units and not role_ids:
        return named
    group = Q()
    if units:
        subtree = Q()
        for unit in units:
            subtree |= Q(unit__path__startswith=unit.path)
        group &= subtree
    if role_ids:
        group &= Q(role_category_id__in=role_ids)
    return group | named


def exam_audience(exam: Exam) -> QuerySet[Officer]:
    """Active officers the exam is for."""
    return Officer.objects.filter(exam_audience_q(exam), status=Officer.Status.ACTIVE)


def officer_in_audience(*, exam: Exam, officer: Officer) -> bool:
    return exam_audience(exam).filter(pk=officer.pk).exists()
