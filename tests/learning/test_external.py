from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning import services
from learning.models import CreditEntry, ExternalClaim
from tests.factories import OfficerFactory, UserFactory, grant, unit


def pdf(name="证书.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 fake", content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def claim(officer):
    return services.external_claim_submit(
        officer=officer,
        title="城管执法骨干培训班",
        provider="浙江大学继续教育学院",
        category="business",
        hours=Decimal("40"),
        start_date="2026-06-01",
        end_date="2026-06-05",
        attachment=pdf(),
    )


def form_data(**over):
    data = {
        "title": "依法行政专题培训",
        "provider": "市委党校",
        "category": "rule_of_law",
        "hours": "16",
        "start_date": "2026-05-10",
        "end_date": "2026-05-11",
        "attachment": pdf(),
    }
    data.update(over)
    return data


def test_officer_submits_a_claim(client, officer):
    client.force_login(officer.user)
    response = client.post(reverse("learning:claim_new"), form_data())
    assert response.status_code == 302
    claim = ExternalClaim.objects.get()
    assert claim.status == "pending" and claim.officer == officer
    assert not CreditEntry.objects.exists()


@pytest.mark.parametrize(
    "over",
    [
        {"attachment": SimpleUploadedFile("run.exe", b"MZ")},
        {"end_date": "2026-05-01"},
        {"hours": "0"},
        {"category": "nope"},
    ],
)
def test_bad_claim_writes_nothing(client, officer, over):
    client.force_login(officer.user)
    response = client.post(reverse("learning:claim_new"), form_data(**over))
    assert response.status_code == 400
    assert not ExternalClaim.objects.exists()


def test_claim_page_needs_an_officer(client, db):
    assert client.get(reverse("learning:claim_new")).status_code == 302
    client.force_login(UserFactory(username="staff-no-officer"))
    assert client.get(reverse("learning:claim_new")).status_code == 403


def test_leader_of_the_subtree_approves_and_credit_is_written(client, claim, leader):
    client.force_login(leader)
    assert claim.pk in [c.pk for c in client.get(reverse("learning:claim_review")).context["page"]]
    response = client.post(reverse("learning:claim_decide", args=[claim.pk]), {"decision": "approve"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.decided_by == leader
    entry = CreditEntry.objects.get()
    assert entry.hours == Decimal("40.00") and entry.category_id == "business" and claim.credit_id == entry.pk
    # Deciding again changes nothing.
    client.post(reverse("learning:claim_decide", args=[claim.pk]), {"decision": "reject", "reason": "x"})
    claim.refresh_from_db()
    assert claim.status == "approved" and CreditEntry.objects.count() == 1


def test_reject_needs_a_reason(claim, hr):
    with pytest.raises(services.LearningError):
        services.external_claim_decide(claim=claim, actor=hr, approve=False, reason="")
    services.external_claim_decide(claim=claim, actor=hr, approve=False, reason="证明材料不清晰,请重新上传")
    claim.refresh_from_db()
    assert claim.status == "rejected" and not CreditEntry.objects.exists()


def test_who_may_decide(client, claim, officer, trainer, hr):
    url = reverse("learning:claim_decide", args=[claim.pk])
    outside_leader = UserFactory(username="leader-sq3")
    grant(outside_leader, "unit_leader", unit("测试区城管局/执法三中队"))
    other = OfficerFactory()
    for user in (officer.user, other.user, trainer, outside_leader):
        client.force_login(user)
        assert client.post(url, {"decision": "approve"}).status_code == 403
    assert not CreditEntry.objects.exists()
    client.force_login(outside_leader)
    assert client.get(reverse("learning:claim_review")).context["page"].paginator.count == 0
    client.force_login(officer.user)
    assert client.get(reverse("learning:claim_review")).status_code == 403
    client.force_login(hr)
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert CreditEntry.objects.count() == 1


def test_attachment_is_visible_to_owner_and_reviewer_only(client, claim, officer, leader, officer_in_squad2):
    url = reverse("learning:claim_attachment", args=[claim.pk])
    client.force_login(officer_in_squad2.user)
    assert client.get(url).status_code == 403
    for user in (officer.user, leader):
        client.force_login(user)
        assert client.get(url).status_code == 200
