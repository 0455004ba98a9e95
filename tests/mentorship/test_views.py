"""The pages: access matrix (officer sees only their own pairs, unit leader only their subtree, HR all), the HR
flow (create, match, lock, swap, publish, board, outcomes, export), the officer flow (log, confirm, evaluate) and
bad input answered with a 400 and the Chinese reason, never a 500."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mentorship import services
from mentorship.models import CheckIn, Pair, Programme

from .conftest import TODAY


def _published(w):
    services.match_run(programme=w.programme, actor=w.hr, today=TODAY)
    services.programme_publish(programme=w.programme, actor=w.hr, today=TODAY)
    return {p.mentee_id: p for p in Pair.objects.filter(programme=w.programme)}


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_officer_sees_only_their_own_pairs(client, mworld):
    w = mworld
    pairs = _published(w)
    p1 = pairs[w.n1.pk]
    assert _get(client, w.n1.user, reverse("mentorship:pair", args=[p1.pk])).status_code == 200
    assert _get(client, w.v1.user, reverse("mentorship:pair", args=[p1.pk])).status_code == 200
    for outsider in (w.n2.user, w.v2.user, w.leader.user, w.hr):
        assert _get(client, outsider, reverse("mentorship:pair", args=[p1.pk])).status_code == 403
    page = _get(client, w.n1.user, reverse("mentorship:mine")).content.decode()
    assert "张伟" in page and "杨磊" not in page
    home = _get(client, w.v1.user, reverse("home")).content.decode()
    assert 'id="card-mentorship"' in home and "陈静" in home


def test_officers_are_refused_hr_pages(client, mworld):
    w = mworld
    pairs = _published(w)
    for url in (
        reverse("mentorship:programmes"),
        reverse("mentorship:board"),
        reverse("mentorship:match", args=[w.programme.pk]),
        reverse("mentorship:pair_detail", args=[pairs[w.n1.pk].pk]),
        reverse("mentorship:export"),
    ):
        assert _get(client, w.n1.user, url).status_code == 403


def test_unit_leader_sees_their_subtree_only(client, mworld):
    w = mworld
    pairs = _published(w)
    leader = w.leader.user
    assert _get(client, leader, reverse("mentorship:pair_detail", args=[pairs[w.n1.pk].pk])).status_code == 200
    assert _get(client, leader, reverse("mentorship:pair_detail", args=[pairs[w.n3.pk].pk])).status_code == 403
    board = _get(client, leader, reverse("mentorship:board") + "?year=2026").content.decode()
    assert "陈静" in board and "赵敏" not in board
    # the bureau-wide programme is not theirs to manage
    assert _get(client, leader, reverse("mentorship:match", args=[w.programme.pk])).status_code == 403
    counts = _get(client, leader, reverse("mentorship:programmes") + "?year=2026").content.decode()
    assert 'id="pairs-formed">2<' in counts
    hr_counts = _get(client, w.hr, reverse("mentorship:programmes") + "?year=2026").content.decode()
    assert 'id="pairs-formed">3<' in hr_counts


def test_hr_flow_match_lock_swap_publish(client, mworld):
    w = mworld
    client.force_login(w.hr)
    url = reverse("mentorship:match", args=[w.programme.pk])
    assert client.post(url).status_code == 302
    page = client.get(url).content.decode()
    assert "同一分队" in page and "最优匹配总分" in page
    pair = Pair.objects.get(mentee=w.n1)
    client.post(reverse("mentorship:pair_lock", args=[pair.pk]), {"locked": "1"})
    assert Pair.objects.get(pk=pair.pk).locked
    response = client.post(reverse("mentorship:pair_swap", args=[pair.pk]), {"mentor": w.v3.pk}, follow=True)
    assert "不得为其单位负责人,且须同一中队" in response.content.decode()
    client.post(reverse("mentorship:publish", args=[w.programme.pk]))
    assert Programme.objects.get(pk=w.programme.pk).state == "published"
    assert Pair.objects.filter(state="active").count() == 3


def test_create_programme_bad_input_is_a_400(client, mworld):
    w = mworld
    client.force_login(w.hr)
    data = {
        "name": "x",
        "year": 2026,
        "unit": w.bureau.pk,
        "starts_on": "2026-05-01",
        "ends_on": "2026-04-01",
        "mentee_hired_within_months": 12,
        "include_recruits": "on",
        "mentor_min_years": 3,
        "default_capacity": 4,
        "mentee_credit_category": "business",
        "monthly_cap_hours": "4",
        "quiet_weeks": 3,
        "goal_template": "熟悉执法文书|60\n独立办案|120",
        "w_same_team": 30,
        "w_field": 20,
        "w_experience": 20,
        "w_exam": 15,
        "w_past": 15,
    }
    response = client.post(reverse("mentorship:programmes"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "结束日期须晚于开始日期" in body
    data.update(ends_on="2026-12-31", default_capacity=2)
    response = client.post(reverse("mentorship:programmes"), data)
    assert response.status_code == 400 and "带教目标须为 3 至 5 项" in response.content.decode()
    data["goal_template"] += "\n通过执法资格考试|200"
    response = client.post(reverse("mentorship:programmes"), data)
    assert response.status_code == 302
    assert Programme.objects.filter(name="x").exists()


def test_officer_flow_log_confirm_evaluate(client, mworld):
    w = mworld
    pairs = _published(w)
    pair = pairs[w.n1.pk]
    client.force_login(w.n1.user)
    url = reverse("mentorship:checkin_log", args=[pair.pk])
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"met_on": future, "minutes": 60, "topic": "文书"})
    assert response.status_code == 400 and "交流日期不能晚于今天" in response.content.decode()
    response = client.post(url, {"met_on": "2026-03-01", "minutes": 60, "topic": "文书"})
    assert response.status_code == 400 and "交流日期不能早于结对开始日期" in response.content.decode()
    response = client.post(url, {"met_on": "2026-03-01", "minutes": "lots", "topic": "文书"})
    assert response.status_code == 400
    client.post(url, {"met_on": TODAY.isoformat(), "minutes": 90, "topic": "简易程序"})
    checkin = CheckIn.objects.get()
    own = client.post(reverse("mentorship:checkin_confirm", args=[checkin.pk]), follow=True).content.decode()
    assert "不能确认自己登记的交流记录" in own
    client.force_login(w.v1.user)
    client.post(reverse("mentorship:checkin_confirm", args=[checkin.pk]))
    assert CheckIn.objects.get().confirmed_at is not None
    services.pair_end(pair=pair, actor=w.hr, completed=True)
    response = client.post(reverse("mentorship:evaluate", args=[pair.pk]), {"rating": 9})
    assert response.status_code == 400
    client.post(reverse("mentorship:evaluate", args=[pair.pk]), {"rating": 5, "text": "肯学"})
    assert Pair.objects.get(pk=pair.pk).evaluations.get().rating == 5


def test_export_is_an_xlsx_scoped_to_the_viewer(client, mworld):
    w = mworld
    _published(w)
    response = _get(client, w.leader.user, reverse("mentorship:export") + "?year=2026")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    names = [row[4] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["杨磊", "陈静"]


def test_outcomes_page(client, mworld):
    w = mworld
    _published(w)
    page = _get(client, w.hr, reverse("mentorship:outcomes") + "?year=2026").content.decode()
    assert "按单位" in page and "陈静" in page


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", "-1"])
def test_bad_ids_are_404_not_500(client, mworld, bad):
    client.force_login(mworld.hr)
    response = client.post(reverse("mentorship:pair_swap", args=[1]).replace("/1/", f"/{bad}/"), {"mentor": bad})
    assert response.status_code == 404
