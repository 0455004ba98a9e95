import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learning import selectors, services
from learning.models import Attendance, CreditEntry, OfflineSession
from tests.factories import UserFactory, grant, unit

START = dt.datetime(2026, 11, 21, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai


@pytest.fixture
def session(trainer, squad1):
    return services.offline_session_create(
        title="《行政处罚法》专题讲座",
        kind="lecture",
        category="rule_of_law",
        hours=Decimal("3"),
        place="局三楼会议室",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=3),
        trainer=trainer,
        invited_units=[squad1],
    )


def token_at(session, when):
    return services.qr_token(session=session, window=services.qr_window(when))


def test_qr_code_rotates_and_expires(session, settings):
    settings.LEARNING_QR_WINDOW_SECONDS = 30
    t = START + dt.timedelta(minutes=5)
    code = token_at(session, t)
    assert services.qr_token_valid(session=session, token=code, now=t)
    assert services.qr_token_valid(session=session, token=code, now=t + dt.timedelta(seconds=30))  # previous window
    assert not services.qr_token_valid(session=session, token=code, now=t + dt.timedelta(seconds=60))  # expired
    assert token_at(session, t + dt.timedelta(seconds=30)) != code
    assert not services.qr_token_valid(session=session, token="0" * 20, now=t)


def test_code_of_one_session_does_not_open_another(session, trainer):
    other = services.offline_session_create(
        title="以会代训",
        kind="meeting",
        category="business",
        hours=1,
        place="中队会议室",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=1),
        trainer=trainer,
    )
    t = START + dt.timedelta(minutes=1)
    assert not services.qr_token_valid(session=other, token=token_at(session, t), now=t)


def test_sign_in_then_out_writes_credit_once(session, officer):
    t_in = START + dt.timedelta(minutes=-5)
    attendance, action = services.attendance_scan(
        session=session, officer=officer, token=token_at(session, t_in), now=t_in
    )
    assert action == "in" and not CreditEntry.objects.exists()
    t_out = START + dt.timedelta(hours=3, minutes=5)
    _a, action = services.attendance_scan(session=session, officer=officer, token=token_at(session, t_out), now=t_out)
    assert action == "out"
    _a, action = services.attendance_scan(session=session, officer=officer, token=token_at(session, t_out), now=t_out)
    assert action == "done"
    entry = CreditEntry.objects.get()
    assert entry.hours == Decimal("3.00") and entry.source_kind == "offline" and entry.source_id == str(session.pk)
    assert Attendance.objects.get().credit_id == entry.pk


@pytest.mark.parametrize("minutes", [-31, 181])
def test_sign_in_only_inside_the_time_window(session, officer, minutes):
    t = START + dt.timedelta(minutes=minutes)
    with pytest.raises(services.LearningError):
        services.attendance_scan(session=session, officer=officer, token=token_at(session, t), now=t)
    assert not Attendance.objects.exists()


def test_expired_code_is_refused(session, officer):
    t = START + dt.timedelta(minutes=10)
    old = token_at(session, t - dt.timedelta(seconds=61))
    with pytest.raises(services.LearningError):
        services.attendance_scan(session=session, officer=officer, token=old, now=t)
    assert not Attendance.objects.exists()


def test_officer_not_invited_is_refused(session, officer_in_squad2):
    t = START
    with pytest.raises(services.LearningError):
        services.attendance_scan(session=session, officer=officer_in_squad2, token=token_at(session, t), now=t)


def test_manual_attendance_needs_a_reason_and_credits(session, officer, trainer):
    with pytest.raises(services.LearningError):
        services.attendance_manual(session=session, officer=officer, actor=trainer, reason="")
    assert not Attendance.objects.exists()
    services.attendance_manual(session=session, officer=officer, actor=trainer, reason="手机没电,现场核实")
    services.attendance_manual(session=session, officer=officer, actor=trainer, reason="再次补录")
    assert CreditEntry.objects.count() == 1
    assert Attendance.objects.get().method == "manual"


def test_checkin_page_flow(client, session, officer, monkeypatch):
    client.force_login(officer.user)
    now = START + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: now)
    url = reverse("learning:checkin", args=[session.pk, token_at(session, now)])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    bad = client.post(reverse("learning:checkin", args=[session.pk, "deadbeef"]))
    assert bad.status_code == 400


def test_checkin_needs_login(client, session):
    url = reverse("learning:checkin", args=[session.pk, "x"])
    assert client.get(url).status_code == 302


def test_session_pages_access(client, session, officer, trainer, hr):
    urls = [
        reverse("learning:session_detail", args=[session.pk]),
        reverse("learning:session_screen", args=[session.pk]),
        reverse("learning:session_qr", args=[session.pk]),
        reverse("learning:session_export", args=[session.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(officer.user)
    for url in [*urls, reverse("learning:session_list"), reverse("learning:session_new")]:
        assert client.get(url).status_code == 403
    other_trainer = UserFactory(username="trainer-2")
    grant(other_trainer, "trainer")
    client.force_login(other_trainer)
    for url in urls:
        assert client.get(url).status_code == 403
    for user in (trainer, hr):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200


def test_qr_svg_points_to_checkin(client, session, trainer):
    client.force_login(trainer)
    response = client.get(reverse("learning:session_qr", args=[session.pk]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


def test_trainer_schedules_a_session_and_records_manual_attendance(client, trainer, officer, squad1):
    client.force_login(trainer)
    response = client.post(
        reverse("learning:session_new"),
        {
            "title": "解放城管大讲堂",
            "kind": "forum",
            "category": "rule_of_law",
            "hours": "2",
            "place": "大礼堂",
            "starts_at": "2026-11-25T14:30",
            "ends_at": "2026-11-25T16:30",
            "invited_units": [squad1.pk],
            "invited_employee_nos": officer.employee_no,
        },
    )
    assert response.status_code == 302
    session = OfflineSession.objects.get(title="解放城管大讲堂")
    assert list(session.invited_officers.all()) == [officer]
    response = client.post(
        reverse("learning:session_detail", args=[session.pk]),
        {"employee_no": officer.employee_no, "reason": "扫码失败"},
    )
    assert response.status_code == 302
    assert Attendance.objects.get(session=session).credit_id
    book = load_workbook(io.BytesIO(client.get(reverse("learning:session_export", args=[session.pk])).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[3][0] == officer.employee_no and rows[3][6] == "扫码失败"


def test_bad_session_form_writes_nothing(client, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("learning:session_new"),
        {
            "title": "x",
            "kind": "forum",
            "category": "rule_of_law",
            "hours": "2",
            "place": "p",
            "starts_at": "2026-11-25T16:30",
            "ends_at": "2026-11-25T14:30",
            "invited_employee_nos": "NOPE",
        },
    )
    assert response.status_code == 200 and not OfflineSession.objects.exists()


def test_upcoming_sessions_follow_invitations(session, officer, officer_in_squad2, trainer, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: START - dt.timedelta(days=1))
    open_to_all = services.offline_session_create(
        title="全局集中学习",
        kind="central",
        category="rule_of_law",
        hours=2,
        place="礼堂",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=2),
        trainer=trainer,
    )
    mine = selectors.upcoming_sessions_for(officer=officer)
    theirs = selectors.upcoming_sessions_for(officer=officer_in_squad2)
    assert {s.pk for s in mine} == {session.pk, open_to_all.pk}
    assert {s.pk for s in theirs} == {open_to_all.pk}
    assert unit("测试区城管局/执法一中队/一分队") == officer.unit
