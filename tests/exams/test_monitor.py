"""The city-wide exam monitor: counts from aggregates (per unit of the filter), a paginated and filtered officer
list, scope (unit leaders: their subtree), hostile query strings, a cost that does not grow with the audience, and
the proctor's actions from a filtered page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt
from exams.selectors.exams import MONITOR_POLL_SECONDS, exam_monitor
from tests.exams import factories as f
from tests.factories import OfficerFactory, unit
from tests.org.conftest import world  # noqa: F401

pytestmark = pytest.mark.django_db

BUREAU = "测试区城管局"


def _open(exam, officer, *, deadline_in=dt.timedelta(minutes=30), seen_ago=None):
    now = timezone.now()
    return Attempt.objects.create(
        exam=exam,
        officer=officer,
        number=1,
        seed=1,
        started_at=now - dt.timedelta(minutes=10),
        deadline=now + deadline_in,
        last_seen_at=now - seen_ago if seen_ago is not None else None,
    )


@pytest.fixture
def sitting(world):  # noqa: F811
    """An exam for both squads: 张伟 online in progress, 王芳 overdue, 李强 submitted, the rest not started."""
    q = f.question("single")
    exam = f.exam(f.fixed_paper([q]), units=[world.squad1, world.squad2])
    _open(exam, world.a1, seen_ago=dt.timedelta(seconds=10))
    _open(exam, world.a2, deadline_in=-dt.timedelta(minutes=1))
    f.attempt(exam, world.a3, responses={q: "D"})
    return exam


def _data(client, exam, **params):
    return client.get(reverse("exams:exam_monitor_data", args=[exam.pk]), params)


def test_counts_by_state_and_by_unit(world, sitting):  # noqa: F811
    monitor = exam_monitor(exam=sitting, viewer=world.trainer, now=timezone.now())
    # squad1: 张伟, 王芳, 李强, 王建国 (the leader); squad2: 刘洋.
    assert (monitor.audience, monitor.not_started, monitor.in_progress, monitor.overdue, monitor.submitted) == (
        5,
        2,
        1,
        1,
        1,
    )
    assert monitor.online == 1 and monitor.started == 3
    by_unit = {e.unit.name: e.counts for e in monitor.units}
    assert set(by_unit) == {"执法一中队", "执法二中队"}
    assert (by_unit["执法一中队"].audience, by_unit["执法一中队"].overdue) == (4, 1)
    assert (by_unit["执法二中队"].audience, by_unit["执法二中队"].not_started) == (1, 1)

    squad1 = exam_monitor(exam=sitting, viewer=world.trainer, now=timezone.now(), unit=world.squad1)
    parts = {(e.unit.name, e.is_self): e.counts.audience for e in squad1.units}
    assert parts == {("执法一中队", True): 2, ("一分队", False): 1, ("二分队", False): 1}
    rows = {r.officer.name: r.state for r in squad1.rows}
    assert rows == {"张伟": "in_progress", "王芳": "overdue", "李强": "submitted", "王建国": "not_started"}


def test_state_filter_search_and_pages(client, world, sitting):  # noqa: F811
    client.force_login(world.trainer)
    assert [r["name"] for r in _data(client, sitting, state="overdue").json()["rows"]] == ["王芳"]
    not_started = _data(client, sitting, state="not_started").json()
    assert {r["name"] for r in not_started["rows"]} == {"王建国", "刘洋"}
    assert not_started["counts"]["audience"] == 5  # the counts stay those of the whole view
    assert [r["name"] for r in _data(client, sitting, q="芳").json()["rows"]] == ["王芳"]
    assert [r["name"] for r in _data(client, sitting, q=world.b1.employee_no).json()["rows"]] == ["刘洋"]

    first = _data(client, sitting, size=2).json()
    second = _data(client, sitting, size=2, page=2).json()
    assert (first["num_pages"], first["matching"], len(first["rows"]), second["page"]) == (3, 5, 2, 2)
    assert not {r["officer"] for r in first["rows"]} & {r["officer"] for r in second["rows"]}
    past_the_end = _data(client, sitting, size=2, page=99).json()
    assert past_the_end["page"] == 3 and len(past_the_end["rows"]) == 1
    assert first["poll_seconds"] == MONITOR_POLL_SECONDS >= 10


@pytest.mark.parametrize(
    "params",
    [{"page": "x"}, {"page": "0"}, {"page": "-1"}, {"page": "9" * 30}, {"size": "0"}, {"size": "201"},
     {"size": "1e3"}, {"state": "graded"}, {"q": "张" * 51}],
)  # fmt: skip
def test_bad_query_strings_are_400(client, world, sitting, params):  # noqa: F811
    client.force_login(world.trainer)
    assert _data(client, sitting, **params).status_code == 400
    assert client.get(reverse("exams:exam_monitor", args=[sitting.pk]), params).status_code == 400


def test_unit_filter_is_limited_to_the_viewers_scope(client, world, sitting):  # noqa: F811
    client.force_login(world.leader)
    assert _data(client, sitting, unit=world.squad2.pk).status_code == 403
    assert _data(client, sitting, unit=999999).status_code == 404
    assert _data(client, sitting, unit="abc").status_code == 404
    team = _data(client, sitting, unit=world.squad1_team1.pk).json()
    assert [r["name"] for r in team["rows"]] == ["张伟"] and team["counts"]["audience"] == 1
    everything = _data(client, sitting).json()
    assert "刘洋" not in {r["name"] for r in everything["rows"]} and everything["counts"]["audience"] == 4
    page = client.get(reverse("exams:exam_monitor", args=[sitting.pk])).content.decode()
    assert "执法二中队" not in page  # neither in the unit choices nor in the breakdown

    for who in ("trainer", "hr"):
        client.force_login(getattr(world, who))
        squad2 = _data(client, sitting, unit=world.squad2.pk).json()
        assert [r["name"] for r in squad2["rows"]] == ["刘洋"], who


def test_officer_is_refused(client, world, sitting):  # noqa: F811
    client.force_login(world.a1.user)
    assert _data(client, sitting).status_code == 403
    assert _data(client, sitting, unit=world.squad1_team1.pk).status_code == 403


def _audience_of(n: int):
    squads = [unit(f"{BUREAU}/执法{i}中队/一分队") for i in range(3)]
    officers = [OfficerFactory(unit=squads[i % 3]) for i in range(n)]
    exam = f.exam(f.fixed_paper([f.question("single")]), units=[s.get_parent() for s in squads])
    for officer in officers[: n // 3]:
        _open(exam, officer, seen_ago=dt.timedelta(seconds=5))
    return exam


def _queries(client, exam, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = _data(client, exam, **params)
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_audience(client, world):  # noqa: F811
    small, large = _audience_of(30), _audience_of(300)
    client.force_login(world.trainer)
    for params in ({}, {"state": "in_progress", "size": 100}, {"page": 2, "size": 20}):
        assert _queries(client, small, **params) == _queries(client, large, **params), params
    assert len(_data(client, large, size=200).json()["rows"]) == 200


def test_proctor_acts_from_a_filtered_page(client, world, sitting):  # noqa: F811
    client.force_login(world.trainer)
    page = client.get(reverse("exams:exam_monitor", args=[sitting.pk]), {"state": "overdue"}).content.decode()
    overdue = Attempt.objects.get(exam=sitting, officer=world.a2)
    assert f'data-action="force" data-attempt="{overdue.pk}"' in page
    response = client.post(
        reverse("exams:exam_proctor_force_submit", args=[sitting.pk, overdue.pk]),
        {"reason": "考场断网"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200 and response.json()["ok"]
    overdue.refresh_from_db()
    assert overdue.state != Attempt.State.IN_PROGRESS
    assert {r["name"] for r in _data(client, sitting, state="submitted").json()["rows"]} == {"王芳", "李强"}
