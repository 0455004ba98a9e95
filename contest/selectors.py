"""Every read of the contest: what a phone, the big screen and the host console are shown, the results and the log.

Payloads for websockets are built here, set-based: after a round closes one pass over the ranked seats gives every
phone its own small result and the screen its distribution and leaderboard."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.frozen import FrozenQuestion
from org.access import has
from org.models import Officer, User

from .models import Answer, Contest, ContestQuestion, LogEntry, Seat, Team
from .services import RoundResult, close_due_at


def _ms(moment) -> int | None:
    return int(moment.timestamp() * 1000) if moment else None


def contests_for(user: User) -> QuerySet[Contest]:
    """The contests a trainer sees on the list: their own (HR and admins: all)."""
    contests = Contest.objects.select_related("host").order_by("-created_at")
    return contests if has(user, "hr") else contests.filter(host=user)


def contest_by_code(code: str) -> Contest | None:
    code = (code or "").strip().upper()[:8]
    return Contest.objects.filter(code=code).first() if code else None


def seat_of(contest: Contest, officer: Officer) -> Seat | None:
    return Seat.objects.select_related("team", "officer").filter(contest=contest, officer=officer).first()


def round_count(contest: Contest) -> int:
    return ContestQuestion.objects.filter(contest=contest).count()


def current_round(contest: Contest) -> ContestQuestion | None:
    if not contest.current_position:
        return None
    return ContestQuestion.objects.filter(contest=contest, position=contest.current_position).first()


def round_payload(cq: ContestQuestion, total: int) -> dict:
    """A round as every phone and the screen see it while it runs: never the key."""
    question = FrozenQuestion.of(cq.content)
    public = question.public()
    public.pop("points", None)
    return {
        "kind": "question",
        "position": cq.position,
        "total": total,
        "question": public,
        "shown_at": _ms(cq.shown_at),
        "opens_at": _ms(cq.opens_at),
        "closes_at": _ms(cq.closes_at),
        "close_due": _ms(close_due_at(cq)),
    }


def _key(cq: ContestQuestion) -> dict:
    question = FrozenQuestion.of(cq.content)
    return {"key": question.key(), "key_text": question.key_text(), "explanation": question.explanation}


def _seat_row(seat: Seat) -> dict:
    return {
        "name": seat.officer.name,
        "team": seat.team.name,
        "colour": seat.team.colour,
        "score": seat.score,
        "rank": seat.rank,
        "streak": seat.streak,
    }


def _team_rows(seats: list[Seat]) -> list[dict]:
    """Team score = the mean of its members' scores (so a big squad does not win by size), best first."""
    members: dict[int, list[Seat]] = defaultdict(list)
    for seat in seats:
        members[seat.team_id].append(seat)
    rows = []
    for team_seats in members.values():
        team = team_seats[0].team
        mean = (Decimal(sum(s.score for s in team_seats)) / len(team_seats)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        rows.append({"name": team.name, "colour": team.colour, "members": len(team_seats), "score": float(mean)})
    rows.sort(key=lambda r: (-r["score"], r["name"]))
    return rows


def _distribution(cq: ContestQuestion, answers) -> list[dict]:
    question = FrozenQuestion.of(cq.content)
    counts: Counter = Counter()
    for answer in answers:
        if question.kind == "true_false":
            counts["true" if answer.response is True else "false"] += 1
        else:
            counts.update(answer.response)
    if question.kind == "true_false":
        return [
            {
                "key": "true",
                "label": _("正确"),
                "count": counts["true"],
                "correct": cq.content.get("answer_bool") is True,
            },
            {
                "key": "false",
                "label": _("错误"),
                "count": counts["false"],
                "correct": cq.content.get("answer_bool") is False,
            },
        ]
    return [
        {"key": o["key"], "label": o["label"], "count": counts[o["key"]], "correct": bool(o["correct"])}
        for o in question.options(with_key=True)
    ]


def result_payloads(result: RoundResult, total: int) -> tuple[dict, dict[int, dict]]:
    """After a round: (the screen's message, {seat id: that phone's message}), in one pass over the ranked seats."""
    cq, contest = result.round, result.contest
    key = _key(cq)
    top = [_seat_row(s) for s in result.seats[: contest.top_n]]
    screen = {
        "kind": "result",
        "position": cq.position,
        "total": total,
        **key,
        "distribution": _distribution(cq, result.answers.values()),
        "answered": len(result.answers),
        "correct": sum(1 for a in result.answers.values() if a.correct),
        "seats": len(result.seats),
        "top": top,
        "teams": _team_rows(result.seats),
    }
    phones = {}
    for seat in result.seats:
        answer = result.answers.get(seat.pk)
        phones[seat.pk] = {
            "kind": "result",
            "position": cq.position,
            "total": total,
            "key_text": key["key_text"],
            "answered": answer is not None,
            "correct": bool(answer and answer.correct),
            "points": (answer.points + answer.bonus) if answer and answer.correct else 0,
            "bonus": answer.bonus if answer else 0,
            "score": seat.score,
            "streak": seat.streak,
            "rank": seat.rank,
            "seats": len(result.seats),
            "top": top,
        }
    return screen, phones


def round_result(contest: Contest, cq: ContestQuestion) -> RoundResult:
    """A closed round's result as stored (for a phone or screen that (re)connects after it closed)."""
    seats = list(Seat.objects.filter(contest=contest).select_related("officer", "team").order_by("rank", "id"))
    answers = {a.seat_id: a for a in Answer.objects.filter(contest_question=cq)}
    return RoundResult(contest=contest, round=cq, seats=seats, answers=answers)


def _my_answer(cq: ContestQuestion, seat: Seat) -> dict | None:
    answer = Answer.objects.filter(contest_question=cq, seat=seat).first()
    return None if answer is None else {"position": cq.position, "response": answer.response}


def phone_state(seat: Seat) -> dict:
    """What a phone is sent when it connects (first time or again): its seat, score, streak, rank and the round in
    progress with its own answer, or the last round's result."""
    contest = Contest.objects.get(pk=seat.contest_id)
    seat = Seat.objects.select_related("team", "officer").get(pk=seat.pk)
    total = round_count(contest)
    state = {
        "kind": "hello",
        "status": contest.status,
        "title": contest.title,
        "seat": {
            "name": seat.officer.name,
            "team": seat.team.name,
            "colour": seat.team.colour,
            "score": seat.score,
            "streak": seat.streak,
            "rank": seat.rank,
        },
        "total": total,
    }
    cq = current_round(contest)
    if cq is not None:
        state["round"] = round_payload(cq, total)
        state["my_answer"] = _my_answer(cq, seat)
        if cq.closed_at is not None:
            state["result"] = result_payloads(round_result(contest, cq), total)[1].get(seat.pk)
    return state


def lobby_payload(contest: Contest) -> dict:
    """Who has joined, by team (for the lobby on the screen and the host console)."""
    teams = []
    for team in Team.objects.filter(contest=contest).order_by("id"):
        names = list(Seat.objects.filter(team=team).order_by("id").values_list("officer__name", flat=True))
        teams.append({"name": team.name, "colour": team.colour, "members": names})
    return {"kind": "lobby", "teams": teams, "seats": sum(len(t["members"]) for t in teams)}


def screen_state(contest: Contest) -> dict:
    """What the big screen and the host console are sent when they connect."""
    total = round_count(contest)
    state = {
        "kind": "screen",
        "status": contest.status,
        "title": contest.title,
        "code": contest.code,
        "total": total,
        "lobby": lobby_payload(contest),
    }
    cq = current_round(contest)
    if cq is not None:
        state["round"] = round_payload(cq, total)
        state["answered"] = Answer.objects.filter(contest_question=cq).count()
        if cq.closed_at is not None:
            state["result"] = result_payloads(round_result(contest, cq), total)[0]
    return state


# --- results and the log -----------------------------------------------------------------------------------------


def officer_results(contest: Contest) -> list[Seat]:
    return list(
        Seat.objects.filter(contest=contest).select_related("officer", "officer__unit", "team").order_by("rank", "id")
    )


def team_results(contest: Contest) -> list[dict]:
    return _team_rows(list(Seat.objects.filter(contest=contest).select_related("team")))


def question_results(contest: Contest) -> list[dict]:
    rows = []
    answers_by_round: dict[int, list[Answer]] = defaultdict(list)
    for answer in Answer.objects.filter(contest_question__contest=contest):
        answers_by_round[answer.contest_question_id].append(answer)
    for cq in ContestQuestion.objects.filter(contest=contest).select_related("question").order_by("position"):
        answers = answers_by_round[cq.pk]
        correct = [a for a in answers if a.correct]
        content = cq.content or {}
        rows.append(
            {
                "position": cq.position,
                "stem": content.get("stem") or cq.question.stem,
                "key_text": FrozenQuestion.of(content).key_text() if content else "",
                "asked": cq.shown_at is not None,
                "answered": len(answers),
                "correct": len(correct),
                "rate": round(100 * len(correct) / len(answers)) if answers else None,
                "mean_ms": round(sum(a.elapsed_ms for a in correct) / len(correct)) if correct else None,
            }
        )
    return rows


def log_entries(contest: Contest) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(contest=contest).select_related("seat__officer").order_by("id")


def results_xlsx(contest: Contest) -> bytes:
    from org.tabular import Sheet, write_workbook

    seats = officer_results(contest)
    officers = Sheet(
        title=_("个人成绩"),
        preamble=[[contest.title]],
        headers=[
            _("名次"),
            _("工号"),
            _("姓名"),
            _("单位"),
            _("代表队"),
            _("得分"),
            _("答对题数"),
            _("最长连对"),
            _("答对总用时(秒)"),
        ],
        rows=[
            [
                s.rank,
                s.officer.employee_no,
                s.officer.name,
                s.officer.unit.full_path,
                s.team.name,
                s.score,
                s.correct_count,
                s.best_streak,
                round(s.correct_ms / 1000, 3),
            ]
            for s in seats
        ],
    )
    teams = Sheet(
        title=_("团体成绩"),
        headers=[_("名次"), _("代表队"), _("人数"), _("平均分")],
        rows=[[i, t["name"], t["members"], t["score"]] for i, t in enumerate(team_results(contest), start=1)],
    )
    questions = Sheet(
        title=_("逐题统计"),
        headers=[_("题号"), _("题干"), _("答案"), _("作答人数"), _("答对人数"), _("正确率(%)"), _("答对平均用时(秒)")],
        rows=[
            [
                q["position"],
                q["stem"],
                q["key_text"],
                q["answered"],
                q["correct"],
                q["rate"],
                None if q["mean_ms"] is None else round(q["mean_ms"] / 1000, 3),
            ]
            for q in question_results(contest)
        ],
        wrap=True,
        widths={1: 60},
    )
    log = Sheet(
        title=_("答题日志"),
        headers=[
            _("序号"),
            _("服务器时间"),
            _("事件"),
            _("题号"),
            _("工号"),
            _("姓名"),
            _("答案"),
            _("宽限(毫秒)"),
            _("往返时延(毫秒)"),
            _("说明"),
        ],
        rows=[
            [
                e.pk,
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
                e.get_event_display(),
                e.position,
                e.seat.officer.employee_no if e.seat else "",
                e.seat.officer.name if e.seat else "",
                "" if e.response is None else str(e.response),
                e.grace_ms,
                e.rtt_ms,
                e.reason,
            ]
            for e in log_entries(contest)
        ],
    )
    return write_workbook([officers, teams, questions, log], title=contest.title)
