"""Moderated publishing (法制科审核 workflow) and the compilation PDF."""

import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from content.models import CasePage, CompilationItem, CompilationPage, ViolationCategory
from content.services import APPROVER_GROUP
from tests.factories import OfficerFactory, grant, unit

from .conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(tree):
    officer = OfficerFactory(unit=unit("测试区城管局/法制科"))
    grant(officer.user, "trainer")
    return officer.user


@pytest.fixture
def approver(tree):
    officer = OfficerFactory(unit=unit("测试区城管局/法制科"))
    officer.user.groups.add(Group.objects.get(name=APPROVER_GROUP))
    return officer.user


def _case_form(title, action=None, **extra):
    data = nested_form_data(
        {
            "title": title,
            "slug": "",
            "case_number": "滨城执罚〔2026〕1号",
            "kind": "typical",
            "category": ViolationCategory.objects.get(code="street_vending").pk,
            "decided_on": "2026-11-01",
            "source_unit": "执法一中队",
            "facts": "当事人在人行道占道经营。",
            "evidence": "",
            "legal_basis": inline_formset([]),
            "discretion": "",
            "decision": "责令改正",
            "penalty_amount": "",
            "key_points": "",
            **extra,
        }
    )
    if action:
        data[action] = "1"
    return data


def _create_case(client, tree, title, action=None):
    url = f"/cms/pages/add/content/casepage/{tree['cases'].pk}/"
    data = _case_form(title, action)
    data["slug"] = "case-" + str(abs(hash(title)) % 10**8)
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    return CasePage.objects.get(title=title)


def test_trainer_edits_in_cms_but_cannot_publish(client, tree, trainer):
    client.force_login(trainer)
    assert client.get("/cms/").status_code == 200
    assert client.get(f"/cms/pages/{tree['cases'].pk}/").status_code == 200
    case = _create_case(client, tree, "培训师起草的案例", action="action-publish")
    case.refresh_from_db()
    assert not case.live  # the publish button is not theirs: the page stays a draft
    assert not case.permissions_for_user(trainer).can_publish()
    assert client.get(f"/cms/pages/{case.pk}/edit/").status_code == 200


def test_workflow_submit_approve_and_history(client, tree, trainer, approver, officer):
    client.force_login(trainer)
    case = _create_case(client, tree, "提交审核的案例", action="action-submit")
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(case.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "法制科审核"
    # the trainer cannot approve their own submission
    assert state.current_task_state.task.specific.get_actions(case, trainer) == []
    client.post(reverse("wagtailadmin_pages:workflow_action", args=[case.pk, "approve", state.current_task_state.pk]))
    case.refresh_from_db()
    assert not case.live
    # officers still get 404 while it waits
    client.force_login(officer.user)
    assert client.get("/learn/cases/" + case.slug + "/").status_code == 404
    # 法制科 approves through the admin
    client.force_login(approver)
    task_state = state.current_task_state
    r = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[case.pk, "approve", task_state.pk]), {"comment": "同意发布"}
    )
    assert r.status_code in (200, 302)
    case.refresh_from_db()
    assert case.live
    task_state = TaskState.objects.get(pk=task_state.pk)
    assert task_state.status == TaskState.STATUS_APPROVED and task_state.finished_by == approver
    assert task_state.comment == "同意发布"
    client.force_login(officer.user)
    assert client.get(case.url).status_code == 200


def test_workflow_reject_keeps_page_unpublished(client, tree, trainer, approver):
    client.force_login(trainer)
    case = _create_case(client, tree, "被退回的案例", action="action-submit")
    state = WorkflowState.objects.get(object_id=str(case.pk))
    client.force_login(approver)
    task_state = state.current_task_state
    r = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[case.pk, "reject", task_state.pk]), {"comment": "证据不足"}
    )
    assert r.status_code in (200, 302)
    case.refresh_from_db()
    state.refresh_from_db()
    assert not case.live
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert TaskState.objects.get(pk=task_state.pk).finished_by == approver


def test_compilation_pdf_builds_with_toc_page_numbers_and_chinese_text(tree, article, client, officer):
    from pypdf import PdfReader

    cases = [
        make_case(
            tree, title=f"汇编案例{i} 渣土车沿途抛洒", facts="渣土运输车辆未密闭运输,沿途抛洒。", articles=[article]
        )
        for i in range(1, 4)
    ]
    hidden = make_case(tree, title="未发布不应收录", publish=False)
    comp = CompilationPage(title="2026年典型案例汇编", foreword="法制科精选典型案例,供学习参考。", compiled_by="法制科")
    comp.items = [CompilationItem(case=c) for c in [*cases, hidden]]
    tree["cases"].add_child(instance=comp)
    comp.save_revision().publish()
    client.force_login(officer.user)
    page_html = client.get(comp.url).content.decode()
    assert "下载 PDF" in page_html and cases[0].title in page_html and hidden.title not in page_html
    r = client.get(comp.url + "pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "2026年典型案例汇编" in text
    assert "目录" in text and "前言" in text
    assert "渣土运输车辆未密闭运输" in text
    assert "违法行为轻微并及时改正" in text  # legal basis article text
    assert "第 3 页" in text  # page numbers
    assert "未发布不应收录" not in text
    toc_page = next(p.extract_text() for p in reader.pages if "目录" in p.extract_text())
    assert "汇编案例1" in toc_page and "汇编案例3" in toc_page


def test_pdf_font_missing_gives_clear_error(settings, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from content import pdf

    pdf.cjk_font.cache_clear()
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ("/nonexistent/font.ttc",))
    settings.CONTENT_PDF_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"  # CFF: not embeddable
    try:
        with pytest.raises(ImproperlyConfigured, match="fonts-wqy-microhei"):
            pdf.cjk_font()
    finally:
        pdf.cjk_font.cache_clear()


def test_pdf_download_requires_login(tree, client):
    comp = CompilationPage(title="汇编", foreword="")
    tree["cases"].add_child(instance=comp)
    comp.save_revision().publish()
    r = client.get(comp.url + "pdf/")
    assert r.status_code == 302
