"""Issue #12, exam parts: the exam's instructions are printed once (entry page and exam page), and the home card
puts the formal exams with a deadline (年度学法考试, 行政执法资格考试) before a course quiz, then by closing time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.forms_authoring import DEFAULT_INSTRUCTIONS
from exams.models import Exam
from exams.services.attempts import attempt_start
from tests.exams import factories as f

pytestmark = pytest.mark.django_db

# The demo's instructions, which repeat the site's rule in other words.
DEMO_INSTRUCTIONS = "请在规定时间内独立完成。开始后计时不暂停,答案自动保存,到时自动交卷。"


def test_the_entry_page_prints_the_instructions_once(client, officer):
    exam = f.exam(f.fixed_paper([f.question("single")]), officers=[officer], instructions=DEMO_INSTRUCTIONS)
    client.force_login(officer.user)
    html = client.get(reverse("exams:exam_entry", args=[exam.pk])).content.decode()
    assert html.count("考试须知") == 1 and html.count("计时不暂停") == 1
    page = client.get(reverse("exams:attempt_page", args=[attempt_start(exam=exam, officer=officer).pk]))
    assert page.content.decode().count("计时不暂停") == 1


def test_an_exam_without_instructions_shows_the_site_rule_once(client, officer):
    exam = f.exam(f.fixed_paper([f.question("single")]), officers=[officer], instructions="")
    client.force_login(officer.user)
    html = client.get(reverse("exams:exam_entry", args=[exam.pk])).content.decode()
    assert html.count("计时不暂停") == 1 and str(DEFAULT_INSTRUCTIONS) in html


def _next_exam_title(client) -> str:
    html = client.get(reverse("home")).content.decode()
    start = html.index('id="card-next-exam"')
    return html[start : start + 300]


def test_home_card_puts_the_annual_exam_before_a_quiz_closing_sooner(client, officer):
    now = timezone.now()
    paper = f.fixed_paper([f.question("single")])
    f.exam(
        paper,
        officers=[officer],
        title="行政处罚法课程测验",
        kind=Exam.Kind.QUIZ,
        opens_at=now - dt.timedelta(days=5),  # opened earlier: the old order (by opening) put it first
        closes_at=now + dt.timedelta(days=2),
    )
    f.exam(
        paper,
        officers=[officer],
        title="2026年度学法考试",
        kind=Exam.Kind.ANNUAL,
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=30),
    )
    client.force_login(officer.user)
    assert "2026年度学法考试" in _next_exam_title(client)


def test_home_card_orders_formal_exams_by_closing_time(client, officer):
    now = timezone.now()
    paper = f.fixed_paper([f.question("single")])
    f.exam(
        paper,
        officers=[officer],
        title="年度学法考试(年底截止)",
        kind=Exam.Kind.ANNUAL,
        opens_at=now - dt.timedelta(days=9),
        closes_at=now + dt.timedelta(days=30),
    )
    f.exam(
        paper,
        officers=[officer],
        title="执法资格考试(本周截止)",
        kind=Exam.Kind.QUALIFICATION,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=3),
    )
    client.force_login(officer.user)
    assert "执法资格考试(本周截止)" in _next_exam_title(client)
