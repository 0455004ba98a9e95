"""What the database benchmarks share: a throwaway PostgreSQL database's admin statements, timing and percentiles,
the machine's load (`uptime`), fast COPY loading, and the bench roster (users and officers by COPY)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import statistics
import string
import subprocess
import time

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


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
