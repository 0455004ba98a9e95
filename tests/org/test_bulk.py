"""org.bulk.int_rows_update: one statement writes each row its own values, and nothing else."""

import pytest

from contest.models import Seat
from org.bulk import int_rows_update
from tests.contest import helpers as h


def test_each_row_gets_its_own_values_and_other_rows_stay(db):
    contest = h.contest()
    seats = [
        services_join(contest, h.officer(squad, employee_no=f"B{i}"))
        for i, squad in enumerate(["执法一中队", "执法二中队", "执法一中队"])
    ]
    untouched = seats[2]

    updated = int_rows_update(
        model=Seat,
        fields=["score", "rank", "correct_ms"],
        rows=[(seats[0].pk, 180, 1, 5_000_000_000), (seats[1].pk, 95, 2, 3_200)],
    )

    assert updated == 2
    assert list(Seat.objects.order_by("pk").values_list("score", "rank", "correct_ms")) == [
        (180, 1, 5_000_000_000),
        (95, 2, 3_200),
        (untouched.score, untouched.rank, untouched.correct_ms),
    ]


def test_nothing_to_write_runs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert int_rows_update(model=Seat, fields=["score"], rows=[]) == 0


def test_a_row_of_the_wrong_width_is_refused(db):
    with pytest.raises(ValueError):
        int_rows_update(model=Seat, fields=["score", "rank"], rows=[(1, 2)])


def services_join(contest, officer):
    from contest.services import contest_join

    return contest_join(contest=contest, officer=officer)[0]
