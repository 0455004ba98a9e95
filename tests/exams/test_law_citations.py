"""Law-change hook: questions cite content's law articles; an amendment flags active citing questions."""

import datetime as dt

from django.urls import reverse

from content import services as content_services
from exams import selectors, services


def _article():
    law = content_services.law_ensure(
        title="中华人民共和国行政处罚法",
        issuing_body="全国人民代表大会常务委员会",
        effective_on=dt.date(2021, 7, 15),
        short_title="行政处罚法",
    )
    return content_services.article_ensure(
        law=law,
        number=51,
        label="第五十一条",
        text="违法事实确凿并有法定依据……可以当场作出行政处罚决定。",
        effective_from=dt.date(2021, 7, 15),
    )


def test_amended_article_flags_active_citing_question_until_reviewed(client, trainer, make_single):
    article = _article()
    active = services.question_create(data=make_single(), actor=trainer, status="active")
    draft = services.question_create(data=make_single(stem="草稿题"), actor=trainer)
    for q in (active, draft):
        services.question_citations_sync(question=q, article_ids=[article.pk])
    content_services.article_amend(article=article, text="修订后的条文", effective_from=dt.date(2026, 12, 1))
    assert selectors.question_ids_with_amended_citations() == [active.pk]  # drafts are not in use: not flagged
    assert list(selectors.question_list(needs_review=True)) == [active]

    client.force_login(trainer)
    page = client.get(reverse("exams:question_detail", args=[active.pk])).content.decode()
    assert 'id="review-notice"' in page and "已修订" in page
    listed = client.get(reverse("exams:bank_list"), {"review": "on"}).content.decode()
    assert f'href="{reverse("exams:question_detail", args=[active.pk])}"' in listed and "草稿题" not in listed

    client.post(reverse("exams:question_reviewed", args=[active.pk]))
    assert selectors.question_ids_with_amended_citations() == []
    assert list(selectors.question_list(needs_review=True)) == []
