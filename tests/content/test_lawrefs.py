import pytest

from content.lawrefs import chinese_number, parse_article_refs


@pytest.mark.parametrize(
    "text,number",
    [
        ("九", 9),
        ("十", 10),
        ("十四", 14),
        ("三十三", 33),
        ("五十一", 51),
        ("一百", 100),
        ("一百零八", 108),
        ("二百一十五", 215),
        ("33", 33),
        ("条", None),
    ],
)
def test_chinese_number(text, number):
    assert chinese_number(text) == number


def test_parse_article_refs():
    assert parse_article_refs("《中华人民共和国行政处罚法》第三十三条") == [("中华人民共和国行政处罚法", 33)]
    assert parse_article_refs("行政处罚法第51条第一款") == [("行政处罚法", 51)]
    assert parse_article_refs("依据《城市市容和环境卫生管理条例》第十四条、第三十六条") == [
        ("城市市容和环境卫生管理条例", 14),
        ("城市市容和环境卫生管理条例", 36),
    ]
    assert parse_article_refs("无引用") == []


@pytest.mark.parametrize(
    "text,refs",
    [
        ("处罚法33条", [("处罚法", 33)]),
        ("处罚法 33 条", [("处罚法", 33)]),
        ("行政处罚法三十三条", [("行政处罚法", 33)]),
        ("行政处罚法第三十三条", [("行政处罚法", 33)]),
        ("市容环卫条例14条、36条", [("市容环卫条例", 14), ("市容环卫条例", 36)]),
        ("罚款200元", []),
        ("以下三条", [("以下", 3)]),  # parsed, but resolves to no law (content.selectors.articles_for_refs)
    ],
)
def test_parse_shorthand_refs(text, refs):
    assert parse_article_refs(text) == refs


def test_shorthand_resolves_to_the_article(law, article):
    from content.selectors import articles_for_refs

    assert articles_for_refs(["处罚法33条"]) == ([article.pk], [])
    assert articles_for_refs(["依据行政处罚法第三十三条"]) == ([article.pk], [])
    assert articles_for_refs(["以下三条", "处罚法99条"]) == ([], ["以下三条", "处罚法99条"])
