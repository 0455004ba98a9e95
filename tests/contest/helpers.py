"""Builders for contest tests: a trainer hosting a contest of bank questions, officers in two 中队."""

from __future__ import annotations

import datetime as dt

from contest import services
from contest.models import Contest, ContestQuestion
from org.models import Unit
from org.services import unit_ensure_path
from tests.exams import factories as ef
from tests.factories import OfficerFactory, RoleCategoryFactory, UserFactory, grant

SQUAD_KINDS = (Unit.Kind.BUREAU, Unit.Kind.SQUAD, Unit.Kind.TEAM)


def squad_unit(squad: str = "执法一中队", team: str = "一分队"):
    return unit_ensure_path(path=f"测试区城管局/{squad}/{team}", kinds=SQUAD_KINDS)


def officer(squad: str = "执法一中队", **kw):
    RoleCategoryFactory()
    return OfficerFactory(unit=squad_unit(squad), **kw)


def trainer(username: str = "trainer-contest"):
    user = UserFactory(username=username)
    grant(user, "trainer")
    return user


def contest(host=None, kinds=("single", "true_false", "multiple"), **kw) -> Contest:
    host = host or trainer()
    questions = [ef.question(kind) for kind in kinds]
    return services.contest_create(actor=host, title="2026年法律知识竞赛", question_ids=[q.pk for q in questions], **kw)


def open_round(c: Contest, *, now: dt.datetime | None = None) -> ContestQuestion:
    return services.question_next(contest=c, actor=c.host, now=now)


def right(cq: ContestQuestion):
    """The correct response for a round's frozen content."""
    content = cq.content
    if content["kind"] == "true_false":
        return content["answer_bool"]
    return [o["key"] for o in content["options"] if o["correct"]]


def wrong(cq: ContestQuestion):
    content = cq.content
    if content["kind"] == "true_false":
        return not content["answer_bool"]
    return [next(o["key"] for o in content["options"] if not o["correct"])]


def after_open(cq: ContestQuestion, ms: int) -> dt.datetime:
    return cq.opens_at + dt.timedelta(milliseconds=ms)


def after_due(cq: ContestQuestion) -> dt.datetime:
    return services.close_due_at(cq) + dt.timedelta(milliseconds=1)
