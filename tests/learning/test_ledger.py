import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from learning import selectors, services
from learning.models import CreditEntry, LedgerImmutableError
from org.models import AuditEntry
from tests.factories import OfficerFactory, RoleCategoryFactory


def grant(officer, *, source_id="s1", hours="2", category="rule_of_law", kind="offline", year=2026):
    return services.credit_grant(
        officer=officer,
        year=year,
        category=category,
        hours=hours,
        source_kind=kind,
        source_id=source_id,
        actor=None,
        reason="集中学习",
    )


def test_grant_is_exactly_once_per_source(officer):
    first, created = grant(officer)
    again, created_again = grant(officer)
    assert created and not created_again
    assert first.pk == again.pk
    assert CreditEntry.objects.count() == 1
    assert selectors.officer_hours_for_year(officer=officer, year=2026) == {"rule_of_law": Decimal("2.00")}
    assert AuditEntry.objects.filter(action="credit.grant").count() == 1


def test_same_source_other_category_or_officer_is_a_new_entry(officer):
    grant(officer)
    grant(officer, category="business")
    grant(OfficerFactory())
    assert CreditEntry.objects.count() == 3


def test_grant_refuses_zero_and_unknown_source(officer):
    with pytest.raises(services.LearningError):
        grant(officer, hours="0")
    with pytest.raises(services.LearningError):
        grant(officer, kind="gift")
    assert CreditEntry.objects.count() == 0


def test_reversal_nets_the_total_and_keeps_the_original(officer):
    entry, _ = grant(officer, hours="3")
    grant(officer, source_id="s2", hours="1.5")
    reversal = services.credit_reverse(entry=entry, actor=None, reason="重复签到,冲销")
    assert reversal.hours == Decimal("-3.00") and reversal.reverses_id == entry.pk
    entry.refresh_from_db()
    assert entry.hours == Decimal("3.00")
    assert selectors.officer_hours_for_year(officer=officer, year=2026) == {"rule_of_law": Decimal("1.50")}
    # Granting the reversed source again does not silently come back.
    _again, created = grant(officer, hours="3")
    assert not created
    assert selectors.officer_hours_for_year(officer=officer, year=2026)["rule_of_law"] == Decimal("1.50")


def test_reversal_needs_reason_and_happens_once(officer):
    entry, _ = grant(officer)
    with pytest.raises(services.LearningError):
        services.credit_reverse(entry=entry, actor=None, reason=" ")
    reversal = services.credit_reverse(entry=entry, actor=None, reason="录入错误")
    with pytest.raises(services.LearningError):
        services.credit_reverse(entry=entry, actor=None, reason="再冲一次")
    with pytest.raises(services.LearningError):
        services.credit_reverse(entry=reversal, actor=None, reason="冲销的冲销")
    assert CreditEntry.objects.count() == 2


def test_code_has_no_path_that_edits_a_row(officer):
    entry, _ = grant(officer)
    entry.hours = Decimal("99")
    with pytest.raises(LedgerImmutableError):
        entry.save()
    with pytest.raises(LedgerImmutableError):
        entry.delete()
    with pytest.raises(LedgerImmutableError):
        CreditEntry.objects.filter(pk=entry.pk).update(hours=99)
    with pytest.raises(LedgerImmutableError):
        CreditEntry.objects.all().delete()
    with pytest.raises(LedgerImmutableError):
        CreditEntry.objects.bulk_update([entry], ["hours"])
    assert CreditEntry.objects.get(pk=entry.pk).hours == Decimal("2.00")


def test_manual_adjustment_needs_reason_and_is_always_new(officer, hr):
    with pytest.raises(services.LearningError):
        services.credit_adjust(officer=officer, year=2026, category="law_exam", hours=5, actor=hr, reason="")
    services.credit_adjust(officer=officer, year=2026, category="law_exam", hours=5, actor=hr, reason="省平台导入")
    services.credit_adjust(officer=officer, year=2026, category="law_exam", hours=5, actor=hr, reason="省平台导入")
    assert selectors.officer_hours_for_year(officer=officer, year=2026)["law_exam"] == Decimal("10.00")


@pytest.mark.postgres
def test_postgres_trigger_refuses_update_and_delete(postgres_only, officer):
    entry, _ = grant(officer)
    for sql in (
        "UPDATE learning_creditentry SET hours = 99 WHERE id = %s",
        "DELETE FROM learning_creditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert CreditEntry.objects.get(pk=entry.pk).hours == Decimal("2.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_write_one_entry():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    # Transactional tests may run after another one flushed the migrations' seed rows: make our own.
    from content.services import credit_category_ensure

    credit_category_ensure(code="law_exam", name="学法考试")
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    barrier = threading.Barrier(6)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(grant(officer, source_id="exam-77", hours="40", category="law_exam", kind="exam"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(1 for _entry, created in results if created) == 1
    assert len({entry.pk for entry, _ in results}) == 1
    assert CreditEntry.objects.filter(source_id="exam-77").count() == 1
