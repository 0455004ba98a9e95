"""The review policy: what an officer may see of an attempt (score, correct answers, explanations), and when.

One function decides it, for every page and JSON response: nothing that carries a key or an explanation is
built unless `review_visible` says so.

Parts: "score" (the total and pass), "answers" (keys), "explanations", and "item_scores" (each question's
score). A question's score gives its key away (a true/false item scored 0 means the other answer was right), so
item scores are visible only when both the score and the answers are.
"""

from __future__ import annotations

import datetime as dt

from .models import Attempt, Exam, ReviewWhen

PARTS = ("score", "answers", "explanations", "item_scores")


def exam_final_close(exam: Exam) -> dt.datetime:
    """When the last sitting of the exam (regular or 补考) can end: keys stay hidden until then."""
    if exam.makeup_attempts and exam.makeup_closes_at and exam.makeup_closes_at > exam.closes_at:
        return exam.makeup_closes_at
    return exam.closes_at


def review_visible(*, exam: Exam, attempt: Attempt, part: str, now: dt.datetime) -> bool:
    if part not in PARTS:
        raise ValueError(part)
    if part == "item_scores":
        return review_visible(exam=exam, attempt=attempt, part="score", now=now) and review_visible(
            exam=exam, attempt=attempt, part="answers", now=now
        )
    when = {"score": exam.show_score, "answers": exam.show_answers, "explanations": exam.show_explanations}[part]
    if when == ReviewWhen.NEVER:
        return False
    if part == "score" and attempt.state not in (Attempt.State.GRADED, Attempt.State.RELEASED):
        return False
    if when == ReviewWhen.DURING:
        return True
    if attempt.state == Attempt.State.IN_PROGRESS:
        return False
    if when == ReviewWhen.SUBMIT:
        return True
    return now >= exam_final_close(exam)
