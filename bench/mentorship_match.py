"""Mentorship matching: 500 mentees × 2,000 eligible mentors (capacities 1–3), scoring + optimal assignment + the
explanations of the chosen pairs, against the greedy baseline.

In memory (no database): the pools are built the way mentorship.candidates builds them (squads, teams, violation
fields, years, exam scores, past outcomes, unit-leader sets), then `mentorship.matching.score_matrix`,
`optimal` and `explain` run exactly as in `services.match_run`. Prints p50/p95 over the repeats, the optimal and
greedy totals (and pair counts) and `uptime`'s load average. Target (issue #13): under 5 s, optimal ≥ greedy.

    .venv/bin/python -m bench mentorship_match [--mentees 500] [--mentors 2000] [--repeat 7] [--seed 13]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from bench.common import pct, uptime  # noqa: E402
from mentorship import matching  # noqa: E402

SQUADS, TEAMS_PER_SQUAD, FIELDS = 12, 4, 16


def pools(mentees: int, mentors: int, seed: int) -> tuple[matching.Pool, matching.Pool]:
    rng = np.random.default_rng(seed)

    def pool(n: int, *, mentor: bool, first_id: int) -> matching.Pool:
        squad = rng.integers(0, SQUADS, n)
        team = squad * 10 + rng.integers(0, TEAMS_PER_SQUAD, n)
        # mentees' ancestors: their team, squad and the bureau (id 999); one mentor in 40 leads a squad or team
        if mentor:
            sets = [frozenset({int(squad[k]) + 1000} if rng.random() < 0.025 else ()) for k in range(n)]
        else:
            sets = [frozenset({int(team[k]) + 2000, int(squad[k]) + 1000, 999}) for k in range(n)]
        return matching.Pool(
            ids=np.arange(first_id, first_id + n),
            squad=squad,
            team=team,
            fields=rng.random((n, FIELDS)) < 0.2,
            years=rng.uniform(0, 3, n) if not mentor else rng.uniform(3, 30, n),
            exam=rng.uniform(60, 100, n) * (rng.random(n) < 0.9) if mentor else None,
            past=np.where(rng.random(n) < 0.6, np.nan, rng.random(n)) if mentor else None,
            capacity=rng.integers(1, 4, n) if mentor else None,
            unit_sets=sets,
        )

    return pool(mentees, mentor=False, first_id=1), pool(mentors, mentor=True, first_id=100_000)


def run_once(mentees: matching.Pool, mentors: matching.Pool) -> dict:
    weights = dict(matching.DEFAULT_WEIGHTS)
    t0 = time.perf_counter()
    scores, feasible = matching.score_matrix(mentees, mentors, weights=weights, allow_cross_squad=False)
    t1 = time.perf_counter()
    best = matching.optimal(scores, feasible, mentors.capacity)
    t2 = time.perf_counter()
    for i, j in best.pairs:
        matching.explain(mentees, mentors, i, j, weights=weights)
    t3 = time.perf_counter()
    base = matching.greedy(scores, feasible, mentors.capacity)
    return {
        "total_s": t3 - t0,
        "score_s": t1 - t0,
        "assign_s": t2 - t1,
        "explain_s": t3 - t2,
        "optimal": best,
        "greedy": base,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mentees", type=int, default=500)
    parser.add_argument("--mentors", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    print(f"before: {uptime()}", flush=True)
    mentees, mentors = pools(args.mentees, args.mentors, args.seed)
    print(
        f"{len(mentees)} mentees × {len(mentors)} mentors, {int(mentors.capacity.sum())} mentor slots "
        f"(capacities 1–3), {SQUADS} squads, same-squad rule on",
        flush=True,
    )
    runs = [run_once(mentees, mentors) for _ in range(args.repeat)]
    for key, label in (
        ("total_s", "scoring + matching + explanations"),
        ("score_s", "score_matrix"),
        ("assign_s", "optimal (linear_sum_assignment)"),
        ("explain_s", "explain (chosen pairs)"),
    ):
        values = [r[key] for r in runs]
        print(f"{label:<36} p50 {statistics.median(values):.3f} s, p95 {pct(values, 95):.3f} s")
    best, base = runs[0]["optimal"], runs[0]["greedy"]
    print(f"optimal: {len(best.pairs)} pairs, total score {best.total:.2f}")
    print(f"greedy:  {len(base.pairs)} pairs, total score {base.total:.2f}")
    ok = (len(best.pairs), best.total) >= (len(base.pairs), base.total - 1e-6)
    p50 = statistics.median(r["total_s"] for r in runs)
    print(f"optimal ≥ greedy: {ok}; under 5 s: {p50 < 5}")
    print(f"after: {uptime()}", flush=True)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
