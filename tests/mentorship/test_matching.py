"""The scoring function and the assignment: optimal on small pools (checked by brute force), never worse than the
greedy baseline, capacities respected, hard constraints held."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mentorship import matching


def _brute(scores, feasible, capacity):
    """Best (number matched, total) over every assignment of mentees to mentors or nobody."""
    m, n = scores.shape
    best = (0, 0.0)
    for choice in itertools.product(range(-1, n), repeat=m):
        used = np.zeros(n, dtype=int)
        total, count, ok = 0.0, 0, True
        for i, j in enumerate(choice):
            if j < 0:
                continue
            if not feasible[i, j]:
                ok = False
                break
            used[j] += 1
            total += scores[i, j]
            count += 1
        if ok and (used <= capacity).all() and (count, round(total, 6)) > (best[0], round(best[1], 6)):
            best = (count, total)
    return best


@pytest.mark.parametrize("seed", range(25))
def test_optimal_equals_brute_force_on_small_pools(seed):
    rng = np.random.default_rng(seed)
    m, n = rng.integers(1, 6), rng.integers(1, 5)
    scores = rng.uniform(0, 100, (m, n)).round(2)
    feasible = rng.random((m, n)) < 0.7
    capacity = rng.integers(1, 4, n)
    got = matching.optimal(scores, feasible, capacity)
    count, total = _brute(scores, feasible, capacity)
    assert len(got.pairs) == count
    assert got.total == pytest.approx(total)
    used = np.bincount([j for _i, j in got.pairs], minlength=n)
    assert (used <= capacity).all()
    assert all(feasible[i, j] for i, j in got.pairs)
    base = matching.greedy(scores, feasible, capacity)
    assert (len(got.pairs), round(got.total, 6)) >= (len(base.pairs), round(base.total, 6))


def test_greedy_can_be_worse_and_optimal_is_not():
    # Greedy takes the 90 and leaves mentee 1 with nothing; the optimum pairs both.
    scores = np.array([[90.0, 80.0], [85.0, 0.0]])
    feasible = np.array([[True, True], [True, False]])
    capacity = np.array([1, 1])
    assert len(matching.greedy(scores, feasible, capacity).pairs) == 1
    best = matching.optimal(scores, feasible, capacity)
    assert best.pairs == [(0, 1), (1, 0)]
    assert best.total == pytest.approx(165.0)


def _pool(ids, squad, team, unit_sets, *, mentor=False):
    n = len(ids)
    return matching.Pool(
        ids=np.array(ids),
        squad=np.array(squad),
        team=np.array(team),
        fields=np.zeros((n, 0), dtype=bool),
        years=np.full(n, 10.0),
        exam=np.full(n, 80.0) if mentor else None,
        past=np.full(n, np.nan) if mentor else None,
        capacity=np.ones(n, dtype=int) if mentor else None,
        unit_sets=[frozenset(s) for s in unit_sets],
    )


# the constraint table: (case, mentee squad, mentor squad, mentee ancestors, mentor leads, same person,
# allow cross-squad, feasible)
CONSTRAINTS = [
    ("same squad, not a leader", 1, 1, {10, 1}, set(), False, False, True),
    ("other squad, cross-squad not allowed", 1, 2, {10, 1}, set(), False, False, False),
    ("other squad, cross-squad allowed", 1, 2, {10, 1}, set(), False, True, True),
    ("mentor leads the mentee's squad", 1, 1, {10, 1}, {1}, False, False, False),
    ("mentor leads the bureau (an ancestor)", 1, 1, {10, 1}, {10}, False, True, False),
    ("mentor leads another squad", 1, 1, {10, 1}, {2}, False, False, True),
    ("the mentee themselves", 1, 1, {10, 1}, set(), True, False, False),
]


@pytest.mark.parametrize(
    ("case", "sq_e", "sq_r", "anc", "leads", "same", "cross", "expected"), CONSTRAINTS, ids=[c[0] for c in CONSTRAINTS]
)
def test_hard_constraints(case, sq_e, sq_r, anc, leads, same, cross, expected):
    mentees = _pool([1], [sq_e], [-1], [anc])
    mentors = _pool([1 if same else 2], [sq_r], [-1], [leads], mentor=True)
    assert bool(matching.feasibility(mentees, mentors, allow_cross_squad=cross)[0, 0]) is expected


def test_score_is_explained_part_by_part():
    mentees = _pool([1], [1], [5], [{1}])
    mentors = _pool([2, 3], [1, 1], [5, 6], [set(), set()], mentor=True)
    scores, _feasible = matching.score_matrix(
        mentees, mentors, weights=matching.DEFAULT_WEIGHTS, allow_cross_squad=False
    )
    parts = matching.explain(mentees, mentors, 0, 0, weights=matching.DEFAULT_WEIGHTS)
    assert [p["label"] for p in parts] == [
        "同一分队",
        "执法领域相近",
        "师傅执法年限",
        "师傅本年度考试成绩",
        "师傅以往带教成效",
    ]
    assert sum(p["points"] for p in parts) == pytest.approx(scores[0, 0], abs=0.05)
    assert scores[0, 0] - scores[0, 1] == pytest.approx(30.0)  # same team is worth its weight
