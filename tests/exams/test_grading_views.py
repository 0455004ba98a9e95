"""Grading pages: the officer's result (and the key/explanation leak), the grader's queue and anonymous marking
page, the assignment page, the results page with .xlsx and regrade; access for every page."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exams import selectors, services
from exams.models import Attempt, Exam, MarkingTask, ReviewWhen
from exams.services import grading as grading_services
from org.models import RoleGrant
from tests.exams import factories as f
from tests.factories import OfficerFactory, UserFactory, grant, unit

pytestmark = pytest.mark.django_db

EXPLANATION = "依据《中华人民共和国行政处罚法》相关规定。"
RUBRIC = "1. 适用《城市市容和环境卫生管理条例》第十四条"


def D(v) -> Decimal:
    return Decimal(v)


@pytest.fixture
def grader(db):
    user = UserFactory(username="grader-1")
    grant(user, RoleGrant.Role.TRAINER)
    return user


@pytest.fixture
def other_grader(db):
    user = UserFactory(username="grader-2")
    grant(user, RoleGrant.Role.TRAINER)
    return user


def login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the officer's result --------------------------------------------------------------------------------------


@pytest.fixture
def reviewed(officer):
    """A graded attempt of an exam that shows the score at once, the answers and explanations after close."""
    single, blank = f.question("single"), f.question("blank", accepted=["法定依据"])
    exam = f.exam(f.fixed_paper([single, blank]), officers=[officer], pass_score=D("2"))
    attempt = f.attempt(exam, officer, responses={single: "A", blank: "事实"})
    return exam, attempt


def test_result_page_access(client, officer, reviewed):
    _exam, attempt = reviewed
    url = reverse("exams:attempt_result", args=[attempt.pk])
    assert login_redirect(client.get(url))
    client.force_login(OfficerFactory().user)
    assert client.get(url).status_code == 404  # someone else's attempt
    client.force_login(officer.user)
    assert client.get(url).status_code == 200


def test_the_key_and_explanation_stay_out_of_the_html_before_the_policy_time(client, officer, reviewed):
    exam, attempt = reviewed
    client.force_login(officer.user)

    html = client.get(reverse("exams:attempt_result", args=[attempt.pk])).content.decode()
    assert "得分 0.00 / 4.00" in html  # the score shows after submit
    assert "法定依据" not in html  # the accepted blank answer
    assert EXPLANATION not in html
    assert "正确答案</span>" not in html and 'class="correct"' not in html and " correct" not in html

    Exam.objects.filter(pk=exam.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=2), closes_at=timezone.now() - dt.timedelta(days=1)
    )
    html = client.get(reverse("exams:attempt_result", args=[attempt.pk])).content.decode()
    assert "法定依据" in html and EXPLANATION in html and "正确答案" in html


def test_a_score_shown_after_close_is_hidden_and_then_released_lazily(client, officer):
    single = f.question("single")
    exam = f.exam(f.fixed_paper([single]), officers=[officer], show_score=ReviewWhen.CLOSE)
    attempt = f.attempt(exam, officer, responses={single: "D"})
    client.force_login(officer.user)
    url = reverse("exams:attempt_result", args=[attempt.pk])
    html = client.get(url).content.decode()
    assert "成绩尚未公布" in html and "2.00 / 2.00" not in html

    Exam.objects.filter(pk=exam.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=2), closes_at=timezone.now() - dt.timedelta(days=1)
    )
    html = client.get(url).content.decode()
    assert "得分 2.00 / 2.00" in html
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.RELEASED


def test_the_rubric_is_not_shown_to_the_officer_before_close(client, officer, grader):
    case = f.question("case")
    exam = f.exam(f.fixed_paper([case]), officers=[officer])
    attempt = f.attempt(exam, officer, responses={case: "我的分析"})
    client.force_login(officer.user)
    html = client.get(reverse("exams:attempt_result", args=[attempt.pk])).content.decode()
    assert "阅卷中" in html and "我的分析" in html and RUBRIC not in html


# --- the grader ------------------------------------------------------------------------------------------------


@pytest.fixture
def double_marked(grader, other_grader):
    officer = OfficerFactory(name="欧阳明", employee_no="Z90001", unit=unit("测试区城管局/执法三中队"))
    case = f.question("case", points=D("10"))
    exam = f.exam(f.fixed_paper([case]), officers=[officer], double_marking=True, created_by=grader)
    attempt = f.attempt(exam, officer, responses={case: "先责令改正,再告知陈述申辩权利。"})
    grading_services.marking_assign(exam=exam, graders=[grader, other_grader], actor=grader)
    return exam, attempt


def test_queue_access_and_only_own_tasks(client, officer, grader, other_grader, double_marked):
    url = reverse("exams:grading_queue")
    assert login_redirect(client.get(url))
    client.force_login(officer.user)
    assert client.get(url).status_code == 403
    client.force_login(grader)
    response = client.get(url)
    mine = MarkingTask.objects.get(grader=grader)
    theirs = MarkingTask.objects.get(grader=other_grader)
    html = response.content.decode()
    assert reverse("exams:marking_task", args=[mine.pk]) in html
    assert reverse("exams:marking_task", args=[theirs.pk]) not in html


def test_marking_page_is_anonymous_and_hides_the_other_mark(client, grader, other_grader, double_marked):
    _exam, attempt = double_marked
    first = MarkingTask.objects.get(grader=grader)
    second = MarkingTask.objects.get(grader=other_grader)
    grading_services.marking_mark(task=first, grader=grader, score="6.5", comment="第一评评语:要点不全")

    client.force_login(other_grader)
    html = client.get(reverse("exams:marking_task", args=[second.pk])).content.decode()
    assert "先责令改正,再告知陈述申辩权利。" in html and RUBRIC in html
    for secret in ("欧阳明", "Z90001", "执法三中队", "第一评评语", "6.5", "grader-1"):
        assert secret not in html
    # someone else's task is not found
    assert client.get(reverse("exams:marking_task", args=[first.pk])).status_code == 404


def test_marking_through_the_page(client, grader, other_grader, double_marked):
    _exam, attempt = double_marked
    task = MarkingTask.objects.get(grader=grader)
    client.force_login(grader)
    url = reverse("exams:marking_task", args=[task.pk])
    bad = client.post(url, {"score": "10.5", "comment": ""})
    assert bad.status_code == 400 and "分数必须在" in bad.content.decode()
    response = client.post(url, {"score": "8", "comment": "较好"})
    assert response.status_code == 302 and response["Location"] == reverse("exams:grading_queue")
    task.refresh_from_db()
    assert (task.score, task.comment) == (D("8.00"), "较好")


def test_marking_page_access(client, officer, double_marked, grader):
    task = MarkingTask.objects.get(grader=grader)
    url = reverse("exams:marking_task", args=[task.pk])
    assert login_redirect(client.get(url))
    client.force_login(officer.user)
    assert client.get(url).status_code == 403


# --- assignment --------------------------------------------------------------------------------------------------


def test_assignment_page_for_the_owner_and_hr_only(client, officer, grader, other_grader, hr):
    case = f.question("case")
    exam = f.exam(f.fixed_paper([case]), officers=[officer], created_by=grader)
    f.attempt(exam, officer, responses={case: "答"})
    url = reverse("exams:exam_marking", args=[exam.pk])
    assert login_redirect(client.get(url))
    client.force_login(officer.user)
    assert client.get(url).status_code == 403
    client.force_login(other_grader)  # a trainer, not the exam's owner
    assert client.get(url).status_code == 403
    client.force_login(hr)
    assert client.get(url).status_code == 200
    client.force_login(grader)
    response = client.post(url, {"action": "assign", "graders": [other_grader.pk]})
    assert response.status_code == 302
    assert MarkingTask.objects.get().grader == other_grader
    task = MarkingTask.objects.get()
    client.post(url, {"action": "reassign", "task": task.pk, "grader": grader.pk})
    task.refresh_from_db()
    assert task.grader == grader


# --- results -----------------------------------------------------------------------------------------------------


@pytest.fixture
def results_exam(grader):
    squad1, squad2 = unit("测试区城管局/执法一中队"), unit("测试区城管局/执法二中队")
    a = OfficerFactory(name="张一", employee_no="R001", unit=squad1)
    b = OfficerFactory(name="李二", employee_no="R002", unit=squad2)
    single, tf = f.question("single"), f.question("true_false")
    exam = f.exam(
        f.fixed_paper([single, tf]),
        officers=[a, b],
        pass_score=D("4"),
        created_by=grader,
        credit_category="law_exam",
        credit_hours=D("40"),
    )
    f.attempt(exam, a, responses={single: "D", tf: True})
    f.attempt(exam, b, responses={single: "C", tf: True})
    return exam, single, squad1


def test_results_page_access_and_scope(client, officer, grader, results_exam):
    exam, _single, squad1 = results_exam
    url = reverse("exams:exam_results", args=[exam.pk])
    assert login_redirect(client.get(url))
    client.force_login(officer.user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("exams:exam_results_xlsx", args=[exam.pk])).status_code == 403

    client.force_login(grader)
    html = client.get(url).content.decode()
    assert "张一" in html and "李二" in html and "50.0%" in html

    leader = OfficerFactory(unit=squad1)
    grant(leader.user, RoleGrant.Role.UNIT_LEADER, squad1)
    client.force_login(leader.user)
    html = client.get(url).content.decode()
    assert "张一" in html and "李二" not in html
    assert "按新答案重新评分" not in html
    response = client.post(reverse("exams:exam_regrade", args=[exam.pk]), {"question": 1, "reason": "x"})
    assert response.status_code == 403


def test_results_xlsx_content(client, grader, results_exam):
    exam, single, _squad1 = results_exam
    client.force_login(grader)
    response = client.get(reverse("exams:exam_results_xlsx", args=[exam.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["成绩", "试题分析"]
    rows = list(book["成绩"].iter_rows(values_only=True))
    assert rows[0][:3] == ("单位", "工号", "姓名")
    body = {r[1]: r for r in rows[1:]}
    assert body["R001"][0] == "测试区城管局/执法一中队" and body["R001"][2] == "张一"
    assert (body["R001"][5], body["R001"][7]) == (4.0, "通过")
    assert (body["R002"][5], body["R002"][7]) == (2.0, "未通过")
    assert body["R001"][8]  # submitted time
    stats = {r[0]: r for r in list(book["试题分析"].iter_rows(values_only=True))[1:]}
    assert stats[single.pk][4:] == (0.5, 1.0)  # P and D: one of two right; upper minus lower = 1


def test_regrade_from_the_results_page_shows_what_changed(client, grader, results_exam):
    exam, single, _squad1 = results_exam
    data = selectors.question_data(single)
    for i, option in enumerate(data.options):
        option.correct = i == 2  # C
    services.question_update(question=single, data=data, actor=grader, note="更正答案")
    client.force_login(grader)
    url = reverse("exams:exam_results", args=[exam.pk])
    assert "按新答案重新评分" in client.get(url).content.decode()

    response = client.post(reverse("exams:exam_regrade", args=[exam.pk]), {"question": single.pk, "reason": "答案有误"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "答案有误" in html and "R001" in html
    assert "4.00</td><td>2.00" in html  # 张一: before 4.00, after 2.00
    assert "通过 → 未通过" in html and "未通过 → 通过" in html
