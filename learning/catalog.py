"""The one door to content's study contract (content.selectors). Views and services of learning ask here,
never content's models. Tests replace these functions with doubles."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckQuestion:
    key: str
    prompt: str
    options: list[str]
    answer_index: int


@dataclass(frozen=True)
class LessonStudySpec:
    lesson_id: int
    course_id: int
    title: str
    credited_minutes: int
    credit_category_code: str
    course_year: int
    has_video: bool = False
    video_duration_seconds: int | None = None
    check_questions: list[CheckQuestion] = field(default_factory=list)


@dataclass(frozen=True)
class CourseSummary:
    course_id: int
    title: str
    year: int
    required: bool
    credit_category_code: str
    audience_role_codes: list[str]
    url: str


def _content():
    try:
        from content import selectors
    except ImportError:  # content's contract not there yet
        return None
    return selectors


def lesson_study_spec(*, lesson_id: int):
    content = _content()
    return content.lesson_study_spec(lesson_id=lesson_id) if content else None


def course_lesson_ids(*, course_id: int) -> list[int]:
    content = _content()
    return list(content.course_lesson_ids(course_id=course_id)) if content else []


def courses_published(*, year: int | None = None) -> list:
    content = _content()
    return list(content.courses_published(year=year)) if content else []


def credit_categories() -> list[tuple[str, str]]:
    content = _content()
    if content is None or not hasattr(content, "credit_categories"):
        return []
    return list(content.credit_categories())
