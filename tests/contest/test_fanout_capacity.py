"""Every phone in a hall gets its own result through the production channel layer (Redis).

All consumers of one ASGI process read from one Redis key, and channels_redis bounds that key by the layer's
capacity: at its default of 100, a round's results to 300 phones on one worker were silently dropped (the
contest_fanout benchmark lost 78-94 phones a round). This sends one round's results to 300 process-local channels,
as one uvicorn worker holds them, and requires every one to arrive."""

from __future__ import annotations

import asyncio
import secrets

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from contest import fanout

PHONES = 300

pytestmark = pytest.mark.skipif(
    "channels_redis" not in settings.CHANNEL_LAYERS["default"]["BACKEND"],
    reason="the Redis channel layer (REDIS_URL) is what production and CI run",
)


async def _deliver_one_round() -> list[tuple[int, object]]:
    layer = get_channel_layer()
    # Seat ids nobody else uses in this Redis database: the groups outlive the test for group_expiry.
    first_seat = 10_000_000 + secrets.randbelow(10_000_000)
    seats = list(range(first_seat, first_seat + PHONES))
    channels = {}
    for seat in seats:
        channels[seat] = await layer.new_channel()
        await layer.group_add(fanout.seat_group(seat), channels[seat])
    try:
        await fanout.send_result(
            first_seat, {"kind": "result", "screen": True}, {seat: {"kind": "result", "seat": seat} for seat in seats}
        )
        received = await asyncio.gather(
            *(asyncio.wait_for(layer.receive(channels[seat]), timeout=10) for seat in seats), return_exceptions=True
        )
    finally:
        for seat in seats:
            await layer.group_discard(fanout.seat_group(seat), channels[seat])
    return [(seat, message) for seat, message in zip(seats, received, strict=True)]


def test_every_phone_on_one_worker_receives_its_own_result():
    deliveries = async_to_sync(_deliver_one_round)()

    missing = [seat for seat, message in deliveries if isinstance(message, BaseException)]
    assert missing == [], f"{len(missing)} of {PHONES} phones never received their result"
    assert all(message["payload"]["seat"] == seat for seat, message in deliveries)
