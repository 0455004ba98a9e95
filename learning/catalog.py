"""The one door to content's study contract (content.selectors). Views and services of learning ask here,
never content's models. Tests replace these functions with doubles.

The contract's value types (CheckQuestion, LessonStudySpec, CourseSummary) are content's own dataclasses,
re-exported here so learning code and test doubles speak exactly the contract's types."""

from __future__ import annotations

from content import selectors as content
from content.selectors import CheckQuestion, CourseSummary, LessonBrief, LessonStudySpec

__all__ = [
    "CheckQuestion",
    "CourseSummary",
    "LessonBrief",
    "LessonStudySpec",
    "course_lesson_ids",
    "course_lessons",
    "courses_published",
    "credit_categories",
    "lesson_study_spec",
]


def lesson_study_spec(*, lesson_id: int) -> LessonStudySpec | None:
    return content.lesson_study_spec(lesson_id=lesson_id)


def course_lesson_ids(*, course_id: int) -> list[int]:
    return list(content.course_lesson_ids(course_id=course_id))


def course_lessons(*, course_id: int) -> list[LessonBrief]:
    return list(content.course_lessons(course_id=course_id))


def courses_published(*, year: int | None = None) -> list[CourseSummary]:
    return list(content.courses_published(year=year))


def credit_categories() -> list[tuple[str, str]]:
    """(code, name) of every credit category in display order: content's table, the only one there is."""
    return list(content.credit_categories())
