"""The exam load harness's pure helpers, the bench-only baseline endpoint and `python -m bench`."""

from __future__ import annotations

import json
import random
import re

import pytest
from django.test import Client

from bench import __main__ as bench_main
from bench import exam_load
from org.models import AuditEntry
from tests.factories import OfficerFactory, RoleCategoryFactory


def test_pct_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert exam_load.pct(values, 50) == 50
    assert exam_load.pct(values, 95) == 95
    assert exam_load.pct(values, 99) == 99
    assert exam_load.pct(values, 100) == 100
    assert exam_load.pct([3.0], 99) == 3.0
    assert exam_load.pct([5.0, 1.0, 3.0], 50) == 3.0  # unsorted input
    with pytest.raises(ValueError):
        exam_load.pct([], 50)


def test_summarize_in_milliseconds():
    summary = exam_load.summarize([0.010, 0.020, 0.030, 0.040])
    assert summary["count"] == 4
    assert summary["p50_ms"] == 20.0
    assert summary["p99_ms"] == 40.0
    assert summary["max_ms"] == 40.0
    assert exam_load.summarize([]) == {"count": 0}


def test_csrf_secret_has_djangos_format():
    token = exam_load.csrf_secret()
    assert re.fullmatch(r"[A-Za-z0-9]{32}", token)
    assert token != exam_load.csrf_secret()


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("/exams/attempts/123/", 123),
        ("http://127.0.0.1:8765/exams/attempts/7/?x=1", 7),
        ("/exams/5/", None),  # a refused start goes back to the exam entry page
        ("/accounts/login/?next=/exams/5/start/", None),
        ("", None),
    ],
)
def test_attempt_id_from_redirect(location, expected):
    assert exam_load.attempt_id_from(location) == expected


def test_compare_acks_counts_missing_and_different():
    acked = {1: (1, "A"), 2: (1, True), 3: (2, ["A", "C"]), 4: (1, "事实")}
    stored = {
        1: (1, "A"),  # there
        2: (0, None),  # acknowledged but not stored: lost
        3: (3, ["B"]),  # a newer seq of the same item: superseded, not lost
        4: (1, "法律"),  # the acknowledged seq with another response
    }
    result = exam_load.compare_acks(acked, stored)
    assert result["acked"] == 4
    assert result["in_db"] == 2
    assert result["missing"] == 1 and result["missing_items"] == [2]
    assert result["different"] == 1 and result["different_items"] == [4]
    assert exam_load.compare_acks({9: (1, "A")}, {})["missing"] == 1


def test_page_items_reads_the_pages_json_script():
    data = {"id": 3, "items": [{"id": 11, "kind": "single", "options": [{"key": "A"}], "seq": 0}]}
    html = '<p>x</p><script id="attempt-data" type="application/json">' + json.dumps(data) + "</script>"
    assert exam_load.page_items(html) == data["items"]
    assert exam_load.page_items("<html>no script</html>") is None
    assert exam_load.page_items('<script id="attempt-data" type="application/json">{bad</script>') is None


def test_answer_for_gives_the_shape_the_save_api_stores():
    rng = random.Random(1)
    options = [{"key": k} for k in "ABCD"]
    for _ in range(20):
        assert exam_load.answer_for({"kind": "single", "options": options}, rng) in set("ABCD")
        multiple = exam_load.answer_for({"kind": "multiple", "options": options}, rng)
        assert multiple == sorted(set(multiple)) and set(multiple) <= set("ABCD") and multiple
        assert isinstance(exam_load.answer_for({"kind": "true_false"}, rng), bool)
        assert isinstance(exam_load.answer_for({"kind": "blank"}, rng), str)
    assert isinstance(exam_load.answer_for({"kind": "case"}, rng), str)


def test_bench_lists_every_benchmark_and_not_its_helpers(capsys):
    found = bench_main.benchmarks()
    assert {"content_search", "learning_hours", "exam_load"} <= set(found)
    assert not {"urls", "views", "__init__", "__main__"} & set(found)
    assert bench_main.main([]) == 0
    assert "exam_load" in capsys.readouterr().out
    assert bench_main.main(["no_such_bench"]) == 2


@pytest.fixture
def officer_client(db):
    RoleCategoryFactory()
    officer = OfficerFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer.user)
    return officer, client


@pytest.mark.urls("bench.urls")
def test_baseline_writes_one_row_for_a_logged_in_officer_with_csrf(officer_client):
    officer, client = officer_client
    client.get("/healthz")  # any page; the token is set below as the exam page's script would send it
    token = "a" * 32
    client.cookies["csrftoken"] = token
    before = AuditEntry.objects.count()
    response = client.post(
        "/bench/baseline/", json.dumps({"n": 4}), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.get(pk=response.json()["id"])
    assert (entry.actor, entry.action, entry.data) == (officer.user, "bench.baseline", {"n": 4})


@pytest.mark.urls("bench.urls")
def test_baseline_refuses_without_csrf_login_or_post(officer_client, client):
    _officer, officer = officer_client
    before = AuditEntry.objects.count()
    assert officer.post("/bench/baseline/", "{}", content_type="application/json").status_code == 403  # no token
    assert officer.get("/bench/baseline/").status_code == 405
    anonymous = client.post("/bench/baseline/", "{}", content_type="application/json")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert AuditEntry.objects.count() == before


def test_baseline_is_not_in_the_sites_urls(officer_client):
    officer, _client = officer_client
    client = Client()  # no CSRF enforcement: only the URLconf can refuse
    client.force_login(officer.user)
    assert client.post("/bench/baseline/", "{}", content_type="application/json").status_code == 404
    from django.urls import NoReverseMatch, reverse

    with pytest.raises(NoReverseMatch):
        reverse("bench_baseline")


def _run(**kw):
    result = {
        "n": 10,
        "submitted_clients": 10,
        "latency": {
            "save": {"count": 5, "p50_ms": 40.0, "p95_ms": 120.0, "p99_ms": 150.0},
            "start": {"count": 10, "p50_ms": 300.0, "p95_ms": 900.0, "p99_ms": 950.0},
        },
        "errors": {"warmup ClientOSError": 3},
        "answers": {"missing": 0, "different": 0},
        "cut_off_clients": 0,
    }
    result.update(kw)
    return result


def test_target_misses_names_each_missed_target_of_issue_16():
    assert exam_load.target_misses(_run()) == []  # warm-up retries before the barrier do not count
    slow = _run(latency={"save": {"count": 5, "p95_ms": 300.0}, "start": {"count": 10, "p95_ms": 3500.0}})
    assert exam_load.target_misses(slow) == ["save p95 300.0 ms", "start p95 3500.0 ms"]
    door = _run(errors={"save HTTP 503 at the door (Retry-After)": 2})
    assert exam_load.target_misses(door) == ["2 failed tries"]
    lost = _run(submitted_clients=9, answers={"missing": 1, "different": 0})
    assert exam_load.target_misses(lost) == ["9 of 10 submitted", "1 missing, 0 different"]
    graded_late = _run(grading={"ungraded_at_load_end": 4, "backlog_s": 1.5, "ungraded": 0})
    assert exam_load.target_misses(graded_late) == []  # graded by the task worker after the load: fine
    never = _run(grading={"ungraded_at_load_end": 4, "backlog_s": 300.0, "ungraded": 2})
    assert exam_load.target_misses(never) == ["2 submitted but never graded"]
    starved = _run(server_workers_died=2)  # killed by uvicorn's health check: the collapse issue #16 started from
    assert exam_load.target_misses(starved) == ["2 server workers died"]
    assert exam_load.target_misses(_run(server_workers_died=5, fault=True)) == []  # the fault run kills them itself


def test_capacity_row_shows_the_verdict():
    row = exam_load.capacity_row(_run(target_misses=[], door_503={"save": 2}, load_average_after=[1.5, 1, 1]))
    assert row.startswith("| 10 | 300 / 900 / 950 |") and "| 40 / 120 / 150 |" in row
    assert row.endswith("| 2 | meets |")
    missed = exam_load.capacity_row(_run(target_misses=["save p95 400 ms"]))
    assert missed.endswith("| save p95 400 ms |")
