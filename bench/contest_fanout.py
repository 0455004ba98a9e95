"""Live contest fan-out: N phones on websockets in one contest, 20 rounds, every phone answering.

    .venv/bin/python -m bench contest_fanout                      # 300 phones, 20 questions
    .venv/bin/python -m bench contest_fanout --clients 1000       # the 1,000 figure (reported, not a target)
    .venv/bin/python -m bench contest_fanout --clients 30         # a smoke run

Everything runs on this machine: a throwaway PostgreSQL database (created, migrated, dropped: bench/common.py),
Redis for the channel layer (BENCH_REDIS_URL, default db 15) and the app under uvicorn (`config.asgi:application`,
`--workers 2`, DJANGO_SETTINGS_MODULE=config.settings.bench) on 127.0.0.1:BENCH_PORT (default 8766).

Seeding: one bureau with ten 中队, N officers (users with a server-side session each, as allauth's login leaves
it), a host trainer, 20 active questions (single choice and true/false) and a contest of them; every officer
joins through contest.services.contest_join (their seat and team). Then the phones connect (asyncio +
websockets, in batches), answer the server's pings as the phone page does, and answer each round at a random
moment inside its answer window. The host (this script, over HTTP with its session and CSRF token, as the console
does) posts next, waits for the round's close time (deadline + the largest grace + the settle margin), posts
close, and waits until every phone has its result.

Measured: from the host's close request leaving to each phone receiving its own result (p50/p95/max over all
deliveries, and the last phone per round: p50/p95 over the rounds); acknowledgements accepted/refused; then the
database is checked: every accepted answer stored exactly once (lost = acknowledged but not stored; doubled =
more than one row for a seat and round, which the unique constraint forbids), and every phone's result agrees
with its stored answer. Results go to bench/results/contest_fanout-<N>.json."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import resource
import secrets
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
from bench.common import AppServer, csrf_secret, summarize  # noqa: E402  (after the path)

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8766"))
BASE = f"http://{HOST}:{PORT}"
DB_NAME = "zfxt_bench_contest"
SQUADS = [f"执法{n}中队" for n in "一二三四五六七八九十"]


# --------------------------------------------------------------------------- seeding (sync, Django)


def seed(n: int, questions: int, seconds: int, read: int) -> dict:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from contest import services as contest_services
    from exams import services as exam_services
    from exams.formats.base import Option, QuestionData
    from org.models import Officer, RoleCategory, Unit, User
    from org.services import role_grant, unit_ensure_path

    started = time.perf_counter()
    kinds = (Unit.Kind.BUREAU, Unit.Kind.SQUAD)
    squads = [unit_ensure_path(path=f"基准区城管局/{name}", kinds=kinds) for name in SQUADS]
    role = RoleCategory.objects.order_by("sort_order").first()
    users = User.objects.bulk_create([User(username=f"C{i:05d}", password="!") for i in range(n)], batch_size=1000)
    officers = Officer.objects.bulk_create(
        [
            Officer(
                user=u, employee_no=u.username, name=f"队员{i:04d}", unit=squads[i % len(squads)], role_category=role
            )
            for i, u in enumerate(users)
        ],
        batch_size=1000,
    )
    host = User.objects.create(username="contest-host", password="!")
    role_grant(user=host, role="trainer")
    ids = []
    for i in range(questions):
        if i % 2:
            data = QuestionData(
                kind="true_false",
                stem=f"基准判断题{i}:违法行为在二年内未被发现的,不再给予行政处罚。",
                answer_bool=True,
                category="基准/竞赛",
            )
        else:
            data = QuestionData(
                kind="single",
                stem=f"基准单选题{i}:当场处罚决定应当在几日内报所属行政机关备案?",
                options=[Option("三日"), Option("五日"), Option("七日"), Option("二日", True)],
                category="基准/竞赛",
            )
        ids.append(exam_services.question_create(data=data, actor=host, status="active").pk)
    contest = contest_services.contest_create(
        actor=host, title="基准知识竞赛", question_ids=ids, seconds_per_question=seconds, read_seconds=read
    )
    for officer in officers:
        contest_services.contest_join(contest=contest, officer=officer)

    store_cls = import_module(settings.SESSION_ENGINE).SessionStore
    expire = timezone.now() + dt.timedelta(days=1)
    rows, phones = [], []
    for user in [*users, host]:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store_cls().encode(data), expire_date=expire))
        phones.append({"user": user.pk, "session": key})
    Session.objects.bulk_create(rows, batch_size=1000)
    print(
        f"seeded {n} officers, {questions} questions, contest {contest.pk} in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return {"contest": contest.pk, "phones": phones[:-1], "host": {**phones[-1], "csrf": csrf_secret()}}


def check_database(contest_id: int, acked: dict[tuple[int, int], object]) -> dict:
    """acked: (user id, position) → response acknowledged as accepted."""
    from django.db.models import Count

    from contest.models import Answer

    stored = {
        (user, position): response
        for user, position, response in Answer.objects.filter(contest_question__contest_id=contest_id).values_list(
            "seat__officer__user_id", "contest_question__position", "response"
        )
    }
    doubled = (
        Answer.objects.filter(contest_question__contest_id=contest_id)
        .values("seat_id", "contest_question_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    lost = [key for key in acked if key not in stored]
    different = [key for key, response in acked.items() if key in stored and stored[key] != response]
    return {
        "acked": len(acked),
        "stored": len(stored),
        "lost": len(lost),
        "different": len(different),
        "doubled": doubled,
        "stored_not_acked": len(set(stored) - set(acked)),
    }


# --------------------------------------------------------------------------- server


def make_server(workers: int, log: Path) -> AppServer:
    return AppServer(port=PORT, workers=workers, log=log, uvicorn_args=("--ws", "websockets-sansio"))


# --------------------------------------------------------------------------- the phones and the host (asyncio)


class Phone:
    def __init__(self, info: dict, contest_id: int, rng: random.Random):
        self.user, self.session, self.contest_id, self.rng = info["user"], info["session"], contest_id, rng
        self.offset_ms = 0.0
        self.results: dict[int, float] = {}  # position → time.time() the result arrived
        self.result_payloads: dict[int, dict] = {}
        self.acked: dict[int, object] = {}
        self.refused: dict[int, str] = {}
        self.sent: dict[int, object] = {}
        self.rounds: dict[int, dict] = {}  # position → the round as received
        self.finished = asyncio.Event()
        self.ready = asyncio.Event()
        self.errors: list[str] = []

    async def run(self) -> None:
        from websockets.asyncio.client import connect

        url = f"ws://{HOST}:{PORT}/ws/contest/{self.contest_id}/play/"
        try:
            async with connect(
                url,
                origin=BASE,
                additional_headers={"Cookie": f"sessionid={self.session}"},
                open_timeout=60,
                ping_interval=None,
                compression=None,
            ) as ws:
                self.ws = ws
                async for raw in ws:
                    message = json.loads(raw)
                    if "now" in message:
                        self.offset_ms = message["now"] - time.time() * 1000
                    kind = message.get("kind")
                    if kind == "hello":
                        self.ready.set()
                    elif kind == "ping":
                        await ws.send(json.dumps({"kind": "pong", "id": message["id"]}))
                    elif kind == "question":
                        self.rounds[message["position"]] = message
                        asyncio.create_task(self.answer(message))
                    elif kind == "ack":
                        if message["accepted"]:
                            self.acked[message["position"]] = message["response"]
                        else:
                            self.refused[message["position"]] = message["reason"]
                    elif kind == "result":
                        self.results[message["position"]] = time.time()
                        self.result_payloads[message["position"]] = message
                    elif kind == "finished":
                        self.finished.set()
                        return
        except Exception as exc:  # reported in the summary
            self.errors.append(repr(exc))
            self.ready.set()

    async def answer(self, round_: dict) -> None:
        now = time.time() * 1000 + self.offset_ms
        window = round_["closes_at"] - round_["opens_at"]
        at = round_["opens_at"] + self.rng.uniform(0.05, 0.8) * window
        await asyncio.sleep(max(0.0, (at - now) / 1000))
        question = round_["question"]
        if question["kind"] == "true_false":
            response = self.rng.random() < 0.7
        else:
            response = [self.rng.choice([o["key"] for o in question["options"]])]
        self.sent[round_["position"]] = response
        await self.ws.send(json.dumps({"kind": "answer", "position": round_["position"], "response": response}))


async def host_post(host: dict, action: str, contest_id: int) -> dict:
    def post() -> dict:
        request = urllib.request.Request(
            f"{BASE}/contest/{contest_id}/{action}/",
            method="POST",
            data=b"",
            headers={
                "Cookie": f"sessionid={host['session']}; csrftoken={host['csrf']}",
                "X-CSRFToken": host["csrf"],
                "Referer": f"{BASE}/contest/{contest_id}/host/",
                "Origin": BASE,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return {"ok": False, "status": exc.code, "error": exc.read()[:300].decode(errors="replace")}

    return await asyncio.to_thread(post)


async def drive(seeded: dict, questions: int, batch: int, rng: random.Random) -> dict:
    contest_id, host = seeded["contest"], seeded["host"]
    phones = [Phone(info, contest_id, random.Random(rng.random())) for info in seeded["phones"]]
    tasks = []
    started = time.perf_counter()
    for start in range(0, len(phones), batch):
        for phone in phones[start : start + batch]:
            tasks.append(asyncio.create_task(phone.run()))
        await asyncio.gather(*(p.ready.wait() for p in phones[start : start + batch]))
    connect_s = time.perf_counter() - started
    connected = sum(1 for p in phones if not p.errors)
    print(f"{connected}/{len(phones)} phones connected in {connect_s:.1f} s", flush=True)
    await asyncio.sleep(1.5)  # the server's first pings (round-trips) are measured
    per_round_last, deliveries, close_request = [], [], []
    for position in range(1, questions + 1):
        body = await host_post(host, "next", contest_id)
        if not body.get("ok"):
            raise RuntimeError(f"next refused: {body}")
        # the round's close time (deadline + largest grace + settle) as the phones received it, on the server clock
        while not any(position in p.rounds for p in phones):
            await asyncio.sleep(0.02)
        first = next(p for p in phones if position in p.rounds)
        wait_ms = first.rounds[position]["close_due"] - (time.time() * 1000 + first.offset_ms)
        await asyncio.sleep(max(0.0, wait_ms / 1000) + 0.02)
        t0 = time.time()
        body = await host_post(host, "close", contest_id)
        close_request.append(time.time() - t0)
        if not body.get("ok"):
            raise RuntimeError(f"close refused: {body}")
        deadline = time.time() + 30
        while time.time() < deadline and not all(position in p.results for p in phones if not p.errors):
            await asyncio.sleep(0.01)
        got = [p.results[position] - t0 for p in phones if position in p.results]
        deliveries.extend(got)
        per_round_last.append(max(got) if got else float("nan"))
        missing = sum(1 for p in phones if position not in p.results)
        print(
            f"round {position:2d}: answered {sum(1 for p in phones if position in p.acked)}, last result "
            f"{max(got) * 1000 if got else float('nan'):.0f} ms after close, missing {missing}",
            flush=True,
        )
    await host_post(host, "finish", contest_id)
    await asyncio.wait_for(asyncio.gather(*(p.finished.wait() for p in phones if not p.errors)), timeout=30)
    for task in tasks:
        task.cancel()
    acked = {(p.user, position): response for p in phones for position, response in p.acked.items()}
    wrong_result = sum(
        1
        for p in phones
        for position, result in p.result_payloads.items()
        if result["answered"] != (position in p.acked)
    )
    return {
        "connect_s": round(connect_s, 1),
        "connected": connected,
        "phone_errors": [e for p in phones for e in p.errors][:10],
        "close_to_each_result": summarize(deliveries),
        "close_to_last_result_per_round": summarize(per_round_last),
        "close_request": summarize(close_request),
        "answers_sent": sum(len(p.sent) for p in phones),
        "acks_accepted": len(acked),
        "acks_refused": sum(len(p.refused) for p in phones),
        "refusal_reasons": sorted({r for p in phones for r in p.refused.values()}),
        "results_missing": sum(1 for p in phones for pos in range(1, questions + 1) if pos not in p.results),
        "results_disagreeing_with_ack": wrong_result,
        "_acked": acked,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=6, help="answer time per round (the contest's setting)")
    parser.add_argument("--read", type=int, default=1, help="read time per round")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=50, help="phones connecting at once")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.clients + 1024)), hard))
    RESULTS.mkdir(exist_ok=True)
    from bench.common import PG, throwaway_database, uptime

    # Seed under the server's own settings (its SECRET_KEY signs the sessions written here).
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    os.environ["BENCH_DATABASE_URL"] = f"{PG}/{DB_NAME}"
    load_before = uptime()
    with throwaway_database(DB_NAME):
        from django.db import connections

        seeded = seed(args.clients, args.questions, args.seconds, args.read)
        connections.close_all()
        server = make_server(args.workers, RESULTS / "contest_fanout-server.log")
        server.start()
        try:
            outcome = asyncio.run(drive(seeded, args.questions, args.batch, random.Random(args.seed)))
        finally:
            server.stop()
        acked = outcome.pop("_acked")
        outcome["database"] = check_database(seeded["contest"], acked)
        connections.close_all()
    report = {
        "benchmark": "contest_fanout",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "clients": args.clients,
        "questions": args.questions,
        "seconds_per_question": args.seconds,
        "workers": args.workers,
        "load_before": load_before,
        "load_after": uptime(),
        **outcome,
    }
    path = RESULTS / f"contest_fanout-{args.clients}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
