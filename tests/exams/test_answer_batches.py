"""Issue #11, finding 1: a batch of answers with one invalid answer never costs the valid ones.

Autosave stores every valid answer and refuses each invalid one with its own reason; submit stores the valid ones
first and does not hand in while an answer is refused (unless the deadline has passed, then it hands in at the
deadline with the valid ones). The per-item seq rule still holds."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from exams.models import Attempt, AttemptItem
from exams.services.attempts import MAX_TEXT, AnswerIn, AnswersRefused, attempt_save, attempt_start, attempt_submit
from tests.exams import factories as f

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
TOO_LONG = "事" * (MAX_TEXT + 1)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def attempt(officer):
    questions = [f.question(kind) for kind in ("single", "multiple", "true_false", "blank", "case")]
    exam = f.exam(f.fixed_paper(questions), officers=[officer], opens_at=at(0), closes_at=at(120), duration_minutes=30)
    return attempt_start(exam=exam, officer=officer, now=at(1))


@pytest.fixture
def live_attempt(officer):
    """An attempt started now (the JSON views use the real clock)."""
    questions = [f.question(kind) for kind in ("single", "multiple", "true_false", "blank", "case")]
    return attempt_start(exam=f.exam(f.fixed_paper(questions), officers=[officer]), officer=officer)


def items(attempt: Attempt) -> dict[str, AttemptItem]:
    return {i.content["kind"]: i for i in attempt.items.all()}


def correct_multiple(item: AttemptItem) -> list[str]:
    return [o["key"] for o in item.content["options"] if o["correct"]]


def batch(attempt: Attempt, seq: int = 1) -> list[AnswerIn]:
    """A valid multiple-choice and true/false answer plus a blank answer over the length cap."""
    it = items(attempt)
    return [
        AnswerIn(it["multiple"].pk, seq, correct_multiple(it["multiple"])),
        AnswerIn(it["blank"].pk, seq, TOO_LONG),
        AnswerIn(it["true_false"].pk, seq, True),
    ]


# --- services -------------------------------------------------------------------------------------------------


def test_autosave_stores_the_valid_answers_and_refuses_the_invalid_one_with_its_reason(attempt):
    it = items(attempt)
    result = attempt_save(attempt=attempt, answers=batch(attempt), now=at(2))
    assert {a["item"] for a in result.acked} == {it["multiple"].pk, it["true_false"].pk}
    assert [r["item"] for r in result.refused] == [it["blank"].pk]
    assert str(MAX_TEXT) in result.refused[0]["reason"] and "上限" in result.refused[0]["reason"]
    stored = items(attempt)
    assert stored["multiple"].response == sorted(correct_multiple(it["multiple"])) and stored["multiple"].seq == 1
    assert stored["true_false"].response is True
    assert (stored["blank"].response, stored["blank"].seq) == (None, 0)


def test_each_kind_of_invalid_answer_gets_its_own_reason(attempt):
    it = items(attempt)
    result = attempt_save(
        attempt=attempt,
        answers=[
            AnswerIn(it["single"].pk, 1, "Z"),
            AnswerIn(it["true_false"].pk, 1, "yes"),
            AnswerIn(it["case"].pk, 1, {"nested": ["x"]}),
            AnswerIn(999_999, 1, "A"),
        ],
        now=at(2),
    )
    reasons = {r["item"]: r["reason"] for r in result.refused}
    assert "选项" in reasons[it["single"].pk]
    assert "正确" in reasons[it["true_false"].pk]
    assert "格式" in reasons[it["case"].pk]
    assert "不属于本次作答" in reasons[999_999]


def test_a_refused_answer_never_beats_the_seq_rule(attempt):
    """A stale answer is acked as stale (the newer one stands), even when it would be invalid."""
    blank = items(attempt)["blank"]
    attempt_save(attempt=attempt, answers=[AnswerIn(blank.pk, 5, "事实")], now=at(2))
    result = attempt_save(attempt=attempt, answers=[AnswerIn(blank.pk, 4, TOO_LONG)], now=at(3))
    assert result.refused == [] and result.acked == [{"item": blank.pk, "seq": 4, "applied": False, "stored": 5}]
    blank.refresh_from_db()
    assert (blank.response, blank.seq) == ("事实", 5)


def test_submit_with_a_refused_answer_stores_the_valid_ones_and_does_not_hand_in(attempt):
    it = items(attempt)
    with pytest.raises(AnswersRefused) as caught:
        attempt_submit(attempt=attempt, answers=batch(attempt), now=at(5))
    assert [r["item"] for r in caught.value.result.refused] == [it["blank"].pk]
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS and attempt.submitted_at is None
    stored = items(attempt)
    assert stored["multiple"].seq == 1 and stored["true_false"].response is True
    # corrected, the next submit hands in with everything
    done = attempt_submit(attempt=attempt, answers=[AnswerIn(it["blank"].pk, 2, "事实")], now=at(6))
    assert done.state != Attempt.State.IN_PROGRESS and done.submitted_at == at(6)
    assert items(attempt)["blank"].response == "事实"


def test_submit_after_the_deadline_stores_the_valid_ones_and_hands_in_at_the_deadline(attempt):
    it = items(attempt)
    done = attempt_submit(attempt=attempt, answers=batch(attempt), now=at(31) + dt.timedelta(seconds=10))
    assert done.state != Attempt.State.IN_PROGRESS
    assert done.submitted_at == attempt.deadline == at(31)
    stored = items(attempt)
    assert stored["multiple"].response == sorted(correct_multiple(it["multiple"]))
    assert stored["true_false"].response is True and stored["blank"].response is None


# --- the JSON API -------------------------------------------------------------------------------------------


def post_json(client, name, attempt, body):
    return client.post(
        reverse(f"exams:{name}", args=[attempt.pk]), data=json.dumps(body), content_type="application/json"
    )


def wire(answers: list[AnswerIn]) -> dict:
    return {"answers": [{"item": a.item_id, "seq": a.seq, "response": a.response} for a in answers]}


def test_save_endpoint_answers_422_with_per_item_reasons_and_acks_the_valid_ones(client, officer, live_attempt):
    attempt = live_attempt
    client.force_login(officer.user)
    it = items(attempt)
    response = post_json(client, "attempt_save", attempt, wire(batch(attempt)))
    assert response.status_code == 422
    body = response.json()
    assert {a["item"] for a in body["acked"]} == {it["multiple"].pk, it["true_false"].pk}
    assert [(r["item"], r["seq"]) for r in body["refused"]] == [(it["blank"].pk, 1)]
    assert "上限" in body["refused"][0]["reason"] and body["error"]
    assert body["state"] == "in_progress" and body["deadline"]
    assert items(attempt)["multiple"].seq == 1


def test_submit_endpoint_refuses_to_hand_in_with_reasons_then_hands_in(client, officer, live_attempt):
    attempt = live_attempt
    client.force_login(officer.user)
    it = items(attempt)
    response = post_json(client, "attempt_submit", attempt, wire(batch(attempt)))
    assert response.status_code == 422
    body = response.json()
    assert [r["item"] for r in body["refused"]] == [it["blank"].pk] and "尚未交卷" in body["error"]
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS
    assert items(attempt)["multiple"].seq == 1
    ok = post_json(client, "attempt_submit", attempt, {"answers": []})
    assert ok.status_code == 200 and ok.json()["result_url"]
