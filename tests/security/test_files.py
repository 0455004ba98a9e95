"""Issue #11 (6): uploaded files are private. Claim attachments live at unguessable paths and leave only through an
access-checked view; staged import files and Wagtail documents are never served from /media/, in DEBUG or not;
only Wagtail images are public media."""

import importlib
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse

from learning import services as learning_services
from org.models import RoleGrant
from tests.factories import OfficerFactory, grant, unit

pytestmark = pytest.mark.django_db

TEAM = "测试区城管局/执法一中队/一分队"
PDF = b"%PDF-1.4 private certificate"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug_urls(request, settings):
    """The URL configuration as built with DEBUG on (make run) and off."""
    import config.urls

    settings.DEBUG = request.param
    importlib.reload(config.urls)
    clear_url_caches()
    yield request.param
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def claim():
    officer = OfficerFactory(unit=unit(TEAM), employee_no="BJ0100")
    return learning_services.external_claim_submit(
        officer=officer,
        title="骨干培训班",
        provider="市委党校",
        category="business",
        hours=Decimal("8"),
        start_date="2026-06-01",
        end_date="2026-06-02",
        attachment=SimpleUploadedFile("结业证书.pdf", PDF, content_type="application/pdf"),
    )


def test_claim_attachment_path_is_unguessable(claim):
    name = claim.attachment.name
    assert re.fullmatch(r"private/claims/[0-9a-f]{32}/结业证书\.pdf", name), name


def test_claim_attachment_is_never_served_as_media(client, claim, debug_urls):
    assert client.get("/media/" + claim.attachment.name).status_code == 404
    client.force_login(claim.officer.user)
    assert client.get("/media/" + claim.attachment.name).status_code == 404


def test_claim_attachment_view_checks_who_asks(client, claim, mfa_user):
    url = reverse("learning:claim_attachment", args=[claim.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]  # anonymous

    client.force_login(OfficerFactory(unit=unit(TEAM), employee_no="BJ0101").user)  # a colleague
    assert client.get(url).status_code in (403, 404)
    other_leader = OfficerFactory(unit=unit("测试区城管局/执法二中队"))
    grant(other_leader.user, RoleGrant.Role.UNIT_LEADER, other_leader.unit)
    client.force_login(other_leader.user)  # leader of another subtree
    assert client.get(url).status_code in (403, 404)

    leader = OfficerFactory(unit=unit("测试区城管局/执法一中队"))
    grant(leader.user, RoleGrant.Role.UNIT_LEADER, leader.unit)
    hr = OfficerFactory(unit=unit("测试区城管局/政治处")).user
    grant(hr, RoleGrant.Role.HR)
    mfa_user(hr)
    for user in (claim.officer.user, leader.user, hr):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"
        assert "attachment" in response["Content-Disposition"]


def test_staged_roster_upload_is_never_served(client, settings, mfa_user, debug_urls):
    hr = OfficerFactory(unit=unit("测试区城管局/政治处")).user
    grant(hr, RoleGrant.Role.HR)
    mfa_user(hr)
    unit(TEAM)
    client.force_login(hr)
    csv = "工号,姓名,单位,人员类别\nBJ0200,赵敏,测试区城管局/执法一中队/一分队,执法人员\n".encode()
    response = client.post(reverse("org:roster_import"), {"file": SimpleUploadedFile("花名册.csv", csv)})
    assert response.status_code == 200
    token = client.session["roster_upload"]["token"]
    client.logout()
    assert client.get(f"/media/staged_uploads/{token}").status_code == 404
    client.force_login(hr)
    assert client.get(f"/media/staged_uploads/{token}").status_code == 404


def test_only_wagtail_images_are_public_media(client, settings, debug_urls):
    root = settings.MEDIA_ROOT
    (root / "images").mkdir(parents=True)
    (root / "images" / "poster.width-800.png").write_bytes(b"\x89PNG image")
    (root / "documents").mkdir()
    (root / "documents" / "内部通知.pdf").write_bytes(PDF)
    response = client.get("/media/images/poster.width-800.png")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\x89PNG image"
    assert client.get("/media/documents/内部通知.pdf").status_code == 404
    assert client.get("/media/images/../documents/内部通知.pdf").status_code == 404
    assert client.get("/media/images/%2e%2e/documents/内部通知.pdf").status_code == 404


def test_wagtail_documents_are_served_by_wagtails_view_not_from_media(client, settings, debug_urls):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document.objects.create(title="执法文书范本", file=ContentFile(PDF, name="范本.pdf"))
    response = client.get(document.url)
    assert document.url.startswith("/documents/") and response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert client.get("/media/" + document.file.name).status_code == 404
