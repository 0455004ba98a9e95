"""The contest's pages: who may open what (only the host drives; host and HR read results; officers play only in
a contest they joined), the create form, join by code, the JSON actions and the .xlsx."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contest import services
from contest.models import Contest, Seat
from tests.exams import factories as ef
from tests.factories import UserFactory, grant

from . import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(mfa_user):
    host = h.trainer()
    other = h.trainer("trainer-other")
    hr = UserFactory(username="hr-contest")
    grant(hr, "hr")
    mfa_user(hr)
    contest = h.contest(host=host, kinds=("single", "true_false"))
    joined, stranger = h.officer("执法一中队"), h.officer("执法二中队")
    services.contest_join(contest=contest, officer=joined)
    return type("World", (), dict(host=host, other=other, hr=hr, contest=contest, joined=joined, stranger=stranger))


HOST_PAGES = ("contest:host", "contest:screen", "contest:qr")
RECORD_PAGES = ("contest:results", "contest:results_xlsx", "contest:log")
ACTIONS = ("contest:next", "contest:close", "contest:finish")


def test_host_pages_open_for_the_host_only(client, world):
    for name in HOST_PAGES:
        url = reverse(name, args=[world.contest.pk])
        for user, status in ((world.host, 200), (world.other, 403), (world.hr, 403), (world.joined.user, 403)):
            client.force_login(user)
            assert client.get(url).status_code == status, (name, user)


def test_the_qr_is_a_standalone_svg_of_the_join_link(client, world):
    client.force_login(world.host)
    response = client.get(reverse("contest:qr", args=[world.contest.pk]))
    assert response["Content-Type"] == "image/svg+xml" and b'xmlns="http://www.w3.org/2000/svg"' in response.content


def test_results_and_log_for_the_host_and_hr(client, world):
    for name in RECORD_PAGES:
        url = reverse(name, args=[world.contest.pk])
        for user, status in ((world.host, 200), (world.hr, 200), (world.other, 403), (world.joined.user, 403)):
            client.force_login(user)
            assert client.get(url).status_code == status, (name, user)


def test_only_the_host_posts_actions(client, world):
    for user in (world.other, world.joined.user, world.hr):
        client.force_login(user)
        for name in ACTIONS:
            assert client.post(reverse(name, args=[world.contest.pk])).status_code == 403, (name, user)
    world.contest.refresh_from_db()
    assert world.contest.current_position == 0


def test_the_host_drives_a_round_over_json(client, world):
    client.force_login(world.host)
    response = client.post(reverse("contest:next", args=[world.contest.pk]))
    assert response.status_code == 200 and response.json()["position"] == 1
    early = client.post(reverse("contest:close", args=[world.contest.pk]))
    assert early.status_code == 409 and "尚未结束" in early.json()["error"]
    again = client.post(reverse("contest:next", args=[world.contest.pk]))
    assert again.status_code == 409 and "收题" in again.json()["error"]
    assert client.get(reverse("contest:next", args=[world.contest.pk])).status_code == 405


def test_create_by_form_draws_from_the_bank(client, world):
    for _ in range(3):
        ef.question("true_false")
    client.force_login(world.other)
    data = {
        "title": "第三届法律知识竞赛",
        "question_ids": "",
        "category": "",
        "count_single": 0,
        "count_multiple": 0,
        "count_true_false": 3,
        "seconds_per_question": 15,
        "read_seconds": 2,
        "scoring_mode": "linear",
        "max_points": 100,
        "floor_points": 40,
        "streak_bonus": 5,
        "top_n": 5,
    }
    response = client.post(reverse("contest:new"), data)
    contest = Contest.objects.get(title="第三届法律知识竞赛")
    assert response.status_code == 302 and response["Location"] == reverse("contest:host", args=[contest.pk])
    assert contest.host == world.other and contest.questions.count() == 3 and contest.seconds_per_question == 15
    too_many = client.post(reverse("contest:new"), {**data, "count_true_false": 40})
    assert too_many.status_code == 200 and "少于所需" in too_many.content.decode()
    bad_ids = client.post(reverse("contest:new"), {**data, "question_ids": "12; x"})
    assert bad_ids.status_code == 200 and Contest.objects.count() == 2
    assert client.post(reverse("contest:new"), data).status_code == 302
    client.force_login(world.joined.user)
    assert client.get(reverse("contest:new")).status_code == 403


def test_officers_join_by_code_then_play(client, world):
    client.force_login(world.stranger.user)
    play = reverse("contest:play", args=[world.contest.pk])
    response = client.get(play)
    assert response.status_code == 302 and f"code={world.contest.code}" in response["Location"]
    wrong = client.post(reverse("contest:join"), {"code": "ZZZZZZ"})
    assert wrong.status_code == 400 and "加入码不正确" in wrong.content.decode()
    assert client.get(reverse("contest:join") + f"?code={world.contest.code}").status_code == 200
    joined = client.post(reverse("contest:join"), {"code": world.contest.code.lower()})
    assert joined.status_code == 302 and joined["Location"] == play
    assert client.get(play).status_code == 200
    assert Seat.objects.filter(contest=world.contest, officer=world.stranger).count() == 1
    client.post(reverse("contest:join"), {"code": world.contest.code})
    assert Seat.objects.filter(contest=world.contest, officer=world.stranger).count() == 1
    client.force_login(world.host)  # a trainer without an officer file cannot join
    assert client.post(reverse("contest:join"), {"code": world.contest.code}).status_code == 403


def test_results_xlsx_has_officers_teams_questions_and_the_log(client, world):
    contest = world.contest
    seat = Seat.objects.get(contest=contest, officer=world.joined)
    cq = h.open_round(contest)
    services.answer_submit(seat=seat, position=1, response=h.right(cq), received_at=h.after_open(cq, 1500))
    services.question_close(contest=contest, actor=world.host, now=h.after_due(cq))
    client.force_login(world.hr)
    response = client.get(reverse("contest:results_xlsx", args=[contest.pk]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["个人成绩", "团体成绩", "逐题统计", "答题日志"]
    officers = list(book["个人成绩"].iter_rows(values_only=True))
    assert officers[2][:3] == (1, world.joined.employee_no, world.joined.name)
    teams = list(book["团体成绩"].iter_rows(values_only=True))
    assert teams[1][1] == "执法一中队"
    log = [row[2] for row in book["答题日志"].iter_rows(values_only=True)]
    assert {"加入", "开始", "出题", "答案有效", "收题"} <= set(log)
    page = client.get(reverse("contest:results", args=[contest.pk])).content.decode()
    assert world.joined.name in page and "执法一中队" in page
