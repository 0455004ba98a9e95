"""The per-user notice socket: authenticated users get their own pushes after commit; nobody else does."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from config.asgi import application
from org.services import notice_push
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _headers(user=None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


def _communicator(headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/notices/", headers=headers)


@database_sync_to_async
def _push_committed(user, text, kind="notice"):
    with transaction.atomic():
        notice_push(user=user, text=text, kind=kind)


@database_sync_to_async
def _push_rolled_back(user, text):
    try:
        with transaction.atomic():
            notice_push(user=user, text=text)
            raise RuntimeError("roll back")
    except RuntimeError:
        pass


def test_authenticated_user_receives_own_notice_after_commit():
    user = UserFactory()
    other = UserFactory()
    mine_headers, their_headers = _headers(user), _headers(other)

    async def scenario():
        mine, theirs = _communicator(mine_headers), _communicator(their_headers)
        connected, _ = await mine.connect()
        assert connected
        connected, _ = await theirs.connect()
        assert connected
        await _push_committed(user, "考试时间已延长 10 分钟", kind="exam.time")
        assert await mine.receive_json_from(timeout=5) == {"kind": "exam.time", "text": "考试时间已延长 10 分钟"}
        assert await theirs.receive_nothing(timeout=0.5)
        assert await mine.receive_nothing(timeout=0.2)  # exactly one message
        await mine.disconnect()
        await theirs.disconnect()

    async_to_sync(scenario)()


def test_nothing_is_pushed_when_the_transaction_rolls_back():
    user = UserFactory()
    headers = _headers(user)

    async def scenario():
        mine = _communicator(headers)
        connected, _ = await mine.connect()
        assert connected
        await _push_rolled_back(user, "不应送达")
        assert await mine.receive_nothing(timeout=0.5)
        await _push_committed(user, "送达")
        assert (await mine.receive_json_from(timeout=5))["text"] == "送达"
        await mine.disconnect()

    async_to_sync(scenario)()


def test_every_open_page_of_the_user_receives_the_notice():
    user = UserFactory()
    headers = _headers(user)

    async def scenario():
        phone, pc = _communicator(headers), _communicator(headers)
        assert (await phone.connect())[0] and (await pc.connect())[0]
        await _push_committed(user, "请参加年度学法考试")
        assert (await phone.receive_json_from(timeout=5))["text"] == "请参加年度学法考试"
        assert (await pc.receive_json_from(timeout=5))["text"] == "请参加年度学法考试"
        await phone.disconnect()
        await pc.disconnect()

    async_to_sync(scenario)()


def test_anonymous_connection_is_refused():
    async def scenario():
        anonymous = _communicator(_headers())
        connected, code = await anonymous.connect()
        assert not connected
        assert code == 4401

    async_to_sync(scenario)()


def test_foreign_origin_is_refused():
    user = UserFactory()
    headers = [(b"origin", b"http://evil.example.com"), *[h for h in _headers(user) if h[0] != b"origin"]]

    async def scenario():
        communicator = WebsocketCommunicator(application, "/ws/notices/", headers=headers)
        connected, _ = await communicator.connect()
        assert not connected

    async_to_sync(scenario)()


def test_disconnected_page_leaves_the_group():
    user = UserFactory()
    headers = _headers(user)

    async def scenario():
        first = _communicator(headers)
        assert (await first.connect())[0]
        await first.disconnect()
        second = _communicator(headers)
        assert (await second.connect())[0]
        await _push_committed(user, "只发给仍在线的页面")
        assert (await second.receive_json_from(timeout=5))["text"] == "只发给仍在线的页面"
        await second.disconnect()

    async_to_sync(scenario)()
