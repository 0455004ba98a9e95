"""The contest's websocket traffic: group names and the sends. The database already holds everything these
carry; a lost message is repaired by the state a page is sent when it (re)connects.

Per round: one message to the phones' group when it is shown (the question, never the key), and after it closes
one message to the screen group (distribution, leaderboard, teams) and to each seat's own group its own small
result: no phone ever receives the whole scoreboard."""

from __future__ import annotations

import asyncio
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

SEND_BATCH = 200


def phones_group(contest_id: int) -> str:
    return f"contest.{contest_id}.phones"


def screen_group(contest_id: int) -> str:
    return f"contest.{contest_id}.screen"


def seat_group(seat_id: int) -> str:
    return f"contest.seat.{seat_id}"


def now_ms() -> int:
    return int(time.time() * 1000)


def _event(payload: dict) -> dict:
    return {"type": "contest.push", "payload": payload}


async def send_round(contest_id: int, payload: dict) -> None:
    layer = get_channel_layer()
    await layer.group_send(phones_group(contest_id), _event(payload))
    await layer.group_send(screen_group(contest_id), _event(payload))


async def send_result(contest_id: int, screen: dict, phones: dict[int, dict]) -> None:
    layer = get_channel_layer()
    await layer.group_send(screen_group(contest_id), _event(screen))
    items = list(phones.items())
    for start in range(0, len(items), SEND_BATCH):
        await asyncio.gather(
            *(
                layer.group_send(seat_group(seat_id), _event(payload))
                for seat_id, payload in items[start : start + SEND_BATCH]
            )
        )


async def send_screen(contest_id: int, payload: dict) -> None:
    await get_channel_layer().group_send(screen_group(contest_id), _event(payload))


async def send_everyone(contest_id: int, payload: dict) -> None:
    layer = get_channel_layer()
    await layer.group_send(phones_group(contest_id), _event(payload))
    await layer.group_send(screen_group(contest_id), _event(payload))


def push(coroutine_function, *args) -> None:
    """From sync code (views, the timer job): send now. Callers run it after their transaction committed."""
    async_to_sync(coroutine_function)(*args)
