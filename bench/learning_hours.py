"""Benchmark: requirements vs earned hours for many officers over a large ledger, and the heartbeat endpoint.

    .venv/bin/python bench/learning_hours.py [--officers 100000] [--rows 5000000] [--beats 2000]

Needs PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432). Creates a throwaway database,
loads it with COPY, measures, and drops it (also on failure). Reports p50/p95 and the ratio of the
selector (learning.selectors.requirements_frame: ORM aggregate + pandas merge, what the unit view uses)
to one hand-written SQL GROUP BY computing the same sums, measured in the same run."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import copy_officers, pct, throwaway_database, timed  # noqa: E402  (after the path)

DB_NAME = f"zfxt_bench_learning_{uuid.uuid4().hex[:8]}"


def load(officer_count: int, row_count: int) -> dict:
    from django.db import connection

    from org.models import RoleCategory
    from org.services import unit_ensure_path

    t0 = time.perf_counter()
    squads = [unit_ensure_path(path=f"基准局/执法{i:02d}中队/{j}分队") for i in range(25) for j in range(4)]
    roles = list(RoleCategory.objects.values_list("pk", "code"))
    categories = ["rule_of_law", "business", "law_exam", "political"]
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        officer_ids = copy_officers(raw, count=officer_count, squads=squads, roles=roles, now=now)
        t_people = time.perf_counter() - t0

        # Rules: every role × 3 categories.
        for role_id, _code in roles:
            for category, hours in (("rule_of_law", 40), ("law_exam", 40), ("business", 24)):
                raw.execute(
                    "INSERT INTO learning_hourrule (year, role_category_id, category_code, required_hours) VALUES (2026, %s, %s, %s)",
                    [role_id, category, hours],
                )

        # Bulk load the ledger the way a data migration would: indexes built after, FK checks off.
        raw.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'learning_creditentry' AND indexname NOT LIKE '%%_pkey'"
        )
        index_defs = raw.fetchall()
        raw.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'learning_creditentry'::regclass AND contype = 'u'"
        )
        unique_constraints = [r[0] for r in raw.fetchall()]
        constraint_defs = []
        for name in unique_constraints:
            raw.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s", [name])
            constraint_defs.append((name, raw.fetchone()[0]))
            raw.execute(f'ALTER TABLE learning_creditentry DROP CONSTRAINT "{name}"')
        for name, _definition in index_defs:
            if name not in unique_constraints:
                raw.execute(f'DROP INDEX IF EXISTS "{name}"')
        raw.execute("SET session_replication_role = replica")
        t1 = time.perf_counter()
        per_officer = max(1, row_count // len(officer_ids))
        kinds = ["offline", "course", "exam", "external", "manual"]

        def ledger_rows():
            n = 0
            for oid in officer_ids:
                for k in range(per_officer):
                    if n >= row_count:
                        return
                    year = 2025 if k % 5 == 4 else 2026
                    hours = (n * 7919) % 40 / 10 + 0.5
                    yield (oid, year, categories[k % 4], f"{hours:.2f}", kinds[k % 5], str(n), "", now)
                    n += 1

        columns = ["officer_id", "year", "category_code", "hours", "source_kind", "source_id", "reason", "created_at"]
        buffer_rows = []
        with raw.copy(f"COPY learning_creditentry ({', '.join(columns)}) FROM STDIN") as copy:
            for row in ledger_rows():
                buffer_rows.append("\t".join(map(str, row)))
                if len(buffer_rows) >= 50_000:
                    copy.write("\n".join(buffer_rows) + "\n")
                    buffer_rows.clear()
            if buffer_rows:
                copy.write("\n".join(buffer_rows) + "\n")
        raw.execute("SET session_replication_role = origin")
        t_copy = time.perf_counter() - t1
        t2 = time.perf_counter()
        for name, definition in constraint_defs:
            raw.execute(f'ALTER TABLE learning_creditentry ADD CONSTRAINT "{name}" {definition}')
        for name, definition in index_defs:
            if name not in unique_constraints:
                raw.execute(definition)
        raw.execute("ANALYZE")
        t_index = time.perf_counter() - t2
        raw.execute("SELECT count(*) FROM learning_creditentry")
        loaded = raw.fetchone()[0]
    return {
        "people_s": t_people,
        "copy_s": t_copy,
        "index_s": t_index,
        "rows": loaded,
        "officers": len(officer_ids),
        "squad": squads[0],
    }


def bench_hours(repeat: int, squad) -> dict:
    from django.db import connection

    from learning import selectors
    from org.models import Officer, Unit

    everyone = Officer.objects.all()

    def selector():
        frame = selectors.requirements_frame(year=2026, officers=everyone)
        assert len(frame) > 0

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT officer_id, category_code, SUM(hours) FROM learning_creditentry WHERE year = 2026 "
                "GROUP BY officer_id, category_code"
            )
            assert cursor.fetchall()

    selector()  # warm caches
    baseline()
    sel = timed(selector, repeat)
    base = timed(baseline, repeat)
    squad_unit = Unit.objects.get(pk=squad.get_parent().pk)  # a 中队 with its 4 分队
    scoped = Officer.objects.filter(unit__path__startswith=squad_unit.path)
    unit_times = timed(lambda: selectors.unit_status_rows(year=2026, officers=scoped), repeat)
    one = list(Officer.objects.order_by("?").values_list("pk", flat=True)[:200])
    single = []
    for pk in one:
        officer = Officer(pk=pk)
        start = time.perf_counter()
        selectors.officer_hours_for_year(officer=officer, year=2026)
        single.append(time.perf_counter() - start)
    return {
        "selector": sel,
        "baseline": base,
        "unit": unit_times,
        "unit_size": scoped.count(),
        "single": single,
    }


def bench_heartbeat(beats: int) -> dict:
    from django.conf import settings
    from django.test import Client

    from content.selectors import LessonStudySpec
    from learning import catalog, services
    from org.models import Officer

    spec = LessonStudySpec(
        lesson_id=1,
        course_id=1,
        title="基准课时",
        credited_minutes=10_000,
        credit_category_code="rule_of_law",
        course_year=2026,
        has_video=False,
        video_duration_seconds=None,
        check_questions=[],
    )
    catalog.lesson_study_spec = lambda *, lesson_id: spec if lesson_id == 1 else None
    catalog.course_lesson_ids = lambda *, course_id: [1]
    settings.LEARNING_MAX_GAP_SECONDS = 3600
    clients = []
    for officer in Officer.objects.select_related("user", "unit", "role_category").order_by("pk")[:50]:
        client = Client()
        client.force_login(officer.user)
        token = services.study_start(officer=officer, lesson_id=1).session.token
        clients.append((client, token))
    latencies = []
    counted = 0
    profiler = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    for i in range(beats):
        client, token = clients[i % len(clients)]
        t = time.perf_counter()
        response = client.post("/learning/study/heartbeat/", f'{{"token": "{token}"}}', content_type="application/json")
        latencies.append(time.perf_counter() - t)
        assert response.status_code == 200, response.content
        counted += response.json()["counted"]
    wall = time.perf_counter() - started
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return {"latencies": latencies, "wall": wall, "beats": beats, "counted": counted}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--beats", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with throwaway_database(DB_NAME):
        info = load(args.officers, args.rows)
        print(
            f"loaded {info['officers']:,} officers in {info['people_s']:.1f} s; {info['rows']:,} ledger rows: "
            f"COPY {info['copy_s']:.1f} s, indexes {info['index_s']:.1f} s",
            flush=True,
        )
        h = bench_hours(args.repeat, info["squad"])
        sel_p50, base_p50 = statistics.median(h["selector"]), statistics.median(h["baseline"])
        print(
            f"requirements_frame (all {info['officers']:,} officers, year 2026): p50 {sel_p50:.2f} s, p95 {pct(h['selector'], 95):.2f} s"
        )
        print(
            f"hand-written SQL GROUP BY (same sums):            p50 {base_p50:.2f} s, p95 {pct(h['baseline'], 95):.2f} s"
        )
        print(f"ratio selector / SQL: {sel_p50 / base_p50:.2f}")
        print(
            f"unit view rows for one 中队 ({h['unit_size']:,} officers): p50 {statistics.median(h['unit']) * 1000:.0f} ms, "
            f"p95 {pct(h['unit'], 95) * 1000:.0f} ms"
        )
        print(
            f"officer_hours_for_year (one officer): p50 {statistics.median(h['single']) * 1000:.2f} ms, "
            f"p95 {pct(h['single'], 95) * 1000:.2f} ms"
        )
        hb = bench_heartbeat(args.beats)
        print(
            f"heartbeat endpoint (Django test client, 1 process, sequential, {hb['beats']} beats over 50 officers): "
            f"{hb['beats'] / hb['wall']:.0f} req/s, p50 {statistics.median(hb['latencies']) * 1000:.2f} ms, "
            f"p95 {pct(hb['latencies'], 95) * 1000:.2f} ms"
        )


if __name__ == "__main__":
    main()
