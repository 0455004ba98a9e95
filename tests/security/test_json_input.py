"""Issue #11, finding 7: hostile JSON bodies give 400 with a Chinese message, never a 500, at every JSON endpoint
(the study widget's start / heartbeat / check / stop, the benchmark's baseline; the exam page's autosave and
submit are in test_exam_input.py), through the one parser org.jsonbody. The websocket consumers (pushes only)
drop what browsers send (test_exam_input.py)."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from org.jsonbody import JsonBodyError, json_float, json_int, json_parse
from tests.learning.conftest import fake_catalog  # noqa: F401  (the study endpoints' content seam)

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000
HUGE_INT = str(2**63)
HAN = re.compile(r"[\u4e00-\u9fff]")


def hostile_bodies(field: str, valid: dict) -> list[str]:
    """Bodies that used to raise in the view: deep nesting, ints past 64 bits, a float that parses as infinity,
    NaN, a 4,301-digit int (Python refuses to convert it), and a body over the size cap."""

    def with_(value: str) -> str:
        rest = json.dumps(valid)[1:-1]
        return "{" + f'"{field}": {value}' + ("," + rest if rest else "") + "}"

    return [
        DEEP,
        with_(DEEP),
        with_(HUGE_INT),
        with_(str(2**70)),
        with_("1e400"),
        with_("-1e400"),
        with_("NaN"),
        with_("9" * 4301),
        with_('"' + "x" * (3 * 1024 * 1024) + '"'),
    ]


def assert_400_in_chinese(response) -> None:
    assert response.status_code == 400, response.content[:200]
    body = response.json()
    message = body.get("error") or body.get("message") or ""
    assert HAN.search(message), body


# --- the helper -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [DEEP, '{"a":' * 20 + "1" + "}" * 20, HUGE_INT, "1e400", "-Infinity", "NaN", "9" * 5000, "{bad", b"\xff\xfe"],
)
def test_json_parse_refuses_hostile_text_with_a_chinese_message(raw):
    with pytest.raises(JsonBodyError) as caught:
        json_parse(raw)
    assert HAN.search(str(caught.value))


def test_json_parse_accepts_ordinary_bodies():
    assert json_parse('{"answers": [{"item": 1, "seq": 2, "response": ["A", "B"]}], "x": 1.5}') == {
        "answers": [{"item": 1, "seq": 2, "response": ["A", "B"]}],
        "x": 1.5,
    }


def test_field_ranges():
    assert json_int(5) == 5
    for bad in (0, 2**31, True, 1.0, "5", None):
        with pytest.raises(JsonBodyError):
            json_int(bad)
    assert json_float(3, low=0, high=10) == 3.0
    for bad in (-1, 11, float("inf"), float("nan"), True, "1"):
        with pytest.raises(JsonBodyError):
            json_float(bad, low=0, high=10)


# --- the study widget's endpoints -------------------------------------------------------------------------------


@pytest.fixture
def studying(client, officer, fake_catalog, settings):  # noqa: F811
    settings.LEARNING_CHECK_EVERY_SECONDS = (10_000, 10_000)
    fake_catalog.add_course(100)
    fake_catalog.add_lesson(101, 100, minutes=2, checks=1)
    client.force_login(officer.user)
    response = client.post(reverse("learning:study_start"), json.dumps({"lesson_id": 101}), "application/json")
    assert response.status_code == 200
    return response.json()["token"]


@pytest.mark.parametrize(
    ("name", "field", "valid"),
    [
        ("learning:study_start", "lesson_id", {}),
        ("learning:study_heartbeat", "video_position", {"token": "T"}),
        ("learning:study_check", "choice", {"token": "T", "key": "k"}),
        ("learning:study_stop", "token", {}),
    ],
)
def test_study_endpoints_answer_400_to_hostile_json(client, studying, name, field, valid):
    valid = {k: (studying if v == "T" else v) for k, v in valid.items()}
    for body in hostile_bodies(field, valid):
        assert_400_in_chinese(client.post(reverse(name), data=body, content_type="application/json"))


def test_study_start_refuses_a_lesson_id_that_used_to_overflow(client, studying):
    for value in ("1e400", str(2**70), "true", "1.5", '"101"'):
        body = '{"lesson_id": ' + value + "}"
        assert_400_in_chinese(client.post(reverse("learning:study_start"), data=body, content_type="application/json"))


# --- the benchmark's baseline (routed only by bench.urls) ---------------------------------------------------------


@pytest.mark.urls("bench.urls")
def test_bench_baseline_answers_400_to_hostile_json(client, officer):
    client.force_login(officer.user)
    url = reverse("bench_baseline")
    for body in (DEEP, '{"n": 1e400}', '{"n": ' + "9" * 4301 + "}"):
        assert_400_in_chinese(client.post(url, data=body, content_type="application/json"))
