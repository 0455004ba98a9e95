"""Attempts, write side: start (freeze the paper), autosave (per-answer sequence numbers), submit, the ONE
finalisation, the overdue sweep, and the proctor's extension and forced submission.

The server owns the clock. An attempt is a state machine: in progress → submitted → graded (→ released).
Every finalisation goes through `attempt_finalize`, which locks the attempt row, so a double click, two tabs,
a retry after a timeout, the sweep and a proctor racing each other give exactly one submission.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Officer, User
from org.services import audit_record

from ..models import Attempt, AttemptItem, Exam, ReviewWhen
from ..selectors.attempts import attempt_overdue, attempts_overdue_ids, exam_eligibility, makeup_window
from . import grading
from .papers import PaperInvalid, SittingQuestion, paper_sitting

MAX_TEXT = 20_000  # characters of a case-analysis or fill-in answer
MAX_EXTEND_MINUTES = 600


class AttemptRefused(Exception):
    """The action is not allowed (now); `str(exc)` is a Chinese message for the officer or proctor."""


@dataclass(frozen=True)
class AnswerIn:
    item_id: int
    seq: int
    response: object = None
    flagged: bool = False


@dataclass
class SaveResult:
    """`acked`: every answer the server now holds at that seq or newer (applied: written by this save).
    The browser drops acked answers from its local queue; `stored` tells it the server's floor.
    `refused`: every answer not stored, each with its reason ({"item", "seq", "reason"}); the valid answers of
    the same batch are stored regardless."""

    acked: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    attempt: Attempt | None = None


class AnswersRefused(AttemptRefused):
    """Submit did not finalise: some answers of the batch were refused (and the valid ones stored). The officer
    fixes them and hands in again; `refused` and `acked` are as in SaveResult."""

    def __init__(self, result: SaveResult) -> None:
        super().__init__(
            _("有 %(n)s 道题的答案未能保存,尚未交卷。请按题目旁的提示修改后再交卷。") % {"n": len(result.refused)}
        )
        self.result = result


def _grace() -> dt.timedelta:
    return dt.timedelta(seconds=settings.EXAM_SAVE_GRACE_SECONDS)


def attempt_group(attempt_id: int) -> str:
    return f"exam.attempt.{attempt_id}"


def attempt_push(*, attempt: Attempt, payload: dict) -> None:
    """Push a message to the attempt's open pages after the surrounding transaction commits. Pushes are a
    convenience: the page also learns everything from its next HTTP answer."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    group = attempt_group(attempt.pk)

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, {"type": "attempt.push", "payload": payload})

    transaction.on_commit(send)


# --- start ------------------------------------------------------------------------------------------------


def _deadline(*, exam: Exam, start: dt.datetime, is_makeup: bool) -> dt.datetime:
    closes = makeup_window(exam)[1] if is_makeup else exam.closes_at
    return min(start + dt.timedelta(minutes=exam.duration_minutes), closes)


def _sitting(exam: Exam, seed: int) -> list[SittingQuestion]:
    """The paper as this seed resolves it (a fixed paper's questions from the cache: papers.paper_sitting)."""
    paper = exam.paper if Exam.paper.is_cached(exam) else None
    return paper_sitting(paper_id=exam.paper_id, paper=paper, rng=random.Random(seed))


def _freeze(attempt: Attempt, sitting: list[SittingQuestion]) -> None:
    AttemptItem.objects.bulk_create(
        AttemptItem(
            attempt=attempt,
            position=position,
            question_id=q.question_id,
            version_id=q.version_id,
            content=q.content,
            option_order=q.option_order,
            points=q.points,
        )
        for position, q in enumerate(sitting, start=1)
    )


def _open_attempt(exam: Exam, officer: Officer) -> Attempt | None:
    return Attempt.objects.filter(exam=exam, officer=officer, state=Attempt.State.IN_PROGRESS).first()


def attempt_start(*, exam: Exam, officer: Officer, now: dt.datetime | None = None) -> Attempt:
    """Start a sitting, or return the one in progress (idempotent). Freezes the paper into the attempt's items.
    Two starts racing give one attempt: the officer's row is locked, and the partial unique constraint
    `attempt_one_in_progress` is the last guard. Raises AttemptRefused with the reason when not eligible."""
    now = now or timezone.now()
    existing = _open_attempt(exam, officer)
    if existing is not None and attempt_overdue(existing, now):
        attempt_finalize(attempt_id=existing.pk, now=now, by=Attempt.FinishedBy.DEADLINE)
    try:
        with transaction.atomic():
            return _start_locked(exam=exam, officer=officer, now=now)
    except IntegrityError:
        # Lost a race the lock did not cover: the winner's attempt is committed now.
        existing = _open_attempt(exam, officer)
        if existing is None:
            raise
        return existing


def _start_locked(*, exam: Exam, officer: Officer, now: dt.datetime) -> Attempt:
    Officer.objects.select_for_update().filter(pk=officer.pk).first()
    eligibility = exam_eligibility(exam=exam, officer=officer, now=now)  # read under the lock: current
    if eligibility.open_attempt is not None:
        return eligibility.open_attempt
    if not eligibility.can_start:
        raise AttemptRefused(eligibility.reason)
    number = (
        Attempt.objects.filter(exam=exam, officer=officer).order_by("-number").values_list("number", flat=True).first()
        or 0
    ) + 1
    seed = random.SystemRandom().getrandbits(62)
    try:
        sitting = _sitting(exam, seed)
    except PaperInvalid as exc:
        raise AttemptRefused(str(exc)) from exc
    attempt = Attempt.objects.create(
        exam=exam,
        officer=officer,
        number=number,
        is_makeup=eligibility.is_makeup,
        seed=seed,
        started_at=now,
        deadline=_deadline(exam=exam, start=now, is_makeup=eligibility.is_makeup),
        last_seen_at=now,
        max_score=sum((q.points for q in sitting), grading.ZERO),
    )
    _freeze(attempt, sitting)
    audit_record(
        actor=officer.user,
        action="attempt.start",
        target=attempt,
        data={"exam": exam.pk, "number": number, "makeup": attempt.is_makeup, "deadline": attempt.deadline.isoformat()},
    )
    return attempt


# --- save -------------------------------------------------------------------------------------------------


class AnswerInvalid(Exception):
    """One answer cannot be stored; `str(exc)` says why, in Chinese, for that question."""


def _clean_response(content: dict, response: object) -> object:
    """The response in its stored shape, or AnswerInvalid with the reason. Choice answers store the ORIGINAL
    option keys."""
    if response is None or response == "" or response == []:
        return None
    kind = content["kind"]
    keys = {o["key"] for o in content.get("options") or []}
    if kind == "single":
        if isinstance(response, str):
            if response in keys:
                return response
            raise AnswerInvalid(_("所选选项不在本题的选项中,请刷新页面后重新选择。"))
    elif kind == "multiple":
        if isinstance(response, list) and all(isinstance(k, str) for k in response):
            if all(k in keys for k in response):
                return sorted(set(response))
            raise AnswerInvalid(_("所选选项不在本题的选项中,请刷新页面后重新选择。"))
    elif kind == "true_false":
        if isinstance(response, bool):
            return response
        raise AnswerInvalid(_("判断题只能选择“正确”或“错误”。"))
    elif kind in ("blank", "case"):
        if isinstance(response, str):
            if len(response) <= MAX_TEXT:
                return response
            raise AnswerInvalid(
                _("答案有 %(n)s 字,超过 %(max)s 字的上限,请删减后再保存。") % {"n": len(response), "max": MAX_TEXT}
            )
    raise AnswerInvalid(_("答案格式不正确,请刷新页面后重试。"))


def _touch(attempt: Attempt, now: dt.datetime) -> None:
    """Refresh last_seen_at (the monitor's "online now"), at most every 30 seconds."""
    if attempt.last_seen_at is None or now - attempt.last_seen_at >= dt.timedelta(seconds=30):
        Attempt.objects.filter(pk=attempt.pk).update(last_seen_at=now)
        attempt.last_seen_at = now


def attempt_touch(*, attempt: Attempt, now: dt.datetime | None = None) -> Attempt:
    """A state request: finalise the attempt first when it is overdue, else refresh last_seen_at."""
    now = now or timezone.now()
    if attempt_overdue(attempt, now):
        return attempt_finalize(attempt_id=attempt.pk, now=now, by=Attempt.FinishedBy.DEADLINE)
    if attempt.state == Attempt.State.IN_PROGRESS:
        _touch(attempt, now)
    return attempt


def attempt_save(*, attempt: Attempt, answers: Iterable[AnswerIn], now: dt.datetime | None = None) -> SaveResult:
    """Autosave, answer by answer: each valid answer is written when its `seq` is strictly newer than the stored
    one (a conditional UPDATE per item), so a stale or repeated save never overwrites a newer answer. An invalid
    answer (wrong shape, unknown option, over the length cap, not a question of this attempt) is refused on its
    own, with its reason in `refused`; it never costs the valid answers of the same batch. Raises AttemptRefused
    when the attempt is no longer in progress, or after the deadline plus the grace period (the attempt is then
    finalised at its deadline)."""
    now = now or timezone.now()
    answers = list(answers)
    with transaction.atomic():
        # The row lock orders saves after a concurrent finalisation: nothing is written into a graded attempt.
        locked = Attempt.objects.select_for_update(of=("self",)).select_related("exam", "officer").get(pk=attempt.pk)
        if locked.state != Attempt.State.IN_PROGRESS:
            raise AttemptRefused(_("本次作答已交卷,不能再修改答案。"))
        overdue = now > locked.deadline + _grace()
        if not overdue:
            result = SaveResult(attempt=locked)
            # Only the answered items (content to validate, stored seq): a save carries one or a few answers.
            stored = {
                pk: [content, seq]
                for pk, content, seq in AttemptItem.objects.filter(
                    attempt=locked, pk__in={a.item_id for a in answers}
                ).values_list("pk", "content", "seq")
            }
            for answer in answers:
                _save_one(locked, answer, stored, now, result)
            if result.refused:
                audit_record(
                    actor=locked.officer.user,
                    action="attempt.answers_refused",
                    target=locked,
                    data={"refused": [{"item": r["item"], "seq": r["seq"]} for r in result.refused]},
                )
            _touch(locked, now)
            _sync(attempt, locked)
            return result
    attempt_finalize(attempt_id=attempt.pk, now=now, by=Attempt.FinishedBy.DEADLINE)
    attempt.refresh_from_db()
    raise AttemptRefused(_("考试时间已到,答案已不能再保存;系统已按截止时间自动交卷。"))


# --- save, the plain case in one statement (PostgreSQL) ----------------------------------------------------
#
# Exam day is thousands of officers saving every few seconds; the plain save (the officer's own attempt, in
# progress, before the deadline, every answer valid) is one SQL statement: an UPDATE of the attempt row that checks
# ownership, state and deadline (and refreshes last_seen_at) and, chained to it, the conditional UPDATE of the
# answered items (seq strictly newer). The attempt UPDATE takes the same row lock as `attempt_save` and
# `_finalize`, and PostgreSQL re-checks state and deadline on the newest row version after waiting for it, so a
# save racing a finalisation is either written before the finalisation (and graded) or not at all. Anything
# else (someone else's attempt, submitted, overdue, an invalid answer, SQLite) returns None, and `attempt_save`
# answers it with its reasons.

_RULES_MAX = 8192  # attempts whose validation rules one process keeps (about 1 KB each)
_rules: OrderedDict[int, dict[int, dict]] = OrderedDict()
_rules_lock = threading.Lock()


def _answer_rules(attempt_id: int) -> dict[int, dict]:
    """item id → what `_clean_response` needs of its frozen content (kind, option keys) and the version it was read
    from. Frozen at start; the one exception, a regrade after a key correction, gives the item a new version, which
    the statement checks (`version_id`): a mismatch writes nothing and drops the attempt's rules. An attempt not
    (yet) found is not kept."""
    with _rules_lock:
        rules = _rules.get(attempt_id)
        if rules is not None:
            _rules.move_to_end(attempt_id)
            return rules
    rules = {
        pk: {
            "kind": content.get("kind"),
            "options": [{"key": o.get("key")} for o in content.get("options") or []],
            "version": version,
        }
        for pk, content, version in AttemptItem.objects.filter(attempt_id=attempt_id).values_list(
            "pk", "content", "version_id"
        )
    }
    if rules:
        with _rules_lock:
            _rules[attempt_id] = rules
            while len(_rules) > _RULES_MAX:
                _rules.popitem(last=False)
    return rules


def _fast_save_sql() -> str:
    a, i, e, o = (m._meta.db_table for m in (Attempt, AttemptItem, Exam, Officer))
    return f"""
WITH a AS (
    UPDATE {a} SET last_seen_at = %(now)s
    WHERE id = %(attempt)s AND state = %(in_progress)s AND deadline >= %(cutoff)s
      AND officer_id = (SELECT id FROM {o} WHERE user_id = %(user)s)
    RETURNING id, deadline, exam_id
), v AS (
    SELECT * FROM unnest(
        %(ids)s::bigint[], %(seqs)s::integer[], %(responses)s::text[], %(flags)s::boolean[], %(versions)s::bigint[]
    ) AS v(id, seq, response, flagged, version_id)
), w AS (
    UPDATE {i} t SET response = v.response::jsonb, seq = v.seq, flagged = v.flagged, saved_at = %(now)s
    FROM a, v
    WHERE t.attempt_id = a.id AND t.id = v.id AND t.seq < v.seq AND t.version_id = v.version_id
    RETURNING t.id, t.seq
)
SELECT a.deadline, a.exam_id, e.show_score, e.show_answers, e.show_explanations,
       (SELECT coalesce(json_agg(json_build_array(w.id, w.seq)), '[]') FROM w)
FROM a JOIN {e} e ON e.id = a.exam_id
"""


def attempt_save_owned(
    *, user: User, attempt_id: int, answers: Iterable[AnswerIn], now: dt.datetime | None = None
) -> SaveResult | None:
    """The plain autosave in one statement (see above): the user's own attempt, in progress, before the deadline
    plus the grace period, every answer valid. Returns None, having written nothing, when any of that does not
    hold (or the database is not PostgreSQL): `attempt_save` then decides, with its reasons."""
    if connection.vendor != "postgresql" or not 0 < attempt_id < 2**63:
        return None
    now = now or timezone.now()
    answers = list(answers)
    if len({a.item_id for a in answers}) != len(answers):
        return None  # the same item twice in a batch: applied in order by attempt_save
    rules = _answer_rules(attempt_id)
    cleaned = []
    for answer in answers:
        if answer.item_id not in rules:
            return None
        try:
            response = _clean_response(rules[answer.item_id], answer.response)
        except AnswerInvalid:
            return None
        cleaned.append(None if response is None else json.dumps(response, ensure_ascii=False))
    params = {
        "now": now,
        "attempt": attempt_id,
        "in_progress": Attempt.State.IN_PROGRESS,
        "cutoff": now - _grace(),
        "user": user.pk,
        "ids": [a.item_id for a in answers],
        "seqs": [a.seq for a in answers],
        "responses": cleaned,
        "flags": [bool(a.flagged) for a in answers],
        "versions": [rules[a.item_id]["version"] for a in answers],
    }
    with connection.cursor() as cursor:
        cursor.execute(_fast_save_sql(), params)
        row = cursor.fetchone()
    if row is None:
        return None  # not the user's, not in progress, or overdue: nothing was written
    deadline, exam_id, show_score, show_answers, show_explanations, written = row
    written = dict(json.loads(written) if isinstance(written, str) else written)
    stale = [a.item_id for a in answers if written.get(a.item_id) != a.seq]
    if stale:
        # A resend, or an older save arriving late: the item already holds this seq or a newer one; the page
        # learns the stored one (read after the write, as the rare case it is). Or a regrade gave the item a new
        # version since its rules were read: nothing of it was written; attempt_save decides with fresh content.
        now_stored = AttemptItem.objects.filter(attempt_id=attempt_id, pk__in=stale).values_list(
            "pk", "seq", "version_id"
        )
        for pk, seq, version in now_stored:
            if version != rules[pk]["version"]:
                with _rules_lock:
                    _rules.pop(attempt_id, None)
                return None
            written[pk] = seq
    result = SaveResult()
    for answer in answers:
        applied = answer.item_id not in stale
        stored = max(answer.seq, written.get(answer.item_id, 0))
        result.acked.append({"item": answer.item_id, "seq": answer.seq, "applied": applied, "stored": stored})
    if ReviewWhen.DURING in (show_answers, show_explanations):
        result.attempt = Attempt.objects.select_related("exam", "officer").get(pk=attempt_id)
    else:
        # What the answer needs (the clock; the review policy, which for an attempt in progress reads only these).
        exam = Exam(pk=exam_id, show_score=show_score, show_answers=show_answers, show_explanations=show_explanations)
        result.attempt = Attempt(
            pk=attempt_id, exam=exam, state=Attempt.State.IN_PROGRESS, deadline=deadline, last_seen_at=now
        )
    return result


def _save_one(locked: Attempt, answer: AnswerIn, stored: dict, now: dt.datetime, result: SaveResult) -> None:
    """Apply one answer under the attempt's row lock: ack it (applied, or stale: the newer stored seq) or
    refuse it with its reason."""
    if answer.item_id not in stored:
        result.refused.append(
            {"item": answer.item_id, "seq": answer.seq, "reason": _("这道题不属于本次作答,请刷新页面。")}
        )
        return
    content, stored_seq = stored[answer.item_id]
    if answer.seq <= stored_seq:
        # Stale or repeated: a newer answer is already stored, whatever this one holds.
        result.acked.append({"item": answer.item_id, "seq": answer.seq, "applied": False, "stored": stored_seq})
        return
    try:
        response = _clean_response(content, answer.response)
    except AnswerInvalid as exc:
        result.refused.append({"item": answer.item_id, "seq": answer.seq, "reason": str(exc)})
        return
    applied = AttemptItem.objects.filter(pk=answer.item_id, attempt_id=locked.pk, seq__lt=answer.seq).update(
        response=response, seq=answer.seq, flagged=bool(answer.flagged), saved_at=now
    )
    if applied:
        stored[answer.item_id][1] = answer.seq
    result.acked.append(
        {"item": answer.item_id, "seq": answer.seq, "applied": bool(applied), "stored": stored[answer.item_id][1]}
    )


def _sync(target: Attempt, source: Attempt) -> None:
    for name in (
        "state",
        "deadline",
        "extended_minutes",
        "submitted_at",
        "finished_by",
        "last_seen_at",
        "score",
        "passed",
        "scored_at",
    ):
        setattr(target, name, getattr(source, name))


# --- finalise -------------------------------------------------------------------------------------------


def _finalize(
    *, attempt_id: int, now: dt.datetime, by: str, actor: User | None = None, reason: str = ""
) -> tuple[Attempt, bool]:
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("exam", "officer").get(pk=attempt_id)
        if attempt.state != Attempt.State.IN_PROGRESS:
            return attempt, False
        overdue = now > attempt.deadline
        if overdue and by == Attempt.FinishedBy.OFFICER:
            by = Attempt.FinishedBy.DEADLINE
        attempt.state = Attempt.State.SUBMITTED
        attempt.submitted_at = attempt.deadline if overdue else now
        attempt.finished_by = by
        attempt.save(update_fields=["state", "submitted_at", "finished_by"])
        action = {
            Attempt.FinishedBy.OFFICER: "attempt.submit",
            Attempt.FinishedBy.DEADLINE: "attempt.finalize_deadline",
            Attempt.FinishedBy.PROCTOR: "attempt.force_submit",
        }[by]
        data = {"submitted_at": attempt.submitted_at.isoformat(), "finished_by": by, "at": now.isoformat()}
        if reason:
            data["reason"] = reason
        audit_record(
            actor=actor if actor is not None else (attempt.officer.user if by == "officer" else None),
            action=action,
            target=attempt,
            data=data,
        )
        if grading.grades_inline():
            attempt = grading.attempt_grade(attempt=attempt, now=now)
        else:
            # Acknowledge at once; the task worker grades after the commit (exactly once: it locks the row and
            # grades only an attempt not scored yet). A lost task is graded by the housekeeping safety net.
            transaction.on_commit(lambda: grading.attempt_grade_enqueue(attempt_id=attempt_id))
        attempt_push(attempt=attempt, payload={"kind": "exam.submitted", "state": attempt.state, "by": by})
        return attempt, True


def attempt_finalize(
    *, attempt_id: int, now: dt.datetime, by: str, actor: User | None = None, reason: str = ""
) -> Attempt:
    """THE finalisation: lock the row; if still in progress mark it SUBMITTED (submitted_at = the deadline when
    overdue), audit, and grade: at once with the immediate task backend (the embedded default, tests), else in the
    task worker after the commit (`scored_at` stays None until then). Does nothing when already finalised
    (returns the attempt as it is)."""
    return _finalize(attempt_id=attempt_id, now=now, by=by, actor=actor, reason=reason)[0]


def attempt_submit(*, attempt: Attempt, answers: Iterable[AnswerIn] = (), now: dt.datetime | None = None) -> Attempt:
    """The officer hands in: store the final answers (when still allowed), then finalise. Idempotent: a second
    call (double click, second tab, retry) returns the same submitted attempt.

    A valid answer is never lost: when any answer of the batch is refused and the deadline has not passed, the
    valid ones are stored and AnswersRefused is raised WITHOUT finalising, so the officer can correct the rest.
    After the deadline the valid ones are stored (inside the grace period) and the attempt is finalised at its
    deadline. Not atomic as a whole on purpose: the stored answers must survive a refusal."""
    now = now or timezone.now()
    answers = list(answers)
    if answers:
        try:
            saved = attempt_save(attempt=attempt, answers=answers, now=now)
        except AttemptRefused:
            pass  # already finalised, or past the grace period: finalise below with what was saved in time
        else:
            if saved.refused and now <= attempt.deadline:
                raise AnswersRefused(saved)
    done = attempt_finalize(attempt_id=attempt.pk, now=now, by=Attempt.FinishedBy.OFFICER)
    _sync(attempt, done)
    return done


def attempts_sweep_overdue(*, now: dt.datetime | None = None) -> int:
    """Finalise every open attempt past its deadline plus the grace period, with the deadline as its finish
    time. Returns how many this call finalised (racing requests may have finalised some first)."""
    now = now or timezone.now()
    count = 0
    for attempt_id in attempts_overdue_ids(now=now):
        _attempt, done = _finalize(attempt_id=attempt_id, now=now, by=Attempt.FinishedBy.DEADLINE)
        count += int(done)
    return count


# --- proctor ----------------------------------------------------------------------------------------------


def _require_proctor(actor: User, attempt: Attempt) -> None:
    from ..selectors.exams import may_proctor

    if not may_proctor(actor, attempt.exam):
        raise AttemptRefused(_("只有培训师和人事可以执行监考操作。"))


@transaction.atomic
def attempt_extend(
    *, attempt: Attempt, minutes: int, actor: User, reason: str, now: dt.datetime | None = None
) -> Attempt:
    """Give an open attempt more time (e.g. a device failure). Audited and pushed to the officer's page."""
    _require_proctor(actor, attempt)
    now = now or timezone.now()
    if not 0 < minutes <= MAX_EXTEND_MINUTES:
        raise AttemptRefused(_("延长时间须在 1 到 %(max)s 分钟之间。") % {"max": MAX_EXTEND_MINUTES})
    if not reason.strip():
        raise AttemptRefused(_("请填写延时原因。"))
    locked = Attempt.objects.select_for_update(of=("self",)).get(pk=attempt.pk)
    if attempt_overdue(locked, now):
        attempt_finalize(attempt_id=locked.pk, now=now, by=Attempt.FinishedBy.DEADLINE)
        locked.refresh_from_db()
    if locked.state != Attempt.State.IN_PROGRESS:
        raise AttemptRefused(_("该考生已交卷,不能延时。"))
    locked.deadline += dt.timedelta(minutes=minutes)
    locked.extended_minutes += minutes
    locked.save(update_fields=["deadline", "extended_minutes"])
    audit_record(
        actor=actor,
        action="attempt.extend",
        target=locked,
        data={"minutes": minutes, "reason": reason.strip(), "deadline": locked.deadline.isoformat()},
    )
    attempt_push(
        attempt=locked,
        payload={
            "kind": "exam.time",
            "deadline": locked.deadline.isoformat(),
            "server_now": now.isoformat(),
            "text": _("监考老师已为您延长考试时间 %(minutes)s 分钟。") % {"minutes": minutes},
        },
    )
    _sync(attempt, locked)
    return locked


def attempt_force_submit(*, attempt: Attempt, actor: User, reason: str, now: dt.datetime | None = None) -> Attempt:
    """The proctor ends an open attempt now (e.g. cheating). Audited with the reason; the officer's page is
    sent to the result."""
    _require_proctor(actor, attempt)
    now = now or timezone.now()
    if not reason.strip():
        raise AttemptRefused(_("请填写强制交卷原因。"))
    done, changed = _finalize(
        attempt_id=attempt.pk, now=now, by=Attempt.FinishedBy.PROCTOR, actor=actor, reason=reason.strip()
    )
    if not changed:
        raise AttemptRefused(_("该考生已交卷。"))
    _sync(attempt, done)
    return done
