"""The demo's certification data: every status on HR's board, 待发证 recruits, the cycle open now, reminders in
the demo officer's notices, and a second run adds nothing."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse

from certification.models import Certificate, CertificateEvent, ReminderLog
from certification.selectors import awaiting_issue, board
from certification.status import STATUS_ORDER, Status
from org.models import Officer, User


def test_demo_certification(db, client):
    """One test (seeding takes ~40 s): every status on the board, 待发证, reminders, idempotent."""
    call_command("seed_demo", stdout=io.StringIO())
    hr = User.objects.get(username="hr01")
    data = board(viewer=hr)
    counts = dict(zip(STATUS_ORDER, data["totals"], strict=True))
    seen = {s for s, n in counts.items() if n}
    expected = {
        Status.VALID,
        Status.REVIEW_DUE,
        Status.AT_RISK,
        Status.LAPSED,
        Status.SUSPENDED,
        Status.REVOKED,
        Status.UNCERTIFIED,
    }
    assert expected <= seen, expected - seen
    assert counts[Status.SUSPENDED] == 2
    assert counts[Status.REVOKED] == 1
    assert data["on_duty_unlicensed"]
    assert data["cycle"].window_opens <= data["today"] <= data["cycle"].deadline
    # recruits: no certificate; some passed the qualification exam (待发证); 协管员 never
    assert not Certificate.objects.filter(officer__role_category__code__in=["recruit", "auxiliary"]).exists()
    waiting = awaiting_issue(viewer=hr)
    assert waiting and {o.role_category.code for o in waiting} == {"recruit"}

    # the demo officer has reminders, shown under 我的执法证
    bj0001 = Officer.objects.get(employee_no="BJ0001")
    assert ReminderLog.objects.filter(user=bj0001.user).exists()
    client.force_login(bj0001.user)
    page = client.get(reverse("certification:mine")).content.decode()
    assert 'id="my-reminders"' in page and "暂无提醒" not in page

    # a second run adds nothing
    before = (Certificate.objects.count(), CertificateEvent.objects.count(), ReminderLog.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Certificate.objects.count(), CertificateEvent.objects.count(), ReminderLog.objects.count()) == before
