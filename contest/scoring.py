"""Pure rules of the contest's clock and points (no database): what an answer is worth, how much grace a phone
gets from its measured round-trip, and the streak bonus. Tested as a table in tests/contest/test_scoring.py."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

# The grace is bounded so that no phone, however slow its pongs, can stretch a deadline by more than this.
MAX_GRACE_MS = 300
# Round-trips kept per connection: the median of the last few, so one slow echo does not move it.
RTT_SAMPLES = 5
# The streak bonus grows with the streak up to this many steps.
STREAK_CAP = 5


def grace_ms(rtts_ms: Sequence[float]) -> int:
    """The grace after the deadline for a phone: the median of its measured round-trips (the options reach it
    half a round-trip late and its answer needs the other half), capped at MAX_GRACE_MS; 0 when never measured."""
    samples = [max(0.0, float(r)) for r in rtts_ms][-RTT_SAMPLES:]
    if not samples:
        return 0
    return int(min(MAX_GRACE_MS, statistics.median(samples)))


def speed_points(*, scoring: str, max_points: int, floor_points: int, elapsed_ms: int, window_ms: int) -> int:
    """Points for a correct answer. "fixed": max_points. "linear": max_points at 0 ms falling linearly to
    floor_points at the end of the window (elapsed beyond the window, inside the grace, still earns the floor)."""
    if scoring == "fixed" or window_ms <= 0:
        return max_points
    share = min(1.0, max(0.0, elapsed_ms / window_ms))
    return int(round(max_points - (max_points - floor_points) * share))


def reaction_ms(*, received_ms: int, opens_ms: int, grace: int) -> int:
    """The server-measured answering time, less the phone's own latency (its grace), never below zero: two
    officers who tap at the same moment score the same whatever their networks."""
    return max(0, received_ms - opens_ms - grace)


def streak_bonus(*, per_step: int, streak: int) -> int:
    """The bonus for a correct answer that makes a streak of `streak` (1 = no streak yet)."""
    if per_step <= 0 or streak <= 1:
        return 0
    return per_step * min(streak - 1, STREAK_CAP)


def competition_ranks(keys: Sequence[tuple]) -> list[int]:
    """Ranks "1224" style for already sorted keys: equal keys share a rank, the next rank skips."""
    ranks: list[int] = []
    for index, key in enumerate(keys):
        ranks.append(ranks[-1] if index and key == keys[index - 1] else index + 1)
    return ranks
