"""Issue #12: a lesson studied for 2.5 minutes showed no progress anywhere (course 0%, 0/3). Show minutes studied
against credited minutes per lesson, on the course page and in 我的学习."""

import pytest
from django.urls import reverse

from learning.models import Enrolment, LessonProgress
from tests.content.conftest import make_course, make_lesson
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 21))


def studied(officer, *, lesson_id, course_id, seconds, minutes=30):
    return LessonProgress.objects.create(
        officer=officer,
        lesson_id=lesson_id,
        course_id=course_id,
        required_seconds=minutes * 60,
        studied_seconds=seconds,
    )


def test_my_learning_shows_minutes_per_lesson_and_time_weighted_percent(client, officer, fake_catalog):
    fake_catalog.add_course(5, title="城市管理执法文书规范", required=True, roles=["enforcer"])
    for lesson_id in (6, 7, 8):
        fake_catalog.add_lesson(lesson_id, 5, minutes=30)
    studied(officer, lesson_id=6, course_id=5, seconds=150)
    client.force_login(officer.user)
    html = client.get(reverse("learning:my")).content.decode()
    assert Enrolment.objects.filter(officer=officer, course_id=5).exists()
    assert "第6课:已学 2.5 / 30 分钟" in html
    assert "第7课:已学 0 / 30 分钟" in html
    assert 'value="2"' in html  # 2.5 of 90 minutes, no longer 0%
    assert "0/3 课时" in html


def test_course_page_shows_each_lessons_progress(client, officer):
    from content import services as content_services

    tree = content_services.content_tree_ensure()
    course = make_course(tree, title="行政处罚法精讲")
    first = make_lesson(course, title="第一讲 首违不罚", minutes=25)
    make_lesson(course, title="第二讲 听证程序", minutes=20)
    studied(officer, lesson_id=first.pk, course_id=course.pk, seconds=150, minutes=25)
    client.force_login(officer.user)
    html = client.get(course.url).content.decode()
    assert 'id="course-progress"' in html
    assert "已学 2.5 / 45 分钟 · 完成 0/2 课时" in html
    assert f'data-lesson-progress="{first.pk}"' in html and "已学 2.5 / 25 分钟" in html
    assert "未开始" in html  # the second lesson

    # Someone without an officer profile reads the course without a progress block.
    client.force_login(UserFactory(username="reader"))
    html = client.get(course.url).content.decode()
    assert course.title in html and 'id="course-progress"' not in html


def test_course_page_counts_a_course_page_in_few_queries(client, officer, django_assert_max_num_queries):
    from content import services as content_services

    tree = content_services.content_tree_ensure()
    course = make_course(tree)
    for i in range(5):
        make_lesson(course, title=f"第{i}讲", minutes=10)
    client.force_login(officer.user)
    client.get(course.url)  # warm caches (site root paths)
    with django_assert_max_num_queries(30):
        html = client.get(course.url).content.decode()
    assert html.count("data-lesson-progress=") == 5
