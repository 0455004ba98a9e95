"""Practice (刷题) pages and selection: choices with counts, the round, feedback after answering only, the
wrong-answer book page, and who may do what."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from exams.models import PracticeAnswer, Question, WrongBookEntry
from exams.selectors import practice as sel
from tests.exams import factories as xf
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

FINE_LAW = "《城市市容和环境卫生管理条例》第十四条"
PENALTY_LAW = "《中华人民共和国行政处罚法》第三十三条"


@pytest.fixture
def bank():
    """A small bank: two categories, two laws, two violation categories, one retired, one case question."""
    return {
        "single": xf.question(
            "single", category="市容管理/占道经营", violation_category="占道经营", law_refs=[FINE_LAW]
        ),
        "tf": xf.question("true_false", category="行政处罚法/一般规定", law_refs=[PENALTY_LAW, FINE_LAW]),
        "blank": xf.question("blank", category="行政处罚法/一般规定", violation_category="乱堆乱放", law_refs=[]),
        "multiple": xf.question("multiple", category="行政处罚法/简易程序", law_refs=[PENALTY_LAW]),
        "case": xf.question("case", category="市容管理/占道经营", law_refs=[FINE_LAW]),
        "retired": xf.question(
            "single", category="市容管理/占道经营", status=Question.Status.RETIRED, law_refs=[FINE_LAW]
        ),
        "draft": xf.question("single", category="市容管理/占道经营", status=Question.Status.DRAFT),
    }


def _start(client, **data) -> str:
    data.setdefault("scope", "all")
    if "value" in data:  # the form's one <select>: "category:12", "law:中华人民共和国行政处罚法" ...
        data["scope"] = f"{data['scope']}:{data.pop('value')}"
    response = client.post(reverse("exams:practice_start"), data)
    assert response.status_code == 302, response
    return response["Location"]


def _sid(url: str) -> str:
    return url.rstrip("/").split("/")[-1]


def _answer(client, sid, question, answer=None, **extra):
    data = {"question": question.pk, **extra}
    if answer is not None:
        data["answer"] = answer
    return client.post(reverse("exams:practice_answer", args=[sid]), data)


def _next(client, sid):
    return client.post(reverse("exams:practice_next", args=[sid]))


# --- selection -------------------------------------------------------------------------------------------


def test_choices_count_only_active_non_case_questions(officer, bank):
    choices = sel.practice_choices(officer=officer)
    assert choices.total == 4
    by_path = {node.full_path: n for node, n in choices.categories}
    assert by_path == {
        "市容管理": 1,
        "市容管理/占道经营": 1,
        "行政处罚法": 3,
        "行政处罚法/一般规定": 2,
        "行政处罚法/简易程序": 1,
    }
    assert choices.laws == [("中华人民共和国行政处罚法", 2), ("城市市容和环境卫生管理条例", 2)]
    assert choices.violations == [("乱堆乱放", 1), ("占道经营", 1)]
    assert choices.wrong == 0
    with_case = sel.practice_choices(officer=officer, include_case=True)
    assert with_case.total == 5


def test_selection_by_category_law_violation_and_wrong(officer, bank):
    parent = bank["tf"].category.parent

    def ids(**kw):
        return set(sel.practice_question_ids(officer=officer, count=50, **kw))

    assert ids(scope="category", value=str(parent.pk)) == {bank["tf"].pk, bank["blank"].pk, bank["multiple"].pk}
    assert ids(scope="category", value=str(bank["tf"].category_id)) == {bank["tf"].pk, bank["blank"].pk}
    assert ids(scope="law", value="城市市容和环境卫生管理条例") == {bank["single"].pk, bank["tf"].pk}
    assert ids(scope="law", value="城市市容和环境卫生管理条例", include_case=True) == {
        bank["single"].pk,
        bank["tf"].pk,
        bank["case"].pk,
    }
    assert ids(scope="violation", value="占道经营") == {bank["single"].pk}
    assert ids(scope="all") == {bank[k].pk for k in ("single", "tf", "blank", "multiple")}
    assert ids(scope="wrong") == set()
    WrongBookEntry.objects.create(officer=officer, question=bank["blank"], added_at=_now(), last_wrong_at=_now())
    WrongBookEntry.objects.create(officer=officer, question=bank["retired"], added_at=_now(), last_wrong_at=_now())
    assert ids(scope="wrong") == {bank["blank"].pk}  # retired questions are not practised
    assert ids(scope="violation", value="乱堆乱放", wrong_only=True) == {bank["blank"].pk}
    assert ids(scope="violation", value="占道经营", wrong_only=True) == set()
    assert sel.practice_question_ids(officer=officer, scope="nonsense") is None
    assert sel.practice_question_ids(officer=officer, scope="category", value="x") is None


def test_modes_and_counts(officer):
    made = [xf.question("single", stem=f"第{i}题:当场处罚的备案期限?") for i in range(12)]
    sequential = sel.practice_question_ids(officer=officer, scope="all", count=10)
    assert sequential == [q.pk for q in made[:10]]
    shuffled = sel.practice_question_ids(officer=officer, scope="all", mode=sel.RANDOM, count=50, rng=random.Random(3))
    assert sorted(shuffled) == [q.pk for q in made] and shuffled != [q.pk for q in made]


def _now():
    from django.utils import timezone

    return timezone.now()


# --- the round ---------------------------------------------------------------------------------------------


def test_question_page_holds_no_key_or_explanation_before_answering(client, officer):
    q = xf.question(
        "blank",
        accepted=["过罚相当"],
        explanation="这是只在作答后显示的解析。",
        law_refs=["《中华人民共和国行政处罚法》第五条"],
    )
    client.force_login(officer.user)
    url = _start(client, scope="all")
    page = client.get(url).content.decode()
    assert q.stem[:10] in page
    for secret in ("过罚相当", "只在作答后显示的解析", "第五条", "正确答案", "回答正确", "回答错误"):
        assert secret not in page, secret
    single = xf.question("single", stem="单选:备案期限?", explanation="单选题的解析文字。")
    url = _start(client, scope="category", value=str(single.category_id))
    client_page = client.get(url).content.decode()
    assert "单选:备案期限?" in client_page or q.stem[:10] in client_page
    assert "单选题的解析文字" not in client_page and "is-correct" not in client_page and "正确选项" not in client_page


def test_right_and_wrong_answers_are_graded_stored_and_explained(client, officer, bank):
    client.force_login(officer.user)
    url = _start(client, scope="law", value="中华人民共和国行政处罚法")  # tf then multiple (category order)
    sid = _sid(url)
    # true/false, answered wrong
    response = _answer(client, sid, bank["tf"], "false")
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "回答错误" in page and "正确答案" in page and "依据《中华人民共和国行政处罚法》相关规定。" in page
    assert PENALTY_LAW in page and FINE_LAW in page
    answer = PracticeAnswer.objects.get(officer=officer, question=bank["tf"])
    assert (answer.correct, answer.response, answer.version.number) == (False, False, 1)
    assert WrongBookEntry.objects.filter(officer=officer, question=bank["tf"], cleared_at__isnull=True).exists()
    # a second post to the same position does not count twice
    _answer(client, sid, bank["tf"], "true")
    assert PracticeAnswer.objects.filter(officer=officer, question=bank["tf"]).count() == 1
    # next: multiple choice, answered right (A, B, D)
    _next(client, sid)
    client.post(
        reverse("exams:practice_answer", args=[sid]), {"question": bank["multiple"].pk, "answer": ["D", "A", "B"]}
    )
    page = client.get(url).content.decode()
    assert "回答正确" in page and "ABD" in page and "完成本组练习" in page
    assert PracticeAnswer.objects.get(question=bank["multiple"]).correct is True
    _next(client, sid)
    done = client.get(url).content.decode()
    assert "共作答 2 题,答对 1 题,答错 1 题。" in done


def test_empty_answer_and_answer_for_another_question_are_not_recorded(client, officer, bank):
    client.force_login(officer.user)
    sid = _sid(_start(client, scope="violation", value="占道经营"))
    _answer(client, sid, bank["single"])  # nothing chosen
    _answer(client, sid, bank["blank"], "事实")  # not the current question
    assert not PracticeAnswer.objects.exists()
    _answer(client, sid, bank["single"], "D")
    assert PracticeAnswer.objects.get().correct is True


def test_a_double_tap_counts_once_even_when_both_posts_read_the_old_session(client, officer, bank):
    client.force_login(officer.user)
    sid = _sid(_start(client, scope="violation", value="占道经营"))
    stale = client.session["exams_practice"]
    _answer(client, sid, bank["single"], "A")
    session = client.session
    session["exams_practice"] = stale  # the second tap read the session before the first one saved it
    session.save()
    _answer(client, sid, bank["single"], "A")
    assert PracticeAnswer.objects.count() == 1
    assert WrongBookEntry.objects.get().wrong_count == 1


def test_graded_on_the_current_version(client, officer, trainer):
    from exams import services

    q = xf.question("blank", accepted=["事实"])
    data = xf.question_data("blank", accepted=["证据"])
    services.question_update(question=q, data=data, actor=trainer)
    client.force_login(officer.user)
    sid = _sid(_start(client))
    _answer(client, sid, q, "证据")
    answer = PracticeAnswer.objects.get()
    assert answer.correct is True and answer.version.number == 2


def test_case_question_is_a_self_check_with_the_rubric_after_answering(client, officer):
    q = xf.question("case")
    client.force_login(officer.user)
    url = _start(client, scope="all", case="1")
    sid = _sid(url)
    before = client.get(url).content.decode()
    assert "告知陈述申辩权利" not in before and 'id="practice-rubric"' not in before
    assert "依据《中华人民共和国行政处罚法》相关规定。" not in before  # the 解析
    _answer(client, sid, q, "先责令改正,再依据条例处罚。")
    after = client.get(url).content.decode()
    assert "告知陈述申辩权利" in after and "相关规定。" in after and "先责令改正,再依据条例处罚。" in after
    assert not PracticeAnswer.objects.exists()
    _answer(client, sid, q, **{"self": "0"})
    answer = PracticeAnswer.objects.get()
    assert (answer.correct, answer.response) == (False, "先责令改正,再依据条例处罚。")
    assert WrongBookEntry.objects.filter(question=q).exists()
    # without the option, case questions are not practised
    assert _start(client, scope="all").endswith(reverse("exams:practice_home"))


def test_two_right_answers_from_the_book_clear_the_entry(client, officer, bank):
    client.force_login(officer.user)
    sid = _sid(_start(client, scope="violation", value="占道经营"))
    _answer(client, sid, bank["single"], "A")
    book = client.get(reverse("exams:wrong_book")).content.decode()
    assert bank["single"].stem[:20] in book and "市容管理/占道经营" in book
    for _round in range(2):
        url = _start(client, scope="wrong", count="50")
        _answer(client, _sid(url), bank["single"], "D")
    entry = WrongBookEntry.objects.get(officer=officer)
    assert entry.cleared_at is not None and entry.streak == 2
    book = client.get(reverse("exams:wrong_book")).content.decode()
    assert 'id="wrong-empty"' in book and "已移出的错题(1)" in book
    # with nothing left in the book, 练错题 leads back to the book
    assert client.post(reverse("exams:practice_start"), {"scope": "wrong"})["Location"] == reverse("exams:wrong_book")


def test_wrong_book_groups_by_law(client, officer, bank):
    now = _now()
    for key in ("tf", "blank"):
        WrongBookEntry.objects.create(officer=officer, question=bank[key], added_at=now, last_wrong_at=now)
    groups = sel.wrong_book_groups(officer=officer, group="law")
    assert [(g.label, len(g.entries)) for g in groups] == [
        ("《中华人民共和国行政处罚法》", 1),
        ("《城市市容和环境卫生管理条例》", 1),
        ("", 1),
    ]
    client.force_login(officer.user)
    page = client.get(reverse("exams:wrong_book") + "?group=law").content.decode()
    assert "《城市市容和环境卫生管理条例》" in page and "未注明法律" in page


def test_home_shows_choices_and_my_stats(client, officer, bank):
    client.force_login(officer.user)
    sid = _sid(_start(client, scope="violation", value="占道经营"))
    _answer(client, sid, bank["single"], "D")
    page = client.get(reverse("exams:practice_home")).content.decode()
    assert "全部题目(4 题)" in page and "《城市市容和环境卫生管理条例》(2)" in page and "乱堆乱放(1)" in page
    assert 'id="stat-answered">1<' in page and 'id="stat-accuracy">100%<' in page
    assert "市容管理/占道经营" in page


# --- access --------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    for method, url in [
        ("get", reverse("exams:practice_home")),
        ("post", reverse("exams:practice_start")),
        ("get", reverse("exams:practice_screen", args=["abc"])),
        ("post", reverse("exams:practice_answer", args=["abc"])),
        ("post", reverse("exams:practice_next", args=["abc"])),
        ("get", reverse("exams:wrong_book")),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_user_without_an_officer_record_gets_a_clear_message(client, trainer):
    client.force_login(trainer)
    for method, url in [
        ("get", reverse("exams:practice_home")),
        ("post", reverse("exams:practice_start")),
        ("get", reverse("exams:wrong_book")),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        assert "刷题与错题本仅对执法人员开放" in response.content.decode()


def test_an_officer_cannot_post_into_another_officers_round(client, officer, bank):
    client.force_login(officer.user)
    sid = _sid(_start(client, scope="violation", value="占道经营"))
    other = OfficerFactory()
    client.force_login(other.user)
    assert client.get(reverse("exams:practice_screen", args=[sid])).status_code == 404
    assert _answer(client, sid, bank["single"], "A").status_code == 404
    assert _next(client, sid).status_code == 404
    assert not PracticeAnswer.objects.exists()


def test_a_round_stored_for_another_officer_is_refused_even_in_the_same_session(client, officer, bank):
    client.force_login(officer.user)
    sid = _sid(_start(client, scope="violation", value="占道经营"))
    session = client.session
    session["exams_practice"][sid]["officer"] = OfficerFactory().pk
    session.save()
    assert _answer(client, sid, bank["single"], "D").status_code == 404
    assert not PracticeAnswer.objects.exists()


def test_unknown_scope_is_404(client, officer):
    client.force_login(officer.user)
    assert client.post(reverse("exams:practice_start"), {"scope": "bogus"}).status_code == 404
