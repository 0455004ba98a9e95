import datetime as dt

import pytest

from content import services
from content.models import CasePage, CoursePage, CreditCategory, LessonPage, ViolationCategory
from org.models import RoleCategory


@pytest.fixture
def tree(db):
    return services.content_tree_ensure()


@pytest.fixture
def law(db):
    return services.law_ensure(
        title="中华人民共和国行政处罚法",
        short_title="行政处罚法",
        issuing_body="全国人民代表大会常务委员会",
        effective_on=dt.date(2021, 7, 15),
    )


@pytest.fixture
def article(law):
    return services.article_ensure(
        law=law,
        number=33,
        label="第三十三条",
        text="违法行为轻微并及时改正,没有造成危害后果的,不予行政处罚。",
        effective_from=dt.date(2021, 7, 15),
    )


def lesson_body(article=None, *, with_check=True):
    body = [{"type": "text", "value": "<p>首违不罚的适用条件:占道经营初次违法并及时改正。</p>"}]
    if article is not None:
        body.append({"type": "law_article", "value": {"article": article.pk, "note": "重点掌握"}})
    if with_check:
        body.append(
            {
                "type": "check",
                "id": "chk-1",
                "value": {
                    "prompt": "首次轻微违法及时改正的应当如何处理?",
                    "options": ["罚款", "不予处罚", "拘留"],
                    "answer_index": 1,
                },
            }
        )
    return body


def make_course(tree, *, title="行政处罚法精讲", year=2026, publish=True, required=True, category="rule_of_law"):
    course = CoursePage(
        title=title,
        summary="面向一线执法人员的行政处罚法课程",
        credit_category=CreditCategory.objects.get(code=category),
        required=required,
        year=year,
    )
    tree["courses"].add_child(instance=course)
    course.audience.set(RoleCategory.objects.filter(code__in=["enforcer", "auxiliary"]))
    rev = course.save_revision()
    if publish:
        rev.publish()
    else:
        course.unpublish()
    return course


def make_lesson(course, *, title="第一讲 首违不罚", article=None, publish=True, minutes=25, body=None):
    lesson = LessonPage(title=title, credited_minutes=minutes, body=body if body is not None else lesson_body(article))
    course.add_child(instance=lesson)
    rev = lesson.save_revision()
    if publish:
        rev.publish()
        services.page_citations_sync(page=lesson)
    else:
        LessonPage.objects.filter(pk=lesson.pk).update(live=False)
        lesson.refresh_from_db()
    return lesson


def make_case(
    tree,
    *,
    title="某餐饮店占道经营案",
    facts="当事人在人行道上摆摊设点占道经营",
    category="street_vending",
    kind=CasePage.Kind.TYPICAL,
    articles=(),
    publish=True,
    decided_on=dt.date(2025, 6, 1),
    **fields,
):
    from content.models import CaseLegalBasis

    case = CasePage(
        title=title,
        facts=facts,
        category=ViolationCategory.objects.get(code=category),
        kind=kind,
        decided_on=decided_on,
        **fields,
    )
    case.legal_basis = [CaseLegalBasis(article=a) for a in articles]
    tree["cases"].add_child(instance=case)
    rev = case.save_revision()
    if publish:
        rev.publish()
        services.page_citations_sync(page=case)
    else:
        CasePage.objects.filter(pk=case.pk).update(live=False)
        case.refresh_from_db()
    return case
