"""The one scoring function and the optimal assignment of mentees to mentors. Pure: numpy arrays in, arrays out,
no database, so the benchmark and the brute-force tests run it as it runs in production.

Scoring: every mentee × mentor pair gets a score (0–100 with the default weights) that is the sum of weighted
parts, each part in [0, 1]; `explain` gives the same parts for one pair, in Chinese. Hard constraints (never the
mentee themselves, never their own unit leader, same 中队 unless the programme allows cross-squad) make a pair
infeasible.

Assignment: scipy's linear_sum_assignment over mentees × mentor *slots* (each mentor repeated by their remaining
capacity). Infeasible pairs get a prohibitive cost, so the solver first matches as many mentees as it can and then
maximises the total score; any infeasible assignment it was forced into is dropped afterwards (that mentee is
unmatched). `greedy` is the baseline reported beside it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from scipy.optimize import linear_sum_assignment

FACTORS = ("same_team", "field", "experience", "exam", "past")
DEFAULT_WEIGHTS = {"same_team": 30.0, "field": 20.0, "experience": 20.0, "exam": 15.0, "past": 15.0}
EXPERIENCE_FULL_YEARS = 15.0  # a mentor with this many years of service scores the full experience part
# Larger than any achievable total (the sum of weights is capped at 100 × len(FACTORS) by the form).
INFEASIBLE_COST = 1e6


def factor_labels() -> dict[str, str]:
    return {
        "same_team": _("同一分队"),
        "field": _("执法领域相近"),
        "experience": _("师傅执法年限"),
        "exam": _("师傅本年度考试成绩"),
        "past": _("师傅以往带教成效"),
    }


@dataclass
class Pool:
    """People of one side of the match, as parallel arrays (index i is one officer).

    squad / team: unit ids of the officer's 中队 and 分队 (-1 when none). fields: a boolean matrix officers ×
    violation categories known (may have zero columns). leads: for mentors, the set of unit ids whose subtree
    they lead; for mentees, `ancestors` is the set of unit ids of their unit and its ancestors."""

    ids: np.ndarray
    squad: np.ndarray
    team: np.ndarray
    fields: np.ndarray
    years: np.ndarray
    exam: np.ndarray | None = None  # mentors: best annual exam score this year, 0–100 (0 when none)
    past: np.ndarray | None = None  # mentors: share of past pairs completed, 0–1 (NaN when none)
    capacity: np.ndarray | None = None  # mentors: 1–3
    unit_sets: list[frozenset[int]] = field(default_factory=list)  # mentees: ancestors; mentors: led units

    def __len__(self) -> int:
        return len(self.ids)


def feasibility(mentees: Pool, mentors: Pool, *, allow_cross_squad: bool) -> np.ndarray:
    """m × n booleans: the hard constraints."""
    ok = mentees.ids[:, None] != mentors.ids[None, :]
    if not allow_cross_squad:
        ok &= (mentees.squad[:, None] == mentors.squad[None, :]) & (mentees.squad[:, None] >= 0)
    # never the mentee's own unit leader: a mentor who leads the mentee's unit or one of its ancestors
    leader_cols = [j for j, led in enumerate(mentors.unit_sets) if led]
    for j in leader_cols:
        led = mentors.unit_sets[j]
        for i, ancestors in enumerate(mentees.unit_sets):
            if ancestors & led:
                ok[i, j] = False
    return ok


def parts(mentees: Pool, mentors: Pool) -> dict[str, np.ndarray]:
    """Each factor's part in [0, 1], m × n (or broadcastable to it)."""
    m, n = len(mentees), len(mentors)
    same_team = (mentees.team[:, None] == mentors.team[None, :]) & (mentees.team[:, None] >= 0)
    if mentees.fields.shape[1] and mentors.fields.shape[1]:
        a = mentees.fields.astype(np.float32)
        b = mentors.fields.astype(np.float32)
        overlap = a @ b.T
        need = a.sum(axis=1)[:, None]
        # the share of the mentee's fields the mentor knows; a mentee without field data gets nothing here
        field_part = np.divide(overlap, need, out=np.zeros((m, n), dtype=np.float32), where=need > 0)
    else:
        field_part = np.zeros((m, n), dtype=np.float32)
    experience = np.clip(mentors.years / EXPERIENCE_FULL_YEARS, 0, 1)[None, :]
    exam = np.clip((mentors.exam if mentors.exam is not None else np.zeros(n)) / 100.0, 0, 1)[None, :]
    past_raw = mentors.past if mentors.past is not None else np.full(n, np.nan)
    past = np.where(np.isnan(past_raw), 0.5, past_raw)[None, :]  # no history: neutral
    return {
        "same_team": same_team.astype(np.float32),
        "field": field_part,
        "experience": np.broadcast_to(experience, (m, n)),
        "exam": np.broadcast_to(exam, (m, n)),
        "past": np.broadcast_to(past, (m, n)),
    }


def score_matrix(
    mentees: Pool, mentors: Pool, *, weights: dict[str, float], allow_cross_squad: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(scores m × n, feasible m × n). The one scoring function."""
    total = np.zeros((len(mentees), len(mentors)), dtype=np.float64)
    for name, part in parts(mentees, mentors).items():
        total += float(weights.get(name, 0.0)) * part
    return total, feasibility(mentees, mentors, allow_cross_squad=allow_cross_squad)


def explain(mentees: Pool, mentors: Pool, i: int, j: int, *, weights: dict[str, float]) -> list[dict]:
    """The parts of one pair's score: [{code, label, part (0–1), weight, points}] in factor order."""
    sub_m = _take(mentees, [i])
    sub_n = _take(mentors, [j])
    labels = factor_labels()
    out = []
    for name, part in parts(sub_m, sub_n).items():
        value = float(part[0, 0])
        weight = float(weights.get(name, 0.0))
        out.append(
            {
                "code": name,
                "label": labels[name],
                "part": round(value, 3),
                "weight": weight,
                "points": round(value * weight, 2),
            }
        )
    return out


def _take(pool: Pool, idx: list[int]) -> Pool:
    return Pool(
        ids=pool.ids[idx],
        squad=pool.squad[idx],
        team=pool.team[idx],
        fields=pool.fields[idx],
        years=pool.years[idx],
        exam=None if pool.exam is None else pool.exam[idx],
        past=None if pool.past is None else pool.past[idx],
        capacity=None if pool.capacity is None else pool.capacity[idx],
        unit_sets=[pool.unit_sets[k] for k in idx] if pool.unit_sets else [],
    )


@dataclass
class Assignment:
    pairs: list[tuple[int, int]]  # (mentee index, mentor index)
    total: float

    def mentor_of(self) -> dict[int, int]:
        return dict(self.pairs)


def optimal(scores: np.ndarray, feasible: np.ndarray, capacity: np.ndarray) -> Assignment:
    """Maximum number of feasible pairs, then maximum total score, with each mentor j used at most capacity[j]
    times. Exact (linear_sum_assignment over mentor slots)."""
    m, n = scores.shape
    capacity = np.asarray(capacity, dtype=np.int64).clip(min=0)
    if m == 0 or n == 0 or capacity.sum() == 0:
        return Assignment([], 0.0)
    # Only mentors some mentee can take matter; dropping the rest keeps the slot matrix small.
    useful = feasible.any(axis=0) & (capacity > 0)
    cols = np.flatnonzero(useful)
    if cols.size == 0:
        return Assignment([], 0.0)
    # A mentor never needs more slots than there are mentees.
    reps = np.minimum(capacity[cols], m)
    slot_mentor = np.repeat(cols, reps)
    cost = np.where(feasible[:, slot_mentor], -scores[:, slot_mentor], INFEASIBLE_COST)
    rows, slots = linear_sum_assignment(cost)
    pairs = []
    total = 0.0
    for r, s in zip(rows, slots, strict=True):
        j = int(slot_mentor[s])
        if feasible[r, j]:
            pairs.append((int(r), j))
            total += float(scores[r, j])
    return Assignment(sorted(pairs), total)


def greedy(scores: np.ndarray, feasible: np.ndarray, capacity: np.ndarray) -> Assignment:
    """The baseline a paper list would give: best remaining pair first."""
    left = np.asarray(capacity, dtype=np.int64).copy()
    order = np.argsort(-np.where(feasible, scores, -np.inf), axis=None, kind="stable")
    taken: set[int] = set()
    pairs = []
    total = 0.0
    m = scores.shape[0]
    for flat in order:
        i, j = divmod(int(flat), scores.shape[1])
        if not feasible[i, j]:
            break  # the rest are infeasible (sorted to the end)
        if i in taken or left[j] <= 0:
            continue
        taken.add(i)
        left[j] -= 1
        pairs.append((i, j))
        total += float(scores[i, j])
        if len(taken) == m:
            break
    return Assignment(sorted(pairs), total)
