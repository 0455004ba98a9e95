"""The exam page and its JSON API: access (anonymous, another officer, a trainer), start/continue, autosave with
sequence numbers, the grace period, submit, and no key in any HTML or JSON of an attempt in progress."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.formats.base import Option
from exams.models import Attempt, AttemptItem
from exams.services.attempts import attempt_start
from tests.exams import factories as f
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

MARK_CORRECT = "标记甲正确选项"
MARK_EXPLAIN = "标记乙解析内容"
MARK_ACCEPTED = "标记丙填空答案"
MARK_RUBRIC = "标记丁评分要点"


@pytest.fixture
def exam(officer):
    questions = [
        f.question(
            "single",
            options=[Option("罚款"), Option(MARK_CORRECT, True), Option("警告")],
            explanation=MARK_EXPLAIN,
        ),
        f.question("multiple"),
        f.question("true_false", explanation=MARK_EXPLAIN),
        f.question("blank", accepted=[MARK_ACCEPTED]),
        f.question("case", rubric=MARK_RUBRIC),
    ]
    return f.exam(f.fixed_paper(questions), officers=[officer])


@pytest.fixture
def attempt(exam, officer):
    return attempt_start(exam=exam, officer=officer)


def url(name, attempt):
    return reverse(f"exams:{name}", args=[attempt.pk])


def post_json(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


# --- access ---------------------------------------------------------------------------------------------


def test_anonymous_page_redirects_to_login_and_api_answers_401(client, attempt, exam):
    response = client.get(url("attempt_page", attempt))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    response = client.post(reverse("exams:attempt_start", args=[exam.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    for name in ("attempt_state",):
        response = client.get(url(name, attempt))
        assert response.status_code == 401 and "登录已过期" in response.json()["error"]
    for name in ("attempt_save", "attempt_submit"):
        response = post_json(client, url(name, attempt), {"answers": []})
        assert response.status_code == 401
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS


def test_another_officer_gets_404_everywhere(client, attempt):
    client.force_login(OfficerFactory().user)
    assert client.get(url("attempt_page", attempt)).status_code == 404
    assert client.get(url("attempt_state", attempt)).status_code == 404
    item = attempt.items.get(position=3)
    assert (
        post_json(
            client, url("attempt_save", attempt), {"answers": [{"item": item.pk, "seq": 1, "response": True}]}
        ).status_code
        == 404
    )
    assert post_json(client, url("attempt_submit", attempt), {}).status_code == 404
    item.refresh_from_db()
    attempt.refresh_from_db()
    assert item.seq == 0 and attempt.state == Attempt.State.IN_PROGRESS


def test_trainer_cannot_answer_or_start_for_an_officer(client, attempt, exam, trainer):
    client.force_login(trainer)
    assert client.get(url("attempt_page", attempt)).status_code == 404
    item = attempt.items.get(position=3)
    response = post_json(
        client, url("attempt_save", attempt), {"answers": [{"item": item.pk, "seq": 1, "response": True}]}
    )
    assert response.status_code == 404
    assert post_json(client, url("attempt_submit", attempt), {}).status_code == 404
    assert client.post(reverse("exams:attempt_start", args=[exam.pk])).status_code == 403


# --- start and the page ---------------------------------------------------------------------------------


def test_start_opens_the_page_and_a_second_start_continues(client, officer, exam):
    client.force_login(officer.user)
    assert client.get(reverse("exams:attempt_start", args=[exam.pk])).status_code == 405
    response = client.post(reverse("exams:attempt_start", args=[exam.pk]))
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    assert response.status_code == 302 and response.url == url("attempt_page", attempt)
    again = client.post(reverse("exams:attempt_start", args=[exam.pk]))
    assert again.url == response.url
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "第 1 题 / 共 5 题" in html and 'id="attempt-data"' in html and "exams/attempt.js" in html


def test_the_entry_pages_fetch_gets_where_to_go_as_json(client, officer, exam):
    """static/exams/entry.js sends the start by fetch (so it can retry a 503 at the door) and goes where told."""
    client.force_login(officer.user)
    start = reverse("exams:attempt_start", args=[exam.pk])
    response = client.post(start, headers={"Accept": "application/json"})
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    assert response.status_code == 200 and response.json() == {"location": url("attempt_page", attempt)}
    exam.closes_at = timezone.now() - dt.timedelta(minutes=1)
    exam.opens_at = exam.closes_at - dt.timedelta(hours=1)
    exam.save()
    attempt.delete()
    refused = client.post(start, headers={"Accept": "application/json"})
    assert refused.json() == {"location": reverse("exams:exam_entry", args=[exam.pk])}
    assert "考试已结束" in client.get(refused.json()["location"]).content.decode()  # the reason waits there
    assert not Attempt.objects.filter(exam=exam).exists()


def test_refused_start_goes_back_to_the_exam_entry_with_the_reason(client, officer, exam):
    exam.closes_at = timezone.now() - dt.timedelta(minutes=1)
    exam.opens_at = exam.closes_at - dt.timedelta(hours=1)
    exam.save()
    client.force_login(officer.user)
    response = client.post(reverse("exams:attempt_start", args=[exam.pk]), follow=True)
    assert response.redirect_chain[0][0] == reverse("exams:exam_entry", args=[exam.pk])
    assert "考试已结束" in response.content.decode()
    assert not Attempt.objects.filter(exam=exam).exists()


def test_no_key_in_the_page_or_any_json_while_in_progress(client, officer, attempt):
    client.force_login(officer.user)
    items = list(attempt.items.order_by("position"))
    answers = [
        {
            "item": items[0].pk,
            "seq": 1,
            "response": next(o["key"] for o in items[0].content["options"] if o["correct"]),
        },
        {"item": items[2].pk, "seq": 1, "response": True},
        {"item": items[4].pk, "seq": 1, "response": "按条例处理"},
    ]
    bodies = [
        client.get(url("attempt_page", attempt)).content.decode(),
        post_json(client, url("attempt_save", attempt), {"answers": answers}).content.decode(),
        client.get(url("attempt_state", attempt)).content.decode(),
        client.get(url("attempt_state", attempt) + "?full=1").content.decode(),
        client.get(url("attempt_page", attempt)).content.decode(),
    ]
    assert MARK_CORRECT in bodies[0]  # the option itself is shown…
    for body in bodies:
        for secret in ('"correct"', "answer_bool", "accepted", MARK_ACCEPTED, MARK_RUBRIC, "rubric", MARK_EXPLAIN):
            assert secret not in body, secret


def test_during_review_reveals_the_key_of_a_saved_item_only(client, officer, exam):
    exam.show_answers = exam.show_explanations = "during"
    exam.save()
    attempt = attempt_start(exam=exam, officer=officer)
    client.force_login(officer.user)
    item = attempt.items.get(position=1)
    body = post_json(
        client, url("attempt_save", attempt), {"answers": [{"item": item.pk, "seq": 1, "response": "A"}]}
    ).json()
    assert [i["id"] for i in body["items"]] == [item.pk]
    assert body["items"][0]["correct"] == ["B"] and body["items"][0]["explanation"] == MARK_EXPLAIN
    assert MARK_ACCEPTED not in client.get(url("attempt_page", attempt)).content.decode()


def test_page_shows_options_in_the_frozen_order_with_positional_labels(client, officer, attempt):
    client.force_login(officer.user)
    item = attempt.items.get(position=1)
    AttemptItem.objects.filter(pk=item.pk).update(option_order=["C", "A", "B"])
    data = client.get(url("attempt_state", attempt) + "?full=1").json()
    options = data["items"][0]["options"]
    assert [(o["label"], o["key"]) for o in options] == [("A", "C"), ("B", "A"), ("C", "B")]
    html = client.get(url("attempt_page", attempt)).content.decode()
    assert html.index("警告") < html.index("罚款") < html.index(MARK_CORRECT)


# --- the JSON API ---------------------------------------------------------------------------------------


def test_save_acks_newer_ignores_stale_and_returns_the_clock(client, officer, attempt):
    client.force_login(officer.user)
    item = attempt.items.get(position=4)
    first = post_json(
        client, url("attempt_save", attempt), {"answers": [{"item": item.pk, "seq": 3, "response": "事实"}]}
    )
    body = first.json()
    assert first.status_code == 200
    assert body["acked"] == [{"item": item.pk, "seq": 3, "applied": True, "stored": 3}]
    assert body["state"] == "in_progress" and body["deadline"] == attempt.deadline.isoformat() and body["server_now"]
    stale = post_json(
        client, url("attempt_save", attempt), {"answers": [{"item": item.pk, "seq": 2, "response": "旧"}]}
    )
    assert stale.json()["acked"] == [{"item": item.pk, "seq": 2, "applied": False, "stored": 3}]
    item.refresh_from_db()
    assert item.response == "事实"


def test_save_rejects_malformed_bodies(client, officer, attempt):
    client.force_login(officer.user)
    for body in ("not json", json.dumps({"answers": [{"item": "x", "seq": 1}]}), json.dumps({"answers": [{"seq": 1}]})):
        response = client.post(url("attempt_save", attempt), data=body, content_type="application/json")
        assert response.status_code == 400 and response.json()["error"]


def test_state_refreshes_last_seen_at_most_every_30_seconds(client, officer, attempt):
    client.force_login(officer.user)
    old = timezone.now() - dt.timedelta(minutes=5)
    Attempt.objects.filter(pk=attempt.pk).update(last_seen_at=old)
    assert client.get(url("attempt_state", attempt)).json()["state"] == "in_progress"
    attempt.refresh_from_db()
    seen = attempt.last_seen_at
    assert seen > old
    client.get(url("attempt_state", attempt))
    attempt.refresh_from_db()
    assert attempt.last_seen_at == seen


def test_save_after_the_grace_is_409_with_the_message_and_the_attempt_closed(client, officer, attempt, settings):
    settings.EXAM_SAVE_GRACE_SECONDS = 30
    client.force_login(officer.user)
    item = attempt.items.get(position=3)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=10))
    inside = post_json(
        client, url("attempt_save", attempt), {"answers": [{"item": item.pk, "seq": 1, "response": True}]}
    )
    assert inside.status_code == 200
    deadline = timezone.now() - dt.timedelta(seconds=40)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    late = post_json(
        client, url("attempt_save", attempt), {"answers": [{"item": item.pk, "seq": 2, "response": False}]}
    )
    assert late.status_code == 409
    body = late.json()
    assert "考试时间已到" in body["error"] and body["state"] != "in_progress"
    assert body["result_url"] == reverse("exams:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    item.refresh_from_db()
    assert attempt.submitted_at == deadline and item.response is True


def test_overdue_page_is_closed_at_the_deadline_and_goes_to_the_result(client, officer, attempt):
    client.force_login(officer.user)
    deadline = timezone.now() - dt.timedelta(minutes=5)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    response = client.get(url("attempt_page", attempt))
    assert response.status_code == 302 and response.url == reverse("exams:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_at == deadline and attempt.finished_by == Attempt.FinishedBy.DEADLINE


def test_submit_saves_the_final_answers_and_is_idempotent(client, officer, attempt):
    client.force_login(officer.user)
    item = attempt.items.get(position=3)
    first = post_json(
        client, url("attempt_submit", attempt), {"answers": [{"item": item.pk, "seq": 1, "response": True}]}
    )
    assert first.status_code == 200
    body = first.json()
    assert body["state"] in ("submitted", "graded", "released")
    assert body["result_url"] == reverse("exams:attempt_result", args=[attempt.pk])
    second = client.post(url("attempt_submit", attempt))
    assert second.status_code == 200 and second.json()["submitted_at"] == body["submitted_at"]
    item.refresh_from_db()
    assert item.response is True
    assert client.get(url("attempt_page", attempt)).status_code == 302
    late = post_json(
        client, url("attempt_save", attempt), {"answers": [{"item": item.pk, "seq": 2, "response": False}]}
    )
    assert late.status_code == 409 and "已交卷" in late.json()["error"]
