"""Every write of the question bank. Keyword-only, atomic, audited."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from content import selectors as content_selectors
from content import services as content_services
from org.services import audit_record

from ..formats.base import DEFAULT_CATEGORY, ParseResult, QuestionData, validate
from ..models import Question, QuestionCategory, QuestionVersion
from .papers import papers_changed


class QuestionInvalid(Exception):
    """The question data does not make a usable question; .errors lists why (Chinese)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


class ImportRejected(Exception):
    """The parsed file has errors: nothing was written."""

    def __init__(self, parsed: ParseResult):
        super().__init__(_("文件有 %(n)s 处错误,未导入") % {"n": len(parsed.errors)})
        self.parsed = parsed


def _clean_path(path: str) -> str:
    return "/".join(p.strip() for p in (path or "").replace("\\", "/").split("/") if p.strip())


@transaction.atomic
def category_ensure(*, path: str) -> QuestionCategory:
    """Create every missing category along 'A/B/C' and return the last."""
    parts = _clean_path(path).split("/") if _clean_path(path) else [DEFAULT_CATEGORY]
    parent: QuestionCategory | None = None
    for depth, name in enumerate(parts):
        full_path = "/".join(parts[: depth + 1])
        parent, _created = QuestionCategory.objects.get_or_create(
            full_path=full_path, defaults={"name": name[:100], "parent": parent}
        )
    assert parent is not None
    return parent


def _apply(question: Question, data: QuestionData, category: QuestionCategory) -> None:
    content = data.to_content()
    question.category = category
    question.kind = content["kind"]
    question.title = content["title"][:200]
    question.stem = content["stem"]
    question.options = content["options"]
    question.scoring_mode = content["scoring_mode"]
    question.answer_bool = content["answer_bool"]
    question.accepted_answers = content["accepted"]
    question.rubric = content["rubric"]
    question.explanation = content["explanation"]
    question.points = data.points
    question.difficulty = content["difficulty"]
    question.violation_category = content["violation_category"][:100]
    question.law_refs = content["law_refs"]


def _content_with_category(data: QuestionData, category: QuestionCategory) -> dict:
    data.category = category.full_path
    return data.to_content()


def _check(data: QuestionData) -> None:
    errors = validate(data)
    if errors:
        raise QuestionInvalid(errors)


@transaction.atomic
def question_create(
    *, data: QuestionData, actor, status: str = Question.Status.DRAFT, exam_only: bool = False, audit: bool = True
) -> Question:
    _check(data)
    category = category_ensure(path=data.category)
    content = _content_with_category(data, category)
    question = Question(
        status=status,
        exam_only=exam_only,
        author=actor if actor is not None and actor.pk else None,
        version_number=1,
    )
    _apply(question, data, category)
    question.save()
    if content["tags"]:
        question.tags.set(content["tags"])
    QuestionVersion.objects.create(
        question=question, number=1, content=content, created_by=question.author, note=_("创建")
    )
    _cite_law_refs(question)
    if audit:
        audit_record(actor=actor, action="question.create", target=question, data={"kind": question.kind})
    return question


@transaction.atomic
def question_update(*, question: Question, data: QuestionData, actor, note: str = "") -> Question:
    """Edit a question: a new immutable version is appended when the content changed (earlier versions
    stay as they were, so papers and attempts frozen from them are unaffected)."""
    _check(data)
    question = Question.objects.select_for_update().get(pk=question.pk)
    category = category_ensure(path=data.category)
    content = _content_with_category(data, category)
    latest = question.versions.order_by("-number").first()
    if latest is not None and latest.content == content:
        return question
    _apply(question, data, category)
    question.version_number += 1
    question.save()
    question.tags.set(content["tags"])
    QuestionVersion.objects.create(
        question=question,
        number=question.version_number,
        content=content,
        created_by=actor if actor is not None and actor.pk else None,
        note=note[:200],
    )
    papers_changed()  # a fixed paper's next sitting takes this version
    _cite_law_refs(question)
    audit_record(actor=actor, action="question.update", target=question, data={"version": question.version_number})
    return question


@transaction.atomic
def question_set_status(*, question: Question, status: str, actor) -> Question:
    if status not in Question.Status.values:
        raise ValueError(status)
    if question.status != status:
        old = question.status
        question.status = status
        question.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="question.status", target=question, data={"from": old, "to": status})
    return question


@transaction.atomic
def question_set_exam_only(*, question: Question, exam_only: bool, actor) -> Question:
    """Mark a question confidential (exam only) or open it to practice again."""
    if question.exam_only != exam_only:
        question.exam_only = exam_only
        question.save(update_fields=["exam_only", "updated_at"])
        audit_record(actor=actor, action="question.exam_only", target=question, data={"exam_only": exam_only})
    return question


@transaction.atomic
def question_flag_review(*, questions, reason: str, actor=None) -> int:
    """Mark questions for review (e.g. a cited law article was amended). Returns how many were flagged."""
    ids = [q.pk for q in questions]
    count = Question.objects.filter(pk__in=ids).update(needs_review=True, review_reason=reason[:300])
    if count:
        audit_record(actor=actor, action="question.flag_review", data={"ids": ids, "reason": reason})
    return count


@transaction.atomic
def question_citations_sync(*, question: Question, article_ids: list[int]) -> None:
    """Make the question cite exactly these content law articles (content's citation mechanism)."""
    content_services.citations_sync(obj=question, article_ids=article_ids)


def _cite_law_refs(question: Question) -> None:
    """The question's written citations (法条依据) that name an article content knows become citations, so
    amending that article flags the question for review like the lessons and cases citing it."""
    article_ids, _unresolved = content_selectors.articles_for_refs(question.law_refs or [])
    question_citations_sync(question=question, article_ids=article_ids)


@transaction.atomic
def question_clear_review(*, question: Question, actor) -> Question:
    """The author checked the question against the amended law: clears our flag and content's citation flags."""
    question.needs_review = False
    question.review_reason = ""
    question.save(update_fields=["needs_review", "review_reason", "updated_at"])
    content_services.citations_mark_reviewed_for(obj=question, actor=actor)
    audit_record(actor=actor, action="question.clear_review", target=question)
    return question


@dataclass
class ImportReport:
    created: list[QuestionData] = field(default_factory=list)
    duplicates: list[QuestionData] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    dry_run: bool = False

    def counts_by_kind(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for q in self.created:
            result[q.kind] = result.get(q.kind, 0) + 1
        return result


def _placed(path: str, root: str) -> str:
    path, root = _clean_path(path), _clean_path(root)
    if root:
        return f"{root}/{path}" if path else root
    return path or DEFAULT_CATEGORY


@transaction.atomic
def questions_import(
    *,
    parsed: ParseResult,
    actor,
    category_root: str = "",
    status: str = Question.Status.ACTIVE,
    exam_only: bool = False,
    dry_run: bool = False,
    source: str = "",
) -> ImportReport:
    """All or nothing: refuses a file with any error; a question whose category, type and stem already exist
    is reported as a duplicate and not created again. With dry_run nothing is written."""
    if not parsed.ok:
        raise ImportRejected(parsed)
    report = ImportReport(dry_run=dry_run)
    existing_paths = set(QuestionCategory.objects.values_list("full_path", flat=True))
    seen: set[tuple] = set()
    for data in parsed.questions:
        data.category = _placed(data.category, category_root)
        key = data.key()
        stem_matches = Question.objects.filter(
            category__full_path=data.category, kind=data.kind, stem=data.to_content()["stem"]
        ).exists()
        if key in seen or stem_matches:
            report.duplicates.append(data)
            continue
        seen.add(key)
        parts = data.category.split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix not in existing_paths and prefix not in report.new_categories:
                report.new_categories.append(prefix)
        report.created.append(data)
    if dry_run:
        return report
    for data in report.created:
        question_create(data=data, actor=actor, status=status, exam_only=exam_only, audit=False)
    audit_record(
        actor=actor,
        action="question.import",
        data={
            "source": source,
            "created": len(report.created),
            "duplicates": len(report.duplicates),
            "exam_only": exam_only,
        },
    )
    return report
