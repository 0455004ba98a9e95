"""Every non-trivial read of the question bank."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from content import selectors as content_selectors

from ..formats.base import QuestionData
from ..models import Question, QuestionCategory, QuestionVersion


def question_list(
    *,
    kind: str = "",
    status: str = "",
    category: QuestionCategory | None = None,
    difficulty: int | None = None,
    q: str = "",
    tag: str = "",
    needs_review: bool | None = None,
) -> QuerySet[Question]:
    questions = Question.objects.select_related("category", "author")
    if kind:
        questions = questions.filter(kind=kind)
    if status:
        questions = questions.filter(status=status)
    if category is not None:
        questions = questions.filter(Q(category=category) | Q(category__full_path__startswith=category.full_path + "/"))
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    if q:
        for word in q.split():
            questions = questions.filter(
                Q(stem__icontains=word)
                | Q(title__icontains=word)
                | Q(explanation__icontains=word)
                | Q(violation_category__icontains=word)
            )
    if tag:
        questions = questions.filter(tags__name=tag).distinct()
    if needs_review is not None:
        flagged = Q(needs_review=True) | Q(pk__in=question_ids_with_amended_citations())
        questions = questions.filter(flagged) if needs_review else questions.exclude(flagged)
    return questions.order_by("category__full_path", "id")


def category_tree() -> list[tuple[QuestionCategory, int]]:
    """Every category in path order with the number of questions directly in it."""
    return [(c, c.n) for c in QuestionCategory.objects.annotate(n=Count("questions")).order_by("full_path")]


def category_paths() -> list[str]:
    return list(QuestionCategory.objects.order_by("full_path").values_list("full_path", flat=True))


def question_versions(question: Question) -> QuerySet[QuestionVersion]:
    return question.versions.select_related("created_by").order_by("-number")


def question_latest_version(question: Question) -> QuestionVersion:
    return question.versions.order_by("-number").first()


def question_data(question: Question) -> QuestionData:
    """The current content of a question, as the format-neutral shape (from its latest version)."""
    return QuestionData.from_content(question_latest_version(question).content)


def questions_data(questions: QuerySet[Question]) -> list[QuestionData]:
    """Current content of many questions in one query, in the given order."""
    ids = list(questions.values_list("pk", flat=True))
    latest: dict[int, dict] = {}
    for version in QuestionVersion.objects.filter(question_id__in=ids).order_by("question_id", "number"):
        latest[version.question_id] = version.content
    return [QuestionData.from_content(latest[pk]) for pk in ids if pk in latest]


def questions_citing(ref: str) -> QuerySet[Question]:
    """Questions whose cited law articles mention `ref` (e.g. "行政处罚法》第五十一条")."""
    ids = [pk for pk, refs in Question.objects.values_list("pk", "law_refs") if any(ref in r for r in refs or [])]
    return Question.objects.filter(pk__in=ids)


def question_ids_with_amended_citations() -> list[int]:
    """Questions whose cited law articles were amended since they were written (content's citation flags)."""
    ct = ContentType.objects.get_for_model(Question)
    return list(
        content_selectors.citations_needing_review().filter(content_type=ct).values_list("object_id", flat=True)
    )


def question_review_notices(question: Question) -> list:
    """content's flagged citations of this question (amended articles not yet reviewed)."""
    return content_selectors.review_notices_for(question)


def question_citations(question: Question) -> list:
    return list(content_selectors.citations_of(question))
