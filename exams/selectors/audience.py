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


def exams_for_officer(*, officer: Officer, exams: QuerySet[Exam]) -> list[Exam]:
    """Those of `exams` whose audience includes the officer: the same rule as exam_audience_q, evaluated for one
    officer over many exams in three queries (the through tables), not one query per exam."""
    if officer.status != Officer.Status.ACTIVE:
        return []
    exams = list(exams)
    ids = [e.pk for e in exams]
    named = set(
        Exam.officers.through.objects.filter(exam_id__in=ids, officer_id=officer.pk).values_list("exam_id", flat=True)
    )
    unit_paths: dict[int, list[str]] = {}
    for exam_id, path in Exam.units.through.objects.filter(exam_id__in=ids).values_list("exam_id", "unit__path"):
        unit_paths.setdefault(exam_id, []).append(path)
    roles: dict[int, set[int]] = {}
    for exam_id, role_id in Exam.role_categories.through.objects.filter(exam_id__in=ids).values_list(
        "exam_id", "rolecategory_id"
    ):
        roles.setdefault(exam_id, set()).add(role_id)
    officer_path = officer.unit.path if officer.unit_id else ""

    def included(exam: Exam) -> bool:
        if exam.pk in named:
            return True
        paths, role_ids = unit_paths.get(exam.pk), roles.get(exam.pk)
        if not paths and not role_ids:
            return False
        if paths and not any(officer_path.startswith(p) for p in paths):
            return False
        return not role_ids or officer.role_category_id in role_ids

    return [e for e in exams if included(e)]
