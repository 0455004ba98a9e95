"""Page-tree rules, block rendering, citations in force, amendments and review notices, access."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from content import selectors, services
from content.models import (
    ArticleCitation,
    CaseLibraryPage,
    CasePage,
    CompilationPage,
    CourseIndexPage,
    CoursePage,
    LearningHomePage,
    LessonPage,
)
from org.models import AuditEntry
from tests.factories import OfficerFactory, grant, unit

from .conftest import lesson_body, make_case, make_course, make_lesson

pytestmark = pytest.mark.django_db


# --- tree ---------------------------------------------------------------------------------------


def test_tree_ensure_is_idempotent_and_sets_default_site(tree):
    from wagtail.models import Site

    again = services.content_tree_ensure()
    assert again["home"].pk == tree["home"].pk
    assert LearningHomePage.objects.count() == 1
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == tree["home"].pk
    assert tree["courses"].url == "/learn/courses/"


@pytest.mark.parametrize(
    ("parent", "child", "allowed"),
    [
        (LearningHomePage, CourseIndexPage, True),
        (LearningHomePage, CaseLibraryPage, True),
        (LearningHomePage, CasePage, False),
        (CourseIndexPage, CoursePage, True),
        (CourseIndexPage, LessonPage, False),
        (CoursePage, LessonPage, True),
        (CoursePage, CasePage, False),
        (LessonPage, LessonPage, False),
        (CaseLibraryPage, CasePage, True),
        (CaseLibraryPage, CompilationPage, True),
        (CaseLibraryPage, CoursePage, False),
        (CasePage, CasePage, False),
    ],
)
def test_page_type_rules(parent, child, allowed):
    assert (child in parent.allowed_subpage_models()) is allowed
    assert (parent in child.allowed_parent_page_models()) is allowed


def test_learning_home_only_once(tree):
    from wagtail.models import Page

    assert not LearningHomePage.can_create_at(Page.get_first_root_node())


# --- blocks -------------------------------------------------------------------------------------


def _login(client, officer):
    client.force_login(officer.user)
    return client


def test_every_lesson_block_renders_and_check_answer_is_absent(tree, article, client, officer):
    doc = Document.objects.create(title="课件讲义", file=ContentFile(b"%PDF-1.4 test", name="jiangyi.pdf"))
    video = Document.objects.create(title="教学视频", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="v.mp4"))
    poster = Image.objects.create(title="封面", file=get_test_image_file())
    course = make_course(tree)
    body = lesson_body(article)
    body += [
        {
            "type": "video",
            "value": {"video": video.pk, "poster": poster.pk, "duration_seconds": 754, "caption": "首违不罚案例讲解"},
        },
        {"type": "attachment", "value": {"document": doc.pk, "title": "讲义下载"}},
    ]
    lesson = make_lesson(course, body=body)
    html = _login(client, officer).get(lesson.url).content.decode()
    assert "首违不罚的适用条件" in html  # rich text
    assert "<video" in html and video.url in html and "poster=" in html and 'data-duration="754"' in html  # video
    assert "讲义下载" in html and doc.url in html  # attachment
    assert "违法行为轻微并及时改正" in html and "第三十三条" in html  # citation shows the article text
    assert "首次轻微违法及时改正的应当如何处理" in html and "不予处罚" in html  # check question prompt/options
    assert f'id="study-widget" data-lesson-id="{lesson.pk}"' in html
    # the correct index appears nowhere: no answer attribute, no "answer"/"correct" markers
    assert "answer" not in html.lower() and "correct" not in html.lower()
    spec = selectors.lesson_study_spec(lesson_id=lesson.pk)
    assert spec.has_video and spec.video_duration_seconds == 754


def test_check_block_rejects_answer_out_of_range():
    from wagtail.blocks.struct_block import StructBlockValidationError

    from content.blocks import CheckQuestionBlock

    block = CheckQuestionBlock()
    value = block.to_python({"prompt": "题", "options": ["甲", "乙"], "answer_index": 2})
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


# --- citations and amendments --------------------------------------------------------------------


def test_citation_shows_version_in_force_on_reading_date(article):
    old = article.versions.get()
    new, _ = services.article_amend(
        article=article, text="新条文:首违可以不罚。", effective_from=dt.date(2026, 12, 1), source_note="2026年修正"
    )
    assert selectors.article_in_force(article, dt.date(2026, 11, 21)) == old
    assert selectors.article_in_force(article, dt.date(2026, 12, 1)) == new
    assert selectors.article_in_force(article, dt.date(2020, 1, 1)) is None
    shown = selectors.article_display(article=article, on=dt.date(2026, 11, 21))
    assert shown.version == old and shown.amended and shown.pending == new
    shown = selectors.article_display(article=article, on=dt.date(2027, 1, 1))
    assert shown.version == new and shown.pending is None


def test_lesson_renders_amended_text_once_in_force(tree, article, client, officer):
    lesson = make_lesson(make_course(tree), article=article)
    services.article_amend(article=article, text="修正后的第三十三条文本。", effective_from=dt.date(2026, 1, 1))
    html = _login(client, officer).get(lesson.url).content.decode()
    assert "修正后的第三十三条文本" in html
    assert "已修订" in html  # the amendment is noted, the old text stays readable
    assert "违法行为轻微并及时改正" in html


def test_amendment_flags_citing_pages_notifies_and_review_clears(tree, article, client, officer):
    from org.models import User

    editor = User.objects.create(username="trainer-x", email="trainer@example.cn")
    course = make_course(tree)
    lesson = make_lesson(course, article=article)
    LessonPage.objects.filter(pk=lesson.pk).update(owner=editor)
    case = make_case(tree, articles=[article])
    draft = make_case(tree, title="草稿案例", articles=[article], publish=False)
    services.page_citations_sync(page=draft)
    uncited = make_lesson(course, title="不引用的课时", body=lesson_body(None))
    assert ArticleCitation.objects.filter(article=article).count() == 3

    _version, flagged = services.article_amend(article=article, text="新的条文", effective_from=dt.date(2026, 11, 1))
    flagged_ids = {c.object_id for c in flagged}
    assert flagged_ids == {lesson.pk, case.pk}  # drafts are not flagged, uncited pages not touched
    assert uncited.pk not in flagged_ids
    assert AuditEntry.objects.filter(action="content.citations.flag").exists()
    # report lists both; readers see the notice
    from content.admin_views import review_rows

    report = {row["title"] for row in review_rows()}
    assert {lesson.title, case.title} <= report
    _login(client, officer)
    assert "法条已修订" in client.get(lesson.url).content.decode()
    assert "法条已修订" in client.get(case.url).content.decode()
    # amending again does not re-flag or duplicate
    _v, again = services.article_amend(article=article, text="新的条文", effective_from=dt.date(2026, 11, 1))
    assert again == []
    # an editor marks the lesson reviewed: its notice goes, the case's stays
    services.citations_mark_reviewed_for(obj=lesson, actor=editor)
    assert "法条已修订" not in client.get(lesson.url).content.decode()
    assert "法条已修订" in client.get(case.url).content.decode()
    citation = ArticleCitation.objects.get(object_id=lesson.pk, article=article)
    assert citation.reviewed_by == editor and citation.version.text == "新的条文"


def test_amendment_emails_editors_on_commit(tree, article, django_capture_on_commit_callbacks):
    from org.models import User

    editor = User.objects.create(username="trainer-y", email="editor@example.cn")
    lesson = make_lesson(make_course(tree), article=article)
    LessonPage.objects.filter(pk=lesson.pk).update(owner=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_amend(article=article, text="又一次修正", effective_from=dt.date(2026, 11, 2))
    assert any("editor@example.cn" in m.to for m in mail.outbox)
    assert any("待复核" in m.subject for m in mail.outbox)


def test_registered_higher_app_model_is_flagged_through_the_registry(tree, article):
    """A higher app registers its own citing model; content never imports it. Simulated with org.Unit."""
    from content.citations import _REGISTRY, register_citing_model
    from org.models import Unit

    u = unit("测试区城管局/法制科")
    register_citing_model(Unit, label="题目", title=lambda o: f"题目 {o.pk}", is_active=lambda o: True)
    try:
        services.citation_add(obj=u, article=article)
        assert list(selectors.citations_of(u).values_list("article_id", flat=True)) == [article.pk]
        _v, flagged = services.article_amend(article=article, text="修正", effective_from=dt.date(2026, 11, 3))
        assert [c.object_id for c in flagged] == [u.pk]
        from content.admin_views import review_rows

        assert any(r["kind"] == "题目" for r in review_rows())
    finally:
        _REGISTRY.pop(Unit._meta.label_lower, None)


def test_unregistered_citing_models_are_not_flagged(article):
    u = unit("测试区城管局/督查科")
    services.citation_add(obj=u, article=article)
    _v, flagged = services.article_amend(article=article, text="修正", effective_from=dt.date(2026, 11, 4))
    assert flagged == []


# --- review report access ----------------------------------------------------------------------------


def test_review_report_access(tree, article, client, officer, mfa_user):
    lesson = make_lesson(make_course(tree), article=article)
    services.article_amend(article=article, text="新", effective_from=dt.date(2026, 11, 5))
    url = reverse("content_review_report")
    assert client.get(url).status_code == 302  # anonymous -> login
    client.force_login(officer.user)
    assert client.get(url).status_code in (302, 403)  # plain officer: no admin
    trainer = OfficerFactory(unit=unit("测试区城管局/法制科"))
    grant(trainer.user, "trainer")
    client.force_login(trainer.user)
    r = client.get(url)
    assert r.status_code == 200 and lesson.title in r.content.decode()
    citation = ArticleCitation.objects.get(object_id=lesson.pk)
    r = client.post(reverse("content_review_done", args=[citation.pk]))
    assert r.status_code == 302
    citation.refresh_from_db()
    assert not citation.needs_review and citation.reviewed_by == trainer.user
    client.force_login(officer.user)
    assert client.post(reverse("content_review_done", args=[citation.pk])).status_code in (302, 403)


# --- reading access --------------------------------------------------------------------------------


def test_officer_reads_published_pages_only(tree, article, client, officer):
    course = make_course(tree)
    live = make_lesson(course, article=article)
    draft = make_lesson(course, title="草稿课时", publish=False)
    draft_case = make_case(tree, title="草稿案例", publish=False)
    other = OfficerFactory(unit=unit("测试区城管局/执法二中队/一分队"))
    leader = OfficerFactory(unit=unit("测试区城管局/执法一中队"))
    grant(leader.user, "unit_leader", unit("测试区城管局/执法一中队"))
    for user in (officer.user, other.user, leader.user):
        client.force_login(user)
        assert client.get(live.url).status_code == 200
        assert client.get(course.url).status_code == 200
        assert client.get(tree["cases"].url).status_code == 200
        assert client.get("/learn/courses/" + course.slug + "/" + draft.slug + "/").status_code == 404
        assert client.get("/learn/cases/" + draft_case.slug + "/").status_code == 404
    client.logout()
    r = client.get(live.url)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_course_listing_shows_progress_placeholders(tree, client, officer):
    course = make_course(tree)
    lesson = make_lesson(course)
    _login(client, officer)
    html = client.get(tree["courses"].url).content.decode()
    assert course.title in html and f'data-course-id="{course.pk}"' in html
    html = client.get(course.url).content.decode()
    assert lesson.title in html and f'data-lesson-id="{lesson.pk}"' in html


def test_home_search_shows_results(tree, client, officer):
    make_case(tree, title="某水果摊贩占道经营案")
    _login(client, officer)
    html = client.get(tree["home"].url, {"q": "占道"}).content.decode()
    assert "某水果摊贩占道经营案" in html
    assert re.search(r"找到 1 条结果", html)
