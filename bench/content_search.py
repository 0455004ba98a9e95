"""Benchmark: Chinese search over a large case library, on SQLite and on PostgreSQL.

    .venv/bin/python bench/content_search.py [--cases 20000] [--repeat 15] [--only sqlite|postgres]

Builds a throwaway database per backend (a temporary SQLite file; a PostgreSQL database created on the server
of DATABASE_URL or BENCH_PG, default postgres://postgres@127.0.0.1:5432, dropped afterwards, also on
failure), migrates it, generates N published case pages with their search-index entries, then times
content.selectors.search_pages (jieba-segmented query against the segmented index, first 20 results) for a
table of Chinese queries. Baseline measured in the same run: the naive substring scan
(title/facts icontains, first 20) that search replaces. Reports p50/p95 and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "占道",
    "占道经营",
    "渣土 抛洒",
    "户外广告",
    "违法建设",
    "彩钢板",
    "油烟净化",
    "扬尘",
    "养犬",
    "犬链",
    "燃气",
    "噪声扰民",
    "绿地",
    "垃圾分类",
    "首违不罚",
    "人行道",
    "滨江路",
    "建筑垃圾",
    "夜市",
    "挖掘道路",
]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# --------------------------------------------------------------------------- worker (one backend)


def _generate(n: int) -> None:
    from django.db import connection, transaction
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from content import services
    from content.models import CasePage, ViolationCategory
    from demo.content_seed import CASE_TEMPLATES, SQUADS, STREETS

    rng = random.Random(42)
    tree = services.content_tree_ensure()
    library = tree["cases"]
    categories = {c.code: c for c in ViolationCategory.objects.all()}
    fillers = [
        "执法队员接到群众投诉后立即赶赴现场",
        "经调查核实并制作现场检查笔录",
        "当事人对违法事实无异议",
        "执法记录仪全程记录执法过程",
        "经教育后当事人当场整改",
        "依法送达责令改正通知书",
        "当事人逾期未整改",
        "街道社区协助开展调查",
    ]
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(CasePage)
    base_path, depth = library.path, library.depth + 1
    start = library.numchild
    t0 = time.perf_counter()
    batch = 1000
    for offset in range(0, n, batch):
        with transaction.atomic():
            pages = []
            for i in range(offset, min(n, offset + batch)):
                cat, _law, _art, title_t, facts_t, decision, _penalty, key_points = CASE_TEMPLATES[
                    i % len(CASE_TEMPLATES)
                ]
                street = rng.choice(STREETS)
                title = title_t.format(street=street) + f"({i + 1})"
                slug = f"bench-{i + 1}"
                facts = (
                    rng.choice(facts_t).format(street=street, n=rng.randint(2, 80))
                    + ",".join(rng.sample(fillers, 3))
                    + "。"
                )
                page = CasePage(
                    title=title,
                    slug=slug,
                    content_type=ct,
                    path=Page._get_path(base_path, depth, start + i + 1),
                    depth=depth,
                    numchild=0,
                    url_path=f"{library.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    draft_title=title,
                    category=categories[cat],
                    kind="typical",
                    facts=facts,
                    decision=decision,
                    key_points=key_points,
                    source_unit=rng.choice(SQUADS),
                    locale_id=library.locale_id,
                    translation_key=uuid.uuid4(),
                )
                pages.append(page)
            # Multi-table pages: insert the Page row, then the CasePage row (raw save skips the parent).
            for page in pages:
                page._save_table(cls=Page, force_insert=True)  # the wagtailcore_page row
                page.page_ptr_id = page.id
                page._save_table(raw=True, cls=CasePage, force_insert=True)
            index = get_search_backend().get_index_for_model(CasePage)
            index.add_items(CasePage, pages)
        print(f"  generated {min(n, offset + batch)} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    Page.objects.filter(pk=library.pk).update(numchild=start + n)
    connection.close()
    return time.perf_counter() - t0


def worker(n: int, repeat: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from content.models import CasePage
    from content.selectors import search_pages

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - t0
    gen_s = _generate(n)
    assert CasePage.objects.live().count() >= n
    if os.environ.get("BENCH_GENERATE_ONLY"):  # keep a loaded database for manual profiling
        return {"generated": n}

    def run_search(q):
        return search_pages(q, model=CasePage, limit=20)

    def run_baseline(q):
        return list(CasePage.objects.live().filter(Q(title__icontains=q) | Q(facts__icontains=q)).order_by("-pk")[:20])

    results = {}
    for name, fn in (("search", run_search), ("baseline_icontains", run_baseline)):
        timings, hits = [], {}
        t_warm = time.perf_counter()
        for q in QUERIES:  # warm-up
            hits[q] = len(fn(q))
        print(f"  {name} warm-up {time.perf_counter() - t_warm:.1f} s", file=sys.stderr, flush=True)
        for _ in range(repeat):
            for q in QUERIES:
                t = time.perf_counter()
                fn(q)
                timings.append((time.perf_counter() - t) * 1000)
        results[name] = {
            "p50_ms": statistics.median(timings),
            "p95_ms": pct(timings, 95),
            "n": len(timings),
            "zero_hit_queries": [q for q, h in hits.items() if h == 0],
        }
    return {
        "vendor": connection.vendor,
        "cases": n,
        "migrate_s": round(migrate_s, 1),
        "generate_and_index_s": round(gen_s, 1),
        **results,
    }


# --------------------------------------------------------------------------- driver


def run_backend(kind: str, n: int, repeat: int) -> dict:
    env = dict(os.environ)
    cleanup = None
    if kind == "sqlite":
        tmp = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)
        tmp.close()
        env["DATABASE_URL"] = f"sqlite:///{tmp.name}"
        cleanup = lambda: [Path(p).unlink(missing_ok=True) for p in (tmp.name, tmp.name + "-wal", tmp.name + "-shm")]  # noqa: E731
    else:
        import psycopg

        server = os.environ.get("BENCH_PG") or os.environ.get("DATABASE_URL", "")
        if not server.startswith("postgres"):
            server = "postgres://postgres@127.0.0.1:5432"
        server = server.rsplit("/", 1)[0] if server.count("/") > 2 else server
        name = f"zfxt_bench_content_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{server}/{name}"

        def cleanup():
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    env.pop("REDIS_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    env["DEBUG"] = "false"
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", "--cases", str(n), "--repeat", str(repeat)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])
    except subprocess.CalledProcessError as exc:
        print(exc.stdout[-3000:], file=sys.stderr)
        raise
    finally:
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.cases, args.repeat)))
        return
    kinds = [args.only] if args.only else ["sqlite", "postgres"]
    print(f"content search benchmark: {args.cases} cases, {len(QUERIES)} queries x {args.repeat} rounds")
    for kind in kinds:
        r = run_backend(kind, args.cases, args.repeat)
        s, b = r["search"], r["baseline_icontains"]
        print(
            f"{r['vendor']:<10} setup: migrate {r['migrate_s']} s, generate+index {r['generate_and_index_s']} s\n"
            f"  search_pages (jieba):   p50 {s['p50_ms']:.2f} ms  p95 {s['p95_ms']:.2f} ms  (n={s['n']})\n"
            f"  baseline icontains:     p50 {b['p50_ms']:.2f} ms  p95 {b['p95_ms']:.2f} ms\n"
            f"  ratio search/baseline:  p50 {s['p50_ms'] / b['p50_ms']:.2f}x  p95 {s['p95_ms'] / b['p95_ms']:.2f}x\n"
            f"  queries with no hit:    search {s['zero_hit_queries']}  baseline {b['zero_hit_queries']}"
        )


if __name__ == "__main__":
    main()
