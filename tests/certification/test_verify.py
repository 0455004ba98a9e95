"""The public verify page behind the QR code: no login; masked name and number, unit, status in words, last review
date and nothing else; revoked and suspended say so (not "not found"); an unknown token is a 404; rate-limited per
IP; noindex; every view counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from certification.models import CertificateEvent, Verification
from certification.views.public import mask_name, mask_number
from tests.certification import factories as f
from tests.factories import OfficerFactory, unit

Kind = CertificateEvent.Kind


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王建国", "王*国"), ("王芳", "王*"), ("欧阳建国", "欧**国"), ("李", "李"), ("", "")],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [("浙执0330001", "浙执****001"), ("123456", "12*456"), ("12345", "1****"), ("", "")],
)
def test_mask_number(number, masked):
    assert mask_number(number) == masked


@pytest.fixture
def holder(db):
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"), name="王建国", phone="13900001111")
    cert = f.certificate(officer, number="浙执0330001", issued_on=dt.date(2024, 3, 1))
    return officer, cert


def _get(client, cert, **extra):
    return client.get(f"/v/{cert.verify_token}/", **extra)


def test_valid_certificate_shows_masked_facts_only(client, holder):
    officer, cert = holder
    f.cycle(2025, window_opens=dt.date(2025, 11, 1), deadline=dt.date(2026, 1, 31))
    f.review(cert, 2025, on=dt.date(2025, 11, 20))
    response = _get(client, cert)
    assert response.status_code == 200
    body = response.content.decode()
    assert "王*国" in body and "王建国" not in body
    assert "浙执****001" in body and "浙执0330001" not in body
    assert "一分队" in body
    assert "2025-11-20" in body
    # nothing else about the person
    assert officer.employee_no not in body and officer.phone not in body
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in body
    assert 'id="verify-status"' in body


def test_no_login_needed_and_each_view_counted(client, holder):
    _officer, cert = holder
    for _ in range(3):
        assert _get(client, cert).status_code == 200
    assert Verification.objects.filter(certificate=cert).count() == 3


def test_revoked_says_so(client, holder, world_hr):
    _officer, cert = holder
    f.event(cert, Kind.REVOKED, effective_on=dt.date(2026, 5, 1), reason="调离执法岗位")
    response = _get(client, cert)
    assert response.status_code == 200
    body = response.content.decode()
    assert "已注销" in body
    assert "调离执法岗位" not in body  # the reason is HR's, not the public's


def test_suspended_says_so_with_end_date(client, holder):
    _officer, cert = holder
    today = dt.date.today()
    f.event(
        cert,
        Kind.SUSPENDED,
        effective_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=30),
        reason="违规执法",
    )
    body = _get(client, cert).content.decode()
    assert "暂扣" in body
    assert (today + dt.timedelta(days=30)).isoformat() in body
    assert "违规执法" not in body


def test_lapsed_says_so(client, holder):
    _officer, cert = holder
    # the 2025 cycle ended (deadline + grace) without a passed review
    f.cycle(2025, window_opens=dt.date(2025, 11, 1), deadline=dt.date(2026, 1, 31), grace_days=30)
    body = _get(client, cert).content.decode()
    assert "逾期未审" in body


def test_unknown_token_is_404_noindex(client, db):
    response = client.get("/v/not-a-real-token-0000000000000000000000/")
    assert response.status_code == 404
    assert response["X-Robots-Tag"].startswith("noindex")
    assert Verification.objects.count() == 0


def test_certificate_number_is_not_a_key(client, holder):
    _officer, cert = holder
    assert client.get(f"/v/{cert.number}/").status_code == 404


def test_token_is_at_least_128_bits(holder):
    _officer, cert = holder
    # token_urlsafe(32): 43 characters of base64url, 6 bits each
    assert len(cert.verify_token) * 6 >= 128


@override_settings(CERTIFICATION_VERIFY_PER_MINUTE=5)
def test_rate_limited_per_ip(client, holder):
    _officer, cert = holder
    codes = [_get(client, cert, REMOTE_ADDR="10.0.0.1").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert Verification.objects.count() == 5  # a refused request is not counted
    # another address is not affected
    assert _get(client, cert, REMOTE_ADDR="10.0.0.2").status_code == 200
