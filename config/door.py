"""Overload answered at the door (issue #16): each ASGI worker admits a bounded number of HTTP requests into Django
at once, in two lanes, and keeps the rest waiting in line for a short while; a request that waits too long is
answered with 503 and a Retry-After, without touching Django or the database.

- The answers lane: the exam page's own requests (save, state, submit: `ASGI_ANSWER_PATHS`). They are cheap, and an
  officer's answer must never wait behind somebody else's exam start.
- The pages lane: everything else (the start, the exam page, study pages), at most `ASGI_PAGES_INFLIGHT` at once.
  A start storm then queues here, in the event loop, where a waiting request costs no thread, instead of
  filling the worker with threads that take the CPU from the saves.

Why a bound at all: Django runs each request's sync code in a thread of its own; without one, a start storm
puts a thousand threads in one process, they starve each other and the worker's health check, and the process
supervisor kills the worker with every request in it. Why a line and not an at-once 503: a start storm is a
burst of seconds; waiting a second or two is better for the officer than an error page and a retry.
Why not uvicorn's --limit-concurrency: it counts open connections too, and on exam day thousands of pages hold
an idle keep-alive connection each, so it would refuse nearly everything (and it sends no Retry-After).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections import deque

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

# Never turned away: the load balancer's liveness probe must see a busy worker as alive.
EXEMPT_PATHS = ("/healthz",)


class Lane:
    """At most `limit` requests inside at once; the others wait in line (first come, first in) for at most
    `wait_seconds`. One event loop per worker process: no lock needed."""

    def __init__(self, name: str, *, limit: int, wait_seconds: float):
        self.name = name
        self.limit = limit
        self.wait_seconds = wait_seconds
        self.inside = 0
        self.line: deque[asyncio.Future] = deque()
        self.waited = 0  # requests that had to wait in line and then got in
        self.turned_away = 0  # requests that waited `wait_seconds` in vain

    async def enter(self) -> bool:
        """True once the request may go in (it must then `leave`); False when its wait ran out."""
        if self.inside < self.limit and not self.line:
            self.inside += 1
            return True
        if self.wait_seconds <= 0:
            self.turned_away += 1
            return False
        loop = asyncio.get_running_loop()
        place = loop.create_future()
        self.line.append(place)
        timer = loop.call_later(self.wait_seconds, self._give_up, place)
        try:
            admitted = await place
        except asyncio.CancelledError:
            # the client went away or the server stops; a place handed over meanwhile goes to the next one
            if place.done() and not place.cancelled() and place.result():
                self.leave()
            elif place in self.line:
                self.line.remove(place)
            raise
        finally:
            timer.cancel()
        if admitted:
            self.waited += 1
        else:
            self.turned_away += 1
        return admitted

    def leave(self) -> None:
        while self.line:
            place = self.line.popleft()
            if not place.done():
                place.set_result(True)  # the place passes to the first in line: `inside` stays the same
                return
        self.inside -= 1

    def _give_up(self, place: asyncio.Future) -> None:
        if not place.done():
            place.set_result(False)
            self.line.remove(place)


class AdmissionDoor:
    def __init__(
        self,
        app,
        *,
        answers_limit: int,
        pages_limit: int,
        wait_seconds: float,
        answer_paths: str,
        retry_after: tuple[int, int] = (2, 6),
    ):
        self.app = app
        self.answers = Lane("answers", limit=answers_limit, wait_seconds=wait_seconds)
        self.pages = Lane("pages", limit=pages_limit, wait_seconds=wait_seconds)
        self.answer_paths = re.compile(answer_paths)
        self.retry_after = retry_after

    @classmethod
    def from_settings(cls, app):
        """The door production and the bench run (config/asgi.py), or the bare app when ASGI_MAX_INFLIGHT is 0."""
        total = settings.ASGI_MAX_INFLIGHT
        if total <= 0:
            return app
        pages = max(1, min(settings.ASGI_PAGES_INFLIGHT, total - 1))
        return cls(
            app,
            answers_limit=total - pages,
            pages_limit=pages,
            wait_seconds=settings.ASGI_DOOR_WAIT_SECONDS,
            answer_paths=settings.ASGI_ANSWER_PATHS,
        )

    @property
    def inflight(self) -> int:
        return self.answers.inside + self.pages.inside

    @property
    def turned_away(self) -> int:
        return self.answers.turned_away + self.pages.turned_away

    def lane_for(self, path: str) -> Lane:
        return self.answers if self.answer_paths.match(path) else self.pages

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            return await self.app(scope, receive, send)
        lane = self.lane_for(scope["path"])
        if not await lane.enter():
            return await self._busy(scope, send)
        try:
            return await self.app(scope, receive, send)
        finally:
            lane.leave()

    async def _busy(self, scope, send) -> None:
        seconds = random.randint(*self.retry_after)  # spread the retries
        with translation.override(settings.LANGUAGE_CODE):
            message = _("系统繁忙,请 %(s)s 秒后重试;已作答的内容保存在本机,不会丢失。") % {"s": seconds}
        accept = dict(scope.get("headers") or []).get(b"accept", b"")
        if b"text/html" in accept:
            # a page asked for by GET comes back by itself after the wait; a form post is not repeated blindly
            refresh = f'<meta http-equiv="refresh" content="{seconds}">' if scope.get("method") == "GET" else ""
            content_type = b"text/html; charset=utf-8"
            body = f"<!doctype html><meta charset=utf-8>{refresh}<title>503</title><p>{message}</p>"
        else:
            content_type, body = b"application/json", json.dumps({"error": message, "retry_after": seconds})
        data = body.encode()
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(data)).encode()),
                    (b"retry-after", str(seconds).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})
