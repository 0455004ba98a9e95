"""The contest's fan-out through the channel layer configured for the run (Redis in production and CI, in memory in
the embedded default): each process's hub hands every phone its own result and nobody else's, a round reaches
every phone, a hub stops with its last phone; and the Redis layer's capacity holds a hall's worth of messages."""

from __future__ import annotations

import asyncio
import secrets

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from contest import fanout

PHONES = 300


class FakePhone:
    def __init__(self, seat_id: int):
        self.seat_id = seat_id
        self.received: list[dict] = []
        self.arrived = asyncio.Event()

    async def hub_push(self, payload: dict) -> None:
        self.received.append(payload)
        self.arrived.set()


async def _wait_all(phones: list[FakePhone]) -> None:
    await asyncio.wait_for(asyncio.gather(*(phone.arrived.wait() for phone in phones)), timeout=10)
    for phone in phones:
        phone.arrived.clear()


async def _one_contest() -> dict:
    contest_id = 10_000_000 + secrets.randbelow(10_000_000)  # no other test's groups in this Redis database
    phones = [FakePhone(seat_id) for seat_id in range(1, PHONES + 1)]
    for phone in phones:
        await fanout.phone_attach(contest_id, phone.seat_id, phone)
    hubs_while_open = len(fanout._hubs[asyncio.get_running_loop()])

    await fanout.send_round(contest_id, {"kind": "round", "position": 1})
    await _wait_all(phones)
    results = {phone.seat_id: {"kind": "result", "seat": phone.seat_id} for phone in phones[:-1]}  # last: no result
    await fanout.send_result(contest_id, {"kind": "result"}, results)
    await _wait_all(phones[:-1])
    await asyncio.sleep(0.2)  # room for a wrong delivery to the phone without a result

    for phone in phones:
        await fanout.phone_detach(contest_id, phone.seat_id, phone)
    after = fanout._hubs[asyncio.get_running_loop()].get(contest_id)
    await fanout.send_result(contest_id, {"kind": "result"}, results)  # nobody listening: no error, nothing kept
    await asyncio.sleep(0.2)
    return {"phones": phones, "hubs_while_open": hubs_while_open, "hub_after": after}


def test_every_phone_gets_the_round_and_only_its_own_result():
    outcome = async_to_sync(_one_contest)()
    phones = outcome["phones"]

    assert outcome["hubs_while_open"] >= 1
    assert all(phone.received[0] == {"kind": "round", "position": 1} for phone in phones)
    for phone in phones[:-1]:
        assert phone.received[1:] == [{"kind": "result", "seat": phone.seat_id}]
    assert phones[-1].received[1:] == []
    assert outcome["hub_after"] is None  # the last phone out stopped the process's hub


@pytest.mark.skipif(
    "channels_redis" not in settings.CHANNEL_LAYERS["default"]["BACKEND"],
    reason="the Redis channel layer (REDIS_URL) is what production and CI run",
)
def test_the_big_screen_gets_every_answer_count_of_a_hall():
    """Every consumer of a process reads one Redis key, which the layer's capacity bounds: at channels_redis's
    default of 100, a round of 300 answers' live counts to the big screen lost 200 (and per-phone results lost
    78-94 of 300 in the contest_fanout benchmark before the hubs)."""

    async def answers_to_screen() -> list:
        layer = get_channel_layer()
        contest_id = 20_000_000 + secrets.randbelow(10_000_000)
        screen = await layer.new_channel()
        await layer.group_add(fanout.screen_group(contest_id), screen)
        try:
            for _ in range(PHONES):
                await fanout.send_screen(contest_id, {"kind": "answered", "position": 1})
            return await asyncio.gather(
                *(asyncio.wait_for(layer.receive(screen), timeout=10) for _ in range(PHONES)), return_exceptions=True
            )
        finally:
            await layer.group_discard(fanout.screen_group(contest_id), screen)

    received = async_to_sync(answers_to_screen)()
    lost = [message for message in received if isinstance(message, BaseException)]
    assert lost == [], f"{len(lost)} of {PHONES} answer counts never reached the screen"
