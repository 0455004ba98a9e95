"""Overload answered at the door (config/door.py, issue #16): two lanes per worker (the exam page's answers, and
everything else), each with a bound on the requests inside Django; beyond it a request waits in line, first come
first in, for a bounded time, then gets 503 + Retry-After without reaching Django. The health check is never held."""

from __future__ import annotations

import asyncio
import json

from django.test import override_settings

from config.door import AdmissionDoor

ANSWERS = r"^/exams/attempts/\d+/(answers|state|submit)/$"
SAVE = "/exams/attempts/1/answers/"
START = "/exams/7/start/"


class SlowApp:
    """An ASGI app that holds each request until released, recording the paths it saw in order."""

    def __init__(self):
        self.seen: list[str] = []
        self.release = asyncio.Event()

    async def __call__(self, scope, receive, send):
        self.seen.append(scope["path"])
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _door(inner, *, answers=2, pages=1, wait=0.0):
    return AdmissionDoor(inner, answers_limit=answers, pages_limit=pages, wait_seconds=wait, answer_paths=ANSWERS)


def _scope(path=SAVE, accept=b"application/json", method="POST"):
    return {"type": "http", "path": path, "method": method, "headers": [(b"accept", accept)]}


async def _call(app, scope):
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    await app(scope, receive, send)
    return sent


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


async def _pages_lane_taken(*, wait: float):
    """A door whose pages lane (one place) is taken by a start held inside Django."""
    inner = SlowApp()
    door = _door(inner, pages=1, wait=wait)
    holder = asyncio.create_task(_call(door, _scope(path=START)))
    await _settle()
    return inner, door, holder


def test_a_full_lane_with_no_wait_answers_503_with_retry_after_and_never_reaches_django():
    async def scenario():
        inner = SlowApp()
        door = _door(inner, answers=2, wait=0)
        admitted = [asyncio.create_task(_call(door, _scope())) for _ in range(2)]
        await _settle()
        refused = await _call(door, _scope())
        health = asyncio.create_task(_call(door, _scope(path="/healthz")))
        await _settle()
        inner.release.set()
        done = await asyncio.gather(*admitted, health)
        after = await _call(door, _scope())  # the door reopens as the admitted work finishes
        return inner, door, refused, done, after

    inner, door, refused, done, after = asyncio.run(scenario())
    start, body = refused
    headers = dict(start["headers"])
    assert start["status"] == 503
    assert 2 <= int(headers[b"retry-after"]) <= 6
    assert headers[b"content-type"] == b"application/json"
    assert "系统繁忙" in json.loads(body["body"])["error"]
    assert [d[0]["status"] for d in done] == [200, 200, 200]  # the two admitted and the health check
    assert after[0]["status"] == 200
    assert len(inner.seen) == 4 and door.turned_away == 1 and door.inflight == 0


def test_a_start_storm_does_not_hold_up_answers():
    async def scenario():
        inner = SlowApp()
        door = _door(inner, answers=2, pages=1, wait=5)
        starts = [asyncio.create_task(_call(door, _scope(path=START))) for _ in range(3)]
        await _settle()
        save = asyncio.create_task(_call(door, _scope()))
        await _settle()
        seen_before_release = list(inner.seen)
        inner.release.set()
        results = await asyncio.gather(*starts, save)
        return inner, door, seen_before_release, results

    inner, door, seen_before_release, results = asyncio.run(scenario())
    # one start inside, two waiting in line; the save went past them into its own lane
    assert seen_before_release == [START, SAVE]
    assert [r[0]["status"] for r in results] == [200, 200, 200, 200]
    assert door.pages.waited == 2 and door.turned_away == 0 and door.inflight == 0


def test_the_line_is_first_come_first_in_and_a_place_passes_on():
    async def scenario():
        inner = SlowApp()
        door = _door(inner, pages=1, wait=5)
        paths = [f"/exams/{i}/start/" for i in range(4)]
        tasks = []
        for path in paths:
            tasks.append(asyncio.create_task(_call(door, _scope(path=path))))
            await _settle()
        inside_while_full = door.pages.inside
        inner.release.set()
        await asyncio.gather(*tasks)
        return inner, door, paths, inside_while_full

    inner, door, paths, inside_while_full = asyncio.run(scenario())
    assert inside_while_full == 1
    assert inner.seen == paths
    assert door.pages.inside == 0 and not door.pages.line


def test_a_request_that_waits_too_long_gets_503_and_html_pages_come_back_by_themselves():
    async def scenario():
        inner, door, holder = await _pages_lane_taken(wait=0.05)
        page = await _call(door, _scope(path="/exams/attempts/3/", accept=b"text/html,*/*", method="GET"))
        form = await _call(door, _scope(path=START, accept=b"text/html,*/*", method="POST"))
        inner.release.set()
        await holder
        return inner, door, page, form

    inner, door, page, form = asyncio.run(scenario())
    assert page[0]["status"] == 503 and form[0]["status"] == 503
    assert b'http-equiv="refresh"' in page[1]["body"]  # a GET page reloads itself after Retry-After
    assert b"refresh" not in form[1]["body"]  # a form post is never repeated blindly
    assert "系统繁忙" in page[1]["body"].decode()
    assert inner.seen == [START] and door.pages.turned_away == 2 and not door.pages.line


def test_a_waiter_that_goes_away_keeps_no_place():
    async def scenario():
        inner, door, holder = await _pages_lane_taken(wait=5)
        gone = asyncio.create_task(_call(door, _scope(path=START)))
        await _settle()
        gone.cancel()
        await asyncio.gather(gone, return_exceptions=True)
        inner.release.set()
        await holder
        after = await _call(door, _scope(path=START))
        return door, after

    door, after = asyncio.run(scenario())
    assert after[0]["status"] == 200
    assert door.pages.inside == 0 and not door.pages.line


@override_settings(ASGI_MAX_INFLIGHT=32, ASGI_PAGES_INFLIGHT=8, ASGI_DOOR_WAIT_SECONDS=4.0, ASGI_ANSWER_PATHS=ANSWERS)
def test_the_settings_split_the_bound_between_the_lanes():
    door = AdmissionDoor.from_settings(SlowApp())
    assert (door.answers.limit, door.pages.limit, door.pages.wait_seconds) == (24, 8, 4.0)
    assert door.lane_for(SAVE) is door.answers
    assert door.lane_for("/exams/attempts/1/state/") is door.answers
    assert door.lane_for("/exams/attempts/1/") is door.pages
    assert door.lane_for(START) is door.pages


@override_settings(ASGI_MAX_INFLIGHT=0)
def test_no_door_when_the_bound_is_zero():
    inner = SlowApp()
    assert AdmissionDoor.from_settings(inner) is inner
