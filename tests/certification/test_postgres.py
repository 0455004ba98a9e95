"""PostgreSQL rules: the database refuses UPDATE, DELETE and TRUNCATE on certificate events (TRUNCATE only when
the test-flush setting is on), and two HR users confirming the same review run at once give one review each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from certification import services
from certification.models import CertificateEvent
from org.models import User
from tests.certification import factories as f
from tests.concurrency import run_together
from tests.factories import OfficerFactory, grant, unit

# serialized_rollback: the flush between transactional tests empties the rows migrations seeded (role and credit
# categories); restore them for each test.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TODAY = dt.date(2026, 11, 15)


def test_database_refuses_update_delete_and_truncate_of_events(postgres_only):
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队"))
    cert = f.certificate(officer)
    event = cert.events.get()
    for sql in (
        "UPDATE certification_certificateevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM certification_certificateevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL zhifa.allow_truncate = 'off'")
        cursor.execute("TRUNCATE certification_certificateevent CASCADE")
    assert CertificateEvent.objects.filter(pk=event.pk, reason="").exists()


def test_two_hr_users_confirming_at_once_write_one_review_each(postgres_only, mfa_user):
    f.cycle(2026)
    f.hour_rule(category="rule_of_law", hours="40")
    annual = f.exam()
    squad = unit("测试区城管局/执法一中队")
    people = [OfficerFactory(unit=squad) for _ in range(6)]
    for i, o in enumerate(people):
        f.certificate(o)
        if i % 2 == 0:
            f.credit(o, 40)
            f.exam_attempt(annual, o)
    hr_ids = []
    for name in ("周敏", "孙丽"):
        user = OfficerFactory(unit=unit("测试区城管局/政治处"), name=name).user
        grant(user, "hr")
        hr_ids.append(user.pk)

    def confirm(pk):
        return services.review_run_confirm(actor=User.objects.get(pk=pk), unit=squad, year=2026, today=TODAY)

    results, errors = run_together(*(lambda pk=pk: confirm(pk) for pk in hr_ids + hr_ids))
    assert not errors, errors
    reviews = CertificateEvent.objects.filter(year=2026)
    assert reviews.count() == 6
    assert sorted(reviews.values_list("certificate__officer_id", flat=True)) == sorted(o.pk for o in people)
    assert reviews.filter(kind=CertificateEvent.Kind.REVIEW_PASSED).count() == 3
    assert sum(len(r.passed) + len(r.failed) for r in results) == 6
