"""Papers: fixed lists and draw rules, and turning a paper into the questions of one attempt."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from org.models import User
from org.services import audit_record

from ..models import Paper, PaperItem, PaperRule, Question, QuestionCategory, QuestionVersion


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


def _fixed_questions(paper: Paper) -> list[DrawnQuestion]:
    """A fixed paper's questions in paper order, each with its current version and its points on this paper."""
    picked = [
        (item.question, item.points or item.question.points)
        for item in paper.items.select_related("question").order_by("position", "id")
    ]
    if not picked:
        raise PaperInvalid(_("试卷《%(title)s》还没有试题。") % {"title": paper.title})
    versions = _latest_versions([q.pk for q, _points in picked])
    return [DrawnQuestion(question=q, version=versions[q.pk], points=Decimal(points)) for q, points in picked]


def paper_materialize(*, paper: Paper, rng: random.Random) -> list[DrawnQuestion]:
    """The questions of one sitting, in order, each with its current version and its points on this paper.

    Fixed papers give their items (question order shuffled when the paper says so). Draw papers apply each rule
    in turn, never drawing a question twice, so every sitting has the same count and points per rule: papers of
    equal weight. Raises PaperInvalid when a rule cannot be filled.
    """
    if paper.mode == Paper.Mode.FIXED:
        drawn = _fixed_questions(paper)
        if paper.shuffle_questions:
            rng.shuffle(drawn)
        return drawn
    picked: list[tuple[Question, Decimal]] = []
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


# --- one sitting, as an attempt freezes it (cheap starts) -------------------------------------------------

# What a fixed paper resolves to (its questions, their current versions and points, in paper order) is the same
# for every sitting until the paper or one of its questions changes, so it is kept in the cache (shared by the
# workers) instead of being read from three tables at every start. Every service that changes it calls
# papers_changed(), which replaces the generation every entry is checked against; the TTL bounds what an edit
# made outside the services could leave behind.
FROZEN_PAPER_SECONDS = 600
_GENERATION_KEY = "exams:papers:generation"


def _frozen_key(paper_id: int) -> str:
    return f"exams:papers:frozen:{paper_id}"


def _new_generation() -> None:
    cache.set(_GENERATION_KEY, secrets.token_hex(8), None)


def papers_changed() -> None:
    """Forget every frozen paper: a paper's items or settings changed, or a question got a new version. Now, and
    again on commit, so a start that read the old rows in between cannot keep them."""
    _new_generation()
    transaction.on_commit(_new_generation)


@dataclass(frozen=True)
class SittingQuestion:
    """One question of a sitting as the attempt stores it (AttemptItem's fields)."""

    question_id: int
    version_id: int
    content: dict
    points: Decimal
    option_order: list[str]


def _rows(drawn: list[DrawnQuestion]) -> list[tuple[int, int, dict, Decimal]]:
    return [(d.question.pk, d.version.pk, d.version.content, d.points) for d in drawn]


def paper_sitting(*, paper_id: int, rng: random.Random, paper: Paper | None = None) -> list[SittingQuestion]:
    """The questions of one sitting with their option order: exactly paper_materialize + option_order with the
    same rng (a test holds them equal), but a fixed paper's resolved questions come from the cache (no query
    when warm). Draw papers draw per sitting from the bank as before. Raises PaperInvalid."""
    got = cache.get_many([_GENERATION_KEY, _frozen_key(paper_id)])
    frozen = got.get(_frozen_key(paper_id))
    if frozen is not None and got.get(_GENERATION_KEY) == frozen[0]:
        _generation, shuffle_questions, shuffle_options, in_order = frozen
        rows = list(in_order)
        if shuffle_questions:
            rng.shuffle(rows)  # the permutation paper_materialize makes: it depends on the length and rng only
    else:
        # The generation is read before the rows, so an edit committed meanwhile leaves this entry stale.
        generation = cache.get_or_set(_GENERATION_KEY, lambda: secrets.token_hex(8), None)
        paper = paper if paper is not None else Paper.objects.get(pk=paper_id)
        shuffle_options = paper.shuffle_options
        if paper.mode == Paper.Mode.FIXED:
            in_order = _rows(_fixed_questions(paper))
            entry = (generation, paper.shuffle_questions, shuffle_options, in_order)
            cache.set(_frozen_key(paper_id), entry, FROZEN_PAPER_SECONDS)
            rows = list(in_order)
            if paper.shuffle_questions:
                rng.shuffle(rows)
        else:
            rows = _rows(paper_materialize(paper=paper, rng=rng))
    return [
        SittingQuestion(q, v, content, points, option_order(content=content, shuffle=shuffle_options, rng=rng))
        for q, v, content, points in rows
    ]


# --- authoring: papers (trainer pages) -------------------------------------------------------------------


class AuthoringRefused(Exception):
    """An authoring action is not allowed (a locked paper, an invalid exam ...). `messages` are Chinese."""

    def __init__(self, *messages: str) -> None:
        self.messages = [str(m) for m in messages]
        super().__init__(";".join(self.messages))


@dataclass(frozen=True)
class RuleCheck:
    rule: PaperRule
    number: int
    available: int  # active questions matching the rule
    usable: int  # still available in the worst case after the earlier rules drew theirs
    needed: int
    points: Decimal

    @property
    def ok(self) -> bool:
        return self.usable >= self.needed


@dataclass(frozen=True)
class PaperCheck:
    """What the author sees before publishing: per rule availability (draw) or the items (fixed), totals and
    every problem in Chinese. `ok` when there is no problem."""

    paper: Paper
    question_count: int
    total_points: Decimal
    rules: list[RuleCheck]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def paper_check(*, paper: Paper) -> PaperCheck:
    problems: list[str] = []
    rules: list[RuleCheck] = []
    if paper.mode == Paper.Mode.FIXED:
        items = list(paper.items.select_related("question").order_by("position", "id"))
        total = sum((Decimal(i.points or i.question.points) for i in items), Decimal("0"))
        count = len(items)
        if not items:
            problems.append(_("试卷还没有试题。"))
        for number, item in enumerate(items, start=1):
            if item.question.status != Question.Status.ACTIVE:
                problems.append(
                    _("第 %(n)s 题(编号 %(id)s)不是启用状态,请启用或移出试卷。") % {"n": number, "id": item.question_id}
                )
    else:
        earlier: list[tuple[set[int], int]] = []
        total = Decimal("0")
        count = 0
        for number, rule in enumerate(paper.rules.select_related("category").order_by("position", "id"), start=1):
            pool = set(rule_candidates(rule).values_list("pk", flat=True))
            # Earlier rules never draw a question twice: in the worst case each took its whole count from the
            # questions this rule shares with it.
            usable = len(pool) - sum(min(n, len(pool & other)) for other, n in earlier)
            check = RuleCheck(
                rule=rule,
                number=number,
                available=len(pool),
                usable=max(usable, 0),
                needed=rule.count,
                points=rule.points_each * rule.count,
            )
            rules.append(check)
            if not check.ok:
                if check.usable < check.available:
                    problems.append(
                        _("抽题规则 %(n)s 需要 %(need)s 道题,扣除与前面规则重叠的试题后最少只有 %(have)s 道可抽。")
                        % {"n": number, "need": rule.count, "have": check.usable}
                    )
                else:
                    problems.append(
                        _("抽题规则 %(n)s 需要 %(need)s 道题,题库中符合条件的启用试题只有 %(have)s 道。")
                        % {"n": number, "need": rule.count, "have": check.available}
                    )
            earlier.append((pool, rule.count))
            total += check.points
            count += rule.count
        if not rules:
            problems.append(_("试卷还没有抽题规则。"))
    return PaperCheck(paper=paper, question_count=count, total_points=total, rules=rules, problems=problems)


def paper_locked(paper: Paper) -> bool:
    """A paper used by a published exam is read-only: changing it would make the sittings unequal."""
    from ..models import Exam

    return paper.exams.filter(status=Exam.Status.PUBLISHED).exists()


def _ensure_editable(paper: Paper) -> None:
    if paper_locked(paper):
        raise AuthoringRefused(
            _("试卷《%(title)s》已用于已发布的考试,不能修改;如需调整,请先复制试卷。") % {"title": paper.title}
        )


PAPER_FIELDS = ("title", "description", "mode", "shuffle_questions", "shuffle_options")


@transaction.atomic
def paper_create(
    *,
    actor: User | None,
    title: str,
    mode: str = Paper.Mode.FIXED,
    description: str = "",
    shuffle_questions: bool = False,
    shuffle_options: bool = True,
) -> Paper:
    if not title.strip():
        raise AuthoringRefused(_("请填写试卷名称。"))
    paper = Paper.objects.create(
        title=title.strip(),
        mode=mode,
        description=description,
        shuffle_questions=shuffle_questions,
        shuffle_options=shuffle_options,
        created_by=actor if actor is not None and actor.pk else None,
    )
    audit_record(actor=actor, action="paper.create", target=paper, data={"title": paper.title, "mode": mode})
    return paper


@transaction.atomic
def paper_update(*, paper: Paper, actor: User | None, **fields) -> Paper:
    unknown = set(fields) - set(PAPER_FIELDS)
    if unknown:
        raise TypeError(f"unknown paper fields: {sorted(unknown)}")
    _ensure_editable(paper)
    if "title" in fields and not str(fields["title"]).strip():
        raise AuthoringRefused(_("请填写试卷名称。"))
    if "mode" in fields and fields["mode"] != paper.mode and (paper.items.exists() or paper.rules.exists()):
        raise AuthoringRefused(_("试卷已有试题或抽题规则,不能更改组卷方式;请新建试卷。"))
    changed = {k: v for k, v in fields.items() if getattr(paper, k) != v}
    for key, value in changed.items():
        setattr(paper, key, value)
    if changed:
        paper.save()
        papers_changed()
        audit_record(actor=actor, action="paper.update", target=paper, data={"fields": sorted(changed)})
    return paper


@transaction.atomic
def paper_copy(*, paper: Paper, actor: User | None, title: str = "") -> Paper:
    """A draft copy of the paper (items or rules), free to edit: the way to change a locked paper."""
    copy = Paper.objects.create(
        title=title or _("%(title)s(副本)") % {"title": paper.title},
        description=paper.description,
        mode=paper.mode,
        shuffle_questions=paper.shuffle_questions,
        shuffle_options=paper.shuffle_options,
        created_by=actor if actor is not None and actor.pk else None,
    )
    PaperItem.objects.bulk_create(
        PaperItem(paper=copy, question_id=i.question_id, position=i.position, points=i.points)
        for i in paper.items.all()
    )
    PaperRule.objects.bulk_create(
        PaperRule(
            paper=copy,
            position=r.position,
            kind=r.kind,
            category_id=r.category_id,
            tag=r.tag,
            difficulty=r.difficulty,
            count=r.count,
            points_each=r.points_each,
        )
        for r in paper.rules.all()
    )
    audit_record(actor=actor, action="paper.copy", target=copy, data={"from": paper.pk})
    return copy


def _renumber(rows) -> None:
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


@transaction.atomic
def paper_item_add(*, paper: Paper, question: Question, actor: User | None, points: Decimal | None = None) -> PaperItem:
    _ensure_editable(paper)
    if paper.mode != Paper.Mode.FIXED:
        raise AuthoringRefused(_("随机抽题试卷通过抽题规则组卷,不能直接添加试题。"))
    if question.status == Question.Status.RETIRED:
        raise AuthoringRefused(_("已停用的试题不能加入试卷。"))
    if points is not None and points <= 0:
        raise AuthoringRefused(_("分值必须大于 0。"))
    existing = paper.items.filter(question=question).first()
    if existing is not None:
        return existing
    last = paper.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = PaperItem.objects.create(paper=paper, question=question, position=last + 1, points=points)
    papers_changed()
    audit_record(actor=actor, action="paper.item_add", target=paper, data={"question": question.pk})
    return item


@transaction.atomic
def paper_item_remove(*, item: PaperItem, actor: User | None) -> None:
    paper = item.paper
    _ensure_editable(paper)
    question_id = item.question_id
    item.delete()
    _renumber(paper.items.order_by("position", "id"))
    papers_changed()
    audit_record(actor=actor, action="paper.item_remove", target=paper, data={"question": question_id})


@transaction.atomic
def paper_item_move(*, item: PaperItem, offset: int, actor: User | None) -> None:
    """Move an item up (offset -1) or down (+1) by swapping it with its neighbour."""
    paper = item.paper
    _ensure_editable(paper)
    items = list(paper.items.order_by("position", "id"))
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _renumber(items)
        papers_changed()


RULE_FIELDS = ("kind", "category", "tag", "difficulty", "count", "points_each")


def _validate_rule(fields: dict) -> None:
    if fields.get("count") is not None and fields["count"] <= 0:
        raise AuthoringRefused(_("题数必须大于 0。"))
    if fields.get("points_each") is not None and fields["points_each"] <= 0:
        raise AuthoringRefused(_("每题分值必须大于 0。"))


@transaction.atomic
def paper_rule_add(
    *,
    paper: Paper,
    actor: User | None,
    kind: str,
    count: int,
    points_each: Decimal,
    category: QuestionCategory | None = None,
    tag: str = "",
    difficulty: int | None = None,
) -> PaperRule:
    _ensure_editable(paper)
    if paper.mode != Paper.Mode.DRAW:
        raise AuthoringRefused(_("固定试题试卷不使用抽题规则。"))
    _validate_rule({"count": count, "points_each": points_each})
    last = paper.rules.order_by("-position").values_list("position", flat=True).first() or 0
    rule = PaperRule.objects.create(
        paper=paper,
        position=last + 1,
        kind=kind,
        category=category,
        tag=tag.strip(),
        difficulty=difficulty,
        count=count,
        points_each=points_each,
    )
    audit_record(actor=actor, action="paper.rule_add", target=paper, data={"rule": rule.pk})
    return rule


@transaction.atomic
def paper_rule_update(*, rule: PaperRule, actor: User | None, **fields) -> PaperRule:
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields: {sorted(unknown)}")
    _ensure_editable(rule.paper)
    _validate_rule(fields)
    for key, value in fields.items():
        setattr(rule, key, value.strip() if key == "tag" and value else value)
    rule.save()
    audit_record(actor=actor, action="paper.rule_update", target=rule.paper, data={"rule": rule.pk})
    return rule


@transaction.atomic
def paper_rule_remove(*, rule: PaperRule, actor: User | None) -> None:
    paper = rule.paper
    _ensure_editable(paper)
    rule_id = rule.pk
    rule.delete()
    _renumber(paper.rules.order_by("position", "id"))
    audit_record(actor=actor, action="paper.rule_remove", target=paper, data={"rule": rule_id})
