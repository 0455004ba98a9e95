"""Fixtures of the learning tests: a content double that speaks content.selectors' contract (courses and lessons;
credit categories are the real content rows, seeded by content's and learning's migrations), staff users."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from content.selectors import CheckQuestion, CourseSummary, LessonBrief, LessonStudySpec
from learning import catalog
from org.models import RoleCategory, RoleGrant
from tests.factories import OfficerFactory, UserFactory, grant, unit

T0 = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


class FakeCatalog:
    """Courses and lessons as content.selectors would report them."""

    def __init__(self):
        self.lessons: dict[int, LessonStudySpec] = {}
        self.courses: dict[int, CourseSummary] = {}

    def add_course(self, course_id, *, title="行政处罚法精讲", category="rule_of_law", required=True, roles=(), year=2026):
        self.courses[course_id] = CourseSummary(
            course_id=course_id, title=title, year=year, required=required, credit_category_code=category,
            audience_role_codes=list(roles), url=f"/learn/course-{course_id}/",
        )

    def add_lesson(self, lesson_id, course_id, *, minutes=10, checks=1, video=None):
        course = self.courses[course_id]
        questions = [
            CheckQuestion(key=f"q{lesson_id}-{i}", prompt="行政处罚的设定须有什么依据?", options=["法律、法规、规章", "领导批示", "群众举报"], answer_index=0)
            for i in range(checks)
        ]
        self.lessons[lesson_id] = LessonStudySpec(
            lesson_id=lesson_id, course_id=course_id, title=f"第{lesson_id}课", credited_minutes=minutes,
            credit_category_code=course.credit_category_code, course_year=course.year, has_video=video is not None,
            video_duration_seconds=video, check_questions=questions,
        )

    def lesson_study_spec(self, *, lesson_id):
        return self.lessons.get(lesson_id)

    def course_lesson_ids(self, *, course_id):
        return [lesson.lesson_id for lesson in self.lessons.values() if lesson.course_id == course_id]

    def course_lessons(self, *, course_id):
        return [
            LessonBrief(lesson_id=lesson.lesson_id, title=lesson.title, credited_minutes=lesson.credited_minutes)
            for lesson in self.lessons.values()
            if lesson.course_id == course_id
        ]

    def courses_published(self, *, year=None):
        return [c for c in self.courses.values() if year is None or c.year == year]


@pytest.fixture
def fake_catalog(monkeypatch):
    fake = FakeCatalog()
    for name in ("lesson_study_spec", "course_lesson_ids", "course_lessons", "courses_published"):
        monkeypatch.setattr(catalog, name, getattr(fake, name))
    return fake


@pytest.fixture
def now():
    return T0


@pytest.fixture
def roles(db):
    return {c.code: c for c in RoleCategory.objects.all()}


@pytest.fixture
def squad1(db):
    return unit("测试区城管局/执法一中队")


@pytest.fixture
def squad2(db):
    return unit("测试区城管局/执法二中队")


@pytest.fixture
def officer_in_squad2(db, squad2):
    return OfficerFactory(unit=unit("测试区城管局/执法二中队/一分队"))


@pytest.fixture
def leader(db, squad1):
    user = UserFactory(username="leader-sq1")
    grant(user, RoleGrant.Role.UNIT_LEADER, squad1)
    return user


@pytest.fixture
def hr(db, mfa_user):
    user = UserFactory(username="hr-user")
    grant(user, RoleGrant.Role.HR)
    return mfa_user(user)


@pytest.fixture
def trainer(db):
    user = UserFactory(username="trainer-user")
    grant(user, RoleGrant.Role.TRAINER)
    return user


def aware(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))
