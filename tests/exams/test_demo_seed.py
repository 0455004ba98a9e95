from demo.exams_seed import seed_exams
from exams.models import Question


def test_demo_bank_is_realistic_and_idempotent(db):
    first = seed_exams()
    assert first["created"] == first["total"] >= 55
    kinds = set(Question.objects.values_list("kind", flat=True))
    assert kinds == {"single", "multiple", "true_false", "blank", "case"}
    assert Question.objects.values("category").distinct().count() >= 5
    assert (
        Question.objects.filter(scoring_mode="partial").exists()
        and Question.objects.filter(scoring_mode="all").exists()
    )
    assert all(q.versions.count() == 1 for q in Question.objects.all()[:5])
    again = seed_exams()
    assert again["created"] == 0 and Question.objects.count() == first["total"]


def test_demo_bank_round_trips_through_every_format(db):

    from exams import formats, selectors

    from .test_formats import canon

    seed_exams()
    bank = selectors.questions_data(selectors.question_list())
    for name, module in formats.FORMATS.items():
        again = module.parse(module.export(bank))
        assert again.ok and again.warnings == [], name
        assert canon(again.questions) == canon(bank), name
