from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _exams_card_context(request, officer) -> dict:
    """The home card: the exam to act on next and the latest result. Open exams first: one being answered, then
    the formal exams (年度学法考试, 行政执法资格考试: they count for certification and close on a date) before course
    quizzes and practice, each group by closing time; else the nearest upcoming (formal first)."""
    from django.utils import timezone

    from .models import Exam
    from .selectors.exams import officer_exams

    if officer is None:
        return {"officer": None}
    formal = (Exam.Kind.ANNUAL, Exam.Kind.QUALIFICATION)
    buckets = officer_exams(officer=officer, now=timezone.now())
    open_rows = sorted(
        buckets["open"], key=lambda r: (r.key != "in_progress", r.exam.kind not in formal, r.closes_at, r.exam.pk)
    )
    upcoming = sorted(buckets["upcoming"], key=lambda r: (r.exam.kind not in formal, r.opens_at, r.exam.pk))
    following = open_rows or upcoming
    last = next((r for r in buckets["finished"] if r.result is not None), None)
    return {"officer": officer, "next": following[0] if following else None, "last": last}


def _sweep() -> str:
    from .services.attempts import attempts_sweep_overdue
    from .services.grading import attempt_release_due

    finalised, released = attempts_sweep_overdue(), attempt_release_due()
    return f"{finalised} attempt(s) finalised, {released} result(s) released" if finalised or released else ""


def _grade_lost() -> str:
    from .services.grading import attempts_grade_lost

    graded = attempts_grade_lost()
    return f"{graded} submitted attempt(s) graded (lost grading task)" if graded else ""


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("考试")

    def ready(self) -> None:
        from django.urls import reverse

        from content.citations import register_citing_model
        from org.dashboard import register_card
        from org.housekeeping import register_job

        from .models import Question

        # Questions cite law articles through content's one citation mechanism: when content amends a cited
        # article, active questions citing the older version are flagged and their author is notified.
        register_citing_model(
            Question,
            label=str(_("试题")),
            title=lambda q: q.title or q.stem[:40],
            admin_url=lambda q: reverse("exams:question_detail", args=[q.pk]),
            editors=lambda q: [q.author] if q.author_id else [],
            is_active=lambda q: q.status == Question.Status.ACTIVE,
        )
        register_card(
            key="exams", order=20, title=_("考试"), template="exams/authoring/card.html", context=_exams_card_context
        )
        # The exam clock: the housekeeping loop (make run, make worker) finalises abandoned attempts at their deadline
        # and releases results the review policy now shows.
        register_job(name="exams.sweep", every_seconds=30, run=_sweep)
        # Grading runs in the task worker after submit; an attempt whose task was lost is graded here.
        register_job(name="exams.grade_lost", every_seconds=30, run=_grade_lost)
