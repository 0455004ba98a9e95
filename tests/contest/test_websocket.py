"""The contest's websockets with channels' WebsocketCommunicator: who may connect, a round through a phone (the
server's pings, an answer acknowledged once, the screen's live count, the phone's own result), reconnection to the
same seat with an answer resent across the drop counted once, and an answer to a closed round refused."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from contest import fanout, selectors, services
from contest.models import Answer, LogEntry

from . import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def _headers(user=None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


def _phone(contest, headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/contest/{contest.pk}/play/", headers=headers)


def _screen(contest, headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/contest/{contest.pk}/screen/", headers=headers)


async def _until(socket, kind: str, *, pong: bool = True) -> dict:
    """The next message of `kind`, answering the server's pings on the way (as the phone page does)."""
    for _ in range(50):
        message = await socket.receive_json_from(timeout=5)
        if message["kind"] == "ping" and pong:
            await socket.send_json_to({"kind": "pong", "id": message["id"]})
        if message["kind"] == kind:
            return message
    raise AssertionError(f"no {kind} message")


@database_sync_to_async
def _open_and_send(contest):
    cq = h.open_round(contest)
    return cq


async def _open(contest):
    cq = await _open_and_send(contest)
    payload = await database_sync_to_async(selectors.round_payload)(cq, 2)
    await fanout.send_round(contest.pk, payload)
    return cq


async def _close(contest, cq):
    result = await database_sync_to_async(services.question_close)(
        contest=contest, actor=contest.host, now=h.after_due(cq)
    )
    screen, phones = await database_sync_to_async(selectors.result_payloads)(result, 2)
    await fanout.send_result(contest.pk, screen, phones)


@pytest.fixture
def setup():
    contest = h.contest(kinds=("single", "true_false"), read_seconds=0)
    joined, stranger = h.officer(), h.officer()
    seat, _ = services.contest_join(contest=contest, officer=joined)
    return contest, joined, stranger, seat


def test_who_may_connect(setup):
    contest, joined, stranger, _seat = setup
    other_trainer = h.trainer("trainer-other")
    anonymous, joined_h, stranger_h, host_h, other_h = (
        _headers(),
        _headers(joined.user),
        _headers(stranger.user),
        _headers(contest.host),
        _headers(other_trainer),
    )

    async def scenario():
        for socket, code in (
            (_phone(contest, anonymous), 4401),
            (_phone(contest, stranger_h), 4403),  # not joined: no seat
            (_screen(contest, anonymous), 4401),
            (_screen(contest, joined_h), 4403),  # officers cannot open the host's screen
            (_screen(contest, other_h), 4403),  # nor another trainer
        ):
            connected, close_code = await socket.connect()
            assert not connected and close_code == code
        for socket in (_phone(contest, joined_h), _screen(contest, host_h)):
            connected, _ = await socket.connect()
            assert connected
            await socket.disconnect()

    async_to_sync(scenario)()


def test_a_round_through_a_phone_and_the_screen(setup):
    contest, joined, _stranger, seat = setup
    phone_h, host_h = _headers(joined.user), _headers(contest.host)

    async def scenario():
        phone, screen = _phone(contest, phone_h), _screen(contest, host_h)
        assert (await phone.connect())[0] and (await screen.connect())[0]
        hello = await _until(phone, "hello")
        assert hello["seat"]["name"] == joined.name and hello["seat"]["score"] == 0 and "round" not in hello
        state = await _until(screen, "screen")
        assert state["lobby"]["seats"] == 1 and state["code"] == contest.code
        cq = await _open(contest)
        question = await _until(phone, "question")
        assert question["position"] == 1 and "correct" not in str(question["question"]["options"])
        assert (await _until(screen, "question"))["position"] == 1
        await phone.send_json_to({"kind": "answer", "position": 1, "response": h.right(cq)})
        ack = await _until(phone, "ack")
        assert ack["accepted"] and not ack["duplicate"]
        assert (await _until(screen, "answered"))["position"] == 1
        await phone.send_json_to({"kind": "answer", "position": 1, "response": h.wrong(cq)})
        second = await _until(phone, "ack")
        assert not second["accepted"] and "只能作答一次" in second["reason"]
        await phone.send_to(text_data="[" * 3000)  # hostile frames are dropped unread
        await phone.send_to(text_data='{"kind": "answer", "position": "1"}')
        await _close(contest, cq)
        result = await _until(phone, "result")
        assert result["correct"] and result["rank"] == 1 and result["score"] > 0 and "top" in result
        board = await _until(screen, "result")
        assert board["answered"] == 1 and board["top"][0]["name"] == joined.name
        assert [d["count"] for d in board["distribution"] if d["correct"]] == [1]
        await phone.disconnect()
        await screen.disconnect()

    async_to_sync(scenario)()
    assert Answer.objects.filter(seat=seat).count() == 1
    accepted = LogEntry.objects.get(event=LogEntry.Event.ACCEPTED)
    assert accepted.rtt_ms is not None and accepted.grace_ms is not None  # the server measured the phone's round-trip


def test_reconnect_restores_the_seat_and_a_resent_answer_counts_once(setup):
    contest, joined, _stranger, seat = setup
    phone_h = _headers(joined.user)

    async def scenario():
        phone = _phone(contest, phone_h)
        await phone.connect()
        await _until(phone, "hello")
        cq = await _open(contest)
        await _until(phone, "question")
        await phone.send_json_to({"kind": "answer", "position": 1, "response": h.right(cq)})
        await phone.disconnect()  # dropped before it saw the acknowledgement
        again = _phone(contest, phone_h)
        await again.connect()
        hello = await _until(again, "hello")
        assert hello["round"]["position"] == 1 and hello["my_answer"]["response"] == h.right(cq)
        await again.send_json_to({"kind": "answer", "position": 1, "response": h.right(cq)})  # the page resends
        ack = await _until(again, "ack")
        assert ack["accepted"] and ack["duplicate"]
        await _close(contest, cq)
        result = await _until(again, "result")
        await again.disconnect()
        third = _phone(contest, phone_h)
        await third.connect()
        restored = await _until(third, "hello")
        assert restored["seat"]["score"] == result["score"] > 0 and restored["seat"]["streak"] == 1
        assert restored["seat"]["rank"] == 1 and restored["result"]["correct"]
        # The round is closed: a late answer is refused with the reason.
        await third.send_json_to({"kind": "answer", "position": 1, "response": h.right(cq)})
        late = await _until(third, "ack")
        assert not late["accepted"] and "已收题" in late["reason"]
        await third.disconnect()

    async_to_sync(scenario)()
    assert Answer.objects.filter(seat=seat).count() == 1


def test_a_flood_of_answer_frames_is_dropped_after_a_few(setup):
    contest, joined, _stranger, seat = setup
    phone_h = _headers(joined.user)

    async def scenario():
        phone = _phone(contest, phone_h)
        await phone.connect()
        await _until(phone, "hello")
        cq = await _open(contest)
        await _until(phone, "question")
        for _ in range(20):
            await phone.send_json_to({"kind": "answer", "position": 1, "response": h.wrong(cq)})
        acks = []
        while not await phone.receive_nothing(timeout=1):
            message = await phone.receive_json_from(timeout=5)
            if message["kind"] == "ack":
                acks.append(message)
        assert len(acks) == 3 and acks[0]["accepted"] and all(a["duplicate"] for a in acks[1:])
        await phone.disconnect()

    async_to_sync(scenario)()
    assert LogEntry.objects.filter(seat=seat, event__in=["accepted", "refused"]).count() == 1
