"""The exam entry page's start spread grows with the audience (issue #16): a city-wide exam's officers arrive at no
more than EXAM_STARTS_PER_SECOND on average, within a floor and a ceiling; the audience is counted once a minute."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from exams.selectors.audience import exam_start_spread_seconds, start_spread_for
from tests.exams import factories as f
from tests.factories import OfficerFactory, unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("size", "expected"), [(0, 20), (250, 20), (300, 20), (301, 21), (1000, 67), (1800, 120), (5000, 120)]
)
def test_the_spread_keeps_arrivals_under_the_rate_between_floor_and_ceiling(size, expected):
    assert start_spread_for(size, floor=20, ceiling=120, rate=15) == expected


def test_no_rate_means_the_fixed_floor():
    assert start_spread_for(5000, floor=20, ceiling=120, rate=0) == 20


def test_the_entry_page_waits_longer_for_a_larger_audience(client, settings):
    settings.EXAM_START_SPREAD_SECONDS, settings.EXAM_START_SPREAD_MAX_SECONDS, settings.EXAM_STARTS_PER_SECOND = (
        2,
        60,
        2,
    )
    squad = unit("测试区城管局/执法一中队")
    officers = [OfficerFactory(unit=squad) for _ in range(9)]
    exam = f.exam(f.fixed_paper([f.question("single")]), officers=officers)
    cache.delete(f"exams:audience-size:{exam.pk}")

    assert exam_start_spread_seconds(exam) == 5  # 9 officers at 2 a second
    client.force_login(officers[0].user)
    page = client.get(f"/exams/{exam.pk}/").content.decode()
    assert 'data-spread="5"' in page

    settings.EXAM_STARTS_PER_SECOND = 0
    assert exam_start_spread_seconds(exam) == 2
