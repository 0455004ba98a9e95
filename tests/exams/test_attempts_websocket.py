"""The attempt's websocket: the officer's exam page receives the proctor's time extension and forced
submission (after commit); nobody else may listen."""

from __future__ import annotations

import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from exams.services.attempts import attempt_extend, attempt_force_submit, attempt_start
from tests.exams import factories as f
from tests.factories import OfficerFactory, RoleCategoryFactory, UserFactory, grant

pytestmark = pytest.mark.django_db(transaction=True)


def _headers(user=None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


def _socket(attempt, headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/exams/attempts/{attempt.pk}/", headers=headers)


@pytest.fixture
def setup():
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    exam = f.exam(f.fixed_paper([f.question("single"), f.question("true_false")]), officers=[officer])
    attempt = attempt_start(exam=exam, officer=officer)
    proctor = UserFactory(username="proctor-ws")
    grant(proctor, "trainer")  # the services check their actor: only trainers and HR proctor
    return officer, attempt, proctor


def test_extension_and_forced_submission_reach_the_officers_page(setup):
    officer, attempt, proctor = setup
    headers = _headers(officer.user)
    extend = database_sync_to_async(attempt_extend)
    force = database_sync_to_async(attempt_force_submit)

    async def scenario():
        page = _socket(attempt, headers)
        connected, _ = await page.connect()
        assert connected
        extended = await extend(attempt=attempt, minutes=10, actor=proctor, reason="设备故障")
        message = await page.receive_json_from(timeout=5)
        assert message["kind"] == "exam.time"
        assert dt.datetime.fromisoformat(message["deadline"]) == extended.deadline
        assert "10" in message["text"]
        await force(attempt=attempt, actor=proctor, reason="违反考场纪律")
        message = await page.receive_json_from(timeout=5)
        assert message["kind"] == "exam.submitted" and message["by"] == "proctor"
        assert await page.receive_nothing(timeout=0.3)
        await page.disconnect()

    async_to_sync(scenario)()


def test_only_the_officer_may_listen(setup):
    _officer, attempt, proctor = setup
    other = OfficerFactory(role_category=RoleCategoryFactory())

    cases = ((_headers(), 4401), (_headers(other.user), 4404), (_headers(proctor), 4404))

    async def scenario():
        for headers, code in cases:
            connected, close_code = await _socket(attempt, headers).connect()
            assert not connected and close_code == code

    async_to_sync(scenario)()
