"""What the database benchmarks share: a throwaway PostgreSQL database's admin statements, timing and percentiles,
the machine's load (`uptime`), fast COPY loading, the bench roster (users and officers by COPY), and the app
under uvicorn (`AppServer`) for the HTTP and websocket benchmarks."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shlex
import signal
import statistics
import string
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
TASK_WORKER_EXITED = "bench: the task worker exited; starting it again"


# The columns the database benchmarks COPY into exams_attempt (their rows are built in this order).
ATTEMPT_COLUMNS = [
    "exam_id",
    "officer_id",
    "number",
    "is_makeup",
    "state",
    "seed",
    "started_at",
    "deadline",
    "extended_minutes",
    "submitted_at",
    "finished_by",
    "max_score",
    "score",
    "passed",
    "graded_at",
]

# ... and into certification_certificate.
CERTIFICATE_COLUMNS = [
    "officer_id",
    "number",
    "issuing_authority",
    "issued_on",
    "valid_until",
    "enforcement_category",
    "enforcement_area",
    "verify_token",
    "created_at",
]

# ... and into certification_certificateevent.
EVENT_COLUMNS = [
    "certificate_id",
    "kind",
    "year",
    "seq",
    "effective_on",
    "ends_on",
    "reason",
    "voids_id",
    "evidence",
    "created_at",
]


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100), at least 1
    return ordered[int(rank) - 1]


def summarize(values: list[float]) -> dict:
    """Latencies in seconds → count and p50/p95/p99/max/mean in milliseconds (the load generators' summary)."""
    if not values:
        return {"count": 0}
    ms = [v * 1000 for v in values]
    return {
        "count": len(ms),
        "p50_ms": round(pct(ms, 50), 1),
        "p95_ms": round(pct(ms, 95), 1),
        "p99_ms": round(pct(ms, 99), 1),
        "max_ms": round(max(ms), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
    }


def csrf_secret() -> str:
    """A token in Django's format (32 ASCII letters/digits): the cookie and the X-CSRFToken header carry it."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "uptime unavailable"


def copy_text(raw, table: str, columns: list[str], rows, batch: int = 50_000) -> None:
    """COPY in text format, batched; None → \\N."""
    buffer = []
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            buffer.append("\t".join("\\N" if v is None else str(v) for v in row))
            if len(buffer) >= batch:
                copy.write("\n".join(buffer) + "\n")
                buffer.clear()
        if buffer:
            copy.write("\n".join(buffer) + "\n")


def copy_officers(raw, *, count: int, squads: list, roles: list[tuple[int, str]], now: dt.datetime) -> list[int]:
    """`count` bench officers (工号 B0000000…, each with a login), spread over the squads and role categories in
    turn, by COPY. Returns the officer ids in 工号 order."""
    stamp = now.isoformat()
    user_columns = ["password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff"]
    copy_text(
        raw,
        "org_user",
        [*user_columns, "is_active", "date_joined"],
        (("!", "f", f"B{i:07d}", "", "", "", "f", "t", stamp) for i in range(count)),
    )
    raw.execute("SELECT id FROM org_user WHERE username LIKE 'B%%' ORDER BY username")
    user_ids = [r[0] for r in raw.fetchall()]
    officer_columns = ["user_id", "employee_no", "name", "unit_id", "role_category_id", "enforcement_duty"]
    copy_text(
        raw,
        "org_officer",
        [*officer_columns, "status", "created_at", "updated_at"],
        (
            (
                uid,
                f"B{i:07d}",
                "基准人员",
                squads[i % len(squads)].pk,
                roles[i % len(roles)][0],
                "t",
                "active",
                stamp,
                stamp,
            )
            for i, uid in enumerate(user_ids)
        ),
    )
    raw.execute("SELECT id FROM org_officer WHERE employee_no LIKE 'B%%' ORDER BY employee_no")
    return [r[0] for r in raw.fetchall()]


@contextlib.contextmanager
def throwaway_database(name: str):
    """A new PostgreSQL database for one benchmark run: created, Django set up on it (test settings, no Redis, DEBUG
    off), migrated; closed and dropped afterwards, also on failure."""
    admin_sql(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"{PG}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.pop("REDIS_URL", None)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        settings.DEBUG = False
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.1f} s", flush=True)
        yield
        connections.close_all()
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped {name}")


def _proc_cpu_seconds(pid: int, *, reaped_children: bool = False) -> float:
    """utime + stime of one process from /proc (0 when it is gone); with `reaped_children`, also the time of its
    children that ended and were waited for (cutime + cstime)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class AppServer:
    """The app under uvicorn (`config.asgi:application`, DJANGO_SETTINGS_MODULE=config.settings.bench) on
    127.0.0.1:`port`, started and stopped by a benchmark; optionally the task worker beside it (`db_worker`).
    `start` returns once every worker answers /healthz and each has served a few requests (imports warmed)."""

    def __init__(
        self,
        *,
        port: int,
        workers: int,
        log: Path,
        uvicorn_args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        task_worker: bool = False,
        task_worker_nice: int = 0,
    ):
        self.port, self.workers, self.log_path = port, workers, log
        self.uvicorn_args, self.extra_env, self.with_task_worker = uvicorn_args, env or {}, task_worker
        self.task_worker_nice = task_worker_nice
        self.proc: subprocess.Popen | None = None
        self.task_worker: subprocess.Popen | None = None
        self.log = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import urllib.request

        env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.bench", **self.extra_env)
        env.pop("DATABASE_URL", None)
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        command = [
            str(ROOT / ".venv/bin/uvicorn"),
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--no-access-log",
            "--backlog",
            "4096",
            *self.uvicorn_args,
        ]
        spawn = {"cwd": ROOT, "env": env, "stdout": self.log, "stderr": subprocess.STDOUT, "start_new_session": True}
        self.proc = subprocess.Popen(command, **spawn)
        if self.with_task_worker:
            # Supervised as in production (`make worker`): db_worker exits on a database error it does not expect
            # (a PostgreSQL restart), and the loop starts it again. The shell, not a watcher thread of ours, reaps
            # it: a wait on any child here would also reap asyncio's subprocesses (ps, pg_ctlcluster).
            nice = ["nice", "-n", str(self.task_worker_nice)] if self.task_worker_nice else []
            worker = shlex.join(
                [
                    *nice,
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--no-startup-delay",
                    "--interval",
                    "0.5",
                    "--no-reload",
                ]
            )
            self.task_worker = subprocess.Popen(
                ["bash", "-c", f'while :; do {worker}; echo "{TASK_WORKER_EXITED} ($?)" >&2; sleep 1; done'],
                **spawn,
            )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200 and len(self.worker_pids()) == self.workers:
                        for _ in range(4 * self.workers):
                            urllib.request.urlopen(f"{self.base}/healthz", timeout=5).read()
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"server did not come up; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        pids = []
        for pid in _children(self.proc.pid):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"multiprocessing" in cmd and b"resource_tracker" not in cmd:
                pids.append(int(pid))
        return pids

    def server_pids(self) -> list[int]:
        """uvicorn's supervisor and its live workers."""
        return [self.proc.pid, *self.worker_pids()] if self.proc else []

    def own_pids(self) -> list[int]:
        """The server's processes: the supervisor, its workers, the task worker's shell and the worker it runs."""
        pids = self.server_pids()
        if self.task_worker is not None:
            pids += [self.task_worker.pid, *_children(self.task_worker.pid)]
        return pids

    def cpu_seconds(self) -> float:
        """utime + stime of the supervisor and its live workers (a killed worker's time is lost)."""
        return sum(_proc_cpu_seconds(pid) for pid in self.server_pids())

    def task_worker_cpu_seconds(self) -> float:
        """The supervising shell's ended workers and the one running now."""
        if self.task_worker is None:
            return 0.0
        shell = self.task_worker.pid
        return _proc_cpu_seconds(shell, reaped_children=True) + sum(_proc_cpu_seconds(c) for c in _children(shell))

    def task_worker_restarts(self) -> int:
        if self.log_path is None or not self.log_path.exists():
            return 0
        return self.log_path.read_text(errors="replace").count(TASK_WORKER_EXITED)

    def stop(self) -> None:
        for process in (self.task_worker, self.proc):
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)  # the task worker's shell and the worker it runs
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.task_worker = self.proc = None
        if self.log is not None:
            self.log.close()
            self.log = None
