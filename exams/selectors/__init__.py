"""Every non-trivial read of the exams app, by area. Other apps use only the names re-exported here."""

from .bank import (
    category_paths,
    category_tree,
    question_citations,
    question_data,
    question_ids_with_amended_citations,
    question_latest_version,
    question_list,
    question_review_notices,
    question_versions,
    questions_citing,
    questions_data,
)
from .grading import officer_passed_exam_kind
from .passes import (  # certification, reports
    ExamPass,
    best_passes,
    officers_awaiting_grade,
    passes_frame,
    sitting_frame,
    sitting_frames,
)
from .practice import violation_fields  # mentorship

__all__ = [
    "ExamPass",
    "best_passes",
    "officers_awaiting_grade",
    "passes_frame",
    "violation_fields",
    "sitting_frame",
    "sitting_frames",
    "category_paths",
    "category_tree",
    "officer_passed_exam_kind",
    "question_citations",
    "question_data",
    "question_ids_with_amended_citations",
    "question_latest_version",
    "question_list",
    "question_review_notices",
    "question_versions",
    "questions_citing",
    "questions_data",
]
