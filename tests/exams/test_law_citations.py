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


def test_written_citations_become_article_citations_and_amendment_flags_the_question(trainer, make_single):
    """A question whose 法条依据 names an article content knows cites it, with no manual linking: imported and
    hand-written questions are flagged by an amendment like lessons and cases."""
    article = _article()
    cited = services.question_create(
        data=make_single(law_refs=["《中华人民共和国行政处罚法》第五十一条"]), actor=trainer, status="active"
    )
    short = services.question_create(
        data=make_single(stem="简称引用", law_refs=["行政处罚法第51条第一款"]), actor=trainer, status="active"
    )
    unknown = services.question_create(
        data=make_single(stem="未收录的法条", law_refs=["《某市市容管理条例》第九条"]), actor=trainer, status="active"
    )
    assert [c.article_id for c in selectors.question_citations(cited)] == [article.pk]
    assert [c.article_id for c in selectors.question_citations(short)] == [article.pk]
    assert selectors.question_citations(unknown) == []
    content_services.article_amend(article=article, text="修订后的条文", effective_from=dt.date(2026, 12, 1))
    assert sorted(selectors.question_ids_with_amended_citations()) == sorted([cited.pk, short.pk])

    # editing the citation away removes the link
    services.question_update(question=short, data=make_single(stem="简称引用", law_refs=[]), actor=trainer)
    assert selectors.question_citations(short) == []
