"""Reads for practice (刷题) and the wrong-answer book (错题本): what an officer can practise (by bank category,
by cited law, by violation category, or their open wrong answers) with counts, the question lists of a
practice round, the officer's practice statistics and their book grouped by category or by law."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from org.models import Officer

from ..models import PracticeAnswer, Question, QuestionCategory, WrongBookEntry

LAW_TITLE = re.compile(r"《([^》]+)》")
SCOPES = ("all", "wrong", "category", "law", "violation")
SEQUENTIAL, RANDOM = "seq", "random"
COUNTS = (10, 20, 50)


def law_titles(law_refs: list[str] | None) -> list[str]:
    """The law titles (without 《》) cited by a question's law_refs, in order, each once."""
    seen: list[str] = []
    for ref in law_refs or []:
        for title in LAW_TITLE.findall(str(ref)):
            title = title.strip()
            if title and title not in seen:
                seen.append(title)
    return seen


def practice_pool(*, include_case: bool = False) -> QuerySet[Question]:
    """Questions an officer may practise: active ones that are not confidential (exam only); case analysis
    (graded by hand) only when asked for."""
    questions = Question.objects.filter(status=Question.Status.ACTIVE, version_number__gt=0, exam_only=False)
    if not include_case:
        questions = questions.exclude(kind=Question.Kind.CASE)
    return questions


def open_wrong_question_ids(*, officer: Officer) -> list[int]:
    return list(
        WrongBookEntry.objects.filter(officer=officer, cleared_at__isnull=True)
        .order_by("-last_wrong_at", "id")
        .values_list("question_id", flat=True)
    )


@dataclass
class PracticeChoices:
    total: int = 0
    wrong: int = 0
    categories: list[tuple[QuestionCategory, int]] = field(default_factory=list)
    laws: list[tuple[str, int]] = field(default_factory=list)
    violations: list[tuple[str, int]] = field(default_factory=list)


def practice_choices(*, officer: Officer, include_case: bool = False) -> PracticeChoices:
    pool = practice_pool(include_case=include_case)
    direct = {
        row["category__full_path"]: row["n"]
        for row in pool.order_by().values("category__full_path").annotate(n=Count("id"))
    }
    categories = []
    for node in QuestionCategory.objects.order_by("full_path"):
        n = sum(c for path, c in direct.items() if path == node.full_path or path.startswith(node.full_path + "/"))
        if n:
            categories.append((node, n))
    laws: dict[str, int] = defaultdict(int)
    for refs in pool.values_list("law_refs", flat=True):
        for title in law_titles(refs):
            laws[title] += 1
    violations = [
        (row["violation_category"], row["n"])
        for row in pool.exclude(violation_category="")
        .order_by()
        .values("violation_category")
        .annotate(n=Count("id"))
        .order_by("violation_category")
    ]
    return PracticeChoices(
        total=pool.count(),
        wrong=pool.filter(pk__in=open_wrong_question_ids(officer=officer)).count(),
        categories=categories,
        laws=sorted(laws.items()),
        violations=violations,
    )


def _filter_scope(questions: QuerySet[Question], *, scope: str, value: str) -> QuerySet[Question] | None:
    if scope == "category":
        try:
            node = QuestionCategory.objects.get(pk=int(value))
        except (ValueError, QuestionCategory.DoesNotExist):
            return None
        return questions.filter(Q(category=node) | Q(category__full_path__startswith=node.full_path + "/"))
    if scope == "law":
        if not value:
            return None
        ids = [pk for pk, refs in questions.values_list("pk", "law_refs") if value in law_titles(refs)]
        return questions.filter(pk__in=ids)
    if scope == "violation":
        return questions.filter(violation_category=value) if value else None
    return questions


def practice_question_ids(
    *,
    officer: Officer,
    scope: str,
    value: str = "",
    wrong_only: bool = False,
    mode: str = SEQUENTIAL,
    count: int = 10,
    include_case: bool = False,
    rng: random.Random | None = None,
) -> list[int] | None:
    """The questions of one practice round, in order; None when the scope is unknown. `scope` "wrong" (or
    `wrong_only`) keeps only the officer's open wrong-book entries."""
    if scope not in SCOPES:
        return None
    questions = _filter_scope(practice_pool(include_case=include_case), scope=scope, value=value)
    if questions is None:
        return None
    if scope == "wrong" or wrong_only:
        wrong = open_wrong_question_ids(officer=officer)
        allowed = set(questions.filter(pk__in=wrong).values_list("pk", flat=True))
        ids = [pk for pk in wrong if pk in allowed]  # most recently wrong first
    else:
        ids = list(questions.order_by("category__full_path", "id").values_list("pk", flat=True))
    if mode == RANDOM:
        ids = (rng or random.Random()).sample(ids, len(ids))
    return ids[: max(1, count)]


@dataclass
class PracticeStats:
    answered: int
    month_answered: int
    month_correct: int
    by_category: list[dict]

    @property
    def month_accuracy(self) -> int | None:
        return round(100 * self.month_correct / self.month_answered) if self.month_answered else None


def practice_stats(*, officer: Officer, now: dt.datetime) -> PracticeStats:
    local = timezone.localtime(now)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    answers = PracticeAnswer.objects.filter(officer=officer)
    month = answers.filter(answered_at__gte=month_start).aggregate(
        n=Count("id"), right=Sum(Cast("correct", IntegerField()))
    )
    by_category = [
        dict(row, percent=round(100 * (row["right"] or 0) / row["n"]))
        for row in answers.order_by()
        .values("question__category__full_path")
        .annotate(n=Count("id"), right=Sum(Cast("correct", IntegerField())))
        .order_by("question__category__full_path")
    ]
    return PracticeStats(
        answered=answers.count(),
        month_answered=month["n"] or 0,
        month_correct=month["right"] or 0,
        by_category=by_category,
    )


@dataclass
class WrongGroup:
    label: str  # "" for the questions citing no law
    scope: str  # "category" or "law" (for the 练错题 button of the group), "" for no law cited
    value: str
    entries: list[WrongBookEntry]


def wrong_book_groups(*, officer: Officer, group: str = "category") -> list[WrongGroup]:
    """The officer's open entries, grouped by bank category (path order) or by cited law (a question citing
    two laws shows under both; one citing none under 未注明法律)."""
    entries = list(
        WrongBookEntry.objects.filter(officer=officer, cleared_at__isnull=True, question__exam_only=False)
        .select_related("question__category")
        .order_by("-last_wrong_at", "id")
    )
    groups: dict[str, WrongGroup] = {}
    for entry in entries:
        question = entry.question
        if group == "law":
            titles = law_titles(question.law_refs)
            keys = [(f"《{t}》", "law", t) for t in titles] or [("", "", "")]  # "": cites no law
        else:
            keys = [(question.category.full_path, "category", str(question.category_id))]
        for label, scope, value in keys:
            groups.setdefault(label, WrongGroup(label=label, scope=scope, value=value, entries=[])).entries.append(
                entry
            )
    return sorted(groups.values(), key=lambda g: (g.scope == "", g.label))


def wrong_book_history(*, officer: Officer, limit: int = 100) -> list[WrongBookEntry]:
    return list(
        WrongBookEntry.objects.filter(officer=officer, cleared_at__isnull=False, question__exam_only=False)
        .select_related("question__category")
        .order_by("-cleared_at", "-id")[:limit]
    )


def violation_fields(*, officers: QuerySet[Officer]) -> dict[int, set[str]]:
    """officer_id → the violation categories (违法类别) of the questions they have answered correctly in practice:
    the enforcement fields they know. One query, for many officers (mentorship's matching)."""
    out: dict[int, set[str]] = {}
    rows = (
        PracticeAnswer.objects.filter(officer_id__in=officers.order_by().values("pk"), correct=True)
        .exclude(question__violation_category="")
        .order_by()
        .values_list("officer_id", "question__violation_category")
        .distinct()
    )
    for officer_id, category in rows:
        out.setdefault(officer_id, set()).add(category)
    return out
