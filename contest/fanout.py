"""The contest's websocket traffic: group names and the sends. The database already holds everything these
carry; a lost message is repaired by the state a page is sent when it (re)connects.

Phones are reached through their worker process, not one by one: each process that holds phones of a contest keeps
one hub (`PhoneHub`): the process's phones of that contest by seat, and ONE channel in the contest's workers group.
A round is one message per process, and a round's results one message per process carrying every seat's own small
result, which the hub hands to that seat's phones only. With channels_redis a group_send costs Redis round trips
per member, and every consumer of a process reads from one Redis key, one message at a time: per-phone groups made
closing a round for 300 phones ~200 ms of sends and as long again of reads before the last phone had its result.

Per round: the question to every phone when it is shown (never the key); after it closes, the screen group gets the
distribution, leaderboard and teams, and each phone only its own result: no phone ever receives the whole
scoreboard."""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections import defaultdict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def screen_group(contest_id: int) -> str:
    return f"contest.{contest_id}.screen"


def workers_group(contest_id: int) -> str:
    """One member per worker process holding phones of the contest: its hub's channel."""
    return f"contest.{contest_id}.workers"


def now_ms() -> int:
    return int(time.time() * 1000)


def _event(payload: dict) -> dict:
    return {"type": "contest.push", "payload": payload}


def _to_phones(*, everyone: dict | None = None, seats: dict[int, dict] | None = None) -> dict:
    # msgpack (channels_redis) refuses integer map keys on the way back: seat ids travel as strings.
    return {
        "type": "contest.hub",
        "everyone": everyone,
        "seats": {str(seat_id): payload for seat_id, payload in (seats or {}).items()},
    }


async def send_round(contest_id: int, payload: dict) -> None:
    layer = get_channel_layer()
    await layer.group_send(workers_group(contest_id), _to_phones(everyone=payload))
    await layer.group_send(screen_group(contest_id), _event(payload))


async def send_result(contest_id: int, screen: dict, phones: dict[int, dict]) -> None:
    layer = get_channel_layer()
    await layer.group_send(screen_group(contest_id), _event(screen))
    await layer.group_send(workers_group(contest_id), _to_phones(seats=phones))


async def send_screen(contest_id: int, payload: dict) -> None:
    await get_channel_layer().group_send(screen_group(contest_id), _event(payload))


async def send_everyone(contest_id: int, payload: dict) -> None:
    await send_round(contest_id, payload)


class PhoneHub:
    """This process's phones of one contest (seat id -> its open sockets: a reconnecting phone may briefly have
    two) and the one channel through which the process receives the contest's phone messages."""

    def __init__(self, contest_id: int):
        self.contest_id = contest_id
        self.phones: dict[int, set] = defaultdict(set)
        self.channel = ""
        self.ready: asyncio.Task | None = None
        self.reader: asyncio.Task | None = None

    async def start(self) -> None:
        layer = get_channel_layer()
        self.channel = await layer.new_channel()
        await layer.group_add(workers_group(self.contest_id), self.channel)
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def stop(self) -> None:
        if self.ready is not None:
            await asyncio.gather(self.ready, return_exceptions=True)
        if self.reader is not None:
            self.reader.cancel()
        if self.channel:
            await get_channel_layer().group_discard(workers_group(self.contest_id), self.channel)

    async def _read(self) -> None:
        layer = get_channel_layer()
        while True:
            try:
                message = await layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis away for a moment: the phones' reconnect state repairs what is missed
                logger.exception("contest %s: the phone hub could not read", self.contest_id)
                await asyncio.sleep(1)
                continue
            await self.deliver(message)

    async def deliver(self, message: dict) -> None:
        everyone, seats = message.get("everyone"), message.get("seats") or {}
        sends = []
        for seat_id, sockets in list(self.phones.items()):
            payload = everyone if everyone is not None else seats.get(str(seat_id))
            if payload is not None:
                sends.extend(socket.hub_push(payload) for socket in list(sockets))
        results = await asyncio.gather(*sends, return_exceptions=True)
        failed = sum(1 for result in results if isinstance(result, Exception))
        if failed:  # sockets closing as the message arrived; they get the state when they come back
            logger.info("contest %s: %s of %s phone sends failed", self.contest_id, failed, len(sends))


# Per event loop (one per worker process; tests run several loops), contest id -> hub.
_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, PhoneHub]] = weakref.WeakKeyDictionary()


async def phone_attach(contest_id: int, seat_id: int, socket) -> None:
    """A phone's socket joins its process's hub of the contest (the hub starts with the first). `socket` has an
    async `hub_push(payload)`."""
    hubs = _hubs.setdefault(asyncio.get_running_loop(), {})
    hub = hubs.get(contest_id)
    if hub is None:
        hub = hubs[contest_id] = PhoneHub(contest_id)
        hub.ready = asyncio.get_running_loop().create_task(hub.start())
    hub.phones[seat_id].add(socket)
    try:
        await asyncio.shield(hub.ready)
    except Exception:
        hub.phones[seat_id].discard(socket)
        if hubs.get(contest_id) is hub and not any(hub.phones.values()):
            del hubs[contest_id]
        raise


async def phone_detach(contest_id: int, seat_id: int, socket) -> None:
    """A phone's socket leaves; the last one out stops the hub (a later phone starts a new one)."""
    hubs = _hubs.get(asyncio.get_running_loop(), {})
    hub = hubs.get(contest_id)
    if hub is None:
        return
    sockets = hub.phones.get(seat_id)
    if sockets is not None:
        sockets.discard(socket)
        if not sockets:
            del hub.phones[seat_id]
    if not hub.phones:
        del hubs[contest_id]
        await hub.stop()


def push(coroutine_function, *args) -> None:
    """From sync code (views, the timer job): send now. Callers run it after their transaction committed."""
    async_to_sync(coroutine_function)(*args)
