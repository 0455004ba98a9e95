"""Demo data of the live contest (法律知识竞赛), built through contest.services as a trainer runs one:

- last month's 法律知识竞赛(演示), finished: 10 questions from the demo bank, forty officers of the demo squads
  answering on their phones at believable speeds (most right, some wrong, a few silent), every round closed by the
  server's rules, so the results page, the team table and the .xlsx hold a real record;
- this month's contest in the lobby, ready for trainer01 to put on the projector and run live.

Idempotent: a contest with the demo title is left as it is."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from org.models import Officer, User

FINISHED = "%(year)s 年度城市管理法律知识竞赛(演示)"
LOBBY = "%(year)s 年度执法业务技能竞赛(可现场开始)"
PLAYERS = 40


def _eligible_ids(kind: str) -> list[int]:
    from contest.services import eligible_questions

    return list(eligible_questions(kind=kind).order_by("pk").values_list("pk", flat=True))


def _correct(content: dict):
    if content["kind"] == "true_false":
        return content["answer_bool"]
    return [option["key"] for option in content["options"] if option["correct"]]


def _wrong(content: dict):
    if content["kind"] == "true_false":
        return not content["answer_bool"]
    return [next(option["key"] for option in content["options"] if not option["correct"])]


def seed_contest() -> dict:
    from contest import services
    from contest.models import Contest, ContestQuestion

    trainer = User.objects.filter(username="trainer01").first()
    if trainer is None:
        return {"contests": 0}
    year = timezone.localdate().year
    finished_title, lobby_title = FINISHED % {"year": year}, LOBBY % {"year": year}
    if Contest.objects.filter(title=finished_title).exists():
        return {"contests": Contest.objects.filter(title__in=[finished_title, lobby_title]).count()}
    singles, true_false = _eligible_ids("single"), _eligible_ids("true_false")
    questions = singles[:6] + true_false[:4]
    if len(questions) < 4:
        return {"contests": 0}
    rng = random.Random(2026)
    contest = services.contest_create(
        actor=trainer,
        title=finished_title,
        question_ids=questions,
        seconds_per_question=20,
        read_seconds=3,
        streak_bonus=10,
    )
    officers = list(
        Officer.objects.filter(status=Officer.Status.ACTIVE).select_related("unit").order_by("employee_no")[:PLAYERS]
    )
    seats = [services.contest_join(contest=contest, officer=officer)[0] for officer in officers]
    skill = {seat.pk: rng.uniform(0.45, 0.95) for seat in seats}
    moment = timezone.now() - dt.timedelta(days=30)
    for _position in range(len(questions)):
        cq = services.question_next(contest=contest, actor=trainer, now=moment)
        cq = ContestQuestion.objects.get(pk=cq.pk)
        for seat in seats:
            if rng.random() < 0.05:
                continue  # a phone that stayed silent this round
            right = rng.random() < skill[seat.pk]
            after = dt.timedelta(milliseconds=rng.randint(1500, 17_000))
            services.answer_submit(
                seat=seat,
                position=cq.position,
                response=_correct(cq.content) if right else _wrong(cq.content),
                received_at=cq.opens_at + after,
                rtt_ms=rng.randint(30, 180),
            )
        closing = services.close_due_at(cq)
        services.question_close(contest=contest, actor=trainer, now=closing)
        moment = closing + dt.timedelta(seconds=25)
    services.contest_finish(contest=contest, actor=trainer)
    services.contest_create(
        actor=trainer,
        title=lobby_title,
        question_ids=singles[6:11] + true_false[4:9] or questions,
        seconds_per_question=20,
        read_seconds=3,
    )
    return {"contests": 2}
