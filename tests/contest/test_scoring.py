"""The contest's pure rules as tables: speed points, grace from round-trips, reaction time, streak bonus, ranks."""

import pytest

from contest import scoring


@pytest.mark.parametrize(
    ("mode", "elapsed", "expected"),
    [
        ("fixed", 0, 100),
        ("fixed", 19_999, 100),
        ("linear", 0, 100),
        ("linear", 10_000, 75),  # half the window: half-way between 100 and the floor of 50
        ("linear", 20_000, 50),
        ("linear", 20_250, 50),  # inside the grace: never below the floor
        ("linear", 2_000, 95),
        ("linear", 19_999, 50),  # 50.0025 rounds to 50
    ],
)
def test_speed_points(mode, elapsed, expected):
    assert (
        scoring.speed_points(scoring=mode, max_points=100, floor_points=50, elapsed_ms=elapsed, window_ms=20_000)
        == expected
    )


@pytest.mark.parametrize(
    ("rtts", "grace"),
    [
        ([], 0),
        ([40], 40),
        ([40, 60, 50], 50),
        ([40, 60, 50, 5000], 55),  # one slow echo moves the median a little, not to 5 s
        ([900, 1200, 3000], 300),  # capped
        ([10, 10, 10, 10, 10, 2000, 2000], 10),  # only the last five samples, median of them... 10,10,10,2000,2000 → 10
        ([-5, 20, 30], 20),  # a negative reading counts as 0
    ],
)
def test_grace_is_the_capped_median_of_recent_round_trips(rtts, grace):
    assert scoring.grace_ms(rtts) == grace


@pytest.mark.parametrize(
    ("received", "opens", "grace", "expected"),
    [(1_000, 1_000, 0, 0), (1_500, 1_000, 100, 400), (1_050, 1_000, 100, 0), (21_000, 1_000, 300, 19_700)],
)
def test_reaction_time_subtracts_the_phones_latency(received, opens, grace, expected):
    assert scoring.reaction_ms(received_ms=received, opens_ms=opens, grace=grace) == expected


@pytest.mark.parametrize(
    ("per_step", "streak", "bonus"),
    [(0, 5, 0), (10, 1, 0), (10, 2, 10), (10, 3, 20), (10, 6, 50), (10, 20, 50)],
)
def test_streak_bonus_grows_then_caps(per_step, streak, bonus):
    assert scoring.streak_bonus(per_step=per_step, streak=streak) == bonus


def test_competition_ranks_share_ties_and_skip():
    assert scoring.competition_ranks([(300, 5), (200, 1), (200, 1), (100, 9)]) == [1, 2, 2, 4]
    assert scoring.competition_ranks([]) == []
