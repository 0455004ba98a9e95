import random
from decimal import Decimal

import pytest

from exams.models import Paper, PaperRule, QuestionCategory
from exams.selectors.audience import exam_audience
from exams.services.papers import PaperInvalid, paper_materialize
from tests.exams import factories as f
from tests.factories import OfficerFactory, RoleCategoryFactory, unit

pytestmark = pytest.mark.django_db


def test_draw_papers_have_equal_weight_and_differ():
    for n in range(12):
        f.question("single", stem=f"单选题第{n}题:依法当场收缴罚款的情形?", points=Decimal("1"))
    for n in range(6):
        f.question("true_false", stem=f"判断题第{n}题:执法人员不得少于两人。", points=Decimal("5"))
    paper = Paper.objects.create(title="随机卷", mode=Paper.Mode.DRAW)
    category = QuestionCategory.objects.get(full_path=f.CATEGORY.split("/")[0])
    PaperRule.objects.create(paper=paper, position=1, kind="single", category=category, count=5, points_each=2)
    PaperRule.objects.create(paper=paper, position=2, kind="true_false", count=3, points_each=Decimal("1.5"))
    sittings = [paper_materialize(paper=paper, rng=random.Random(seed)) for seed in range(8)]
    assert {sum(d.points for d in s) for s in sittings} == {Decimal("14.5")}
    assert all(len({d.question.pk for d in s}) == 8 for s in sittings)
    assert len({tuple(d.question.pk for d in s) for s in sittings}) > 1
    # the same seed gives the same paper
    again = paper_materialize(paper=paper, rng=random.Random(3))
    assert [d.question.pk for d in again] == [d.question.pk for d in sittings[3]]


def test_rule_without_enough_questions_is_refused():
    f.question("single")
    paper = Paper.objects.create(title="随机卷", mode=Paper.Mode.DRAW)
    PaperRule.objects.create(paper=paper, kind="single", count=2, points_each=1)
    with pytest.raises(PaperInvalid, match="只有 1 道"):
        paper_materialize(paper=paper, rng=random.Random(1))


def test_audience_is_units_and_roles_plus_named():
    squad1, squad2 = unit("测试局/执法一中队"), unit("测试局/执法二中队")
    team = unit("测试局/执法一中队/一分队")
    auxiliary = RoleCategoryFactory(code="auxiliary", name="协管员")
    in_team = OfficerFactory(unit=team)
    aux_in_squad = OfficerFactory(unit=squad1, role_category=auxiliary)
    other_squad = OfficerFactory(unit=squad2)
    exam = f.exam(
        f.fixed_paper([f.question()]), units=[squad1], role_categories=[in_team.role_category], officers=[other_squad]
    )
    assert set(exam_audience(exam)) == {in_team, other_squad}
    assert aux_in_squad not in exam_audience(exam)
