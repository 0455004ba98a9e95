"""Papers: fixed lists and draw rules, and turning a paper into the questions of one attempt."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Paper, PaperRule, Question, QuestionVersion


class PaperInvalid(Exception):
    """The paper cannot produce an attempt (e.g. a draw rule has too few active questions); Chinese message."""


@dataclass(frozen=True)
class DrawnQuestion:
    question: Question
    version: QuestionVersion
    points: Decimal


def rule_candidates(rule: PaperRule):
    """Active questions a draw rule may pick from (its category includes the subcategories)."""
    questions = Question.objects.filter(status=Question.Status.ACTIVE, kind=rule.kind)
    if rule.category_id:
        path = rule.category.full_path
        questions = questions.filter(Q(category__full_path=path) | Q(category__full_path__startswith=path + "/"))
    if rule.tag:
        questions = questions.filter(tags__name=rule.tag)
    if rule.difficulty:
        questions = questions.filter(difficulty=rule.difficulty)
    return questions.distinct()


def _latest_versions(question_ids: list[int]) -> dict[int, QuestionVersion]:
    latest: dict[int, QuestionVersion] = {}
    for version in QuestionVersion.objects.filter(question_id__in=question_ids).order_by("question_id", "number"):
        latest[version.question_id] = version
    return latest


def paper_materialize(*, paper: Paper, rng: random.Random) -> list[DrawnQuestion]:
    """The questions of one sitting, in order, each with its current version and its points on this paper.

    Fixed papers give their items (question order shuffled when the paper says so). Draw papers apply each rule
    in turn, never drawing a question twice, so every sitting has the same count and points per rule: papers of
    equal weight. Raises PaperInvalid when a rule cannot be filled.
    """
    picked: list[tuple[Question, Decimal]] = []
    if paper.mode == Paper.Mode.FIXED:
        for item in paper.items.select_related("question").order_by("position", "id"):
            picked.append((item.question, item.points or item.question.points))
        if not picked:
            raise PaperInvalid(_("试卷《%(title)s》还没有试题。") % {"title": paper.title})
    else:
        taken: set[int] = set()
        rules = list(paper.rules.select_related("category").order_by("position", "id"))
        if not rules:
            raise PaperInvalid(_("试卷《%(title)s》还没有抽题规则。") % {"title": paper.title})
        for number, rule in enumerate(rules, start=1):
            pool = sorted(set(rule_candidates(rule).values_list("pk", flat=True)) - taken)
            if len(pool) < rule.count:
                raise PaperInvalid(
                    _("抽题规则 %(n)s 需要 %(need)s 道题,题库中符合条件的启用试题只有 %(have)s 道。")
                    % {"n": number, "need": rule.count, "have": len(pool)}
                )
            chosen = rng.sample(pool, rule.count)
            taken.update(chosen)
            by_id = Question.objects.in_bulk(chosen)
            picked.extend((by_id[pk], rule.points_each) for pk in chosen)
    if paper.shuffle_questions:
        rng.shuffle(picked)
    versions = _latest_versions([q.pk for q, _points in picked])
    return [DrawnQuestion(question=q, version=versions[q.pk], points=Decimal(points)) for q, points in picked]


def option_order(*, content: dict, shuffle: bool, rng: random.Random) -> list[str]:
    """The display order of a choice question's option keys for one sitting."""
    keys = [o["key"] for o in content.get("options") or []]
    if shuffle and content["kind"] in ("single", "multiple"):
        rng.shuffle(keys)
    return keys
