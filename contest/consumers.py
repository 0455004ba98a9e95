"""The contest's websockets.

- PlayConsumer (a phone): a joined officer's seat. Receives the round, its own answer's acknowledgement and its own
  result; sends answers and pongs. The server times its own ping → pong (a phone cannot make its round-trip look
  shorter, and a slow echo is bounded: the median of the last few, capped); the grace an answer gets comes from
  those measurements. The time an answer counts from is taken the moment its frame arrives, before any database
  work, and judged by contest.services against the round's stored deadline.
- ScreenConsumer (the big screen and the host console): the contest's host only; receives the lobby, rounds, the
  live count of answers and each round's distribution and leaderboard. It sends nothing back: host actions are
  HTTP posts (contest.views), so they pass the same access guard and CSRF check as every other write."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections import Counter, deque

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone

from . import fanout, scoring, selectors, services
from .models import Contest, Seat

MAX_FRAME_CHARS = 2048
PINGS_AT_CONNECT = 3
PING_SPACING_S = 0.3
PING_EVERY_S = 5.0
# A phone sends one answer per round (and once more after a reconnect); more frames than this for one round on one
# connection are dropped unread, so a misbehaving client cannot flood the log.
MAX_ANSWER_FRAMES_PER_ROUND = 3


@database_sync_to_async
def _seat_for(user, contest_id: int) -> Seat | None:
    from org.access import current_officer

    officer = current_officer(user)
    if officer is None:
        return None
    return Seat.objects.select_related("contest").filter(contest_id=contest_id, officer=officer).first()


@database_sync_to_async
def _phone_state(seat: Seat) -> dict:
    return selectors.phone_state(seat)


@database_sync_to_async
def _submit(seat: Seat, position: int, response: object, received_at, grace: int, rtt: int | None):
    return services.answer_submit(
        seat=seat, position=position, response=response, received_at=received_at, grace_ms=grace, rtt_ms=rtt
    )


@database_sync_to_async
def _hosted_contest(user, contest_id: int) -> Contest | None:
    return Contest.objects.filter(pk=contest_id, host_id=user.pk).first()


@database_sync_to_async
def _screen_state(contest: Contest) -> dict:
    return selectors.screen_state(contest)


def _parse(text_data: str | None) -> dict | None:
    """A phone's frame: small JSON objects only; anything else is dropped unread."""
    if not text_data or len(text_data) > MAX_FRAME_CHARS:
        return None
    try:
        message = json.loads(text_data)
    except (ValueError, RecursionError):
        return None
    return message if isinstance(message, dict) else None


class PlayConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        seat = await _seat_for(user, int(self.scope["url_route"]["kwargs"]["contest_id"]))
        if seat is None:
            await self.close(code=4403)
            return
        self.seat = seat
        await fanout.phone_attach(seat.contest_id, seat.pk, self)
        self.attached = True
        self.rtts: deque[float] = deque(maxlen=scoring.RTT_SAMPLES)
        self.pending: dict[str, float] = {}
        self.answer_frames: Counter[int] = Counter()
        await self.accept()
        state = await _phone_state(seat)
        await self.send_json({**state, "now": fanout.now_ms()})
        self.pinger = asyncio.create_task(self._ping_loop())

    async def _ping(self) -> None:
        token = secrets.token_hex(4)
        if len(self.pending) > 10:  # never answered: forget the oldest
            self.pending.pop(next(iter(self.pending)))
        self.pending[token] = time.monotonic()
        await self.send_json({"kind": "ping", "id": token, "now": fanout.now_ms()})

    async def _ping_loop(self) -> None:
        try:
            for _ in range(PINGS_AT_CONNECT):
                await self._ping()
                await asyncio.sleep(PING_SPACING_S)
            while True:
                await asyncio.sleep(PING_EVERY_S)
                await self._ping()
        except asyncio.CancelledError:
            pass
        except Exception:  # the socket went away between two pings
            return

    def rtt_ms(self) -> int | None:
        return int(sorted(self.rtts)[len(self.rtts) // 2]) if self.rtts else None

    async def receive(self, text_data=None, bytes_data=None):
        received_at = timezone.now()  # the server's receipt time: what the deadline is judged against
        message = _parse(text_data)
        if message is None:
            return
        kind = message.get("kind")
        if kind == "pong":
            sent = self.pending.pop(message.get("id"), None) if isinstance(message.get("id"), str) else None
            if sent is not None:
                self.rtts.append((time.monotonic() - sent) * 1000)
            return
        if kind != "answer":
            return
        position = message.get("position")
        if not isinstance(position, int) or isinstance(position, bool) or not 0 < position < 1000:
            return
        self.answer_frames[position] += 1
        if self.answer_frames[position] > MAX_ANSWER_FRAMES_PER_ROUND:
            return
        grace = scoring.grace_ms(self.rtts)
        outcome = await _submit(self.seat, position, message.get("response"), received_at, grace, self.rtt_ms())
        await self.send_json(
            {
                "kind": "ack",
                "position": position,
                "accepted": outcome.accepted,
                "duplicate": outcome.duplicate,
                "reason": outcome.reason,
                "response": outcome.answer.response if outcome.answer else None,
                "received_at": int(received_at.timestamp() * 1000),
                "grace_ms": grace,
                "now": fanout.now_ms(),
            }
        )
        if outcome.accepted and not outcome.duplicate:
            await self.channel_layer.group_send(
                fanout.screen_group(self.seat.contest_id),
                {"type": "contest.push", "payload": {"kind": "answered", "position": position}},
            )

    async def disconnect(self, code):
        if hasattr(self, "pinger"):
            self.pinger.cancel()
        if getattr(self, "attached", False):
            await fanout.phone_detach(self.seat.contest_id, self.seat.pk, self)

    async def hub_push(self, payload: dict) -> None:
        """A round, or this seat's own result, handed over by the process's hub (contest.fanout.PhoneHub)."""
        await self.send_json({**payload, "now": fanout.now_ms()})


class ScreenConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        contest = await _hosted_contest(user, int(self.scope["url_route"]["kwargs"]["contest_id"]))
        if contest is None:
            await self.close(code=4403)
            return
        self.group = fanout.screen_group(contest.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({**(await _screen_state(contest)), "now": fanout.now_ms()})

    async def receive(self, text_data=None, bytes_data=None):
        # Pushes only: host actions are HTTP posts. Frames are dropped unread.
        return

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def contest_push(self, event):
        await self.send_json({**event["payload"], "now": fanout.now_ms()})
