"""Access matrix of every certification view (anonymous, officer, other officer, unit leader inside and outside the
subtree, trainer, HR) and what the pages show: the officer's card and page, the board's lists, HR's actions (and
their Chinese refusals as a 400, never a 500), the review run, 待发证 and .xlsx exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certification.models import Certificate, CertificateEvent, ReviewCycle
from tests.certification import factories as f
from tests.org.conftest import world  # noqa: F401  (the shared small bureau)

Kind = CertificateEvent.Kind


@pytest.fixture
def certs(world):  # noqa: F811
    return {o: f.certificate(o) for o in (world.a1, world.a2, world.b1)}


def _login(client, user):
    client.force_login(user)
    return client


def _xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))


BOARD = reverse("certification:board")
HR_PAGES = [
    BOARD,
    reverse("certification:officer_list"),
    reverse("certification:awaiting"),
    reverse("certification:cycles"),
    reverse("certification:export"),
]
HR_ONLY_PAGES = [reverse("certification:review_run"), reverse("certification:import")]


# --- anonymous ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [reverse("certification:mine"), reverse("certification:mine_pdf"), *HR_PAGES, *HR_ONLY_PAGES]
)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_cannot_act(client, world, certs):  # noqa: F811
    response = client.post(reverse("certification:suspend", args=[certs[world.a1].pk]), {})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


# --- officers -------------------------------------------------------------------------------------------------


def test_officer_sees_own_certificate_page_and_card(client, world, certs):  # noqa: F811
    _login(client, world.a1.user)
    page = client.get(reverse("certification:mine"))
    assert page.status_code == 200
    body = page.content.decode()
    assert certs[world.a1].number in body and certs[world.a2].number not in body
    home = client.get(reverse("home")).content.decode()
    assert 'id="card-certificate"' in home and certs[world.a1].number in home
    assert "执法证与年审信息将在执法资格模块上线后显示" not in home


def test_officer_without_certificate(client, world):  # noqa: F811
    _login(client, world.a3.user)
    assert "尚未持有行政执法证" in client.get(reverse("certification:mine")).content.decode()


@pytest.mark.parametrize("who", ["a1", "trainer"])
def test_officer_and_trainer_have_no_hr_pages(client, world, certs, who):  # noqa: F811
    user = world.a1.user if who == "a1" else world.trainer
    _login(client, user)
    for url in [*HR_PAGES, *HR_ONLY_PAGES]:
        assert client.get(url).status_code == 403, url
    # not even their own HR detail page, nor another officer's
    for o in (world.a1, world.a2):
        assert client.get(reverse("certification:officer_detail", args=[o.pk])).status_code == 403
        assert client.get(reverse("certification:officer_pdf", args=[o.pk])).status_code == 403
    response = client.post(reverse("certification:suspend", args=[certs[world.a2].pk]), {"reason": "x"})
    assert response.status_code == 403
    assert not CertificateEvent.objects.filter(kind=Kind.SUSPENDED).exists()


# --- unit leader ----------------------------------------------------------------------------------------------


def test_leader_reads_own_subtree_only(client, world, certs):  # noqa: F811
    _login(client, world.leader)
    for url in HR_PAGES:
        assert client.get(url).status_code == 200, url
    listing = client.get(reverse("certification:officer_list")).content.decode()
    assert world.a1.name in listing and world.b1.name not in listing
    assert client.get(reverse("certification:officer_detail", args=[world.a1.pk])).status_code == 200
    assert client.get(reverse("certification:officer_pdf", args=[world.a1.pk])).status_code == 200
    assert client.get(reverse("certification:officer_detail", args=[world.b1.pk])).status_code == 403
    assert client.get(reverse("certification:officer_pdf", args=[world.b1.pk])).status_code == 403
    assert client.get(BOARD, {"unit": world.squad2.pk}).status_code == 403
    assert client.get(BOARD, {"unit": world.squad1_team1.pk}).status_code == 200


def test_leader_is_read_only(client, world, certs):  # noqa: F811
    _login(client, world.leader)
    for url in HR_ONLY_PAGES:
        assert client.get(url).status_code == 403, url
    detail = client.get(reverse("certification:officer_detail", args=[world.a1.pk])).content.decode()
    assert 'id="hr-actions"' not in detail
    cert = certs[world.a1]
    for name, data in [
        ("suspend", {"reason": "x", "effective_on": "2026-11-01"}),
        ("revoke", {"revoke-reason": "x", "revoke-effective_on": "2026-11-01"}),
        ("review_single", {"year": "2026"}),
    ]:
        assert client.post(reverse(f"certification:{name}", args=[cert.pk]), data).status_code == 403
    assert client.post(reverse("certification:remind")).status_code == 403
    assert CertificateEvent.objects.exclude(kind=Kind.ISSUED).count() == 0


def test_leader_export_is_scoped(client, world, certs):  # noqa: F811
    _login(client, world.leader)
    rows = _xlsx_rows(client.get(reverse("certification:officer_list"), {"export": "xlsx"}))
    names = {r[1] for r in rows[1:]}
    assert world.a1.name in names and world.b1.name not in names


# --- HR -------------------------------------------------------------------------------------------------------


def test_hr_sees_everything(client, world, certs):  # noqa: F811
    _login(client, world.hr)
    for url in [*HR_PAGES, *HR_ONLY_PAGES]:
        assert client.get(url).status_code == 200, url
    listing = client.get(reverse("certification:officer_list")).content.decode()
    assert world.a1.name in listing and world.b1.name in listing
    detail = client.get(reverse("certification:officer_detail", args=[world.b1.pk])).content.decode()
    assert 'id="hr-actions"' in detail


def test_hr_suspends_and_reinstates(client, world, certs):  # noqa: F811
    _login(client, world.hr)
    cert = certs[world.a1]
    today = dt.date.today()
    response = client.post(
        reverse("certification:suspend", args=[cert.pk]),
        {"reason": "违规执法,暂扣待查", "effective_on": today.isoformat()},
    )
    assert response.status_code == 302
    assert CertificateEvent.objects.filter(certificate=cert, kind=Kind.SUSPENDED).count() == 1
    detail = client.get(reverse("certification:officer_detail", args=[world.a1.pk])).content.decode()
    assert "暂扣" in detail
    response = client.post(
        reverse("certification:reinstate", args=[cert.pk]),
        {"reinstate-reason": "核查完毕", "reinstate-effective_on": today.isoformat()},
    )
    assert response.status_code == 302
    assert CertificateEvent.objects.filter(certificate=cert, kind=Kind.REINSTATED).count() == 1


def test_hr_bad_input_is_400_with_message_and_nothing_written(client, world, certs):  # noqa: F811
    _login(client, world.hr)
    cert = certs[world.a1]
    # dates in the wrong order
    response = client.post(
        reverse("certification:suspend", args=[cert.pk]),
        {"reason": "x", "effective_on": "2026-11-10", "ends_on": "2026-11-01"},
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    # a suspension of a revoked certificate: the service refuses in Chinese
    client.post(
        reverse("certification:revoke", args=[cert.pk]),
        {"revoke-reason": "调离", "revoke-effective_on": dt.date.today().isoformat()},
    )
    assert CertificateEvent.objects.filter(certificate=cert, kind=Kind.REVOKED).count() == 1
    response = client.post(
        reverse("certification:suspend", args=[cert.pk]),
        {"reason": "x", "effective_on": dt.date.today().isoformat()},
    )
    assert response.status_code == 400
    assert not CertificateEvent.objects.filter(certificate=cert, kind=Kind.SUSPENDED).exists()
    # garbage ids are 404s, not 500s
    assert client.post(reverse("certification:suspend", args=[999999]), {}).status_code == 404
    assert client.get(BOARD, {"unit": "abc", "year": "99999999999"}).status_code == 404
    assert client.get(reverse("certification:officer_list"), {"year": "x", "status": "nope"}).status_code == 200


def test_hr_review_for_year_without_cycle_is_refused(client, world, certs):  # noqa: F811
    _login(client, world.hr)
    assert not ReviewCycle.objects.filter(year=2031).exists()
    response = client.post(reverse("certification:review_single", args=[certs[world.a1].pk]), {"year": "2031"})
    assert response.status_code == 400
    assert not CertificateEvent.objects.filter(kind__in=CertificateEvent.REVIEW_KINDS).exists()


def test_hr_issues_a_certificate_and_duplicate_number_is_refused(client, world, certs):  # noqa: F811
    _login(client, world.hr)
    data = {"number": "测执NEW001", "issuing_authority": "测试区人民政府", "issued_on": "2026-11-01"}
    response = client.post(reverse("certification:issue", args=[world.a3.pk]), data)
    assert response.status_code == 302
    assert Certificate.objects.get(number="测执NEW001").officer == world.a3
    data["number"] = certs[world.a1].number
    response = client.post(reverse("certification:issue", args=[world.a2.pk]), data)
    assert response.status_code == 400
    assert Certificate.objects.filter(officer=world.a2).count() == 1


def test_board_lists_and_exports(client, world, certs):  # noqa: F811
    world.a3.enforcement_duty = True
    world.a3.save()
    _login(client, world.hr)
    body = client.get(BOARD).content.decode()
    assert 'id="unit-counts"' in body and 'id="unlicensed"' in body and 'id="at-risk"' in body
    # a3 is on enforcement duty without a certificate: on the 持证上岗 list
    assert world.a3.name in body.split('id="unlicensed"')[1].split("</section>")[0]
    rows = _xlsx_rows(client.get(BOARD, {"export": "unlicensed"}))
    assert world.a3.name in {r[1] for r in rows[1:]}
    assert _xlsx_rows(client.get(BOARD, {"export": "units"}))[0][0] == "单位"
    assert _xlsx_rows(client.get(reverse("certification:awaiting"), {"export": "xlsx"}))[0][0] == "工号"


def test_review_run_preview_and_confirm(client, world, certs):  # noqa: F811
    f.cycle(window_opens=dt.date.today() - dt.timedelta(days=5), deadline=dt.date.today() + dt.timedelta(days=60))
    _login(client, world.hr)
    url = reverse("certification:review_run")
    preview = client.get(url, {"unit": world.squad1.pk, "year": 2026})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert 'id="preview"' in body and world.a1.name in body and world.b1.name not in body
    assert not CertificateEvent.objects.filter(
        kind__in=CertificateEvent.REVIEW_KINDS
    ).exists()  # preview writes nothing
    response = client.post(url, {"unit": world.squad1.pk, "year": 2026})
    assert response.status_code == 302
    reviewed = set(
        CertificateEvent.objects.filter(kind__in=CertificateEvent.REVIEW_KINDS, year=2026).values_list(
            "certificate__officer__name", flat=True
        )
    )
    assert reviewed == {world.a1.name, world.a2.name}
    client.post(url, {"unit": world.squad1.pk, "year": 2026})  # idempotent
    assert CertificateEvent.objects.filter(kind__in=CertificateEvent.REVIEW_KINDS, year=2026).count() == 2


def test_cycle_edit_hr_only(client, world):  # noqa: F811
    data = {
        "year": 2027,
        "window_opens": "2027-11-01",
        "deadline": "2028-01-31",
        "grace_days": 30,
        "requires_hours": "on",
        "requires_annual_exam": "on",
    }
    _login(client, world.leader)
    assert client.post(reverse("certification:cycles"), data).status_code == 403
    _login(client, world.hr)
    assert client.post(reverse("certification:cycles"), data).status_code == 302
    cycle = ReviewCycle.objects.get(year=2027)
    assert cycle.deadline == dt.date(2028, 1, 31) and not cycle.requires_training_days
    bad = {**data, "deadline": "2027-10-01"}
    assert client.post(reverse("certification:cycles"), bad).status_code == 400


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_upload_preview_confirm(client, world):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("certification:import")
    header = ["工号", "姓名", "证号", "发证机关", "发证日期"]
    good = _xlsx([header, [world.a1.employee_no, world.a1.name, "测执IMP001", "测试区人民政府", "2025-03-01"]])
    _login(client, world.leader)
    assert client.post(url, {"file": SimpleUploadedFile("c.xlsx", good)}).status_code == 403
    _login(client, world.hr)
    preview = client.post(url, {"file": SimpleUploadedFile("c.xlsx", good)})
    assert preview.status_code == 200
    assert 'id="preview"' in preview.content.decode()
    assert not Certificate.objects.filter(number="测执IMP001").exists()  # the preview writes nothing
    token = preview.context["token"]
    response = client.post(url, {"token": token, "confirm": "1"})
    assert response.status_code == 302
    assert Certificate.objects.get(number="测执IMP001").officer == world.a1
    # a stale or foreign token is refused without writing
    assert client.post(url, {"token": "nope", "confirm": "1"}).status_code == 302


def test_import_bad_rows_are_listed_with_row_and_column(client, world):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    _login(client, world.hr)
    bad = _xlsx(
        [
            ["工号", "姓名", "证号", "发证机关", "发证日期"],
            ["NOBODY", "某人", "测执BAD001", "测试区人民政府", "2025-03-01"],
        ]
    )
    response = client.post(reverse("certification:import"), {"file": SimpleUploadedFile("c.xlsx", bad)})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="import-errors"' in body and "工号" in body
    assert not Certificate.objects.filter(number="测执BAD001").exists()
    not_excel = client.post(reverse("certification:import"), {"file": SimpleUploadedFile("c.txt", b"x")})
    assert not_excel.status_code == 400


def test_export_all_certificates_scoped(client, world, certs):  # noqa: F811
    _login(client, world.leader)
    rows = _xlsx_rows(client.get(reverse("certification:export")))
    numbers = {r[2] for r in rows[1:]}
    assert certs[world.a1].number in numbers and certs[world.b1].number not in numbers


def test_officer_list_filters_by_review_result_of_a_year(client, world, certs):  # noqa: F811
    f.review(certs[world.a1], 2025, on=dt.date(2025, 11, 20))
    f.review(certs[world.a2], 2025, passed=False, on=dt.date(2025, 11, 20))
    _login(client, world.hr)
    url = reverse("certification:officer_list")

    def names(**params):
        body = client.get(url, {"year": 2025, **params}).content.decode()
        listed = body.split('id="officer-table"')[1].split("</ul>")[0]
        return {o.name for o in (world.a1, world.a2, world.b1) if o.name in listed}

    assert names(review="passed") == {world.a1.name}
    assert names(review="failed") == {world.a2.name}
    assert names(review="none") == {world.b1.name}
    assert names() == {world.a1.name, world.a2.name, world.b1.name}
    rows = _xlsx_rows(client.get(url, {"year": 2025, "export": "xlsx"}))
    assert rows[0][-1] == "2025 年审"
    assert {r[1]: r[-1] for r in rows[1:]}[world.a1.name] == "通过"


def test_board_status_filter_drills_down(client, world, certs):  # noqa: F811
    f.event(certs[world.a2], Kind.REVOKED, effective_on=dt.date(2026, 1, 5), reason="调离")
    _login(client, world.leader)
    body = client.get(BOARD, {"status": "revoked"}).content.decode()
    drill = body.split('id="drill-down"')[1].split("</section>")[0]
    assert world.a2.name in drill and world.a1.name not in drill
    assert 'id="drill-down"' not in client.get(BOARD).content.decode()



def test_a_file_with_thousands_of_errors_lists_the_first_ones_and_counts_the_rest(client, world):  # noqa: F811
    """Hostile input: the page lists at most the kit's cap (200) of row errors and counts the rest."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [["工号", "姓名", "证号", "发证机关", "发证日期"]]
    rows += [[f"NOBODY{i}", "某人", f"测执X{i}", "测试区人民政府", "2025-03-01"] for i in range(500)]
    _login(client, world.hr)
    response = client.post(reverse("certification:import"), {"file": SimpleUploadedFile("c.xlsx", _xlsx(rows))})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("NOBODY") == 200 and "另有 300 处错误" in html and "500" in html
    assert not Certificate.objects.filter(number__startswith="测执X").exists()
