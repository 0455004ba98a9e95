"""Overload answered at the door (issue #16): at most ASGI_MAX_INFLIGHT HTTP requests inside Django at once per
worker process; one more is answered at once with 503 and a Retry-After, without touching Django or the database.

Why not uvicorn's --limit-concurrency: it counts open connections too, and on exam day thousands of pages hold
an idle keep-alive connection each, so it would refuse nearly everything (and it sends no Retry-After). Why a
limit at all: Django runs each request's sync code in a thread of its own; without a bound, a start storm puts
a thousand threads in one process, they starve each other and the worker's health check, and the process
supervisor kills the worker with every request in it. With the bound, the work admitted finishes at full speed
and the rest comes back after Retry-After (the exam page keeps its answers queued meanwhile).
"""

from __future__ import annotations

import json
import random

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

# Never turned away: the load balancer's liveness probe must see a busy worker as alive.
EXEMPT_PATHS = ("/healthz",)


class AdmissionDoor:
    def __init__(self, app, *, limit: int, retry_after: tuple[int, int] = (2, 6)):
        self.app = app
        self.limit = limit
        self.retry_after = retry_after
        self.inflight = 0  # one event loop per worker process: no lock needed
        self.turned_away = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.limit <= 0 or scope["path"] in EXEMPT_PATHS:
            return await self.app(scope, receive, send)
        if self.inflight >= self.limit:
            self.turned_away += 1
            return await self._busy(scope, send)
        self.inflight += 1
        try:
            return await self.app(scope, receive, send)
        finally:
            self.inflight -= 1

    async def _busy(self, scope, send) -> None:
        seconds = random.randint(*self.retry_after)  # spread the retries
        with translation.override(settings.LANGUAGE_CODE):
            message = _("系统繁忙,请 %(s)s 秒后重试;已作答的内容保存在本机,不会丢失。") % {"s": seconds}
        accept = dict(scope.get("headers") or []).get(b"accept", b"")
        if b"text/html" in accept:
            content_type, body = b"text/html; charset=utf-8", f"<!doctype html><title>503</title><p>{message}</p>"
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
