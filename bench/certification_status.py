"""Benchmark: certification status of 100,000 officers over 5,000,000 ledger rows and 100,000 exam attempts.

    .venv/bin/python -m bench certification_status [--officers 100000] [--rows 5000000] [--repeat 5]

Needs PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432). Creates a throwaway database, loads it
with COPY (officers, the ledger, one annual-exam attempt per officer, certificates with their events, HR blocks,
the 2025 and 2026 review cycles), VACUUM ANALYZE, measures on 15 Nov 2026 (2026 window open), and drops it (also
on failure). Times, p50/p95 over --repeat runs:

- `certification.eligibility.evaluate_frame` (the engine, vectorised) for every officer;
- `certification.selectors.status_frame` (engine + events + status) for every officer;
- one hand-written SQL statement computing the same statuses (hours vs rules and days in integer hundredths, exam
  pass, blocks, the events' standing reviews and suspensions, the CASE of the status rules), and the ratio
  selector / SQL;
- `officer_status` of one officer.
The status counts of the selector and of the SQL are compared (they must be equal). `uptime`'s load average is
printed before and after, because two cores are shared with other work."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402  (after the path)
    ATTEMPT_COLUMNS,
    CERTIFICATE_COLUMNS,
    EVENT_COLUMNS,
    PG,
    copy_officers,
    copy_text,
    pct,
    throwaway_database,
    timed,
    uptime,
)

DB_NAME = f"zfxt_bench_cert_{uuid.uuid4().hex[:8]}"
TODAY = dt.date(2026, 11, 15)
YEAR = 2026


def load(officer_count: int, row_count: int) -> dict:
    from django.db import connection

    from certification.models import ReviewCycle
    from exams.models import Exam, Paper
    from org.models import RoleCategory
    from org.services import unit_ensure_path

    t0 = time.perf_counter()
    squads = [unit_ensure_path(path=f"基准局/执法{i:02d}中队/{j}分队") for i in range(25) for j in range(4)]
    roles = list(RoleCategory.objects.order_by("pk").values_list("pk", "code"))
    now = dt.datetime.now(dt.UTC)
    ReviewCycle.objects.create(
        year=2025, window_opens=dt.date(2025, 11, 1), deadline=dt.date(2026, 1, 31), grace_days=30
    )
    ReviewCycle.objects.create(
        year=2026, window_opens=dt.date(2026, 11, 1), deadline=dt.date(2027, 1, 31), grace_days=30
    )
    paper = Paper.objects.create(title="基准试卷")
    exam = Exam.objects.create(
        title="2026年度行政执法人员学法考试",
        kind=Exam.Kind.ANNUAL,
        year=YEAR,
        paper=paper,
        status=Exam.Status.PUBLISHED,
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=1),
        duration_minutes=60,
        pass_score=60,
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        copy_officers(raw, count=officer_count, squads=squads, roles=roles, now=now)
        raw.execute(
            "SELECT o.id, rc.code FROM org_officer o JOIN org_rolecategory rc ON rc.id = o.role_category_id ORDER BY o.id"
        )
        officers = raw.fetchall()
        for role_id, _code in roles:
            for category, hours in (("rule_of_law", 20), ("law_exam", 20), ("business", 16)):
                raw.execute(
                    "INSERT INTO learning_hourrule (year, role_category_id, category_code, required_hours) VALUES (%s, %s, %s, %s)",
                    [YEAR, role_id, category, hours],
                )
            raw.execute(
                "INSERT INTO learning_trainingdayrule (year, role_category_id, min_days) VALUES (%s, %s, %s)",
                [YEAR, role_id, 8],
            )
        t_people = time.perf_counter() - t0

        # The ledger, bulk-loaded the way a data migration would: indexes after, triggers off during COPY.
        t1 = time.perf_counter()
        raw.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'learning_creditentry' AND indexname NOT LIKE '%%_pkey'"
        )
        index_defs = raw.fetchall()
        raw.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'learning_creditentry'::regclass AND contype = 'u'"
        )
        constraint_defs = raw.fetchall()
        for name, _definition in constraint_defs:
            raw.execute(f'ALTER TABLE learning_creditentry DROP CONSTRAINT "{name}"')
        constraint_names = {n for n, _d in constraint_defs}
        for name, _definition in index_defs:
            if name not in constraint_names:
                raw.execute(f'DROP INDEX IF EXISTS "{name}"')
        raw.execute("SET session_replication_role = replica")
        categories = ["rule_of_law", "business", "law_exam", "political"]
        kinds = ["offline", "course", "exam", "external", "manual"]
        per_officer = max(1, row_count // len(officers))

        def ledger_rows():
            n = 0
            for i, (oid, _code) in enumerate(officers):
                scale = 0.5 if i % 4 == 0 else 1  # a quarter of the officers study half as much: short
                for k in range(per_officer):
                    if n >= row_count:
                        return
                    year = 2025 if k % 5 == 4 else YEAR
                    hours = ((n * 7919) % 40 / 10 + 0.5) * scale
                    yield (oid, year, categories[k % 4], f"{hours:.2f}", kinds[k % 5], str(n), "", now.isoformat())
                    n += 1

        copy_text(
            raw,
            "learning_creditentry",
            ["officer_id", "year", "category_code", "hours", "source_kind", "source_id", "reason", "created_at"],
            ledger_rows(),
        )

        # One annual-exam attempt per officer: 80 % passed, 2 % still waiting for marking, the rest failed.
        def attempts():
            for i, (oid, _code) in enumerate(officers):
                if i % 50 == 7:
                    state, score, passed = "submitted", None, None
                else:
                    passed = i % 5 != 3
                    state, score = "graded", (85 if passed else 40)
                yield (
                    exam.pk,
                    oid,
                    1,
                    "f",
                    state,
                    i,
                    now.isoformat(),
                    now.isoformat(),
                    0,
                    now.isoformat(),
                    "officer",
                    100,
                    score,
                    None if passed is None else ("t" if passed else "f"),
                    now.isoformat() if score else None,
                )

        copy_text(
            raw,
            "exams_attempt",
            ATTEMPT_COLUMNS,
            attempts(),
        )

        # Certificates: none for every tenth officer and for 协管员; issued 2019–2026; events: ISSUED, 2025 review
        # for most, 2026 review for some, suspensions, revocations; a few HR blocks.
        def certificates():
            for i, (oid, code) in enumerate(officers):
                if i % 10 == 0 or code == "auxiliary":
                    continue
                issued = dt.date(2019, 1, 1) + dt.timedelta(days=(i * 37) % 2850)
                yield (
                    oid,
                    f"基准证{i:07d}",
                    "基准区人民政府",
                    issued.isoformat(),
                    None,
                    "",
                    "",
                    secrets.token_urlsafe(32),
                    now.isoformat(),
                )

        copy_text(
            raw,
            "certification_certificate",
            CERTIFICATE_COLUMNS,
            certificates(),
        )
        raw.execute("SELECT id, issued_on FROM certification_certificate ORDER BY id")
        certs = raw.fetchall()

        def events():
            for j, (cid, issued) in enumerate(certs):
                yield (cid, "issued", None, 1, issued.isoformat(), None, "", None, "{}", now.isoformat())
                if j % 100 < 85 and issued.year < 2025:
                    yield (cid, "review_passed", 2025, 1, "2025-12-01", None, "", None, "{}", now.isoformat())
                if j % 5 == 1 and issued.year < YEAR:
                    yield (cid, "review_passed", YEAR, 1, "2026-11-05", None, "", None, "{}", now.isoformat())
                if j % 97 == 0:
                    yield (
                        cid,
                        "suspended",
                        None,
                        1,
                        "2026-10-01",
                        None if j % 2 else "2026-12-31",
                        "基准暂扣",
                        None,
                        "{}",
                        now.isoformat(),
                    )
                if j % 101 == 0:
                    yield (cid, "revoked", None, 1, "2026-06-01", None, "基准注销", None, "{}", now.isoformat())

        copy_text(
            raw,
            "certification_certificateevent",
            EVENT_COLUMNS,
            events(),
        )
        raw.execute("SELECT id FROM org_user ORDER BY id LIMIT 1")
        creator = raw.fetchone()[0]
        copy_text(
            raw,
            "certification_reviewblock",
            [
                "officer_id",
                "kind",
                "reason",
                "starts_on",
                "ends_on",
                "lifted_on",
                "lifted_reason",
                "created_by_id",
                "created_at",
            ],
            (
                (oid, "discipline", "基准处分", "2026-09-01", None, None, "", creator, now.isoformat())
                for i, (oid, _code) in enumerate(officers)
                if i % 211 == 0
            ),
        )
        raw.execute("SET session_replication_role = origin")
        t_copy = time.perf_counter() - t1
        t2 = time.perf_counter()
        for name, definition in constraint_defs:
            raw.execute(f'ALTER TABLE learning_creditentry ADD CONSTRAINT "{name}" {definition}')
        for name, definition in index_defs:
            if name not in constraint_names:
                raw.execute(definition)
        t_index = time.perf_counter() - t2
        raw.execute("SELECT count(*) FROM learning_creditentry")
        ledger = raw.fetchone()[0]
        raw.execute("SELECT count(*) FROM exams_attempt")
        attempts_n = raw.fetchone()[0]
        raw.execute("SELECT count(*) FROM certification_certificateevent")
        events_n = raw.fetchone()[0]
    # VACUUM (outside a transaction) sets the visibility map, so the covering index serves index-only scans.
    t3 = time.perf_counter()
    import psycopg

    with psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    t_vacuum = time.perf_counter() - t3
    return {
        "people_s": t_people,
        "copy_s": t_copy,
        "index_s": t_index,
        "vacuum_s": t_vacuum,
        "officers": len(officers),
        "rows": ledger,
        "attempts": attempts_n,
        "certificates": len(certs),
        "events": events_n,
    }


def status_sql(cycle, previous_year: int | None, per_day: int) -> str:
    """One hand-written statement computing the status of every officer on TODAY for the governing `cycle`, with
    the same rules as certification.status (checked by comparing the counts)."""
    t = f"DATE '{TODAY.isoformat()}'"
    y = cycle.year
    if TODAY < cycle.window_opens:
        phase = "WHEN NOT el.eligible THEN 'at_risk' ELSE 'valid'"
    elif TODAY > cycle.deadline + dt.timedelta(days=cycle.grace_days):
        phase = "ELSE 'lapsed'"
    else:
        phase = "WHEN r_now.kind = 'review_failed' THEN 'at_risk' WHEN el.eligible THEN 'review_due' ELSE 'at_risk'"
    lapsed = (
        f"WHEN NOT (COALESCE(r_prev.kind = 'review_passed', false) OR EXTRACT(YEAR FROM cur.issued_on) >= {previous_year}) "
        "THEN 'lapsed'"
        if previous_year
        else ""
    )
    return f"""
WITH people AS (
    SELECT o.id AS officer_id, o.role_category_id, rc.code AS role_code
    FROM org_officer o JOIN org_rolecategory rc ON rc.id = o.role_category_id
),
sums AS (
    SELECT officer_id, category_code, SUM(hours_hundredths) AS earned_c FROM learning_creditentry WHERE year = {y}
    GROUP BY officer_id, category_code
),
req AS (
    SELECT p.officer_id, r.category_code, ROUND(r.required_hours * 100)::bigint AS required_c
    FROM people p JOIN learning_hourrule r ON r.role_category_id = p.role_category_id AND r.year = {y}
),
hours AS (
    SELECT COALESCE(req.officer_id, sums.officer_id) AS officer_id,
           SUM(GREATEST(COALESCE(req.required_c, 0) - COALESCE(sums.earned_c, 0), 0)) AS shortfall,
           SUM(COALESCE(sums.earned_c, 0)) AS earned_c
    FROM req FULL JOIN sums ON sums.officer_id = req.officer_id AND sums.category_code = req.category_code
    GROUP BY 1
),
passed AS (
    SELECT DISTINCT a.officer_id FROM exams_attempt a JOIN exams_exam e ON e.id = a.exam_id
    WHERE e.kind = 'annual' AND e.year = {y} AND e.status = 'published' AND a.state IN ('graded', 'released') AND a.passed
),
blocked AS (
    SELECT DISTINCT officer_id FROM certification_reviewblock
    WHERE starts_on <= {t} AND (ends_on IS NULL OR ends_on >= {t}) AND (lifted_on IS NULL OR lifted_on > {t})
),
el AS (
    SELECT p.officer_id,
           COALESCE(h.shortfall, 0) = 0
           AND (d.min_days IS NULL OR ROUND(d.min_days * 10) <= CASE
                 WHEN COALESCE(h.earned_c, 0) % {per_day * 10} = {per_day * 5}
                 THEN COALESCE(h.earned_c, 0) / {per_day * 10} + (COALESCE(h.earned_c, 0) / {per_day * 10}) % 2
                 ELSE ROUND(COALESCE(h.earned_c, 0) / {per_day * 10}.0) END)
           AND pa.officer_id IS NOT NULL AND bl.officer_id IS NULL AND p.role_code <> 'auxiliary' AS eligible
    FROM people p
    LEFT JOIN hours h ON h.officer_id = p.officer_id
    LEFT JOIN learning_trainingdayrule d ON d.role_category_id = p.role_category_id AND d.year = {y}
    LEFT JOIN passed pa ON pa.officer_id = p.officer_id
    LEFT JOIN blocked bl ON bl.officer_id = p.officer_id
),
ev AS (SELECT * FROM certification_certificateevent WHERE effective_on <= {t}),
live AS (
    SELECT * FROM ev WHERE kind <> 'voided'
    AND NOT EXISTS (SELECT 1 FROM ev v WHERE v.kind = 'voided' AND v.voids_id = ev.id)
),
agg AS (
    SELECT certificate_id, bool_or(kind = 'issued') AS issued_live, bool_or(kind = 'revoked') AS revoked,
           bool_or(kind = 'expired') AS expired
    FROM live GROUP BY certificate_id
),
ever_issued AS (SELECT DISTINCT certificate_id FROM ev WHERE kind = 'issued'),
certs AS (
    SELECT c.id, c.officer_id, c.issued_on,
           c.issued_on <= {t} AND (COALESCE(a.issued_live, false) OR ei.certificate_id IS NULL) AS stands,
           COALESCE(a.revoked, false) AS revoked,
           COALESCE(a.expired, false) OR (c.valid_until IS NOT NULL AND c.valid_until < {t}) AS expired
    FROM certification_certificate c
    LEFT JOIN agg a ON a.certificate_id = c.id
    LEFT JOIN ever_issued ei ON ei.certificate_id = c.id
),
cur AS (SELECT DISTINCT ON (officer_id) * FROM certs ORDER BY officer_id, stands DESC, issued_on DESC, id DESC),
reviews AS (
    SELECT DISTINCT ON (certificate_id, year) certificate_id, year, kind FROM live
    WHERE kind IN ('review_passed', 'review_failed') ORDER BY certificate_id, year, seq DESC
),
susp AS (
    SELECT DISTINCT ON (certificate_id) certificate_id, kind, ends_on FROM live
    WHERE kind IN ('suspended', 'reinstated') ORDER BY certificate_id, effective_on DESC, created_at DESC, id DESC
)
SELECT CASE
    WHEN cur.id IS NULL OR NOT cur.stands THEN 'uncertified'
    WHEN cur.revoked THEN 'revoked'
    WHEN cur.expired THEN 'expired'
    WHEN s.kind = 'suspended' AND (s.ends_on IS NULL OR s.ends_on >= {t}) THEN 'suspended'
    WHEN r_now.kind = 'review_passed' OR EXTRACT(YEAR FROM cur.issued_on) >= {y} THEN 'valid'
    {lapsed}
    {phase}
  END AS status, count(*)
FROM el
LEFT JOIN cur ON cur.officer_id = el.officer_id
LEFT JOIN susp s ON s.certificate_id = cur.id
LEFT JOIN reviews r_now ON r_now.certificate_id = cur.id AND r_now.year = {y}
LEFT JOIN reviews r_prev ON r_prev.certificate_id = cur.id AND r_prev.year = {previous_year or 0}
GROUP BY 1
"""


def bench(repeat: int) -> dict:
    from django.conf import settings
    from django.db import connection

    from certification.eligibility import evaluate_frame
    from certification.selectors import current_cycle, cycles, officer_status, status_frame
    from org.models import Officer

    everyone = Officer.objects.all()
    cycle = current_cycle(today=TODAY)
    previous = max((c.year for c in cycles() if c.year < cycle.year), default=None)
    sql = status_sql(cycle, previous, int(settings.LEARNING_HOURS_PER_TRAINING_DAY))
    out: dict = {}

    def selector():
        out["frame"] = status_frame(officers=everyone, today=TODAY)

    def engine():
        evaluate_frame(officers=everyone, year=cycle.year, today=TODAY)

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            out["sql"] = dict(cursor.fetchall())

    selector()  # warm caches
    baseline()
    # Interleaved (engine, selector, SQL) rounds, so that a burst of load from elsewhere hits all three alike.
    out["engine"], out["selector"], out["baseline"] = [], [], []
    for _ in range(repeat):
        out["engine"] += timed(engine, 1)
        out["selector"] += timed(selector, 1)
        out["baseline"] += timed(baseline, 1)
    out["counts"] = out["frame"]["status"].value_counts().to_dict()
    # Where the time goes: the pieces status_frame is made of, each alone.
    from exams.models import Exam
    from exams.selectors import passes_frame
    from learning.selectors import hours_status_frame

    def ledger_group_by():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT officer_id, category_code, SUM(hours) FROM learning_creditentry WHERE year = %s "
                "GROUP BY officer_id, category_code",
                [cycle.year],
            )
            cursor.fetchall()

    def ledger_group_by_integers():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT officer_id, category_code, SUM(hours_hundredths) FROM learning_creditentry WHERE year = %s "
                "GROUP BY officer_id, category_code",
                [cycle.year],
            )
            cursor.fetchall()

    out["pieces"] = {
        "ledger GROUP BY alone (SQL, SUM(hours), rows fetched)": timed(ledger_group_by, repeat),
        "ledger GROUP BY alone (SQL, SUM(hours_hundredths), rows fetched)": timed(ledger_group_by_integers, repeat),
        "learning hours_status_frame": timed(lambda: hours_status_frame(year=cycle.year, officers=everyone), repeat),
        "exams passes_frame": timed(
            lambda: passes_frame(officers=everyone, kind=Exam.Kind.ANNUAL, year=cycle.year), repeat
        ),
    }
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        status_frame(officers=everyone, today=TODAY)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    sample = list(Officer.objects.order_by("?")[:50])
    singles = []
    for officer in sample:
        start = time.perf_counter()
        officer_status(officer=officer, today=TODAY)
        singles.append(time.perf_counter() - start)
    out["single"] = singles
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT officer_id, category_code, SUM(hours) FROM learning_creditentry WHERE year = 2026 "
            "GROUP BY officer_id, category_code"
        )
        out["plan"] = "\n".join(r[0] for r in cursor.fetchall())
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    print(f"before: {uptime()}", flush=True)
    with throwaway_database(DB_NAME):
        info = load(args.officers, args.rows)
        print(
            f"loaded {info['officers']:,} officers in {info['people_s']:.1f} s; {info['rows']:,} ledger rows, "
            f"{info['attempts']:,} attempts, {info['certificates']:,} certificates, {info['events']:,} events: "
            f"COPY {info['copy_s']:.1f} s, indexes {info['index_s']:.1f} s, VACUUM ANALYZE {info['vacuum_s']:.1f} s",
            flush=True,
        )
        print(f"load done: {uptime()}", flush=True)
        r = bench(args.repeat)
        sel, base, eng = r["selector"], r["baseline"], r["engine"]
        print(f"evaluate_frame (engine, all officers):   p50 {statistics.median(eng):.2f} s, p95 {pct(eng, 95):.2f} s")
        print(f"status_frame (all officers):             p50 {statistics.median(sel):.2f} s, p95 {pct(sel, 95):.2f} s")
        print(
            f"hand-written SQL (same statuses):        p50 {statistics.median(base):.2f} s, p95 {pct(base, 95):.2f} s"
        )
        print(f"ratio status_frame / SQL: {statistics.median(sel) / statistics.median(base):.2f}")
        for name, values in r["pieces"].items():
            print(f"  piece: {name}: p50 {statistics.median(values):.2f} s, p95 {pct(values, 95):.2f} s")
        print(
            f"officer_status (one officer): p50 {statistics.median(r['single']) * 1000:.1f} ms, "
            f"p95 {pct(r['single'], 95) * 1000:.1f} ms"
        )
        counts = {str(k): int(v) for k, v in sorted(r["counts"].items())}
        sql_counts = {str(k): int(v) for k, v in sorted(r["sql"].items())}
        print(f"status counts (selector): {counts}")
        print(f"status counts (SQL):      {sql_counts}")
        print(f"counts equal: {counts == sql_counts}")
        print("plan of the ledger GROUP BY:\n" + r["plan"])
        print(f"after: {uptime()}", flush=True)


if __name__ == "__main__":
    main()
