"""The server decides what counts as study: gaps, caps, hidden pages, parallel tabs, checks, video."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from learning import selectors, services
from learning.models import CreditEntry, Enrolment, LessonProgress
from tests.factories import OfficerFactory, UserFactory

from .conftest import T0


@pytest.fixture
def course(fake_catalog, settings):
    settings.LEARNING_MAX_GAP_SECONDS = 40
    settings.LEARNING_SECONDS_PER_MINUTE = 60
    settings.LEARNING_CHECK_EVERY_SECONDS = (10_000, 10_000)  # one check per lesson in these tests
    fake_catalog.add_course(100, category="rule_of_law")
    fake_catalog.add_lesson(101, 100, minutes=2, checks=1)
    fake_catalog.add_lesson(102, 100, minutes=1, checks=0)
    return fake_catalog


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def start(officer, lesson_id=101, t=0, takeover=False, check_at=None):
    result = services.study_start(officer=officer, lesson_id=lesson_id, now=at(t), takeover=takeover)
    if check_at is not None or result.progress.checks_required:
        LessonProgress.objects.filter(pk=result.progress.pk).update(next_check_at=check_at)
    return result


def beat(officer, session, t, **kw):
    return services.study_heartbeat(officer=officer, token=session.token, now=at(t), **kw)


def studied(officer, lesson_id=101):
    return LessonProgress.objects.get(officer=officer, lesson_id=lesson_id).studied_seconds


def test_heartbeats_count_wall_time_between_beats(officer, course):
    s = start(officer).session
    assert beat(officer, s, 15)["counted"] == 15
    assert beat(officer, s, 30.5)["counted"] == 15
    assert beat(officer, s, 45)["counted"] == 15  # the half second carried over
    assert studied(officer) == 45


def test_a_gap_longer_than_the_limit_is_not_study(officer, course):
    s = start(officer).session
    beat(officer, s, 15)
    result = beat(officer, s, 15 + 41)  # page hidden: no beats for 41 s
    assert result["status"] == "gap" and result["counted"] == 0
    assert beat(officer, s, 15 + 41 + 10)["counted"] == 10  # counting resumes from the late beat
    assert studied(officer) == 25


def test_hidden_or_idle_page_reports_do_not_count(officer, course):
    s = start(officer).session
    assert beat(officer, s, 15, visible=False)["status"] == "idle"
    assert beat(officer, s, 30, active=False)["counted"] == 0
    assert studied(officer) == 0


def test_no_heartbeat_no_time(officer, course):
    start(officer)
    assert studied(officer) == 0


def test_credit_is_capped_at_the_declared_minutes(officer, course):
    s = start(officer, lesson_id=102).session  # 1 minute, no checks
    for t in range(15, 200, 15):
        beat(officer, s, t)
    progress = LessonProgress.objects.get(officer=officer, lesson_id=102)
    assert progress.studied_seconds == 60
    assert progress.completed_at is not None
    assert beat(officer, s, 210)["status"] == "cap"


def test_second_tab_is_refused_while_the_first_is_studying(officer, course):
    first = start(officer).session
    beat(officer, first, 15)
    second = start(officer, t=20)
    assert second.status == "busy" and second.session is None
    beat(officer, first, 30)
    assert studied(officer) == 30


def test_takeover_stops_the_first_tab(officer, course):
    first = start(officer).session
    beat(officer, first, 15)
    second = start(officer, t=20, takeover=True).session
    assert beat(officer, first, 30)["status"] == "superseded"
    assert beat(officer, second, 35)["counted"] == 15
    assert studied(officer) == 30


def test_a_stale_session_does_not_block_a_new_tab(officer, course):
    first = start(officer).session
    beat(officer, first, 15)
    assert start(officer, t=15 + 41).status == "ok"


def test_a_token_of_another_officer_counts_nothing(officer, course):
    s = start(officer).session
    other = OfficerFactory()
    assert services.study_heartbeat(officer=other, token=s.token, now=at(15))["status"] == "unknown"
    assert studied(officer) == 0


def test_a_due_check_pauses_the_clock_until_answered_correctly(officer, course):
    s = start(officer, check_at=20).session
    beat(officer, s, 15)
    result = beat(officer, s, 30)
    assert result["counted"] == 5  # only up to the moment the check fell due
    check = result["check"]
    assert check and check["prompt"] and "answer_index" not in check
    assert beat(officer, s, 45)["status"] == "check_pending"
    assert beat(officer, s, 60)["counted"] == 0
    wrong = services.study_check_answer(officer=officer, token=s.token, key=check["key"], choice=2, now=at(65))
    assert not wrong["correct"] and wrong["check"]
    assert beat(officer, s, 75)["counted"] == 0
    right = services.study_check_answer(officer=officer, token=s.token, key=check["key"], choice=0, now=at(80))
    assert right["correct"] and right["check"] is None
    assert beat(officer, s, 95)["counted"] == 15  # the clock restarts at the answer, not before
    assert studied(officer) == 35


def test_lesson_with_time_met_but_check_missed_is_not_complete(officer, course):
    s = start(officer, check_at=None).session  # check never scheduled: must be asked before completion
    for t in range(15, 136, 15):
        result = beat(officer, s, t)
    progress = LessonProgress.objects.get(officer=officer, lesson_id=101)
    assert progress.studied_seconds == 120 and progress.completed_at is None
    assert result["check"] is not None
    services.study_check_answer(officer=officer, token=s.token, key=result["check"]["key"], choice=0, now=at(140))
    progress.refresh_from_db()
    assert progress.completed_at is not None


def test_video_may_not_run_ahead_of_the_clock(officer, course):
    course.add_lesson(103, 100, minutes=1, checks=0, video=600)
    s = start(officer, lesson_id=103).session
    assert beat(officer, s, 15, video_position=14)["counted"] == 15
    assert beat(officer, s, 30, video_position=300)["status"] == "video_ahead"
    assert beat(officer, s, 45, video_position=44)["counted"] == 15  # back on the real position
    assert studied(officer, 103) == 30


def test_completing_all_lessons_writes_the_course_credit_once(officer, course):
    s = start(officer, check_at=30).session
    t = 0
    for t in range(15, 31, 15):
        result = beat(officer, s, t)
    services.study_check_answer(officer=officer, token=s.token, key=result["check"]["key"], choice=0, now=at(31))
    for t in range(45, 200, 15):
        beat(officer, s, t)
    assert CreditEntry.objects.count() == 0  # lesson 102 still open
    s2 = start(officer, lesson_id=102, t=300, takeover=True).session
    for t in range(315, 400, 15):
        beat(officer, s2, t)
    entry = CreditEntry.objects.get()
    assert entry.source_kind == "course" and entry.source_id == "100"
    assert entry.hours == Decimal("0.05") and entry.category_id == "rule_of_law"
    assert Enrolment.objects.get(officer=officer, course_id=100).completed_at is not None
    beat(officer, s2, 415)
    assert CreditEntry.objects.count() == 1
    assert selectors.officer_hours_for_year(officer=officer, year=2026) == {"rule_of_law": Decimal("0.05")}


def test_unknown_lesson_is_refused(officer, course):
    with pytest.raises(services.LearningError):
        services.study_start(officer=officer, lesson_id=999)


# --- the JSON endpoints ---------------------------------------------------------------------------


def post(client, name, data):
    return client.post(reverse(name), json.dumps(data), content_type="application/json")


def test_endpoints_need_login_and_an_officer(client, course, db):
    assert post(client, "learning:study_start", {"lesson_id": 101}).status_code == 302
    client.force_login(UserFactory(username="no-officer"))
    assert post(client, "learning:study_start", {"lesson_id": 101}).status_code == 403


def test_endpoints_start_beat_and_refuse_bad_input(client, officer, course):
    client.force_login(officer.user)
    response = post(client, "learning:study_start", {"lesson_id": 101})
    assert response.status_code == 200
    body = response.json()
    assert body["token"] and body["required_seconds"] == 120 and "answer_index" not in response.content.decode()
    beat_response = post(client, "learning:study_heartbeat", {"token": body["token"]})
    assert beat_response.status_code == 200 and beat_response.json()["counted"] <= 1
    assert post(client, "learning:study_heartbeat", {"token": "forged"}).status_code == 409
    assert (
        client.post(reverse("learning:study_heartbeat"), "not json", content_type="application/json").status_code == 400
    )
    assert post(client, "learning:study_start", {"lesson_id": 101}).status_code == 409  # a second tab
    assert post(client, "learning:study_start", {"lesson_id": 999}).status_code == 404
    assert client.get(reverse("learning:study_heartbeat")).status_code == 405


def test_lesson_study_page_mounts_the_widget(client, officer, course):
    client.force_login(officer.user)
    response = client.get(reverse("learning:lesson_study", args=[101]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="study-widget" data-lesson-id="101"' in html and "learning/study.js" in html
    assert "法律、法规、规章" not in html  # check options only come from the server when due
    assert client.get(reverse("learning:lesson_study", args=[999])).status_code == 404
