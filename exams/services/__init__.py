"""Every write of the exams app, by area: bank (questions), papers and exams (authoring), attempts, grading,
practice. Keyword-only, atomic, audited. Other apps use only the names re-exported here."""

from .bank import (
    ImportRejected,
    ImportReport,
    QuestionInvalid,
    category_ensure,
    question_citations_sync,
    question_clear_review,
    question_create,
    question_flag_review,
    question_set_exam_only,
    question_set_status,
    question_update,
    questions_import,
)

__all__ = [
    "ImportRejected",
    "ImportReport",
    "QuestionInvalid",
    "category_ensure",
    "question_citations_sync",
    "question_clear_review",
    "question_create",
    "question_flag_review",
    "question_set_exam_only",
    "question_set_status",
    "question_update",
    "questions_import",
]
