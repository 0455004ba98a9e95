"""The certificate PDF: A4, the embedded CJK font, the officer's name and certificate number as text (pypdf), and a QR
code whose payload (decoded from the page's image with zxing-cpp) is the absolute verify URL of that certificate."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from certification.pdf import CertificatePdf, PdfEvent, certificate_pdf_bytes
from tests.certification import factories as f
from tests.factories import OfficerFactory, unit

zxingcpp = pytest.importorskip("zxingcpp")


def _font_or_skip():
    from django.core.exceptions import ImproperlyConfigured

    from content.pdf import cjk_font

    try:
        cjk_font()
    except ImproperlyConfigured as exc:
        pytest.skip(str(exc))


def _qr_payloads(pdf: bytes) -> list[str]:
    payloads = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            payloads += [r.text for r in zxingcpp.read_barcodes(image.image.convert("L"))]
    return payloads


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_record_names_officer_and_number_and_qr_is_verify_url():
    _font_or_skip()
    url = "https://zfxt.example.gov.cn/v/AbCdEf0123456789_-xyz/"
    pdf = certificate_pdf_bytes(
        CertificatePdf(
            officer_name="王建国",
            employee_no="BJ0001",
            unit="滨江区城市管理综合执法局/执法一中队",
            number="浙执0330001",
            issuing_authority="滨江区人民政府",
            issued_on=dt.date(2024, 3, 1),
            valid_until=None,
            enforcement_category="城市管理",
            enforcement_area="滨江区",
            status_label="有效",
            valid_for_year=2026,
            last_review_on=dt.date(2026, 11, 20),
            events=[
                PdfEvent(when=dt.date(2024, 3, 1), what="发证", detail=""),
                PdfEvent(when=dt.date(2026, 11, 20), what="2026 年度年审通过", detail=""),
            ],
            verify_url=url,
        )
    )
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = _text(pdf)
    assert "王建国" in text and "浙执0330001" in text and "2026 年度年审通过" in text
    assert _qr_payloads(pdf) == [url]


@pytest.mark.django_db
def test_officer_downloads_own_pdf_with_verify_url(client):
    _font_or_skip()
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队"), name="李卫东")
    cert = f.certificate(officer, number="测执PDF001")
    client.force_login(officer.user)
    response = client.get("/me/certificate/record.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = _text(pdf)
    assert "李卫东" in text and "测执PDF001" in text
    assert _qr_payloads(pdf) == [f"http://testserver/v/{cert.verify_token}/"]


@pytest.mark.django_db
def test_no_certificate_no_pdf(client):
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队"))
    client.force_login(officer.user)
    assert client.get("/me/certificate/record.pdf").status_code == 404
