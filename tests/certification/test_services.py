"""HR's writes on certificates: each refusal is a clear Chinese message and writes nothing; each success is audited
and only HR (or an admin) may act."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from certification import services
from certification.models import Certificate, CertificateEvent, EventImmutableError, ReviewBlock, ReviewCycle
from certification.selectors import officer_status
from certification.services import CertificationError
from certification.status import Status
from org.models import AuditEntry, Officer, RoleCategory
from tests.factories import OfficerFactory, unit

K = CertificateEvent.Kind
TODAY = dt.date(2026, 11, 15)


@pytest.fixture
def officer(db):
    return OfficerFactory(unit=unit("测试区城管局/执法一中队"), name="张伟")


def issue(actor, officer, **kw):
    values = dict(number="沪执A0001", issuing_authority="测试区人民政府", issued_on=dt.date(2024, 3, 1), today=TODAY)
    values.update(kw)
    return services.certificate_issue(actor=actor, officer=officer, **values)


def nothing_written(before_certs=0, before_events=0):
    assert Certificate.objects.count() == before_certs
    assert CertificateEvent.objects.count() == before_events


def test_issue_writes_certificate_and_its_issued_event_and_audits(world_hr, officer):
    cert = issue(world_hr, officer, enforcement_category="市容环境", valid_until=dt.date(2030, 3, 1))
    assert cert.officer == officer and len(cert.verify_token) >= 43
    assert list(cert.events.values_list("kind", "effective_on")) == [(K.ISSUED, dt.date(2024, 3, 1))]
    assert AuditEntry.objects.filter(action="certificate.issue", target_id=str(cert.pk)).exists()
    assert officer_status(officer=officer, today=TODAY).status == Status.VALID


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"number": "  "}, "证号不能为空"),
        ({"issuing_authority": ""}, "发证机关不能为空"),
        ({"valid_until": dt.date(2024, 2, 1)}, "有效期至不能早于发证日期"),
        ({"issued_on": dt.date(2026, 12, 1)}, "发证日期不能晚于今天"),
    ],
)
def test_issue_refuses_bad_input(world_hr, officer, kw, message):
    with pytest.raises(CertificationError, match=message):
        issue(world_hr, officer, **kw)
    nothing_written()


def test_issue_refuses_duplicate_number_auxiliary_and_second_standing_certificate(world_hr, officer):
    issue(world_hr, officer)
    other = OfficerFactory(unit=officer.unit, name="王芳")
    with pytest.raises(CertificationError, match="证号沪执A0001已存在"):
        issue(world_hr, other)
    with pytest.raises(CertificationError, match="张伟已持有执法证沪执A0001"):
        issue(world_hr, officer, number="沪执A0002")
    helper = OfficerFactory(unit=officer.unit, name="赵敏", role_category=RoleCategory.objects.get(code="auxiliary"))
    with pytest.raises(CertificationError, match="赵敏是协管员,不能持有行政执法证"):
        issue(world_hr, helper, number="沪执A0003")
    nothing_written(1, 1)


def test_only_hr_may_write(officer, world_hr):
    with pytest.raises(PermissionDenied):
        issue(officer.user, officer)
    cert = issue(world_hr, officer)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=officer.user, certificate=cert, reason="x", effective_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.review_cycle_save(
            actor=officer.user, year=2026, window_opens=dt.date(2026, 11, 1), deadline=dt.date(2027, 1, 31)
        )


def test_suspend_reinstate_revoke_and_their_refusals(world_hr, officer):
    cert = issue(world_hr, officer)
    with pytest.raises(CertificationError, match="请填写暂扣原因"):
        services.certificate_suspend(actor=world_hr, certificate=cert, reason=" ", effective_on=TODAY)
    with pytest.raises(CertificationError, match="暂扣结束日期不能早于开始日期"):
        services.certificate_suspend(
            actor=world_hr, certificate=cert, reason="涉嫌违纪", effective_on=TODAY, ends_on=dt.date(2026, 11, 1)
        )
    with pytest.raises(CertificationError, match="未被暂扣"):
        services.certificate_reinstate(actor=world_hr, certificate=cert, reason="恢复", effective_on=TODAY)
    services.certificate_suspend(actor=world_hr, certificate=cert, reason="涉嫌违纪", effective_on=dt.date(2026, 11, 1))
    with pytest.raises(CertificationError, match="已处于暂扣状态"):
        services.certificate_suspend(actor=world_hr, certificate=cert, reason="再次", effective_on=TODAY)
    assert officer_status(officer=officer, today=TODAY).status == Status.SUSPENDED
    services.certificate_reinstate(actor=world_hr, certificate=cert, reason="调查结束", effective_on=TODAY)
    assert officer_status(officer=officer, today=TODAY).status == Status.VALID
    services.certificate_revoke(actor=world_hr, certificate=cert, reason="调离执法岗位", effective_on=TODAY)
    assert officer_status(officer=officer, today=TODAY).status == Status.REVOKED
    count = CertificateEvent.objects.count()
    with pytest.raises(CertificationError, match="已注销,不能暂扣"):
        services.certificate_suspend(actor=world_hr, certificate=cert, reason="x", effective_on=dt.date(2026, 11, 20))
    with pytest.raises(CertificationError, match="已注销"):
        services.certificate_revoke(actor=world_hr, certificate=cert, reason="x", effective_on=TODAY)
    assert CertificateEvent.objects.count() == count
    # a revoked certificate no longer stands: a new one may be recorded
    issue(world_hr, officer, number="沪执A0009", issued_on=TODAY)
    assert officer_status(officer=officer, today=TODAY).certificate.number == "沪执A0009"


def test_void_corrects_a_mistaken_revocation_and_keeps_history(world_hr, officer):
    cert = issue(world_hr, officer)
    wrong = services.certificate_revoke(actor=world_hr, certificate=cert, reason="误操作", effective_on=TODAY)
    with pytest.raises(CertificationError, match="请填写更正原因"):
        services.event_void(actor=world_hr, event=wrong, reason="")
    voided = services.event_void(actor=world_hr, event=wrong, reason="录错人员", today=TODAY)
    assert officer_status(officer=officer, today=TODAY).status == Status.VALID
    assert CertificateEvent.objects.filter(pk=wrong.pk).exists()
    with pytest.raises(CertificationError, match="该记录已被作废"):
        services.event_void(actor=world_hr, event=wrong, reason="again", today=TODAY)
    with pytest.raises(CertificationError, match="更正记录本身不能再作废"):
        services.event_void(actor=world_hr, event=voided, reason="again", today=TODAY)


def test_events_are_append_only_in_code(world_hr, officer):
    cert = issue(world_hr, officer)
    event = cert.events.get()
    event.reason = "changed"
    with pytest.raises(EventImmutableError):
        event.save()
    with pytest.raises(EventImmutableError):
        CertificateEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(EventImmutableError):
        CertificateEvent.objects.filter(pk=event.pk).delete()


def test_cycle_save_validates_and_updates(world_hr):
    with pytest.raises(CertificationError, match="年审截止日期不能早于开始日期"):
        services.review_cycle_save(
            actor=world_hr, year=2026, window_opens=dt.date(2026, 11, 1), deadline=dt.date(2026, 10, 1)
        )
    with pytest.raises(CertificationError, match="宽限天数"):
        services.review_cycle_save(
            actor=world_hr, year=2026, window_opens=dt.date(2026, 11, 1), deadline=dt.date(2027, 1, 31), grace_days=400
        )
    assert not ReviewCycle.objects.exists()
    services.review_cycle_save(
        actor=world_hr, year=2026, window_opens=dt.date(2026, 11, 1), deadline=dt.date(2027, 1, 31)
    )
    cycle = services.review_cycle_save(
        actor=world_hr, year=2026, window_opens=dt.date(2026, 11, 1), deadline=dt.date(2027, 1, 15), grace_days=10
    )
    assert ReviewCycle.objects.get() == cycle and cycle.grace_days == 10


def test_blocks_add_and_lift(world_hr, officer):
    with pytest.raises(CertificationError, match="结束日期不能早于开始日期"):
        services.review_block_add(
            actor=world_hr,
            officer=officer,
            kind="discipline",
            reason="记过",
            starts_on=TODAY,
            ends_on=dt.date(2026, 1, 1),
        )
    block = services.review_block_add(
        actor=world_hr, officer=officer, kind="discipline", reason="记过", starts_on=TODAY
    )
    services.review_block_lift(actor=world_hr, block=block, reason="处分期满", lifted_on=dt.date(2026, 11, 20))
    with pytest.raises(CertificationError, match="已于2026-11-20解除"):
        services.review_block_lift(actor=world_hr, block=block, reason="again")
    assert ReviewBlock.objects.get().lifted_reason == "处分期满"
    assert Officer.objects.count() >= 1
