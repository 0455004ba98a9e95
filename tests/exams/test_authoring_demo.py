"""The demo's papers and exams: what a demo officer sees, and seeding twice changes nothing."""

import pytest
from django.utils import timezone

from demo import exams_seed, org_seed
from exams.models import Attempt, Exam, Paper
from exams.selectors.exams import officer_exams
from exams.services.papers import paper_check
from org.models import Officer

pytestmark = pytest.mark.django_db


def test_demo_exams():
    org_seed.seed_org()
    first = exams_seed.seed_exams()
    assert first["exams"] == 5 and first["results"] == exams_seed.RESULTS_FOR
    assert all(paper_check(paper=p).ok for p in Paper.objects.all())
    assert set(Exam.objects.values_list("status", flat=True)) == {Exam.Status.PUBLISHED}
    closed = Exam.objects.get(title=exams_seed.CLOSED)
    attempts = Attempt.objects.filter(exam=closed)
    assert attempts.count() == 30 and not attempts.filter(state=Attempt.State.IN_PROGRESS).exists()
    assert 0 < attempts.filter(passed=True).count() < 30

    now = timezone.now()
    recruit = Officer.objects.filter(role_category__code="recruit").first()
    buckets = officer_exams(officer=recruit, now=now)
    titles = {key: {row.exam.title for row in rows} for key, rows in buckets.items()}
    assert {exams_seed.ANNUAL, exams_seed.QUIZ, exams_seed.PRACTICE} <= titles["open"]
    assert exams_seed.QUALIFICATION in titles["upcoming"]
    enforcer = Officer.objects.filter(role_category__code="enforcer").first()
    assert exams_seed.QUALIFICATION not in {r.exam.title for r in officer_exams(officer=enforcer, now=now)["upcoming"]}

    again = exams_seed.seed_exams()
    assert (again["created"], again["exams"], again["results"]) == (0, 0, 0)
    assert Exam.objects.count() == 5 and Attempt.objects.count() == 30
