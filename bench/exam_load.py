"""Exam-day load: N officers start one exam together, autosave every 15 s, submit; and a fault run.

    .venv/bin/python -m bench exam_load seed [--officers 2000] [--questions 20]
    .venv/bin/python -m bench exam_load run --n 500 [--interval 15 --jitter 3] [--fault] [--baseline-only 60]
    .venv/bin/python -m bench exam_load login [--count 20]
    .venv/bin/python -m bench exam_load profile
    .venv/bin/python -m bench exam_load monitor [--officers 2000 --polls 20]   # the live monitor's JSON per poll
    .venv/bin/python -m bench exam_load all      # seed, N = 250 500 1000 2000, then the fault run (N = 500)
    .venv/bin/python -m bench exam_load capacity [--start 250 --step 250 --max 3000]   # largest N meeting targets

Everything runs on this machine: PostgreSQL database zfxt_bench (BENCH_DATABASE_URL), Redis db 15
(BENCH_REDIS_URL), and the app under uvicorn (`config.asgi:application`, `--workers 2`, uvloop + httptools,
DJANGO_SETTINGS_MODULE=config.settings.bench) started and stopped by this script on 127.0.0.1:8765.

`seed` migrates the bench database and creates the officers (org.services.officer_provision; one shared
password hash written afterwards, so seeding does not hash 2000 times), 20 active questions of every objective
kind plus one case (exams.services.question_create) and a fixed paper. `run` creates a fresh published exam
for the first N officers' units (each run starts from no attempt), creates one server-side session per officer
(see docs/PERFORMANCE.md: N real logins would be N PBKDF2 hashes and allauth's 30 logins/min/IP limit),
starts the server and drives the officers with asyncio + aiohttp:

1. every officer opens a keep-alive connection (GET /healthz, in batches), then waits at a barrier;
2. at once: POST /exams/<id>/start/, GET the attempt page, GET its state;
3. one answer per save, a save every `interval` ± `jitter` seconds (uniform), each save with the attempt's
   next seq, until every question is answered; then POST submit;
4. meanwhile a baseline stream: POST /bench/baseline/ (login required, CSRF checked, one row written) from
   random officers at a tenth of the save rate, so the ratio save p50 / baseline p50 is measured under the
   same load.

Latencies per request type (p50/p95/p99), errors by kind, and a check of every answer acknowledged with 2xx
against the database (acked vs stored vs missing) are printed and written to bench/results/<name>.json.
`--fault` SIGKILLs one uvicorn worker every 10 s while the load runs (uvicorn's supervisor starts a new one);
clients resend the same (item, seq, response) on a connection error or a 5xx, as the exam page does.
`--pg-restart S` restarts the PostgreSQL cluster S seconds into the load (`pg_ctlcluster ... restart -m fast`; it
serves every other database of the machine too, so run it on a quiet machine only). The task worker (`db_worker`,
which grades after submit) runs under a shell loop that starts it again when it exits, as `make worker` does in
production; the result counts its restarts (`task_worker_restarts`) and the server workers uvicorn's supervisor
saw die (`server_workers_died`: a worker starved past its health check, unless the fault run killed it).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import resource
import secrets
import signal
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
# config/settings/production.py: EXAM_START_SPREAD_SECONDS, EXAM_START_SPREAD_MAX_SECONDS, EXAM_STARTS_PER_SECOND
PRODUCTION_START_SPREAD = {"floor": 20, "ceiling": 120, "rate": 15}
BASE = f"http://{HOST}:{PORT}"
PASSWORD = "Bench-pass-2026"
PREFIX = "BZ"  # employee numbers of the seeded officers: BZ00001 ...
BUREAU = "基准区城管局"
PAPER_TITLE = "基准卷:2026年度学法考试(20题)"

from bench.common import AppServer, csrf_secret, pct, summarize  # noqa: E402, F401  (after the path; tests use them from here)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")


def django_setup() -> None:
    import django

    django.setup()


# --------------------------------------------------------------------------- pure helpers (tested)


def attempt_id_from(location: str) -> int | None:
    """The attempt id in a URL like /exams/attempts/123/ (a redirect after start)."""
    parts = [p for p in location.split("?")[0].split("/") if p]
    for i, part in enumerate(parts[:-1]):
        if part == "attempts" and parts[i + 1].isdigit():
            return int(parts[i + 1])
    return None


def compare_acks(acked: dict[int, tuple[int, object]], stored: dict[int, tuple[int, object]]) -> dict:
    """acked: item id -> (highest seq acknowledged with 2xx, its response); stored: item id -> (seq, response)
    in the database. An answer is in the database when the item holds that seq (or a newer one, which can only
    come from the same client) with that response."""
    present, missing, different = 0, [], []
    for item, (seq, response) in acked.items():
        row = stored.get(item)
        if row is None or row[0] < seq:
            missing.append(item)
        elif row[0] == seq and row[1] != response:
            different.append(item)
        else:
            present += 1
    return {
        "acked": len(acked),
        "in_db": present,
        "missing": len(missing),
        "different": len(different),
        "missing_items": missing[:20],
        "different_items": different[:20],
    }


# The N = 1,000 targets of issue #16 (a run meets them or not; `capacity` reports the largest N that does).
TARGETS = {"save_p95_ms": 300.0, "start_p95_ms": 3000.0}


def target_misses(result: dict) -> list[str]:
    """Why a run misses the N = 1,000 targets (empty: it meets them): save p95 < 300 ms, start p95 < 3 s,
    0 failed tries (a 503 at the door counts: it is a try the officer had to repeat), every officer submits,
    0 acknowledged answers missing, nobody cut off, no server worker died (but in a fault run, which kills them),
    every submitted attempt graded by the task worker in the end."""
    misses = []
    lat = result.get("latency", {})
    save, start = lat.get("save", {}), lat.get("start", {})
    if not save.get("count") or save["p95_ms"] >= TARGETS["save_p95_ms"]:
        misses.append(f"save p95 {save.get('p95_ms', '–')} ms")
    if not start.get("count") or start["p95_ms"] >= TARGETS["start_p95_ms"]:
        misses.append(f"start p95 {start.get('p95_ms', '–')} ms")
    failed = sum(v for k, v in result.get("errors", {}).items() if not k.startswith("warmup"))
    if failed:
        misses.append(f"{failed} failed tries")
    if result.get("submitted_clients") != result.get("n"):
        misses.append(f"{result.get('submitted_clients')} of {result.get('n')} submitted")
    answers = result.get("answers", {})
    if answers.get("missing") or answers.get("different"):
        misses.append(f"{answers.get('missing')} missing, {answers.get('different')} different")
    if result.get("cut_off_clients"):
        misses.append(f"{result['cut_off_clients']} cut off")
    if result.get("server_workers_died") and not result.get("fault"):
        misses.append(f"{result['server_workers_died']} server workers died")
    if (result.get("grading") or {}).get("ungraded"):
        misses.append(f"{result['grading']['ungraded']} submitted but never graded")
    return misses


def save_by_minute(save_times: list[tuple[float, float]]) -> list[dict]:
    """Saves per minute of the load (from the harness's start): count and p50/p95 in ms, to see where the tail is
    (the start phase, the submit burst at the end, or everywhere)."""
    minutes: dict[int, list[float]] = defaultdict(list)
    for at, latency in save_times:
        minutes[int(at // 60)].append(latency)
    return [
        {"minute": m, "count": len(v), "p50_ms": round(1000 * pct(v, 50), 1), "p95_ms": round(1000 * pct(v, 95), 1)}
        for m, v in sorted(minutes.items())
    ]


def answer_for(content: dict, rng: random.Random) -> object:
    """A plausible answer to a question as the page shows it (kind, options by original key; no key shown)."""
    kind = content.get("kind")
    keys = [o["key"] for o in content.get("options") or []]
    if kind == "single":
        return rng.choice(keys)
    if kind == "multiple":
        return sorted(rng.sample(keys, rng.randint(1, len(keys))))
    if kind == "true_false":
        return rng.random() < 0.5
    if kind == "blank":
        return rng.choice(["事实", "法律", "事实 "])
    return "适用《城市市容和环境卫生管理条例》,先责令改正,告知陈述申辩权利,再依法作出处罚决定。"


def page_items(html: str) -> list[dict] | None:
    """The items the exam page embeds for its script (json_script "attempt-data")."""
    match = re.search(r'<script id="attempt-data" type="application/json">(.*?)</script>', html, re.S)
    if not match:
        return None
    try:
        return json.loads(match.group(1)).get("items") or None
    except ValueError:
        return None


# --------------------------------------------------------------------------- seeding (sync, Django)

QUESTIONS = [
    ("single", "当场作出行政处罚决定的,执法人员应当在几日内报所属行政机关备案?", ["三日", "五日", "七日", "二日"], 3),
    ("single", "行政处罚的追责时效一般为几年?", ["一年", "二年", "三年", "五年"], 1),
    ("single", "执法人员当场收缴的罚款,应当自收缴之日起几日内交至行政机关?", ["二日", "五日", "七日", "十日"], 0),
    ("single", "听证应当在举行几日前通知当事人及有关人员?", ["三日", "五日", "七日", "十日"], 2),
    ("single", "行政机关作出行政处罚决定前,应当告知当事人的事项不包括:", ["事实", "理由", "依据", "执法人员住址"], 3),
    (
        "single",
        "《城市市容和环境卫生管理条例》主管部门是:",
        ["住房城乡建设主管部门", "公安机关", "市场监管部门", "交通部门"],
        0,
    ),
    (
        "single",
        "对违法建设责令限期拆除的,当事人逾期不拆除的,可以:",
        ["依法强制拆除", "罚款了事", "不予处理", "移交法院审理"],
        0,
    ),
    ("single", "执法文书送达后,当事人拒绝签收的,可以:", ["留置送达", "口头告知", "作废重开", "公告三日"], 0),
    ("multiple", "下列哪些属于行政处罚的种类?", ["警告、通报批评", "罚款", "记过", "暂扣许可证件"], (0, 1, 3)),
    (
        "multiple",
        "行政执法三项制度包括:",
        ["执法公示", "执法全过程记录", "重大执法决定法制审核", "执法考核排名"],
        (0, 1, 2),
    ),
    (
        "multiple",
        "当事人有下列哪些情形的,应当从轻或者减轻处罚?",
        ["主动消除违法行为危害后果", "受他人胁迫", "配合查处有立功表现", "多次违法"],
        (0, 1, 2),
    ),
    ("multiple", "城管执法人员执法时应当:", ["出示执法证件", "使用执法记录仪", "告知权利", "收取现金罚款"], (0, 1, 2)),
    (
        "multiple",
        "下列属于市容环境卫生违法行为的有:",
        ["占道经营", "乱贴乱画", "随意倾倒垃圾", "依法设置广告"],
        (0, 1, 2),
    ),
    ("true_false", "违法行为在二年内未被发现的,不再给予行政处罚。", None, True),
    ("true_false", "初次违法且危害后果轻微并及时改正的,可以不予行政处罚。", None, True),
    ("true_false", "执法人员可以由协管员单独实施行政处罚。", None, False),
    ("true_false", "行政处罚决定书应当在宣告后当场交付当事人。", None, True),
    ("true_false", "罚款可以由作出罚款决定的执法人员当场全额收取而无需出具票据。", None, False),
    ("blank", "行政处罚的设定和实施,应当以____为依据。", None, ["事实", "事 实"]),
    ("case", "某商户在人行道上摆摊占道经营,执法队员当场查获。请分析执法依据与处理程序。", None, None),
]


def database_ensure() -> str:
    """Create the bench database (settings NAME) on its server when it does not exist yet."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
            return "created"
    return "exists"


def seed(officers: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from exams.formats.base import Option, QuestionData
    from exams.models import Paper, PaperItem, Question
    from exams.services import question_create
    from org.models import Officer, User
    from org.services import officer_provision, role_category_ensure, unit_ensure_path

    database = database_ensure()
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t_migrate = time.perf_counter() - t0
    role = role_category_ensure(code="enforcer", name="执法人员")
    squads = [unit_ensure_path(path=f"{BUREAU}/执法{i:02d}中队") for i in range(1, 11)]
    existing = set(Officer.objects.filter(employee_no__startswith=PREFIX).values_list("employee_no", flat=True))
    t1 = time.perf_counter()
    made = 0
    for i in range(1, officers + 1):
        no = f"{PREFIX}{i:05d}"
        if no in existing:
            continue
        officer_provision(
            employee_no=no, name=f"基准队员{i}", unit=squads[i % len(squads)], role_category=role, enforcement_duty=True
        )
        made += 1
    User.objects.filter(username__startswith=PREFIX).update(password=make_password(PASSWORD))
    t_people = time.perf_counter() - t1
    paper = Paper.objects.filter(title=PAPER_TITLE).first()
    if paper is None:
        with transaction.atomic():
            paper = Paper.objects.create(title=PAPER_TITLE, mode=Paper.Mode.FIXED, shuffle_options=True)
            for position, (kind, stem, options, key) in enumerate(QUESTIONS, start=1):
                data = dict(
                    kind=kind,
                    stem=stem,
                    points=Decimal("5"),
                    category="基准/行政处罚法",
                    explanation="依据《中华人民共和国行政处罚法》相关规定。",
                )
                if kind == "single":
                    data["options"] = [Option(t, i == key) for i, t in enumerate(options)]
                elif kind == "multiple":
                    data["options"] = [Option(t, i in key) for i, t in enumerate(options)]
                    data["scoring_mode"] = "all"
                elif kind == "true_false":
                    data["answer_bool"] = key
                elif kind == "blank":
                    data["accepted"] = key
                else:
                    data["rubric"] = "1. 适用条例第十四条;2. 先责令改正;3. 告知陈述申辩权利。"
                q = question_create(data=QuestionData(**data), actor=None, status=Question.Status.ACTIVE)
                PaperItem.objects.create(paper=paper, question=q, position=position)
    return {
        "database": database,
        "migrate_s": round(t_migrate, 1),
        "officers_made": made,
        "people_s": round(t_people, 1),
        "officers_total": Officer.objects.filter(employee_no__startswith=PREFIX).count(),
        "paper": paper.pk,
    }


def make_exam(n: int, label: str):
    from django.utils import timezone

    from exams.models import Exam, Paper
    from org.models import Unit

    now = timezone.now()
    paper = Paper.objects.get(title=PAPER_TITLE)
    exam = Exam.objects.create(
        title=f"2026年度行政执法人员学法考试(基准 {label})",
        kind=Exam.Kind.ANNUAL,
        year=timezone.localdate().year,
        paper=paper,
        status=Exam.Status.PUBLISHED,
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(hours=3),
        duration_minutes=60,
        attempts_allowed=1,
        pass_score=Decimal("60"),
        published_at=now,
    )
    exam.units.set([Unit.objects.get(full_path=BUREAU)])
    return exam


def make_sessions(n: int) -> list[dict]:
    """One server-side session per officer, as allauth's login leaves it (user id, backend, auth hash)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from org.models import Officer

    store_cls = import_module(settings.SESSION_ENGINE).SessionStore
    officers = list(
        Officer.objects.filter(employee_no__startswith=PREFIX).select_related("user").order_by("employee_no")[:n]
    )
    if len(officers) < n:
        raise SystemExit(f"only {len(officers)} seeded officers; run `exam_load seed --officers {n}` first")
    rows, out = [], []
    expire = timezone.now() + dt.timedelta(days=1)
    for officer in officers:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(officer.user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: officer.user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store_cls().encode(data), expire_date=expire))
        out.append({"officer": officer.pk, "employee_no": officer.employee_no, "session": key, "csrf": csrf_secret()})
    Session.objects.bulk_create(rows, batch_size=1000)
    return out


def stored_answers(attempt_ids: list[int]) -> dict[int, tuple[int, object]]:
    from exams.models import AttemptItem

    return {
        pk: (seq, response)
        for pk, seq, response in AttemptItem.objects.filter(attempt_id__in=attempt_ids).values_list(
            "pk", "seq", "response"
        )
    }


def grading_backlog(attempt_ids: list[int], limit_s: float = 300.0) -> dict:
    """After the load: wait (bounded) until the task worker has graded every submitted attempt of the run; how
    long that took after the last request, and how many were still ungraded at the end."""
    from exams.models import Attempt

    pending = Attempt.objects.filter(pk__in=attempt_ids, state=Attempt.State.SUBMITTED, scored_at__isnull=True)
    started = time.perf_counter()
    at_end = left = pending.count()
    while left and time.perf_counter() - started < limit_s:
        time.sleep(0.5)
        left = pending.count()
    return {"ungraded_at_load_end": at_end, "backlog_s": round(time.perf_counter() - started, 1), "ungraded": left}


def attempt_states(attempt_ids: list[int]) -> dict:
    from exams.models import Attempt

    # "submitted" alone is ambiguous: not graded yet, or graded and awaiting the case answer's manual marking.
    rows = Attempt.objects.filter(pk__in=attempt_ids).values_list("state", "scored_at")
    return dict(
        Counter(f"{state} (not graded)" if state == "submitted" and not scored else state for state, scored in rows)
    )


def items_of(attempt_id: int) -> list[dict]:
    """Fallback when neither the page nor the state JSON lists the items: read them as the page would show."""
    from exams.models import AttemptItem

    return [
        {"id": pk, "content": content}
        for pk, content in AttemptItem.objects.filter(attempt_id=attempt_id)
        .order_by("position")
        .values_list("pk", "content")
    ]


# --------------------------------------------------------------------------- server


class Server(AppServer):
    """The app as exam day runs it: uvicorn with the door (BENCH_MAX_INFLIGHT) and the task worker beside it
    (submit only finalises; the grading runs in the task worker, django_tasks_db, as in production)."""

    def __init__(
        self,
        workers: int = 2,
        log: Path | None = None,
        healthcheck: int = 30,
        max_inflight: int = 32,
        pages_inflight: int | None = None,
        door_wait: float | None = None,
        pool_check: bool = True,
        task_worker_nice: int = 10,
    ):
        door = {"BENCH_PAGES_INFLIGHT": pages_inflight, "BENCH_DOOR_WAIT_SECONDS": door_wait}  # None: the settings'

        super().__init__(
            port=PORT,
            workers=workers,
            log=log or RESULTS / "server.log",
            # the health ping must not be starved into killing a busy worker (N = 2,000 collapse, PERFORMANCE.md)
            uvicorn_args=("--timeout-keep-alive", "75", "--timeout-worker-healthcheck", str(healthcheck)),
            env={
                "BENCH_MAX_INFLIGHT": str(max_inflight),
                "BENCH_POOL_CHECK": "1" if pool_check else "0",
                **{name: str(value) for name, value in door.items() if value is not None},
            },
            task_worker=True,
            task_worker_nice=task_worker_nice,
        )


def machine_busy() -> tuple[int, int]:
    parts = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = list(map(int, parts))
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# --------------------------------------------------------------------------- load (async)


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    save_times: list[tuple[float, float]] = field(default_factory=list)  # (seconds into the load, latency)
    errors: Counter = field(default_factory=Counter)
    acked: dict[int, tuple[int, object]] = field(default_factory=dict)
    sent: int = 0
    retries: int = 0
    attempts: list[int] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)
    kills: list[float] = field(default_factory=list)
    db_restarts: list[dict] = field(default_factory=list)
    door: Counter = field(default_factory=Counter)  # 503 + Retry-After answered at the door, per request type
    pings_skipped: int = 0
    done: int = 0
    cut_off: int = 0
    neighbours: list[list[str]] = field(default_factory=list)


class Examinee:
    def __init__(self, info: dict, exam_id: int, args, stats: Stats, loop_start: float):
        self.info = info
        self.exam_id = exam_id
        self.args = args
        self.stats = stats
        self.headers = {
            "Cookie": f"sessionid={info['session']}; csrftoken={info['csrf']}",
            "X-CSRFToken": info["csrf"],
        }
        self.rng = random.Random(info["officer"])
        self.t0 = loop_start
        self.last_heard = time.monotonic()  # the page pings only after `idle_ping` seconds without an answer

    async def request(self, http, kind: str, method: str, url: str, *, retry: bool, **kw):
        """One logical request; resent on a connection error or a 5xx when `retry` (same body: same seq)."""
        import aiohttp

        headers = self.headers
        if "body" in kw:
            kw["data"] = json.dumps(kw.pop("body")).encode()
            headers = {**self.headers, "Content-Type": "application/json"}
        tries = 0
        while True:
            tries += 1
            started = time.perf_counter()
            try:
                async with http.request(method, BASE + url, headers=headers, allow_redirects=False, **kw) as resp:
                    body = await resp.read()
                    elapsed = time.perf_counter() - started
                    retry_after = resp.headers.get("Retry-After") if resp.status == 503 else None
                    if resp.status < 500:
                        self.last_heard = time.monotonic()
                    if retry_after is not None:
                        self.stats.door[kind] += 1
                        self.stats.errors[f"{kind} HTTP 503 at the door (Retry-After)"] += 1
                    elif resp.status >= 500:
                        self.stats.errors[f"{kind} HTTP {resp.status}"] += 1
                    elif resp.status >= 400 and not (kind == "save" and resp.status == 409):
                        self.stats.errors[f"{kind} HTTP {resp.status}"] += 1
                    else:
                        self.stats.latencies[kind].append(elapsed)
                        if kind == "save":
                            self.stats.save_times.append((started - self.t0, elapsed))
                        return resp.status, resp.headers, body
            except (TimeoutError, aiohttp.ClientError) as exc:  # also a body cut off by a killed worker
                self.stats.errors[f"{kind} {type(exc).__name__}"] += 1
                resp = None
            if not retry or tries >= self.args.max_tries:
                return (resp.status if resp is not None else None), None, b""
            self.stats.retries += 1
            if resp is not None and resp.status == 503 and retry_after is not None:
                # as the page does: nothing before Retry-After, spread by up to half of it
                await asyncio.sleep(float(retry_after) * (1 + self.rng.random() / 2))
                continue
            await asyncio.sleep(min(5.0, 0.25 * 2 ** min(tries, 4)) * (0.5 + self.rng.random()))

    def pause(self) -> float:
        return max(0.5, self.args.interval + self.rng.uniform(-self.args.jitter, self.args.jitter))

    async def heartbeat(self, http, attempt_id: int, stop: asyncio.Event) -> None:
        """The page's ping: every `heartbeat` seconds (its own phase) it GETs the state, only when it has not
        heard from the server for `idle_ping` seconds (a save's answer carries the same); `--idle-ping 0` pings
        at every beat (the page before issue #16)."""
        await asyncio.sleep(self.rng.uniform(0, self.args.heartbeat))
        while not stop.is_set():
            if self.args.idle_ping and time.monotonic() - self.last_heard < self.args.idle_ping:
                self.stats.pings_skipped += 1
            else:
                await self.request(http, "state", "GET", f"/exams/attempts/{attempt_id}/state/", retry=False)
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.args.heartbeat)
            except TimeoutError:
                pass

    async def run(self, http, barrier: asyncio.Event) -> None:
        await barrier.wait()
        if self.args.start_spread:  # the entry page's random wait before its start request (as production's)
            await asyncio.sleep(self.rng.uniform(0, self.args.start_spread))
        status, headers, body = await self.request(
            http, "start", "POST", f"/exams/{self.exam_id}/start/", retry=True, data=b""
        )
        attempt_id = None
        if status in (301, 302, 303) and headers is not None:
            attempt_id = attempt_id_from(headers.get("Location", ""))
        if attempt_id is None:
            self.stats.errors[f"start gave no attempt (HTTP {status})"] += 1
            return
        self.stats.attempts.append(attempt_id)
        status, _h, body = await self.request(http, "page", "GET", f"/exams/attempts/{attempt_id}/", retry=True)
        items = page_items(body.decode("utf-8", "replace")) if status == 200 else None
        if not items:
            self.stats.errors["page without items (read from the database)"] += 1
            items = await asyncio.get_running_loop().run_in_executor(None, items_of, attempt_id)
        stop = asyncio.Event()
        ping = asyncio.create_task(self.heartbeat(http, attempt_id, stop)) if self.args.heartbeat else None
        try:
            for item in items[: self.args.answers or None]:
                await asyncio.sleep(self.pause())
                seq = int(item.get("seq") or 0) + 1  # per item, above the stored floor, as the page counts
                response = answer_for(item.get("content") or item, self.rng)
                payload = {"answers": [{"item": item["id"], "seq": seq, "response": response, "flagged": False}]}
                self.stats.sent += 1
                status, _h, body = await self.request(
                    http, "save", "POST", f"/exams/attempts/{attempt_id}/answers/", retry=True, body=payload
                )
                if status == 409:
                    self.stats.refused[json.loads(body).get("error", "?") if body else "?"] += 1
                    return
                if status is not None and 200 <= status < 300:
                    for ack in json.loads(body).get("acked", []):
                        if ack.get("item") == item["id"] and ack.get("seq") == seq:
                            self.stats.acked[item["id"]] = (seq, response)
            await asyncio.sleep(self.pause())
        finally:
            stop.set()
            if ping is not None:
                await ping
        await self.request(
            http, "submit", "POST", f"/exams/attempts/{attempt_id}/submit/", retry=True, body={"answers": []}
        )
        self.stats.done += 1


async def baseline_stream(http, officers: list[Examinee], rate: float, stop: asyncio.Event, stats: Stats) -> None:
    rng = random.Random(7)
    n = 0
    tasks = set()
    while not stop.is_set():
        officer = rng.choice(officers)
        n += 1
        task = asyncio.create_task(
            officer.request(http, "baseline", "POST", "/bench/baseline/", retry=False, body={"n": n})
        )
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        try:
            await asyncio.wait_for(stop.wait(), timeout=rng.expovariate(rate))
        except TimeoutError:
            pass
    if tasks:
        await asyncio.gather(*tasks)


async def killer(server: Server, every: float, stop: asyncio.Event, stats: Stats, t0: float) -> None:
    rng = random.Random(11)
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
            return
        except TimeoutError:
            pass
        pids = server.worker_pids()
        if pids:
            pid = rng.choice(pids)
            try:
                os.kill(pid, signal.SIGKILL)
                stats.kills.append(round(time.perf_counter() - t0, 1))
            except ProcessLookupError:
                pass


async def database_restart(after: float, stop: asyncio.Event, stats: Stats, t0: float) -> None:
    """`after` seconds into the load, restart the PostgreSQL cluster (every connection of both workers dies; the
    pages' requests fail and are resent, as on a real database fail-over)."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=after)
        return
    except TimeoutError:
        pass
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    began = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        "pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"
    )
    code = await process.wait()
    stats.db_restarts.append(
        {"at_s": round(began - t0, 1), "took_s": round(time.perf_counter() - began, 1), "exit": code}
    )


async def neighbours(stop: asyncio.Event, stats: Stats, server: Server) -> None:
    """Every 15 s: which other busy processes share the 2 cores (other helpers' test runs skew the figures); the
    harness, the server's workers and its task worker are not neighbours."""
    while not stop.is_set():
        me = {str(pid) for pid in (os.getpid(), *server.own_pids())}
        out = await asyncio.create_subprocess_exec(
            "ps", "-eo", "pid,ppid,pcpu,args", "--sort=-pcpu", stdout=asyncio.subprocess.PIPE
        )
        text, _ = await out.communicate()
        busy = []
        for line in text.decode(errors="replace").splitlines()[1:8]:
            pid, ppid, cpu, *cmd = line.split(None, 3)
            command = " ".join(cmd)
            if float(cpu) >= 20 and not me & {pid, ppid} and "postgres" not in command:
                busy.append(command[:80])
        stats.neighbours.append(busy)
        try:
            await asyncio.wait_for(stop.wait(), timeout=15)
        except TimeoutError:
            pass


async def drive(people: list[dict], exam_id: int, args, server: Server) -> tuple[Stats, dict]:
    import aiohttp

    stats = Stats()
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=0, keepalive_timeout=70, force_close=False)
    timeout = aiohttp.ClientTimeout(total=args.request_timeout)
    phases = {}
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar(), skip_auto_headers=["User-Agent"]
    ) as http:
        t0 = time.perf_counter()
        officers = [Examinee(p, exam_id, args, stats, t0) for p in people]
        # Open the connections before the barrier, in batches (a TCP/accept ramp), each a keep-alive GET.
        ramp_started = time.perf_counter()
        for i in range(0, len(officers), args.ramp_batch):
            batch = officers[i : i + args.ramp_batch]
            await asyncio.gather(*(o.request(http, "warmup", "GET", "/healthz", retry=True) for o in batch))
        phases["connect_ramp_s"] = round(time.perf_counter() - ramp_started, 1)
        barrier, stop = asyncio.Event(), asyncio.Event()
        if args.baseline_only:
            rate = max(1.0, len(officers) / args.interval / 10)
            task = asyncio.create_task(baseline_stream(http, officers, rate, stop, stats))
            await asyncio.sleep(args.baseline_only)
            stop.set()
            await task
            return stats, phases
        runners = [asyncio.create_task(o.run(http, barrier)) for o in officers]
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        barrier.set()
        side = [
            asyncio.create_task(
                baseline_stream(http, officers, max(1.0, len(officers) / args.interval / 10), stop, stats)
            )
        ]
        if args.fault:
            side.append(asyncio.create_task(killer(server, args.kill_every, stop, stats, started)))
        if args.pg_restart:
            side.append(asyncio.create_task(database_restart(args.pg_restart, stop, stats, started)))
        side.append(asyncio.create_task(neighbours(stop, stats, server)))
        finished, cut = await asyncio.wait(runners, timeout=args.max_seconds)
        for task in cut:  # bounded in time whatever happens: report, never hang
            task.cancel()
        stats.cut_off = len(cut)
        for task in finished:  # a client that died of an exception is a harness failure: count it, say what
            if not task.cancelled() and task.exception() is not None:
                exc = task.exception()
                stats.errors[f"client crashed: {type(exc).__name__}: {str(exc)[:80]}"] += 1
        stop.set()
        await asyncio.gather(*side)
        phases["load_s"] = round(time.perf_counter() - started, 1)
    return stats, phases


# --------------------------------------------------------------------------- commands


def cmd_run(args) -> dict:
    django_setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)  # other areas may have added migrations since the seed
    if getattr(args, "spread_by_rule", None) is None:  # first run of this command (capacity runs several)
        args.spread_by_rule = args.start_spread is None
    if args.spread_by_rule:  # the entry page's wait as production computes it for this audience
        from exams.selectors.audience import start_spread_for

        args.start_spread = float(start_spread_for(args.n, **PRODUCTION_START_SPREAD))
    label = args.name or (
        f"fault-n{args.n}" if args.fault else f"pgrestart-n{args.n}" if args.pg_restart else f"n{args.n}"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    exam = make_exam(args.n, label)
    people = make_sessions(args.n)
    connections.close_all()
    server = Server(
        workers=args.workers,
        log=RESULTS / f"{label}-server.log",
        healthcheck=args.healthcheck,
        max_inflight=args.max_inflight,
        pages_inflight=args.pages_inflight,
        door_wait=args.door_wait,
        pool_check=bool(args.pool_check),
        task_worker_nice=args.task_worker_nice,
    )
    server.start()
    load0 = os.getloadavg()
    busy0, total0 = machine_busy()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    srv0, tw0 = server.cpu_seconds(), server.task_worker_cpu_seconds()
    srv1, grading = None, None
    try:
        import uvloop

        stats, phases = uvloop.run(drive(people, exam.pk, args, server))
        srv1 = server.cpu_seconds()  # the requests' CPU, before the grading backlog is waited for
        if args.pg_restart:  # this process's pooled connections died with the database: a new pool
            for connection in connections.all():
                connection.close()
                if hasattr(connection, "close_pool"):
                    connection.close_pool()
        if not args.baseline_only:
            grading = grading_backlog(stats.attempts)
    finally:
        if srv1 is None:
            srv1 = server.cpu_seconds()
        tw1 = server.task_worker_cpu_seconds()
        task_worker_restarts = server.task_worker_restarts()
        server.stop()
    # uvicorn's supervisor kills a worker that misses its health check and says so ("Child process [pid] died")
    workers_died = len(re.findall(r"Child process \[\d+\] died", server.log_path.read_text(errors="replace")))
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    busy1, total1 = machine_busy()
    result = {
        "name": label,
        "n": args.n,
        "exam": exam.pk,
        "workers": args.workers,
        "interval_s": args.interval,
        "jitter_s": args.jitter,
        "heartbeat_s": args.heartbeat,
        "idle_ping_s": args.idle_ping,
        "start_spread_s": args.start_spread,
        "max_inflight_per_worker": args.max_inflight,
        "pages_inflight_per_worker": args.pages_inflight
        if args.pages_inflight is not None
        else settings.ASGI_PAGES_INFLIGHT,
        "door_wait_s": args.door_wait if args.door_wait is not None else settings.ASGI_DOOR_WAIT_SECONDS,
        "pool_check": bool(args.pool_check),
        "task_worker_nice": args.task_worker_nice,
        "door_503": dict(stats.door),
        "pings_skipped": stats.pings_skipped,
        "load_average_before": [round(x, 2) for x in load0],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "questions": len(QUESTIONS),
        "answers_per_officer": args.answers or len(QUESTIONS),
        "fault": args.fault,
        "phases": phases,
        "latency": {kind: summarize(values) for kind, values in stats.latencies.items()},
        "save_by_minute": save_by_minute(stats.save_times),
        "errors": dict(stats.errors),
        "retries": stats.retries,
        "refused": dict(stats.refused),
        "submitted_clients": stats.done,
        "attempts": len(set(stats.attempts)),
        "machine_busy_pct": round(100 * (busy1 - busy0) / max(1, total1 - total0), 1),
        "client_cpu_s": round(ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime, 1),
        "server_cpu_s_live_workers": round(srv1 - srv0, 1) if not args.fault else None,
        "task_worker_cpu_s": round(tw1 - tw0, 1),
        "task_worker_restarts": task_worker_restarts,
        "server_workers_died": workers_died,
        "grading": grading,
        "kills": stats.kills,
        "database_restarts": stats.db_restarts,
        "cut_off_clients": stats.cut_off,
        "samples_with_other_busy_processes": f"{sum(1 for b in stats.neighbours if b)}/{len(stats.neighbours)}",
        "other_busy_processes": sorted({c for b in stats.neighbours for c in b})[:10],
        "command": " ".join([".venv/bin/python -m bench exam_load", *sys.argv[1:]]),
        "at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    requests_served = sum(len(v) for v in stats.latencies.values())
    if result["server_cpu_s_live_workers"] and requests_served:
        result["server_cpu_ms_per_request"] = round(1000 * result["server_cpu_s_live_workers"] / requests_served, 1)
    save, base = result["latency"].get("save", {}), result["latency"].get("baseline", {})
    if save.get("count") and base.get("count"):
        result["ratio_save_p50_to_baseline_p50"] = round(save["p50_ms"] / base["p50_ms"], 2)
    if not args.baseline_only:
        saves = stats.latencies.get("save", [])
        if saves:
            result["save_rate_per_s"] = round(len(saves) / phases["load_s"], 1)
        result["answers"] = compare_acks(stats.acked, stored_answers(stats.attempts))
        result["answers"]["save_requests_sent"] = stats.sent
        result["attempt_states"] = attempt_states(stats.attempts)
    if not args.baseline_only:
        result["target_misses"] = target_misses(result)
    (RESULTS / f"{label}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return result


def capacity_row(r: dict) -> str:
    """One markdown row of the capacity table: N, p50/p95/p99 of each request, CPU, load, verdict."""
    lat = r["latency"]

    def trio(kind: str) -> str:
        x = lat.get(kind, {})
        return "–" if not x.get("count") else f"{x['p50_ms']:,.0f} / {x['p95_ms']:,.0f} / {x['p99_ms']:,.0f}"

    load = r.get("load_average_after") or ["–"]
    misses = r.get("target_misses", [])
    return (
        f"| {r['n']:,} | {trio('start')} | {trio('page')} | {trio('save')} | {trio('state')} | {trio('submit')} "
        f"| {r.get('server_cpu_ms_per_request', '–')} | {r.get('server_cpu_s_live_workers', '–')} "
        f"| {r.get('client_cpu_s', '–')} | {r.get('machine_busy_pct', '–')} % | {load[0]} "
        f"| {sum(r.get('door_503', {}).values())} | {'meets' if not misses else '; '.join(misses)} |"
    )


CAPACITY_HEADER = (
    "| N | start p50/p95/p99 | page | save | state | submit | server CPU ms/request | server CPU s | client CPU s "
    "| machine busy | load (1 min) | 503 at door | N = 1,000 targets |\n"
    "|---:|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---|"
)


def cmd_capacity(args) -> dict:
    """Step N up (--start, --step, --max); each step is a `run`. Stops after the first step that misses the
    targets (one more would only be slower); reports the largest N that met them and the table."""
    rows, best, n = [], 0, args.start
    while n <= args.max:
        args.n, args.fault, args.name = n, False, f"capacity-n{n}"
        result = cmd_run(args)
        rows.append(result)
        if result.get("target_misses"):
            break
        best = n
        n += args.step
    out = {
        "largest_n_meeting_targets": best,
        "targets": TARGETS,
        "steps": [{"n": r["n"], "misses": r.get("target_misses", [])} for r in rows],
        "table": "\n".join([CAPACITY_HEADER, *(capacity_row(r) for r in rows)]),
        "at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    (RESULTS / "capacity.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(out["table"])
    print(f"largest N meeting the N = 1,000 targets: {best or 'none'}")
    return out


def cmd_login(args) -> dict:
    """Real allauth logins (GET the form for the CSRF cookie, POST 工号 + password), timed; a few only."""
    django_setup()
    import urllib.parse

    import aiohttp

    server = Server(workers=args.workers, log=RESULTS / "login-server.log")
    RESULTS.mkdir(parents=True, exist_ok=True)
    server.start()

    async def one(i: int, lat: list[float], codes: Counter) -> None:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:  # an IP host
            async with http.get(f"{BASE}/accounts/login/") as r:
                html = await r.text()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            form = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "login": f"{PREFIX}{i:05d}", "password": PASSWORD}
            )
            t = time.perf_counter()
            async with http.post(
                f"{BASE}/accounts/login/",
                data=form,
                allow_redirects=False,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ) as r:
                await r.read()
                codes[r.status] += 1
            lat.append(time.perf_counter() - t)

    async def main() -> dict:
        lat: list[float] = []
        codes: Counter = Counter()
        for i in range(1, args.count + 1):  # one after another: the cost of one login, not a queue
            await one(i, lat, codes)
        return {"sequential": summarize(lat), "status": dict(codes)}

    try:
        out = asyncio.run(main())
    finally:
        server.stop()
    print(json.dumps(out, indent=2))
    (RESULTS / "login.json").write_text(json.dumps(out, indent=2))
    return out


def cmd_profile(args) -> dict:
    """Per request type, through Django's test client in this one process (no HTTP server, no concurrency):
    SQL queries, wall time and this process's CPU time (Python + Django; PostgreSQL's own CPU excluded), over
    `--officers` sittings of the bench paper. What a request costs when nothing else competes for the cores."""
    django_setup()
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from org.models import Officer

    exam = make_exam(args.officers, "profile")
    officers = Officer.objects.filter(employee_no__startswith=PREFIX).select_related("user").order_by("-employee_no")
    wall: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, int] = {}
    sql: dict[str, list[str]] = {}
    profiles: dict[str, cProfile.Profile] = {}

    def timed(kind: str, call):
        profiler = profiles.setdefault(kind, cProfile.Profile()) if args.cprofile else None
        with CaptureQueriesContext(connection) as q:
            c, t = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            response = call()
            if profiler:
                profiler.disable()
            wall[kind].append(time.perf_counter() - t)
            cpu[kind].append(time.process_time() - c)
        assert response.status_code < 400, (kind, response.status_code)
        queries[kind] = len(q)
        sql[kind] = [x["sql"][:140] for x in q]
        return response

    attempt_ids = []
    for officer in officers[: args.officers]:
        client = Client(HTTP_HOST=HOST)
        client.force_login(officer.user)
        r = timed("start", lambda c=client: c.post(f"/exams/{exam.pk}/start/"))
        attempt_id = attempt_id_from(r.headers.get("Location", ""))
        attempt_ids.append(attempt_id)
        page = timed("page", lambda c=client, a=attempt_id: c.get(f"/exams/attempts/{a}/"))
        items = page_items(page.content.decode())
        rng = random.Random(attempt_id)
        for item in items:
            body = json.dumps({"answers": [{"item": item["id"], "seq": 1, "response": answer_for(item, rng)}]})
            timed(
                "save",
                lambda c=client, a=attempt_id, b=body: c.post(
                    f"/exams/attempts/{a}/answers/", b, content_type="application/json"
                ),
            )
            timed("state", lambda c=client, a=attempt_id: c.get(f"/exams/attempts/{a}/state/"))
            timed(
                "baseline",
                lambda c=client: c.post("/bench/baseline/", json.dumps({"n": 1}), content_type="application/json"),
            )
        timed(
            "submit",
            lambda c=client, a=attempt_id: c.post(
                f"/exams/attempts/{a}/submit/", json.dumps({"answers": []}), content_type="application/json"
            ),
        )
    # The grading moved out of submit into the task worker: its cost is measured here, running the task's body for
    # each attempt still ungraded (none with the immediate backend, which grades inside submit).
    from exams.services.grading import attempt_grade_pending

    for attempt_id in attempt_ids:
        with CaptureQueriesContext(connection) as q:
            c, t = time.process_time(), time.perf_counter()
            graded = attempt_grade_pending(attempt_id=attempt_id)
            if graded:
                wall["grade_task"].append(time.perf_counter() - t)
                cpu["grade_task"].append(time.process_time() - c)
                queries["grade_task"] = len(q)
    out = {
        kind: {
            "queries": queries[kind],
            "wall": summarize(wall[kind]),
            "cpu_ms_p50": round(pct(cpu[kind], 50) * 1000, 1),
            "cpu_ms_mean": round(statistics.fmean(cpu[kind]) * 1000, 1),
        }
        for kind in wall
    }
    # One officer's 20-question sitting in Django CPU (p50s): start + page + a save per answer + submit, plus the
    # pings: none at a save every 15 s since the page pings only after 30 s of silence (issue #16); the page
    # before pinged every 15 s (21 in a sitting).
    answers = len(items)
    base = out["start"]["cpu_ms_p50"] + out["page"]["cpu_ms_p50"] + out["submit"]["cpu_ms_p50"]
    sitting = base + answers * out["save"]["cpu_ms_p50"]
    out["sitting_cpu_ms"] = {
        "answers": answers,
        "pings_when_idle": round(sitting, 1),
        "pings_every_15s": round(sitting + (answers + 1) * out["state"]["cpu_ms_p50"], 1),
        "target": 150,
    }
    if "grade_task" in out:  # the same sitting's CPU including its grading in the task worker (issue #16)
        out["sitting_cpu_ms"]["with_grading_task"] = round(sitting + out["grade_task"]["cpu_ms_p50"], 1)
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    out["sql"] = {kind: sql[kind] for kind in ("start", "save", "baseline")}
    out["officers"] = args.officers
    if args.cprofile:
        out["cprofile"] = {}
        for kind, profiler in profiles.items():
            buffer = io.StringIO()
            pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(25)
            out["cprofile"][kind] = buffer.getvalue().splitlines()[:60]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "profile.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in out.items() if k not in ("sql", "cprofile")}, ensure_ascii=False, indent=2))
    return out


def monitor_sitting(exam, officers: list) -> dict:
    """Attempts for a live-looking sitting of `exam`, straight from the models (bulk inserts): of every 20
    officers, 14 in progress (half of them seen within the minute, 5 answers each), 4 submitted, 1 overdue, 1 not
    started."""
    import random as _random

    from django.utils import timezone

    from exams.models import Attempt, AttemptItem
    from exams.services.papers import option_order, paper_materialize

    now = timezone.now()
    drawn = paper_materialize(paper=exam.paper, rng=_random.Random(1))
    attempts, states = [], Counter()
    for i, officer in enumerate(officers):
        slot = i % 20
        if slot == 19:
            states["not_started"] += 1
            continue
        state = "submitted" if slot >= 15 else "in_progress"
        deadline = now - dt.timedelta(minutes=2) if slot == 14 else now + dt.timedelta(minutes=40)
        attempts.append(
            Attempt(
                exam=exam,
                officer=officer,
                number=1,
                seed=i,
                state=state,
                started_at=now - dt.timedelta(minutes=20),
                deadline=deadline,
                submitted_at=now if state == "submitted" else None,
                last_seen_at=now - dt.timedelta(seconds=30 if slot % 2 else 600),
            )
        )
        states["overdue" if slot == 14 else state] += 1
    attempts = Attempt.objects.bulk_create(attempts, batch_size=1000)
    items = [
        AttemptItem(
            attempt=attempt,
            position=position,
            question=d.question,
            version=d.version,
            content=d.version.content,
            option_order=option_order(content=d.version.content, shuffle=False, rng=_random.Random(0)),
            points=d.points,
            response="A" if position <= 5 else None,
            seq=1 if position <= 5 else 0,
        )
        for attempt in attempts
        for position, d in enumerate(drawn, start=1)
    ]
    AttemptItem.objects.bulk_create(items, batch_size=5000)
    return dict(states)


def cmd_monitor(args) -> None:
    """The live monitor's JSON (what every watcher's page polls) for an exam of `--officers` seated officers, as a
    trainer (everyone) and as the leader of one squad: ms (wall and CPU, Django test client in-process) and
    queries per poll, for the first page, a unit filter, a state filter, a search and a far page."""
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from org.models import Officer, Unit, User
    from org.services import role_grant

    exam = make_exam(args.officers, "monitor")
    officers = list(Officer.objects.filter(employee_no__startswith=PREFIX).order_by("employee_no")[: args.officers])
    states = monitor_sitting(exam, officers)
    squad = Unit.objects.filter(full_path__startswith=f"{BUREAU}/").order_by("path").first()
    trainer = User.objects.get_or_create(username="bench-monitor-trainer")[0]
    role_grant(user=trainer, role="trainer")
    leader = User.objects.get_or_create(username="bench-monitor-leader")[0]
    role_grant(user=leader, role="unit_leader", unit=squad)
    url = f"/exams/manage/{exam.pk}/monitor.json"
    cases = {
        "first page": {},
        "unit filter": {"unit": squad.pk},
        "state filter": {"state": "in_progress"},
        "search": {"q": "基准队员1"},
        "page 30": {"page": 30},
        "size 200": {"size": 200},
    }
    out: dict = {"officers": args.officers, "sitting": states, "polls": args.polls, "cases": {}}
    for who, user in (("trainer", trainer), ("leader", leader)):
        client = Client(HTTP_HOST=HOST)
        client.force_login(user)
        for name, params in cases.items():
            wall, cpu, queries, rows = [], [], 0, 0
            for _ in range(args.polls):
                with CaptureQueriesContext(connection) as q:
                    c, t = time.process_time(), time.perf_counter()
                    response = client.get(url, params)
                    wall.append(time.perf_counter() - t)
                    cpu.append(time.process_time() - c)
                assert response.status_code == 200, (who, name, response.status_code)
                queries, rows = len(q), len(response.json()["rows"])
            out["cases"][f"{who}: {name}"] = {
                "queries": queries,
                "rows": rows,
                "wall_ms_p50": round(pct(wall, 50) * 1000, 1),
                "wall_ms_p95": round(pct(wall, 95) * 1000, 1),
                "cpu_ms_p50": round(pct(cpu, 50) * 1000, 1),
                "bytes": len(response.content),
            }
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "monitor.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    print(json.dumps(out, ensure_ascii=False, indent=2))


def cmd_report(args) -> None:
    """A markdown table of the runs in bench/results/*.json (the figures docs/PERFORMANCE.md quotes)."""
    rows = []
    for name in args.names:
        r = json.loads((RESULTS / f"{name}.json").read_text())
        lat = r["latency"]

        def f(kind: str, key: str, lat: dict = lat) -> str:
            value = lat.get(kind, {}).get(key)
            return "–" if value is None else f"{value:,.0f}"

        errors = ", ".join(f"{k}: {v}" for k, v in sorted(r["errors"].items())) or "0"
        answers = r.get("answers", {})
        rows.append(
            f"| {r['n']:,} | {f('start', 'p95_ms')} | {f('save', 'p50_ms')} | {f('save', 'p95_ms')} "
            f"| {f('save', 'p99_ms')} | {f('baseline', 'p50_ms')} | {r.get('ratio_save_p50_to_baseline_p50', '–')} "
            f"| {f('state', 'p50_ms')} / {f('state', 'p95_ms')} | {f('submit', 'p95_ms')} "
            f"| {r.get('save_rate_per_s', '–')} | {answers.get('acked', '–')} / {answers.get('missing', '–')} "
            f"| {errors} |"
        )
    print(
        "| N | start p95 | save p50 | save p95 | save p99 | baseline p50 | save/baseline | state p50 / p95 "
        "| submit p95 | saves/s | acked / missing | errors (count) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench exam_load", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("seed")
    s.add_argument("--officers", type=int, default=2000)
    for name in ("run", "all", "capacity"):
        r = sub.add_parser(name)
        if name == "capacity":
            r.add_argument("--start", type=int, default=250)
            r.add_argument("--step", type=int, default=250)
            r.add_argument("--max", type=int, default=3000)
        r.add_argument("--n", type=int, default=250)
        r.add_argument("--interval", type=float, default=15.0)
        r.add_argument("--jitter", type=float, default=3.0)
        r.add_argument("--answers", type=int, default=0, help="answer only the first K questions (0 = all)")
        r.add_argument("--heartbeat", type=float, default=5.0, help="how often the page checks; 0 = no ping")
        r.add_argument(
            "--idle-ping", type=float, default=30.0, help="ping after this many silent seconds (0 = at every beat)"
        )
        r.add_argument("--max-inflight", type=int, default=32, help="the door per worker (0 = none)")
        r.add_argument(
            "--pages-inflight", type=int, default=None, help="of those, for starts and pages (default: the settings')"
        )
        r.add_argument(
            "--door-wait",
            type=float,
            default=None,
            help="seconds a request may wait in the door's line (default: the settings')",
        )
        r.add_argument(
            "--task-worker-nice",
            type=int,
            default=10,
            help="the grading worker's nice level, as `make worker` (0 = as the server)",
        )
        r.add_argument(
            "--pool-check", type=int, default=1, help="the pool checks a connection as it lends it out (0 = not)"
        )
        r.add_argument(
            "--start-spread",
            type=float,
            default=None,
            help="the entry page's random 0–S s wait before start (default: production's rule for N officers)",
        )
        r.add_argument("--healthcheck", type=int, default=30, help="uvicorn --timeout-worker-healthcheck")
        r.add_argument("--workers", type=int, default=2)
        r.add_argument("--fault", action="store_true")
        r.add_argument("--kill-every", type=float, default=10.0)
        r.add_argument(
            "--pg-restart", type=float, default=0.0, help="restart PostgreSQL this many seconds into the load (0 = no)"
        )
        r.add_argument("--max-tries", type=int, default=30)
        r.add_argument("--request-timeout", type=float, default=120.0)
        r.add_argument("--max-seconds", type=float, default=1800.0, help="hard stop of the load phase")
        r.add_argument("--ramp-batch", type=int, default=250)
        r.add_argument("--baseline-only", type=float, default=0.0, help="seconds of baseline requests only")
        r.add_argument("--name", default="")
    lg = sub.add_parser("login")
    lg.add_argument("--count", type=int, default=20)
    lg.add_argument("--workers", type=int, default=2)
    pf = sub.add_parser("profile")
    pf.add_argument("--officers", type=int, default=10)
    pf.add_argument("--cprofile", action="store_true")
    mo = sub.add_parser("monitor")
    mo.add_argument("--officers", type=int, default=2000)
    mo.add_argument("--polls", type=int, default=20)
    rp = sub.add_parser("report")
    rp.add_argument("names", nargs="+", help="result names, e.g. n250 n500")
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    if args.cmd == "seed":
        django_setup()
        print(json.dumps(seed(args.officers), ensure_ascii=False))
    elif args.cmd == "run":
        cmd_run(args)
    elif args.cmd == "capacity":
        cmd_capacity(args)
    elif args.cmd == "login":
        cmd_login(args)
    elif args.cmd == "profile":
        cmd_profile(args)
    elif args.cmd == "monitor":
        cmd_monitor(args)
    elif args.cmd == "report":
        cmd_report(args)
    elif args.cmd == "all":
        django_setup()
        print(json.dumps(seed(2000), ensure_ascii=False))
        answers, max_seconds = args.answers, args.max_seconds
        for n in (250, 500, 1000, 2000):
            args.n, args.fault, args.name = n, False, ""
            # as in docs/PERFORMANCE.md: N = 2000 answers 8 questions and stops after 1500 s at the latest
            args.answers, args.max_seconds = (8, 1500.0) if n == 2000 else (answers, max_seconds)
            cmd_run(args)
        args.n, args.fault, args.name, args.answers, args.max_seconds = 500, True, "", answers, max_seconds
        cmd_run(args)


if __name__ == "__main__":
    main()
