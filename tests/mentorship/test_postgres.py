"""PostgreSQL: two confirmations of one check-in racing in threads credit each side exactly once; two publishes
racing give a mentee one active pair."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from learning.models import CreditEntry
from mentorship import services
from mentorship.models import CheckIn, Pair

from .conftest import TODAY

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n, target):
    barrier = threading.Barrier(n)
    errors = []

    def run():
        try:
            barrier.wait()
            target()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_confirm_race_credits_once(postgres_only, mworld):
    w = mworld
    services.match_run(programme=w.programme, actor=w.hr, today=TODAY)
    services.programme_publish(programme=w.programme, actor=w.hr, today=TODAY)
    pair = Pair.objects.get(mentee=w.n1)
    checkin = services.checkin_log(pair=pair, actor=w.n1.user, met_on=TODAY, minutes=120, topic="文书", today=TODAY)
    mentor_user = w.v1.user

    def confirm():
        services.checkin_confirm(checkin=CheckIn.objects.get(pk=checkin.pk), actor=mentor_user)

    assert _race(6, confirm) == []
    entries = CreditEntry.objects.filter(source_kind="mentorship")
    assert sorted((e.officer_id, e.category_id, e.hours) for e in entries) == sorted(
        [(w.n1.pk, "business", Decimal("2.00")), (w.v1.pk, "mentoring", Decimal("2.00"))]
    )


def test_monthly_cap_holds_under_a_race(postgres_only, mworld):
    w = mworld
    services.match_run(programme=w.programme, actor=w.hr, today=TODAY)
    services.programme_publish(programme=w.programme, actor=w.hr, today=TODAY)
    pair = Pair.objects.get(mentee=w.n1)
    ids = [
        services.checkin_log(pair=pair, actor=w.n1.user, met_on=TODAY, minutes=120, topic=f"第{i}次", today=TODAY).pk
        for i in range(4)
    ]
    mentor_user = w.v1.user
    queue = list(ids)
    lock = threading.Lock()

    def confirm():
        with lock:
            pk = queue.pop()
        services.checkin_confirm(checkin=CheckIn.objects.get(pk=pk), actor=mentor_user)

    assert _race(4, confirm) == []
    total = sum(e.hours for e in CreditEntry.objects.filter(officer=w.n1, source_kind="mentorship"))
    assert total == Decimal("4.00")  # 4 × 2 h confirmed at once, capped at 4 h for the month
