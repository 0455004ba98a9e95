"""Confidential (exam-only, 保密) questions: practice would show their key, so they are never practised and never
enter the wrong-answer book; a trainer marks them on the question page or imports a whole file as such."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import Question, WrongBookEntry
from exams.selectors import practice as sel
from exams.services.practice import PracticeRefused, practice_answer
from org.models import AuditEntry
from tests.exams import factories as f

pytestmark = pytest.mark.django_db

GIFT = "::q1:: 当场处罚决定书应当在几日内报所属行政机关备案? {=七日 ~三日 ~五日}\n"


def test_exam_only_questions_are_not_in_the_practice_pool_or_its_counts(officer):
    open_q = f.question("single")
    secret = f.question("single", stem="资格考试保密题:简易程序的罚款上限是多少?")
    secret.exam_only = True
    secret.save()
    assert list(sel.practice_pool().values_list("pk", flat=True)) == [open_q.pk]
    assert sel.practice_choices(officer=officer).total == 1
    assert sel.practice_question_ids(officer=officer, scope="all", count=50) == [open_q.pk]


def test_practising_an_exam_only_question_is_refused_even_from_an_old_round(officer):
    q = f.question("single")
    ids = sel.practice_question_ids(officer=officer, scope="all")  # the round was drawn before it became secret
    assert ids == [q.pk]
    q.exam_only = True
    q.save()
    with pytest.raises(PracticeRefused, match="保密题"):
        practice_answer(officer=officer, question=q, response="D", now=timezone.now())


def test_a_wrong_exam_answer_to_an_exam_only_question_stays_out_of_the_wrong_book(officer):
    secret = f.question("single")
    secret.exam_only = True
    secret.save()
    public = f.question("true_false")
    exam = f.exam(f.fixed_paper([secret, public]), officers=[officer])
    f.attempt(exam, officer, responses={secret: "B", public: False})
    assert list(WrongBookEntry.objects.values_list("question_id", flat=True)) == [public.pk]


def test_entries_made_before_a_question_became_secret_are_hidden_from_the_book(officer):
    q = f.question("single")
    practice_answer(officer=officer, question=q, response="A", now=timezone.now())
    assert [e.question_id for g in sel.wrong_book_groups(officer=officer) for e in g.entries] == [q.pk]
    q.exam_only = True
    q.save()
    assert sel.wrong_book_groups(officer=officer) == []
    assert sel.practice_choices(officer=officer).wrong == 0


def test_trainer_marks_and_unmarks_a_question_with_an_audit_row(client, trainer):
    q = f.question("single")
    client.force_login(trainer)
    url = reverse("exams:question_exam_only", args=[q.pk])
    assert client.post(url, {"exam_only": "1"}).status_code == 302
    q.refresh_from_db()
    assert q.exam_only is True
    page = client.get(reverse("exams:question_detail", args=[q.pk])).content.decode()
    assert "保密题(仅供考试)" in page and "取消保密" in page
    client.post(url, {"exam_only": "0"})
    q.refresh_from_db()
    assert q.exam_only is False
    assert list(
        AuditEntry.objects.filter(action="question.exam_only").order_by("id").values_list("data", flat=True)
    ) == [{"exam_only": True}, {"exam_only": False}]


def test_officers_and_unit_leaders_may_not_mark_questions(client, officer, leader):
    q = f.question("single")
    for user in (officer.user, leader):
        client.force_login(user)
        assert client.post(reverse("exams:question_exam_only", args=[q.pk]), {"exam_only": "1"}).status_code == 403
    q.refresh_from_db()
    assert q.exam_only is False


def test_a_file_imported_as_exam_only_creates_secret_questions(client, trainer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(trainer)
    upload = SimpleUploadedFile("资格考试.gift", GIFT.encode(), content_type="text/plain")
    preview = client.post(reverse("exams:bank_import"), {"file": upload, "activate": "on", "exam_only": "on"})
    assert preview.status_code == 200
    assert "这些试题不会进入练习和错题本" in preview.content.decode()
    assert not Question.objects.exists()
    token = preview.context["token"]
    assert client.post(reverse("exams:bank_import"), {"confirm": "1", "token": token}).status_code == 302
    question = Question.objects.get()
    assert question.exam_only is True and question.status == Question.Status.ACTIVE
