"""Enrolment in courses: elected by the officer, or by rule (required courses, assignments)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from org.audience import Audience
from org.models import Officer

from .. import catalog
from ..models import (
    Enrolment,
)


def enrolment_elect(*, officer: Officer, course_id: int, year: int | None = None) -> tuple[Enrolment, bool]:
    """The officer chooses an (elective) course. Enrolling twice is harmless."""
    year = year or timezone.localdate().year
    try:
        with transaction.atomic():
            return Enrolment.objects.get_or_create(
                officer=officer, course_id=course_id, defaults={"year": year, "source": Enrolment.Source.ELECTIVE}
            )
    except IntegrityError:
        return Enrolment.objects.get(officer=officer, course_id=course_id), False


@transaction.atomic
def enrolments_sync(*, officer: Officer, year: int | None = None) -> int:
    """Enrol the officer in every required course of the year whose audience includes their role, and in
    every course assigned to their role or unit subtree. Returns how many enrolments were created."""
    from ..models import CourseAssignment

    year = year or timezone.localdate().year
    wanted: set[int] = set()
    for course in catalog.courses_published(year=year):
        if course.required and (
            not course.audience_role_codes or officer.role_category.code in course.audience_role_codes
        ):
            wanted.add(course.course_id)
    for assignment in CourseAssignment.objects.filter(year=year).select_related("unit"):
        audience = Audience.of(
            units=[assignment.unit] if assignment.unit_id else [],
            role_categories=[assignment.role_category_id] if assignment.role_category_id else [],
            everyone_when_unset=True,
        )
        if audience.includes(officer):
            wanted.add(assignment.course_id)
    have = set(Enrolment.objects.filter(officer=officer, course_id__in=wanted).values_list("course_id", flat=True))
    new = [Enrolment(officer=officer, course_id=c, year=year, source=Enrolment.Source.RULE) for c in wanted - have]
    Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
