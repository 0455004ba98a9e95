"""Overload answered at the door (config/door.py, issue #16): beyond the limit a request gets 503 + Retry-After
at once, without reaching Django; the health check is never turned away; below the limit nothing changes."""

from __future__ import annotations

import asyncio
import json

from config.door import AdmissionDoor


class SlowApp:
    """An ASGI app that holds each request until released, counting the ones it saw."""

    def __init__(self):
        self.seen = 0
        self.release = asyncio.Event()

    async def __call__(self, scope, receive, send):
        self.seen += 1
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _scope(path="/exams/attempts/1/answers/", accept=b"application/json"):
    return {"type": "http", "path": path, "headers": [(b"accept", accept)]}


async def _call(app, scope):
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    await app(scope, receive, send)
    return sent


def test_beyond_the_limit_answers_503_with_retry_after_and_never_reaches_django():
    async def scenario():
        inner = SlowApp()
        door = AdmissionDoor(inner, limit=2)
        admitted = [asyncio.create_task(_call(door, _scope())) for _ in range(2)]
        await asyncio.sleep(0)
        refused = await _call(door, _scope())
        html = await _call(door, _scope(accept=b"text/html,application/xhtml+xml"))
        health = asyncio.create_task(_call(door, _scope(path="/healthz")))
        await asyncio.sleep(0)
        inner.release.set()
        done = await asyncio.gather(*admitted, health)
        after = await _call(door, _scope())  # the door reopens as the admitted work finishes
        return inner, door, refused, html, done, after

    inner, door, refused, html, done, after = asyncio.run(scenario())
    start, body = refused
    headers = dict(start["headers"])
    assert start["status"] == 503
    assert 2 <= int(headers[b"retry-after"]) <= 6
    assert headers[b"content-type"] == b"application/json"
    assert "系统繁忙" in json.loads(body["body"])["error"]
    assert html[0]["status"] == 503 and b"text/html" in dict(html[0]["headers"])[b"content-type"]
    assert [d[0]["status"] for d in done] == [200, 200, 200]  # the two admitted and the health check
    assert after[0]["status"] == 200
    assert inner.seen == 4 and door.turned_away == 2 and door.inflight == 0


def test_no_limit_passes_everything():
    async def scenario():
        inner = SlowApp()
        inner.release.set()
        door = AdmissionDoor(inner, limit=0)
        return await asyncio.gather(*(_call(door, _scope()) for _ in range(50)))

    assert all(r[0]["status"] == 200 for r in asyncio.run(scenario()))
