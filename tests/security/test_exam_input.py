"""Issue #11, finding 7, the exam page: its autosave and submit answer 400 with a Chinese message to hostile JSON
(deep nesting, ids and seqs past 64 bits or the column, 1e400, NaN, huge bodies), never a 500, and write nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from exams.models import AttemptItem
from exams.services.attempts import attempt_start
from tests.exams import factories as f
from tests.factories import OfficerFactory, RoleCategoryFactory
from tests.security.test_json_input import DEEP, HUGE_INT, assert_400_in_chinese

pytestmark = pytest.mark.django_db


# --- the exam page's endpoints -----------------------------------------------------------------------------------


@pytest.fixture
def attempt(officer):
    exam = f.exam(f.fixed_paper([f.question("single"), f.question("blank")]), officers=[officer])
    return attempt_start(exam=exam, officer=officer)


@pytest.mark.parametrize("name", ["attempt_save", "attempt_submit"])
def test_exam_answer_endpoints_answer_400_to_hostile_json(client, officer, attempt, name):
    client.force_login(officer.user)
    item = attempt.items.first()
    url = reverse(f"exams:{name}", args=[attempt.pk])
    good = {"item": item.pk, "seq": 1, "response": None}
    bodies = [DEEP, json.dumps({"answers": DEEP})]
    for field in ("item", "seq"):
        for value in (HUGE_INT, str(2**70), "1e400", "NaN", "9" * 4301, DEEP):
            rest = json.dumps({k: v for k, v in good.items() if k != field})[1:-1]
            bodies.append('{"answers": [{"' + field + '": ' + value + ", " + rest + "}]}")
    bodies.append(json.dumps({"answers": [{"item": item.pk, "seq": 2**31, "response": None}]}))  # past the column
    bodies.append(json.dumps({"answers": [{"item": 2**60, "seq": 1, "response": None}]}))  # past 2^53
    bodies.append(json.dumps({"answers": [{"item": item.pk, "seq": 1, "response": "x" * (3 * 1024 * 1024)}]}))
    for body in bodies:
        assert_400_in_chinese(client.post(url, data=body, content_type="application/json"))
    attempt.refresh_from_db()
    assert attempt.state == "in_progress"  # nothing was submitted by a refused body
    assert AttemptItem.objects.get(pk=item.pk).seq == 0


def test_exam_answer_response_nesting_is_capped(client, officer, attempt):
    client.force_login(officer.user)
    item = attempt.items.first()
    nested = "[" * 40 + "]" * 40
    body = '{"answers": [{"item": ' + str(item.pk) + ', "seq": 1, "response": ' + nested + "}]}"
    assert_400_in_chinese(
        client.post(reverse("exams:attempt_save", args=[attempt.pk]), data=body, content_type="application/json")
    )


# --- websockets: pushes only ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_websockets_drop_a_hostile_frame_and_stay_open():
    # Its own officer and category: a transactional test runs on an emptied database (no migrated categories).
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    exam = f.exam(f.fixed_paper([f.question("single")]), officers=[officer])
    attempt = attempt_start(exam=exam, officer=officer)
    from asgiref.sync import async_to_sync
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    web = Client()
    web.force_login(officer.user)
    headers = [
        (b"origin", b"http://testserver"),
        (b"host", b"testserver"),
        (b"cookie", f"sessionid={web.cookies['sessionid'].value}".encode()),
    ]

    async def scenario(path):
        socket = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await socket.connect()
        assert connected
        await socket.send_to(text_data=DEEP)
        await socket.send_to(text_data='{"n": 1e400}')
        assert await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()

    async_to_sync(scenario)(f"/ws/exams/attempts/{attempt.pk}/")
    async_to_sync(scenario)("/ws/notices/")
