"""Benchmark: the year's full figure set (reports) for 100,000 officers, and the year-end snapshot write.

    .venv/bin/python -m bench reports_year [--officers 100000] [--rows 5000000] [--attempts 200000]
                                           [--sessions 2000] [--repeat 3]

Needs PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432). Creates a throwaway database and loads it
with COPY: officers over 100 squads, their placements (one from 2020; every 20th officer transferred on 1 Jul of the
year, every 50th left on 1 Jul), hour rules, the ledger (--rows, 4/5 of it in the year), --attempts exam attempts
(the annual exam and the qualification exam, 80 % passed), --sessions offline sessions of the year with 50 sign-ins
each, certificates with their ISSUED event and the year's review for most officers; VACUUM ANALYZE. Then times,
p50/p95 over --repeat runs, `reports.figures.year_report` (every figure for the bureau and every unit, rolled up)
and, once, `reports.services.snapshot_close` (the figures plus one frozen row per officer). Targets at 100,000
officers: figures < 5 s, snapshot < 30 s. Prints the bureau's headline figures and `uptime`'s load average before
and after (two cores are shared with other work). Drops the database at the end, also on failure."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    ATTEMPT_COLUMNS,
    CERTIFICATE_COLUMNS,
    EVENT_COLUMNS,
    PG,
    admin_sql,
    copy_officers,
    copy_text,
    pct,
    throwaway_database,
    timed,
    uptime,
)

DB_NAME = f"zfxt_bench_reports_{uuid.uuid4().hex[:8]}"
YEAR = 2025
MID_YEAR = dt.date(YEAR, 7, 1)
SIGN_INS_PER_SESSION = 50


def load(*, officer_count: int, row_count: int, attempt_count: int, session_count: int) -> dict:
    from django.db import connection

    from certification.models import ReviewCycle
    from exams.models import Exam, Paper
    from org.models import RoleCategory, User
    from org.services import unit_ensure_path

    t0 = time.perf_counter()
    squads = [unit_ensure_path(path=f"基准局/执法{i:02d}中队/{j}分队") for i in range(25) for j in range(4)]
    roles = list(RoleCategory.objects.order_by("pk").values_list("pk", "code"))
    now = dt.datetime.now(dt.UTC)
    stamp = now.isoformat()
    ReviewCycle.objects.create(
        year=YEAR, window_opens=dt.date(YEAR, 11, 1), deadline=dt.date(YEAR + 1, 1, 31), grace_days=30
    )
    paper = Paper.objects.create(title="基准试卷")
    exams = {
        kind: Exam.objects.create(
            title=f"{YEAR}年度{kind}",
            kind=kind,
            year=YEAR,
            paper=paper,
            status=Exam.Status.PUBLISHED,
            opens_at=now - dt.timedelta(days=30),
            closes_at=now - dt.timedelta(days=1),
            duration_minutes=60,
            pass_score=60,
        )
        for kind in (Exam.Kind.ANNUAL, Exam.Kind.QUALIFICATION)
    }
    exams[Exam.Kind.ANNUAL].units.add(squads[0].get_root())
    trainer = User.objects.create(username="bench-trainer")
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("SET session_replication_role = replica")  # bulk load: no triggers, no FK checks per row
        officers = copy_officers(raw, count=officer_count, squads=squads, roles=roles, now=now)
        for role_id, _code in roles:
            for category, hours in (("rule_of_law", 20), ("law_exam", 20), ("business", 16)):
                raw.execute(
                    "INSERT INTO learning_hourrule (year, role_category_id, category_code, required_hours) "
                    "VALUES (%s, %s, %s, %s)",
                    [YEAR, role_id, category, hours],
                )

        def placements():
            for i, oid in enumerate(officers):
                unit_id, role_id = squads[i % len(squads)].pk, roles[i % len(roles)][0]
                if i % 20 == 3:  # transferred on 1 Jul: in the next squad before
                    before = squads[(i + 1) % len(squads)].pk
                    yield (oid, before, role_id, "active", "t", "2020-01-01", MID_YEAR.isoformat(), stamp)
                    yield (oid, unit_id, role_id, "active", "t", MID_YEAR.isoformat(), None, stamp)
                elif i % 50 == 7:  # left on 1 Jul
                    yield (oid, unit_id, role_id, "active", "t", "2020-01-01", MID_YEAR.isoformat(), stamp)
                    yield (oid, unit_id, role_id, "left", "t", MID_YEAR.isoformat(), None, stamp)
                else:
                    yield (oid, unit_id, role_id, "active", "t", "2020-01-01", None, stamp)

        copy_text(
            raw,
            "org_officerplacement",
            [
                "officer_id",
                "unit_id",
                "role_category_id",
                "status",
                "enforcement_duty",
                "valid_from",
                "valid_to",
                "created_at",
            ],
            placements(),
        )
        t_people = time.perf_counter() - t0

        t1 = time.perf_counter()
        categories = ["rule_of_law", "business", "law_exam", "political"]
        per_officer = max(1, row_count // len(officers))

        def ledger_rows():
            n = 0
            for i, oid in enumerate(officers):
                scale = 0.5 if i % 4 == 0 else 1
                for k in range(per_officer):
                    if n >= row_count:
                        return
                    year = YEAR - 1 if k % 5 == 4 else YEAR
                    hours = ((n * 7919) % 40 / 10 + 0.5) * scale
                    yield (oid, year, categories[k % 4], f"{hours:.2f}", "manual", str(n), "", stamp)
                    n += 1

        copy_text(
            raw,
            "learning_creditentry",
            ["officer_id", "year", "category_code", "hours", "source_kind", "source_id", "reason", "created_at"],
            ledger_rows(),
        )

        def attempts():
            exam_ids = [exams[Exam.Kind.ANNUAL].pk, exams[Exam.Kind.QUALIFICATION].pk]
            for n in range(attempt_count):
                oid = officers[n % len(officers)]
                exam_id = exam_ids[(n // len(officers)) % 2]
                number = n // (2 * len(officers)) + 1
                passed = n % 5 != 3
                yield (
                    exam_id,
                    oid,
                    number,
                    "f",
                    "graded",
                    n,
                    stamp,
                    stamp,
                    0,
                    stamp,
                    "officer",
                    100,
                    85 if passed else 40,
                    "t" if passed else "f",
                    stamp,
                )

        copy_text(
            raw,
            "exams_attempt",
            ATTEMPT_COLUMNS,
            attempts(),
        )

        kinds = ["central", "lecture", "meeting", "forum"]

        def sessions():
            for s in range(session_count):
                day = dt.datetime(YEAR, 1 + s % 12, 1 + s % 28, 9, tzinfo=dt.UTC)
                yield (
                    f"基准培训{s}",
                    kinds[s % 4],
                    "rule_of_law",
                    2,
                    "会议室",
                    day.isoformat(),
                    (day + dt.timedelta(hours=2)).isoformat(),
                    trainer.pk,
                    "s",
                    stamp,
                )

        copy_text(
            raw,
            "learning_offlinesession",
            [
                "title",
                "kind",
                "category_code",
                "hours",
                "place",
                "starts_at",
                "ends_at",
                "trainer_id",
                "secret",
                "created_at",
            ],
            sessions(),
        )
        raw.execute("SELECT id, starts_at FROM learning_offlinesession ORDER BY id")
        session_rows = raw.fetchall()

        def sign_ins():
            n = 0
            for sid, starts in session_rows:
                for k in range(SIGN_INS_PER_SESSION):
                    oid = officers[(n * 31 + k) % len(officers)]
                    n += 1
                    yield (sid, oid, starts.isoformat(), "qr", "")

        copy_text(
            raw,
            "learning_attendance",
            ["session_id", "officer_id", "signed_in_at", "method", "reason"],
            sign_ins(),
        )

        def certificates():
            for i, oid in enumerate(officers):
                if i % 10 == 0:
                    continue
                issued = dt.date(2019, 1, 1) + dt.timedelta(days=(i * 37) % 2500)
                yield (oid, f"基准证{i:07d}", "基准区人民政府", issued.isoformat(), None, "", "", f"v{i}", stamp)

        copy_text(
            raw,
            "certification_certificate",
            CERTIFICATE_COLUMNS,
            certificates(),
        )
        raw.execute("SELECT id, issued_on FROM certification_certificate ORDER BY id")
        certs = raw.fetchall()

        def events():
            for n, (cid, issued) in enumerate(certs):
                yield (cid, "issued", None, 1, issued.isoformat(), None, "", None, "{}", stamp)
                if n % 7 != 0:
                    kind = "review_passed" if n % 13 else "review_failed"
                    yield (cid, kind, YEAR, 1, dt.date(YEAR, 11, 20).isoformat(), None, "", None, "{}", stamp)

        copy_text(
            raw,
            "certification_certificateevent",
            EVENT_COLUMNS,
            events(),
        )
        raw.execute("SET session_replication_role = DEFAULT")
        t_copy = time.perf_counter() - t1
        counts = {}
        for table in ("learning_creditentry", "exams_attempt", "learning_offlinesession", "learning_attendance"):
            raw.execute(f"SELECT count(*) FROM {table}")
            counts[table] = raw.fetchone()[0]
    t2 = time.perf_counter()
    import psycopg

    with psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {
        "people_s": t_people,
        "copy_s": t_copy,
        "vacuum_s": time.perf_counter() - t2,
        "officers": len(officers),
        **counts,
    }


def bench(repeat: int) -> dict:
    from org.models import User
    from reports.figures import TOTAL, year_report
    from reports.services import snapshot_close

    holder: dict = {}

    def figures():
        holder["report"], holder["frame"] = year_report(year=YEAR)

    times = timed(figures, repeat)
    report = holder["report"]
    actor, _ = User.objects.get_or_create(username="bench-hr")  # get: a --reuse'd database has it
    started = time.perf_counter()
    snapshot = snapshot_close(year=YEAR, actor=actor)
    snapshot_s = time.perf_counter() - started
    headline = {
        key: report.text(key, TOTAL)
        for key in (
            "headcount",
            "training_rate",
            "days_per_head",
            "annual_sit_rate",
            "annual_pass_rate",
            "sessions",
            "attendances",
            "cert_rate",
        )
    }
    return {
        "figures_p50": statistics.median(times),
        "figures_p95": pct(times, 95),
        "units": len(report.units),
        "snapshot_s": snapshot_s,
        "snapshot_officers": snapshot.officer_count,
        "headline": headline,
    }


@contextlib.contextmanager
def kept_database(name: str, *, reuse: bool):
    """For profiling without seeding each time: --keep NAME seeds NAME (created and migrated as usual) and leaves it;
    --reuse NAME runs on a NAME seeded before. Drop it yourself: psql -c 'DROP DATABASE NAME'."""
    if not reuse:
        admin_sql(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"{PG}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    settings.DEBUG = False
    if not reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.1f} s", flush=True)
    yield
    connections.close_all()
    print(f"kept {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench reports_year", description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--attempts", type=int, default=200_000)
    parser.add_argument("--sessions", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument("--keep", metavar="NAME", help="seed database NAME and keep it (not a throwaway)")
    kept.add_argument("--reuse", metavar="NAME", help="time on database NAME kept by --keep (no seeding)")
    args = parser.parse_args(argv)
    print(
        f"reports_year: {args.officers} officers, {args.rows} ledger rows, {args.attempts} attempts, "
        f"{args.sessions} sessions; PostgreSQL {PG}"
    )
    print("load before:", uptime(), flush=True)
    global DB_NAME
    if args.keep or args.reuse:
        DB_NAME = args.keep or args.reuse
        database = kept_database(DB_NAME, reuse=bool(args.reuse))
    else:
        database = throwaway_database(DB_NAME)
    with database:
        if not args.reuse:
            loaded = load(
                officer_count=args.officers,
                row_count=args.rows,
                attempt_count=args.attempts,
                session_count=args.sessions,
            )
            print("loaded:", {k: round(v, 1) if isinstance(v, float) else v for k, v in loaded.items()}, flush=True)
        result = bench(args.repeat)
        print(
            f"figures (year_report, {result['units']} units): p50 {result['figures_p50']:.2f} s, "
            f"p95 {result['figures_p95']:.2f} s  (target < 5 s)"
        )
        print(
            f"snapshot_close: {result['snapshot_s']:.2f} s for {result['snapshot_officers']} officers  (target < 30 s)"
        )
        print("bureau:", result["headline"])
    print("load after:", uptime())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
