"""The contract the learning app codes against."""

import pytest

from content import selectors
from content.models import LessonPage

from .conftest import make_course, make_lesson

pytestmark = pytest.mark.django_db


def test_credit_categories_are_seeded_in_order():
    cats = selectors.credit_categories()
    assert ("rule_of_law", "法治教育") in cats
    assert ("business", "业务培训") in cats
    assert cats[0][0] == "rule_of_law"


def test_lesson_study_spec_for_live_lesson(tree, article):
    course = make_course(tree)
    lesson = make_lesson(course, article=article, minutes=25)
    spec = selectors.lesson_study_spec(lesson_id=lesson.pk)
    assert spec is not None
    assert spec.lesson_id == lesson.pk and spec.course_id == course.pk
    assert spec.credited_minutes == 25
    assert spec.credit_category_code == "rule_of_law"
    assert spec.course_year == 2026
    assert spec.has_video is False and spec.video_duration_seconds is None
    assert len(spec.check_questions) == 1
    q = spec.check_questions[0]
    assert q.key == "chk-1" and q.options == ["罚款", "不予处罚", "拘留"] and q.answer_index == 1


def test_lesson_study_spec_none_for_draft_or_missing(tree):
    course = make_course(tree)
    draft = make_lesson(course, publish=False)
    assert selectors.lesson_study_spec(lesson_id=draft.pk) is None
    assert selectors.lesson_study_spec(lesson_id=999999) is None
    # a live lesson under an unpublished course does not count either
    hidden_course = make_course(tree, title="未发布课程", publish=False)
    orphan = make_lesson(hidden_course, title="孤立课时")
    assert LessonPage.objects.get(pk=orphan.pk).live
    assert selectors.lesson_study_spec(lesson_id=orphan.pk) is None


def test_course_lesson_ids_in_order_live_only(tree):
    course = make_course(tree)
    a = make_lesson(course, title="一")
    make_lesson(course, title="二(草稿)", publish=False)
    c = make_lesson(course, title="三")
    assert selectors.course_lesson_ids(course_id=course.pk) == [a.pk, c.pk]
    assert selectors.course_lesson_ids(course_id=999999) == []


def test_courses_published_filters_year_and_reports_audience(tree):
    c26 = make_course(tree, title="2026课程", year=2026)
    make_course(tree, title="2025课程", year=2025, required=False, category="business")
    make_course(tree, title="草稿课程", year=2026, publish=False)
    all_courses = selectors.courses_published()
    assert {c.title for c in all_courses} == {"2026课程", "2025课程"}
    only = selectors.courses_published(year=2026)
    assert [c.course_id for c in only] == [c26.pk]
    summary = only[0]
    assert summary.required is True and summary.credit_category_code == "rule_of_law"
    assert summary.audience_role_codes == ["auxiliary", "enforcer"]
    assert summary.url.startswith("/learn/")
