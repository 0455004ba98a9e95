"""Every write of the contest: create, join, open the next round, take an answer, close a round, finish.

The server's clock decides: a round's opens_at/closes_at are written when it is shown, an answer is judged by the
time the server received it (taken by the consumer when the frame arrived) against those stored times plus the
phone's grace, and a round closes only after the largest possible grace has passed. One answer per officer per
round is a database constraint; every answer, accepted or refused, is written to the append-only log."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exams import grading
from exams import selectors as exam_selectors
from learning import selectors as learning_selectors
from learning import services as learning_services
from org.access import require
from org.bulk import int_rows_update
from org.models import Officer, Unit, User
from org.services import audit_record

from . import scoring
from .models import Answer, Contest, ContestError, ContestQuestion, LogEntry, Seat, Team

KINDS = ("single", "multiple", "true_false")
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B: read aloud from a projector
CODE_LENGTH = 6
MAX_QUESTIONS = 100
# A round closes this long after the largest grace, so answers taken just inside the grace are committed first.
CLOSE_SETTLE_MS = 200


def close_due_at(cq: ContestQuestion) -> dt.datetime:
    return cq.closes_at + dt.timedelta(milliseconds=scoring.MAX_GRACE_MS + CLOSE_SETTLE_MS)


@dataclass(frozen=True)
class DrawRule:
    category_id: int | None
    kind: str
    count: int


def _new_code() -> str:
    for _attempt in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Contest.objects.filter(code=code).exists():
            return code
    raise ContestError(_("无法生成加入码,请重试。"))


def eligible_questions(*, kind: str = "", category=None):
    """Bank questions a contest may use: active, of a kind a phone answers in seconds, never confidential
    (exam-only questions never reach a hall full of phones)."""
    questions = exam_selectors.question_list(kind=kind, status="active", category=category).filter(exam_only=False)
    return questions.filter(kind__in=KINDS) if not kind else questions


def _draw(rules: list[DrawRule]) -> list[int]:
    categories = {c.pk: c for c, _n in exam_selectors.category_tree()}
    chosen: list[int] = []
    for rule in rules:
        if rule.kind not in KINDS:
            raise ContestError(_("竞赛只能使用单选题、多选题和判断题。"))
        category = categories.get(rule.category_id) if rule.category_id else None
        if rule.category_id and category is None:
            raise ContestError(_("所选分类不存在。"))
        pool = [
            pk
            for pk in eligible_questions(kind=rule.kind, category=category).values_list("pk", flat=True)
            if pk not in chosen
        ]
        if len(pool) < rule.count:
            raise ContestError(
                _("题库中符合条件的%(kind)s只有 %(have)d 道,少于所需的 %(need)d 道。")
                % {"kind": dict(_kind_names())[rule.kind], "have": len(pool), "need": rule.count}
            )
        chosen.extend(random.sample(pool, rule.count))
    return chosen


def _kind_names():
    return (("single", _("单选题")), ("multiple", _("多选题")), ("true_false", _("判断题")))


@transaction.atomic
def contest_create(
    *,
    actor: User,
    title: str,
    question_ids: list[int] | None = None,
    draw_rules: list[DrawRule] | None = None,
    seconds_per_question: int = 20,
    read_seconds: int = 3,
    scoring_mode: str = Contest.Scoring.LINEAR,
    max_points: int = 100,
    floor_points: int = 50,
    streak_bonus: int = 0,
    top_n: int = 5,
    team_by: str = Contest.TeamBy.SQUAD,
    credit_hours: Decimal | int = 0,
    credit_category: str = "",
) -> Contest:
    """A contest in the lobby with its rounds: the given bank questions in order, or drawn by the rules."""
    require(actor, "training")
    title = (title or "").strip()
    if not title:
        raise ContestError(_("请填写竞赛名称。"))
    if floor_points > max_points:
        raise ContestError(_("保底分不能高于满分。"))
    if not 5 <= seconds_per_question <= 300 or not 0 <= read_seconds <= 60:
        raise ContestError(_("每题作答时间须在 5–300 秒之间,读题时间须在 0–60 秒之间。"))
    if team_by not in Contest.TeamBy.values:
        raise ContestError(_("请选择分队方式。"))
    credit_hours = Decimal(str(credit_hours or 0))
    if credit_hours < 0 or credit_hours > 8:
        raise ContestError(_("参赛学时须在 0–8 小时之间。"))
    if credit_hours and credit_category not in learning_selectors.categories():
        raise ContestError(_("请选择参赛学时的类别。"))
    if question_ids:
        ids = list(dict.fromkeys(question_ids))
        eligible = set(eligible_questions().filter(pk__in=ids).values_list("pk", flat=True))
        missing = [pk for pk in ids if pk not in eligible]
        if missing:
            raise ContestError(
                _("以下试题不能用于竞赛(不存在、未启用、属保密题或不是单选/多选/判断题):%(ids)s")
                % {"ids": "、".join(str(pk) for pk in missing)}
            )
    else:
        ids = _draw(draw_rules or [])
    if not ids:
        raise ContestError(_("请至少选择一道题。"))
    if len(ids) > MAX_QUESTIONS:
        raise ContestError(_("一场竞赛最多 %(n)d 道题。") % {"n": MAX_QUESTIONS})
    contest = Contest.objects.create(
        title=title,
        code=_new_code(),
        host=actor,
        seconds_per_question=seconds_per_question,
        read_seconds=read_seconds,
        scoring=scoring_mode,
        max_points=max_points,
        floor_points=floor_points,
        streak_bonus=streak_bonus,
        top_n=top_n,
        team_by=team_by,
        credit_hours=credit_hours,
        credit_category=credit_category if credit_hours else "",
    )
    ContestQuestion.objects.bulk_create(
        ContestQuestion(contest=contest, position=i, question_id=pk) for i, pk in enumerate(ids, start=1)
    )
    audit_record(actor=actor, action="contest.create", target=contest, data={"questions": len(ids)})
    return contest


def team_unit_for(officer: Officer, team_by: str = Contest.TeamBy.SQUAD) -> Unit:
    """The officer's team, by the contest's choice: their own unit (UNIT); the unit just below the bureau (TOP:
    a 大队 or 科室); or (SQUAD) the nearest 中队 above or at their unit, else the unit just below the bureau.
    Officers placed on the bureau itself are their own team."""
    from org.units import ancestor_paths

    if team_by == Contest.TeamBy.UNIT:
        return officer.unit
    paths = ancestor_paths(officer.unit.path)
    units = {u.path: u for u in Unit.objects.filter(path__in=paths)}
    if team_by == Contest.TeamBy.SQUAD:
        for path in reversed(paths):
            if units[path].kind == Unit.Kind.SQUAD:
                return units[path]
    bureau_at = next((i for i, path in enumerate(paths) if units[path].kind == Unit.Kind.BUREAU), 0)
    return units[paths[bureau_at + 1]] if bureau_at + 1 < len(paths) else officer.unit


def _team_for(contest: Contest, officer: Officer) -> Team:
    unit = team_unit_for(officer, contest.team_by)
    team = Team.objects.filter(contest=contest, unit=unit).first()
    if team is None:
        try:
            with transaction.atomic():
                team = Team.objects.create(
                    contest=contest, unit=unit, name=unit.name, colour=Team.objects.filter(contest=contest).count()
                )
        except IntegrityError:  # another officer of the same squad joined at the same moment
            team = Team.objects.get(contest=contest, unit=unit)
    return team


@transaction.atomic
def contest_join(*, contest: Contest, officer: Officer) -> tuple[Seat, bool]:
    """The officer's seat (created on the first join; the same seat every later time)."""
    seat = Seat.objects.filter(contest=contest, officer=officer).select_related("team").first()
    if seat is not None:
        return seat, False
    if contest.status == Contest.Status.FINISHED:
        raise ContestError(_("竞赛已结束。"))
    try:
        with transaction.atomic():
            seat = Seat.objects.create(contest=contest, officer=officer, team=_team_for(contest, officer))
    except IntegrityError:  # the same officer joined twice at once (two taps): one seat
        return Seat.objects.select_related("team").get(contest=contest, officer=officer), False
    LogEntry.objects.create(contest=contest, event=LogEntry.Event.JOINED, seat=seat, at=timezone.now())
    return seat, True


def _require_host(contest: Contest, actor: User) -> None:
    if actor is None or actor.pk != contest.host_id:
        raise ContestError(_("只有本场竞赛的主持人可以操作。"))


@transaction.atomic
def question_next(*, contest: Contest, actor: User, now: dt.datetime | None = None) -> ContestQuestion:
    """Show the next round: the read time starts now, then the options open for seconds_per_question. The first
    call starts the contest and freezes every round's content from the bank."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    _require_host(contest, actor)
    now = now or timezone.now()
    if contest.status == Contest.Status.FINISHED:
        raise ContestError(_("竞赛已结束。"))
    rounds = ContestQuestion.objects.filter(contest=contest)
    if contest.current_position:
        current = rounds.get(position=contest.current_position)
        if current.closed_at is None:
            raise ContestError(_("请先收题(公布本题结果)再出下一题。"))
    following = rounds.filter(position=contest.current_position + 1).first()
    if following is None:
        raise ContestError(_("已是最后一题。"))
    if contest.status == Contest.Status.LOBBY:
        frozen = []
        for cq in rounds.select_related("question"):
            cq.content = exam_selectors.question_latest_version(cq.question).content
            frozen.append(cq)
        ContestQuestion.objects.bulk_update(frozen, ["content"])
        following.refresh_from_db()
        contest.status = Contest.Status.RUNNING
        contest.started_at = now
        LogEntry.objects.create(contest=contest, event=LogEntry.Event.STARTED, at=now)
    following.shown_at = now
    following.opens_at = now + dt.timedelta(seconds=contest.read_seconds)
    following.closes_at = following.opens_at + dt.timedelta(seconds=contest.seconds_per_question)
    following.save(update_fields=["shown_at", "opens_at", "closes_at"])
    contest.current_position = following.position
    contest.save(update_fields=["status", "started_at", "current_position"])
    LogEntry.objects.create(contest=contest, event=LogEntry.Event.OPENED, position=following.position, at=now)
    return following


@dataclass(frozen=True)
class AnswerOutcome:
    accepted: bool
    reason: str = ""
    duplicate: bool = False  # the same answer arrived again (a resend after a reconnect): counted once
    answer: Answer | None = None


def _lock_round_shared(cq_id: int) -> None:
    """Answers take a shared lock on their round, closing takes an exclusive one: on PostgreSQL an answer that
    passed its checks is committed before the round's results are computed (SQLite serialises writes anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM contest_contestquestion WHERE id = %s FOR SHARE", [cq_id])


def _same_response(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return grading.chosen_keys(a) == grading.chosen_keys(b)


def _valid_response(kind: str, response: object, content: dict) -> bool:
    if kind == "true_false":
        return isinstance(response, bool)
    if not isinstance(response, list) or not response or len(response) > 10:
        return False
    keys = {o["key"] for o in content.get("options") or []}
    if not all(isinstance(k, str) and k in keys for k in response):
        return False
    return len(set(response)) == 1 if kind == "single" else True


@transaction.atomic
def answer_submit(
    *,
    seat: Seat,
    position: int,
    response: object,
    received_at: dt.datetime,
    grace_ms: int = 0,
    rtt_ms: int | None = None,
) -> AnswerOutcome:
    """Take one answer, as received by the server at `received_at`. Refused (with the reason, logged) when the
    round is not the open one, before the options open, after closes_at + grace, malformed, or a second answer."""
    grace_ms = max(0, min(int(grace_ms), scoring.MAX_GRACE_MS))
    contest = seat.contest
    cq = ContestQuestion.objects.filter(contest_id=seat.contest_id, position=position).first()

    def refuse(reason: str, *, duplicate_of: Answer | None = None) -> AnswerOutcome:
        LogEntry.objects.create(
            contest_id=seat.contest_id,
            event=LogEntry.Event.REFUSED,
            position=position if cq else None,
            seat=seat,
            at=received_at,
            response=response if _jsonable(response) else None,
            reason=reason,
            grace_ms=grace_ms,
            rtt_ms=rtt_ms,
        )
        return AnswerOutcome(accepted=False, reason=reason, answer=duplicate_of)

    if cq is None or cq.shown_at is None:
        return refuse(_("该题尚未出题。"))
    _lock_round_shared(cq.pk)
    cq.refresh_from_db(fields=["closed_at"])
    if cq.closed_at is not None:
        return refuse(_("本题已收题,答案无效。"))
    if received_at < cq.opens_at:
        return refuse(_("读题时间内不能作答。"))
    deadline = cq.closes_at + dt.timedelta(milliseconds=grace_ms)
    if received_at > deadline:
        return refuse(_("作答时间已过,答案无效。"))
    content = cq.content
    if not _valid_response(content["kind"], response, content):
        return refuse(_("答案格式不正确。"))
    existing = Answer.objects.filter(contest_question=cq, seat=seat).first()
    if existing is not None:
        if _same_response(existing.response, response):
            return AnswerOutcome(accepted=True, duplicate=True, answer=existing)
        return refuse(_("每题只能作答一次,已按第一次的答案计分。"), duplicate_of=existing)
    received_ms = _ms(received_at)
    elapsed = scoring.reaction_ms(received_ms=received_ms, opens_ms=_ms(cq.opens_at), grace=grace_ms)
    correct = grading.score(content, response) == grading.max_score(content)
    points = 0
    if correct:
        points = scoring.speed_points(
            scoring=contest.scoring,
            max_points=contest.max_points,
            floor_points=contest.floor_points,
            elapsed_ms=elapsed,
            window_ms=contest.seconds_per_question * 1000,
        )
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                contest_question=cq,
                seat=seat,
                response=response,
                received_at=received_at,
                elapsed_ms=elapsed,
                grace_ms=grace_ms,
                correct=correct,
                points=points,
            )
    except IntegrityError:  # the same officer's other answer won the race (two phones, a resend): one counts
        existing = Answer.objects.get(contest_question=cq, seat=seat)
        if _same_response(existing.response, response):
            return AnswerOutcome(accepted=True, duplicate=True, answer=existing)
        return refuse(_("每题只能作答一次,已按第一次的答案计分。"), duplicate_of=existing)
    LogEntry.objects.create(
        contest_id=seat.contest_id,
        event=LogEntry.Event.ACCEPTED,
        position=position,
        seat=seat,
        at=received_at,
        response=response,
        grace_ms=grace_ms,
        rtt_ms=rtt_ms,
    )
    return AnswerOutcome(accepted=True, answer=answer)


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _jsonable(value: object) -> bool:
    return (
        value is None
        or isinstance(value, (bool, int, str))
        or (isinstance(value, list) and len(value) <= 10 and all(isinstance(v, str) and len(v) <= 5 for v in value))
    )


@dataclass
class RoundResult:
    contest: Contest
    round: ContestQuestion
    seats: list[Seat]  # every seat, ranked, with its score after this round
    answers: dict[int, Answer] = field(default_factory=dict)  # by seat id


@transaction.atomic
def question_close(
    *, contest: Contest, actor: User | None = None, now: dt.datetime | None = None
) -> RoundResult | None:
    """Close the open round and score it: streaks, bonuses, scores and ranks of every seat, set-based.
    Idempotent: None when the round was already closed (by the host's page, the big screen or the timer).
    `actor` None is the server's own timer."""
    now = now or timezone.now()
    contest = Contest.objects.get(pk=contest.pk)
    if actor is not None:
        _require_host(contest, actor)
    if not contest.current_position:
        raise ContestError(_("还没有出题。"))
    cq = ContestQuestion.objects.select_for_update().get(contest=contest, position=contest.current_position)
    if cq.closed_at is not None:
        return None
    if now < close_due_at(cq):
        raise ContestError(_("作答时间尚未结束。"))
    answers = {a.seat_id: a for a in Answer.objects.filter(contest_question=cq)}
    seats = list(Seat.objects.select_for_update().filter(contest=contest).select_related("officer", "team"))
    bonused = []
    for seat in seats:
        answer = answers.get(seat.pk)
        if answer is not None and answer.correct:
            seat.streak += 1
            answer.bonus = scoring.streak_bonus(per_step=contest.streak_bonus, streak=seat.streak)
            if answer.bonus:
                bonused.append(answer)
            seat.score += answer.points + answer.bonus
            seat.correct_count += 1
            seat.correct_ms += answer.elapsed_ms
            seat.best_streak = max(seat.best_streak, seat.streak)
        else:
            seat.streak = 0
    seats.sort(key=lambda s: (-s.score, s.correct_ms, s.pk))
    for seat, rank in zip(seats, scoring.competition_ranks([(s.score, s.correct_ms) for s in seats]), strict=True):
        seat.rank = rank
    seat_fields = ["score", "streak", "best_streak", "correct_count", "correct_ms", "rank"]
    int_rows_update(
        model=Seat, fields=seat_fields, rows=[(s.pk, *(getattr(s, name) for name in seat_fields)) for s in seats]
    )
    int_rows_update(model=Answer, fields=["bonus"], rows=[(a.pk, a.bonus) for a in bonused])
    cq.closed_at = now
    cq.save(update_fields=["closed_at"])
    LogEntry.objects.create(contest=contest, event=LogEntry.Event.CLOSED, position=cq.position, at=now)
    return RoundResult(contest=contest, round=cq, seats=seats, answers=answers)


def close_overdue(*, now: dt.datetime | None = None) -> list[RoundResult]:
    """The server's timer: close every round whose deadline (plus the largest grace) has passed, whichever page is
    or is not open. Safe to run by two workers at once (the round's row lock; closing is idempotent)."""
    now = now or timezone.now()
    due = ContestQuestion.objects.filter(
        contest__status=Contest.Status.RUNNING,
        closed_at__isnull=True,
        closes_at__isnull=False,
        closes_at__lte=now - dt.timedelta(milliseconds=scoring.MAX_GRACE_MS + CLOSE_SETTLE_MS),
    ).select_related("contest")
    results = []
    for cq in due:
        if cq.position != cq.contest.current_position:
            continue
        result = question_close(contest=cq.contest, now=now)
        if result is not None:
            results.append(result)
    return results


@transaction.atomic
def contest_finish(*, contest: Contest, actor: User) -> Contest:
    """End the contest (after the round on screen is closed); the results page then holds the record."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    _require_host(contest, actor)
    if contest.status == Contest.Status.FINISHED:
        return contest
    if contest.current_position:
        current = ContestQuestion.objects.get(contest=contest, position=contest.current_position)
        if current.closed_at is None:
            raise ContestError(_("请先收题(公布本题结果)再结束竞赛。"))
    now = timezone.now()
    contest.status = Contest.Status.FINISHED
    contest.finished_at = now
    contest.save(update_fields=["status", "finished_at"])
    LogEntry.objects.create(contest=contest, event=LogEntry.Event.FINISHED, at=now)
    granted = _credit_participants(contest=contest, actor=actor)
    audit_record(
        actor=actor, action="contest.finish", target=contest, data={"seats": contest.seats.count(), "credited": granted}
    )
    return contest


def _credit_participants(*, contest: Contest, actor: User) -> int:
    """Study hours for every officer who answered at least once (the ledger grants each exactly once)."""
    if not contest.credit_hours:
        return 0
    seats = Seat.objects.filter(contest=contest, answers__isnull=False).distinct().select_related("officer")
    year = timezone.localdate().year
    granted = 0
    for seat in seats:
        _entry, created = learning_services.credit_grant(
            officer=seat.officer,
            year=year,
            category=contest.credit_category,
            hours=contest.credit_hours,
            source_kind="offline",
            source_id=f"contest-{contest.pk}",
            actor=actor,
            reason=_("知识竞赛:%(title)s") % {"title": contest.title},
        )
        granted += int(created)
    return granted
