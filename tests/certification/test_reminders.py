"""年审 reminders: each exactly once (a rerun and a second worker send nothing twice), at the window's opening and
30/7/1 days before the deadline, only to at-risk officers (with what they lack and a link), a digest to each unit
leader of their subtree, a weekly summary to HR, email only when the user has an address."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from certification.models import ReminderLog
from certification.reminders import remind_now, reminders_run, step_for
from org.housekeeping import run_due
from tests.certification import factories as f
from tests.factories import OfficerFactory, RoleCategoryFactory, grant, unit

WINDOW_DAY = dt.date(2026, 11, 2)


@pytest.fixture
def bureau(db, mfa_user):
    cycle = f.cycle()  # 2026: 1 Nov 2026 – 31 Jan 2027, 30 days' grace
    f.hour_rule(category="rule_of_law", hours="40")
    annual = f.exam()
    squad1 = unit("测试区城管局/执法一中队")
    squad2 = unit("测试区城管局/执法二中队")
    at_risk = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"), name="张伟")
    at_risk.user.email = "zhangwei@example.com"
    at_risk.user.save()
    no_email = OfficerFactory(unit=squad2, name="刘洋")
    no_email.user.email = ""
    no_email.user.save()
    done = OfficerFactory(unit=squad1, name="李强")
    uncertified = OfficerFactory(unit=squad1, name="赵新")
    for o in (at_risk, no_email, done):
        f.certificate(o)
    f.credit(done, 40)
    f.exam_attempt(annual, done, score="90")
    leader = OfficerFactory(unit=squad1, name="王建国")
    grant(leader.user, "unit_leader", squad1)
    hr = OfficerFactory(unit=unit("测试区城管局/政治处"), name="周敏").user
    hr.email = "hr@example.com"
    hr.save()
    grant(hr, "hr")
    mfa_user(hr)
    return {
        "cycle": cycle,
        "at_risk": at_risk,
        "no_email": no_email,
        "done": done,
        "uncertified": uncertified,
        "leader": leader.user,
        "hr": hr,
    }


def _keys() -> set[str]:
    return set(ReminderLog.objects.values_list("key", flat=True))


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (dt.date(2026, 10, 31), None),  # before the window
        (dt.date(2026, 11, 1), "window"),
        (dt.date(2026, 12, 31), "window"),  # 31 days left
        (dt.date(2027, 1, 1), "d30"),
        (dt.date(2027, 1, 23), "d30"),
        (dt.date(2027, 1, 24), "d7"),
        (dt.date(2027, 1, 30), "d1"),
        (dt.date(2027, 1, 31), "d1"),  # the deadline itself
        (dt.date(2027, 2, 1), None),  # grace: no more personal steps
    ],
)
def test_step_for(db, today, step):
    assert step_for(f.cycle(), today) == step


def test_window_opening_reaches_at_risk_officers_leaders_and_hr_once(bureau, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as pushes:
        report = reminders_run(today=WINDOW_DAY)
    a, b = bureau["at_risk"], bureau["no_email"]
    leader, hr = bureau["leader"], bureau["hr"]
    assert _keys() == {
        f"cert:2026:window:officer:{a.pk}",
        f"cert:2026:window:officer:{b.pk}",
        f"cert:2026:window:digest:{leader.pk}",
        f"cert:2026:weekly:2026W45:{hr.pk}",
    }
    assert report.sent == 4
    assert len(pushes) == 4  # one in-app notice each
    # email only where there is an address: the officer and HR (the leader and 刘洋 have none)
    assert sorted(m.to[0] for m in mail.outbox) == ["hr@example.com", "zhangwei@example.com"]
    officer_mail = next(m for m in mail.outbox if m.to == ["zhangwei@example.com"])
    assert "年度学法考试" in officer_mail.body  # what they lack
    assert "http" in officer_mail.body  # and a link to fix it
    # the leader's digest names only the at-risk officers of the subtree (刘洋 is in 执法二中队)
    digest = ReminderLog.objects.get(kind="digest")
    assert digest.user == leader
    if hasattr(digest, "text"):
        assert "张伟" in digest.text and "刘洋" not in digest.text and "李强" not in digest.text

    # run again (same day, or any day of the same step/week): nothing is sent twice
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as pushes:
        again = reminders_run(today=WINDOW_DAY)
        reminders_run(today=WINDOW_DAY + dt.timedelta(days=3))
    assert again.sent == 0 and again.skipped == 4
    assert pushes == [] and mail.outbox == []
    assert ReminderLog.objects.count() == 4


def test_deadline_steps_30_7_1_then_nothing(bureau):
    a = bureau["at_risk"]
    for day in (dt.date(2027, 1, 1), dt.date(2027, 1, 10), dt.date(2027, 1, 24), dt.date(2027, 1, 30)):
        reminders_run(today=day)
    mine = set(ReminderLog.objects.filter(officer=a).values_list("key", flat=True))
    assert mine == {f"cert:2026:{s}:officer:{a.pk}" for s in ("d30", "d7", "d1")}
    before = ReminderLog.objects.filter(kind="officer").count()
    reminders_run(today=dt.date(2027, 2, 5))  # in grace: no officer reminders
    assert ReminderLog.objects.filter(kind="officer").count() == before


def test_eligible_and_uncertified_officers_get_nothing(bureau):
    reminders_run(today=WINDOW_DAY)
    reminded = set(ReminderLog.objects.filter(kind="officer").values_list("officer_id", flat=True))
    assert bureau["done"].pk not in reminded and bureau["uncertified"].pk not in reminded


def test_hr_summary_once_a_week(bureau):
    hr = bureau["hr"]
    for day in (dt.date(2026, 11, 2), dt.date(2026, 11, 4), dt.date(2026, 11, 8)):  # Mon, Wed, Sun of week 45
        reminders_run(today=day)
    reminders_run(today=dt.date(2026, 11, 9))  # Monday of week 46
    weekly = list(ReminderLog.objects.filter(kind="weekly", user=hr).values_list("key", flat=True))
    assert sorted(weekly) == [f"cert:2026:weekly:2026W45:{hr.pk}", f"cert:2026:weekly:2026W46:{hr.pk}"]


def test_nothing_outside_a_cycle(bureau):
    assert reminders_run(today=dt.date(2026, 9, 1)).sent == 0
    assert ReminderLog.objects.count() == 0


def test_second_worker_finds_the_key_and_sends_nothing(bureau):
    """The other worker inserted the key first (same step, same officer): this one must not send."""
    a = bureau["at_risk"]
    ReminderLog.objects.create(key=f"cert:2026:window:officer:{a.pk}", kind="officer", year=2026, user=a.user)
    reminders_run(today=WINDOW_DAY)
    assert "zhangwei@example.com" not in [m.to[0] for m in mail.outbox]
    assert ReminderLog.objects.filter(officer=a).count() == 0  # only the other worker's row (officer unset)


def test_failed_email_is_retried_next_run(bureau, monkeypatch):
    import certification.reminders as reminders

    def boom(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", boom)
    report = reminders_run(today=WINDOW_DAY)
    assert report.failed == 2  # 张伟 and HR have email addresses
    assert not ReminderLog.objects.filter(officer=bureau["at_risk"]).exists()
    monkeypatch.undo()
    reminders_run(today=WINDOW_DAY)
    assert ReminderLog.objects.filter(officer=bureau["at_risk"]).count() == 1


def test_command_and_housekeeping_job(bureau, capsys):
    call_command("certification_remind", "--date", "2026-11-02")
    assert "4 sent" in capsys.readouterr().out
    # the housekeeping loop runs the registered job (today is whatever the clock says: it must not fail)
    done = dict(run_due({}, only="certification.reminders"))
    assert "certification.reminders" in done


def test_remind_now_hr_only_once_a_day(bureau):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        remind_now(actor=bureau["leader"], today=WINDOW_DAY)
    first = remind_now(actor=bureau["hr"], today=WINDOW_DAY)
    assert first.sent == 2
    assert remind_now(actor=bureau["hr"], today=WINDOW_DAY).sent == 0
    assert remind_now(actor=bureau["hr"], today=WINDOW_DAY + dt.timedelta(days=1)).sent == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(postgres_only, mfa_user):
    """PostgreSQL: two threads run the job at the same moment; the unique key lets only one row per reminder in."""
    RoleCategoryFactory()  # an earlier transactional test's flush took the migration-made role categories with it
    f.cycle()
    annual = f.exam()  # noqa: F841 (the annual exam exists, nobody passed it)
    officers = [OfficerFactory(unit=unit("测试区城管局/执法一中队"), name=f"员{i}") for i in range(5)]
    for o in officers:
        o.user.email = f"o{o.pk}@example.com"
        o.user.save()
        f.certificate(o)
    barrier = threading.Barrier(2)
    reports = []

    def worker():
        try:
            barrier.wait()
            reports.append(reminders_run(today=WINDOW_DAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.sent for r in reports) == 5
    assert sum(r.skipped for r in reports) == 5
    assert ReminderLog.objects.count() == 5
    assert len(mail.outbox) == 5


def test_officer_sees_the_reminder_on_the_page(bureau, client):
    from django.urls import reverse

    reminders_run(today=WINDOW_DAY)
    a = bureau["at_risk"]
    client.force_login(a.user)
    page = client.get(reverse("certification:mine")).content.decode()
    section = page.split('id="my-reminders"')[1]
    assert "2026 年度执法证年审已开始" in section
    assert "暂无提醒" not in section
