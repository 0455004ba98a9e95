"""Access and behaviour of the authoring pages (papers, exams, monitor) and the officer's exam pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import Attempt, Exam, Paper, PaperRule
from tests.exams import factories as f
from tests.org.conftest import world  # noqa: F401  (the small bureau with one user per role)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):  # noqa: F811
    questions = [f.question("single", stem=f"第{i}题:当场处罚备案期限?") for i in range(3)]
    paper = f.fixed_paper(questions[:2])
    draw = Paper.objects.create(title="随机卷", mode=Paper.Mode.DRAW)
    rule = PaperRule.objects.create(paper=draw, position=1, kind="single", count=1, points_each=Decimal(2))
    exam = f.exam(paper, units=[world.squad1], pass_score=Decimal("2"))
    now = timezone.now()
    attempt = Attempt.objects.create(
        exam=exam, officer=world.a1, number=1, seed=1, started_at=now, deadline=now + dt.timedelta(hours=1)
    )
    return {"paper": paper, "draw": draw, "rule": rule, "exam": exam, "attempt": attempt, "item": paper.items.first()}


def _cms_urls(s):
    p, d, e = s["paper"].pk, s["draw"].pk, s["exam"].pk
    return [
        ("get", reverse("exams:paper_list")),
        ("get", reverse("exams:paper_create")),
        ("get", reverse("exams:paper_detail", args=[p])),
        ("get", reverse("exams:paper_detail", args=[d])),
        ("get", reverse("exams:paper_edit", args=[p])),
        ("get", reverse("exams:paper_rule_count") + "?kind=single"),
        ("get", reverse("exams:paper_rule_edit", args=[d, s["rule"].pk])),
        ("post", reverse("exams:paper_copy", args=[p])),
        ("post", reverse("exams:paper_items_add", args=[p])),
        ("post", reverse("exams:paper_item_move", args=[p, s["item"].pk])),
        ("post", reverse("exams:paper_item_remove", args=[p, s["item"].pk])),
        ("post", reverse("exams:paper_rule_add", args=[d])),
        ("post", reverse("exams:paper_rule_remove", args=[d, s["rule"].pk])),
        ("get", reverse("exams:exam_create")),
        ("get", reverse("exams:exam_manage_detail", args=[e])),
        ("get", reverse("exams:exam_edit", args=[e])),
        ("post", reverse("exams:exam_publish", args=[e])),
        ("post", reverse("exams:exam_cancel", args=[e])),
        ("post", reverse("exams:exam_extend_all", args=[e])),
        ("post", reverse("exams:exam_proctor_extend", args=[e, s["attempt"].pk])),
        ("post", reverse("exams:exam_proctor_force_submit", args=[e, s["attempt"].pk])),
    ]


def _watch_urls(s):
    e = s["exam"].pk
    return [
        ("get", reverse("exams:exam_manage_list")),
        ("get", reverse("exams:exam_monitor", args=[e])),
        ("get", reverse("exams:exam_monitor_data", args=[e])),
    ]


def test_anonymous_is_sent_to_login(client, setup):
    urls = [
        *_cms_urls(setup),
        *_watch_urls(setup),
        ("get", reverse("exams:my_exams")),
        ("get", reverse("exams:exam_entry", args=[setup["exam"].pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_officer_gets_403_on_every_trainer_page(client, world, setup):  # noqa: F811
    client.force_login(world.a1.user)
    for method, url in [*_cms_urls(setup), *_watch_urls(setup)]:
        assert getattr(client, method)(url).status_code == 403, url
    assert setup["paper"].items.count() == 2 and Paper.objects.count() == 2


def test_unit_leader_watches_read_only(client, world, setup):  # noqa: F811
    client.force_login(world.leader)
    for method, url in _cms_urls(setup):
        assert getattr(client, method)(url).status_code == 403, url
    for method, url in _watch_urls(setup):
        assert getattr(client, method)(url).status_code == 200, url
    page = client.get(reverse("exams:exam_monitor", args=[setup["exam"].pk])).content.decode()
    assert 'id="extend-all"' not in page and "data-action=" not in page


@pytest.mark.parametrize("who", ["trainer", "hr"])
def test_trainer_and_hr_may_use_every_page(client, world, setup, who):  # noqa: F811
    client.force_login(getattr(world, who))
    for method, url in [*_watch_urls(setup), *_cms_urls(setup)]:
        if "attempts/" in url or "extend-all" in url:
            continue  # the proctor actions need the attempts engine: tested below when it is there
        response = getattr(client, method)(url)
        assert response.status_code in ((200,) if method == "get" else (302,)), url


def test_monitor_rows_are_scoped_to_the_leaders_subtree(client, world, setup):  # noqa: F811
    exam = setup["exam"]
    exam.units.add(world.squad2)
    client.force_login(world.leader)
    data = client.get(reverse("exams:exam_monitor_data", args=[exam.pk])).json()
    names = {row["name"] for row in data["rows"]}
    assert {"张伟", "王芳", "李强"} <= names and "刘洋" not in names
    assert data["counts"]["started"] == 1 and data["counts"]["in_progress"] == 1
    client.force_login(world.trainer)
    data = client.get(reverse("exams:exam_monitor_data", args=[exam.pk])).json()
    assert "刘洋" in {row["name"] for row in data["rows"]}


def test_monitor_of_a_draft_is_not_for_leaders(client, world, setup):  # noqa: F811
    Exam.objects.filter(pk=setup["exam"].pk).update(status=Exam.Status.DRAFT)
    client.force_login(world.leader)
    assert client.get(reverse("exams:exam_monitor", args=[setup["exam"].pk])).status_code == 403


def test_officer_sees_only_their_exams(client, world, setup):  # noqa: F811
    exam = setup["exam"]
    client.force_login(world.a2.user)  # 执法一中队/二分队: in the audience
    page = client.get(reverse("exams:my_exams")).content.decode()
    assert exam.title in page
    assert client.get(reverse("exams:exam_entry", args=[exam.pk])).status_code == 200
    client.force_login(world.b1.user)  # 执法二中队: not in it
    assert exam.title not in client.get(reverse("exams:my_exams")).content.decode()
    assert client.get(reverse("exams:exam_entry", args=[exam.pk])).status_code == 404
    # a draft is nobody's exam yet
    draft = f.exam(setup["paper"], units=[world.squad1], status=Exam.Status.DRAFT, title="草稿考试")
    client.force_login(world.a2.user)
    assert client.get(reverse("exams:exam_entry", args=[draft.pk])).status_code == 404
    assert "草稿考试" not in client.get(reverse("exams:my_exams")).content.decode()


def test_user_without_officer_file_has_an_empty_list(client, world):  # noqa: F811
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="plain"))
    assert "没有关联执法人员档案" in client.get(reverse("exams:my_exams")).content.decode()


def test_home_card_shows_the_open_exam(client, world, setup):  # noqa: F811
    client.force_login(world.a2.user)
    page = client.get(reverse("home")).content.decode()
    assert 'id="card-exams"' in page and setup["exam"].title in page
    assert reverse("exams:exam_entry", args=[setup["exam"].pk]) in page


def test_paper_editor_adds_from_the_bank_and_shows_locked_papers(client, world, setup):  # noqa: F811
    client.force_login(world.trainer)
    unused = f.fixed_paper([], title="新试卷")
    third = f.question("true_false", stem="执法人员调查时不得少于两人。")
    url = reverse("exams:paper_detail", args=[unused.pk])
    page = client.get(url, {"kind": "true_false"}).content.decode()
    assert "不得少于两人" in page and "当场处罚备案期限" not in page
    client.post(reverse("exams:paper_items_add", args=[unused.pk]), {"questions": [third.pk]})
    assert list(unused.items.values_list("question_id", flat=True)) == [third.pk]
    locked = client.get(reverse("exams:paper_detail", args=[setup["paper"].pk])).content.decode()
    assert 'id="paper-locked"' in locked and "复制试卷" in locked
    response = client.post(reverse("exams:paper_items_add", args=[setup["paper"].pk]), {"questions": [third.pk]})
    assert setup["paper"].items.count() == 2
    assert "复制试卷" in str(list(response.wsgi_request._messages)[0])


def test_rule_editor_counts_available_questions(client, world, setup):  # noqa: F811
    client.force_login(world.trainer)
    url = reverse("exams:paper_rule_count")
    assert client.get(url, {"kind": "single"}).json() == {"available": 3}
    assert client.get(url, {"kind": "case"}).json() == {"available": 0}
    draw = setup["draw"]
    client.post(
        reverse("exams:paper_rule_add", args=[draw.pk]), {"kind": "true_false", "count": 2, "points_each": "1.5"}
    )
    assert draw.rules.count() == 2
    page = client.get(reverse("exams:paper_detail", args=[draw.pk])).content.decode()
    assert "只有 0 道" in page


def test_exam_create_and_publish_through_the_pages(client, world, setup, monkeypatch):  # noqa: F811
    from exams.services import exams as exam_services

    monkeypatch.setattr(exam_services, "notice_push", lambda **kw: None)
    client.force_login(world.trainer)
    now = timezone.localtime()
    form = {
        "paper": setup["draw"].pk,
        "title": "2026年度执法资格考试",
        "kind": "qualification",
        "year": 2026,
        "opens_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 90,
        "attempts_allowed": 1,
        "pass_score": "60",
        "makeup_attempts": 0,
        "show_score": "submit",
        "show_answers": "close",
        "show_explanations": "close",
        "marking_tolerance": "2",
        "units": [world.squad1.pk],
        "officer_numbers": world.b1.employee_no,
    }
    response = client.post(reverse("exams:exam_create"), {**form, "officer_numbers": "NOPE1"})
    assert response.status_code == 200 and "找不到这些工号:NOPE1" in response.content.decode()
    response = client.post(reverse("exams:exam_create"), form)
    exam = Exam.objects.get(title="2026年度执法资格考试")
    assert response.status_code == 302 and exam.status == Exam.Status.DRAFT
    assert list(exam.officers.all()) == [world.b1]
    response = client.post(reverse("exams:exam_publish", args=[exam.pk]), follow=True)
    assert "及格分 60 高于试卷总分 2" in response.content.decode()
    exam.refresh_from_db()
    assert exam.status == Exam.Status.DRAFT
    client.post(reverse("exams:exam_edit", args=[exam.pk]), {**form, "pass_score": "1"})
    response = client.post(reverse("exams:exam_publish", args=[exam.pk]), follow=True)
    exam.refresh_from_db()
    assert exam.status == Exam.Status.PUBLISHED, response.content.decode()


def test_proctor_extends_and_forces_through_the_attempts_engine(client, world, setup, monkeypatch):  # noqa: F811
    from exams.services import attempts as attempt_services

    monkeypatch.setattr(attempt_services, "attempt_push", lambda **kw: None)
    exam, attempt = setup["exam"], setup["attempt"]
    other = Attempt.objects.create(
        exam=exam, officer=world.a2, number=1, seed=2, started_at=timezone.now(), deadline=attempt.deadline
    )
    client.force_login(world.trainer)
    json = {"HTTP_ACCEPT": "application/json"}
    url = reverse("exams:exam_proctor_extend", args=[exam.pk, attempt.pk])
    assert client.post(url, {"minutes": "10"}, **json).status_code == 409  # no reason
    reply = client.post(url, {"minutes": "10", "reason": "设备故障"}, **json)
    assert reply.status_code == 200 and "延时 10 分钟" in reply.json()["message"]
    attempt.refresh_from_db()
    assert attempt.extended_minutes == 10
    response = client.post(reverse("exams:exam_extend_all", args=[exam.pk]), {"minutes": "5", "reason": "停电"})
    assert response.status_code == 302
    attempt.refresh_from_db(), other.refresh_from_db()
    assert (attempt.extended_minutes, other.extended_minutes) == (15, 5)
    force = reverse("exams:exam_proctor_force_submit", args=[exam.pk, other.pk])
    assert client.post(force, {"reason": "违纪"}, **json).status_code == 200
    other.refresh_from_db()
    assert other.state != Attempt.State.IN_PROGRESS and other.finished_by == Attempt.FinishedBy.PROCTOR
    assert client.post(force, {"reason": "违纪"}, **json).status_code == 409
