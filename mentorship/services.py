"""Every write of mentorship: programmes and their rules, matching (run, lock, swap), publishing, check-ins and
their confirmation (hours credited to both through learning's ledger, exactly once, capped per month), goals, the
end of a pair and the mutual evaluations. Keyword-only, atomic, audited; a refused request raises MentorshipError
with a Chinese message for the person."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import services as learning_services
from learning.selectors import categories as credit_categories
from org.access import require
from org.models import Officer, Unit, User
from org.services import audit_record, notice_push
from org.units import in_subtree

from . import matching
from .access import may_manage_programme
from .candidates import candidates
from .models import CheckIn, Evaluation, Goal, MentorCapacity, Pair, Programme

MENTOR_CATEGORY = "mentoring"  # 师徒带教 (learning's data migration 0003)
SOURCE_KIND = "mentorship"  # learning.models.CreditEntry.SourceKind.MENTORSHIP
NOTICE_KIND = "mentorship"


class MentorshipError(Exception):
    """A rule of the domain refused the request; the message is for the person."""


def _check_manage(actor: User, programme: Programme) -> None:
    require(actor, "hr_pages")
    if not may_manage_programme(actor, programme):
        raise MentorshipError(_("您无权管理该师徒结对计划。"))


# --- programmes ------------------------------------------------------------------------------------------------


def _validate_rules(values: dict) -> None:
    goals = values.get("goal_template") or []
    if not 3 <= len(goals) <= 5:
        raise MentorshipError(_("带教目标须为 3 至 5 项。"))
    for goal in goals:
        title = str(goal.get("title", "")).strip()
        days = goal.get("due_days")
        if not title or len(title) > 100:
            raise MentorshipError(_("每项带教目标须有名称(不超过 100 字)。"))
        if not isinstance(days, int) or not 1 <= days <= 366:
            raise MentorshipError(_("带教目标“%(t)s”的完成期限须为 1 至 366 天。") % {"t": title})
    weights = values.get("weights") or {}
    for name in matching.FACTORS:
        w = weights.get(name, 0)
        if not isinstance(w, int | float) or not 0 <= w <= 100:
            raise MentorshipError(_("评分权重须在 0 至 100 之间。"))
    if not 1 <= int(values.get("default_capacity", 2)) <= 3:
        raise MentorshipError(_("每位师傅带徒人数须为 1 至 3 人。"))
    code = values.get("mentee_credit_category", "business")
    if code not in credit_categories():
        raise MentorshipError(_("未知的学时类别:%(code)s") % {"code": code})
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends <= starts:
        raise MentorshipError(_("结束日期须晚于开始日期。"))


@transaction.atomic
def programme_save(*, actor: User, programme: Programme | None = None, **values) -> Programme:
    """Create or edit a programme. A unit leader may run one for their own subtree; HR for any unit."""
    roles = require(actor, "hr_pages")
    unit: Unit | None = values.get("unit") or (programme.unit if programme else None)
    if unit is None:
        raise MentorshipError(_("请选择范围单位。"))
    if not roles.sees_everyone and not in_subtree(unit.path, roles.leader_unit_paths):
        raise MentorshipError(_("只能为本人负责的单位及下级建立计划。"))
    if programme is not None:
        _check_manage(actor, programme)
        if programme.state == Programme.State.CLOSED:
            raise MentorshipError(_("该计划已结束,不能修改。"))
    current = {f: getattr(programme, f) for f in values} if programme else {}
    merged = {**current, **values}
    defaults = Programme()
    for name in ("goal_template", "weights", "default_capacity", "mentee_credit_category"):
        merged.setdefault(name, getattr(programme or defaults, name))
    _validate_rules(merged)
    if programme is None:
        programme = Programme(owner=actor, **values)
    else:
        for name, value in values.items():
            setattr(programme, name, value)
    programme.save()
    audit_record(actor=actor, action="mentorship.programme_save", target=programme, data={"fields": sorted(values)})
    return programme


@transaction.atomic
def capacity_set(*, programme: Programme, mentor: Officer, capacity: int, actor: User) -> MentorCapacity:
    _check_manage(actor, programme)
    if not 1 <= int(capacity) <= 3:
        raise MentorshipError(_("每位师傅带徒人数须为 1 至 3 人。"))
    row, _created = MentorCapacity.objects.update_or_create(
        programme=programme, mentor=mentor, defaults={"capacity": int(capacity)}
    )
    audit_record(
        actor=actor,
        action="mentorship.capacity_set",
        target=programme,
        data={"mentor": mentor.pk, "capacity": int(capacity)},
    )
    return row


# --- matching --------------------------------------------------------------------------------------------------


def _unmatched_reason(i: int, cands, feasible, assigned: set[int], allow_cross_squad: bool) -> str:
    mentee_pool, mentor_pool = cands.mentee_pool, cands.mentor_pool
    if i in assigned:
        return ""
    if len(mentor_pool) == 0:
        return _("范围内没有符合条件的师傅")
    if feasible[i].any():
        return _("可结对的师傅名额已满")
    if not allow_cross_squad:
        same = mentor_pool.squad == mentee_pool.squad[i]
        if not same.any():
            return _("本中队没有符合条件的师傅(可在计划中允许跨中队结对)")
        return _("本中队符合条件的师傅均为其单位负责人(可允许跨中队结对)")
    return _("符合条件的师傅均为其单位负责人")


@transaction.atomic
def match_run(*, programme: Programme, actor: User | None, today: dt.date | None = None) -> dict:
    """Propose pairs for the whole pool: optimal assignment around the locked proposals (which keep their mentor
    and use up that mentor's capacity). Unlocked proposals are replaced. Returns the summary stored on the programme."""
    if actor is not None:
        _check_manage(actor, programme)
    programme = Programme.objects.select_for_update().select_related("unit").get(pk=programme.pk)
    if programme.state != Programme.State.DRAFT:
        raise MentorshipError(_("计划已发布,不能重新匹配。"))
    today = today or timezone.localdate()
    Pair.objects.filter(programme=programme, state=Pair.State.PROPOSED, locked=False).delete()
    locked = list(Pair.objects.filter(programme=programme, state=Pair.State.PROPOSED, locked=True))
    cands = candidates(programme=programme, today=today)
    weights = {**matching.DEFAULT_WEIGHTS, **(programme.weights or {})}
    scores, feasible = matching.score_matrix(
        cands.mentee_pool, cands.mentor_pool, weights=weights, allow_cross_squad=programme.allow_cross_squad
    )
    mentor_index = {int(pk): j for j, pk in enumerate(cands.mentor_pool.ids)}
    mentee_index = {int(pk): i for i, pk in enumerate(cands.mentee_pool.ids)}
    capacity = cands.mentor_pool.capacity.copy() if len(cands.mentor_pool) else cands.mentor_pool.ids.copy()
    free = np.ones(len(cands.mentee_pool), dtype=bool)
    for pair in locked:
        j, i = mentor_index.get(pair.mentor_id), mentee_index.get(pair.mentee_id)
        if j is not None:
            capacity[j] -= 1
        if i is not None:
            free[i] = False
    rows = np.flatnonzero(free)
    sub_feasible = feasible[rows]
    best = matching.optimal(scores[rows], sub_feasible, np.maximum(capacity, 0))
    base = matching.greedy(scores[rows], sub_feasible, np.maximum(capacity, 0))
    created = 0
    for r, j in best.pairs:
        i = int(rows[r])
        Pair.objects.create(
            programme=programme,
            mentee=cands.mentees[i],
            mentor=cands.mentors[j],
            score=round(float(scores[i, j]), 2),
            explanation=matching.explain(cands.mentee_pool, cands.mentor_pool, i, j, weights=weights),
        )
        created += 1
    assigned = {int(rows[r]) for r, _j in best.pairs} | {i for i in range(len(free)) if not free[i]}
    unmatched = [
        {
            "officer_id": cands.mentees[i].pk,
            "name": cands.mentees[i].name,
            "unit": cands.mentees[i].unit.full_path,
            "reason": _unmatched_reason(i, cands, feasible, assigned, programme.allow_cross_squad),
        }
        for i in range(len(cands.mentees))
        if i not in assigned
    ]
    unmatched += [
        {"officer_id": o.pk, "name": o.name, "unit": o.unit.full_path, "reason": str(reason)}
        for o, reason in cands.excluded
    ]
    locked_total = sum(p.score for p in locked)
    summary = {
        "ran_at": timezone.now().isoformat(),
        "mentees": len(cands.mentees),
        "mentors": len(cands.mentors),
        "proposed": created + len(locked),
        "locked": len(locked),
        "optimal_total": round(best.total + locked_total, 2),
        "greedy_total": round(base.total + locked_total, 2),
        "greedy_pairs": len(base.pairs) + len(locked),
        "unmatched": unmatched,
    }
    programme.last_match = summary
    programme.save(update_fields=["last_match"])
    audit_record(
        actor=actor,
        action="mentorship.match_run",
        target=programme,
        data={k: v for k, v in summary.items() if k != "unmatched"},
    )
    return summary


@transaction.atomic
def pair_lock(*, pair: Pair, locked: bool, actor: User) -> Pair:
    _check_manage(actor, pair.programme)
    if pair.state != Pair.State.PROPOSED:
        raise MentorshipError(_("只能锁定拟结对。"))
    pair.locked = bool(locked)
    pair.save(update_fields=["locked"])
    audit_record(actor=actor, action="mentorship.pair_lock", target=pair, data={"locked": pair.locked})
    return pair


@transaction.atomic
def pair_swap(*, pair: Pair, mentor: Officer, actor: User, today: dt.date | None = None) -> Pair:
    """Give a proposal another mentor (HR's choice): the mentor must be eligible, allowed by the hard constraints
    and have room. The proposal is then locked and the rest re-optimised around it."""
    programme = pair.programme
    _check_manage(actor, programme)
    if pair.state != Pair.State.PROPOSED:
        raise MentorshipError(_("只能调整拟结对。"))
    today = today or timezone.localdate()
    cands = candidates(programme=programme, today=today)
    ids = [int(x) for x in cands.mentor_pool.ids]
    if mentor.pk not in ids:
        refused = dict((o.pk, r) for o, r in cands.refused_mentors)
        raise MentorshipError(
            _("%(name)s 不能担任师傅:%(why)s")
            % {"name": mentor.name, "why": refused.get(mentor.pk, _("不在计划范围内"))}
        )
    j = ids.index(mentor.pk)
    mentee_ids = [int(x) for x in cands.mentee_pool.ids]
    if pair.mentee_id in mentee_ids:
        i = mentee_ids.index(pair.mentee_id)
        weights = {**matching.DEFAULT_WEIGHTS, **(programme.weights or {})}
        scores, feasible = matching.score_matrix(
            cands.mentee_pool, cands.mentor_pool, weights=weights, allow_cross_squad=programme.allow_cross_squad
        )
        if not feasible[i, j]:
            raise MentorshipError(
                _("%(mentor)s 不能带 %(mentee)s:不得为其单位负责人,且须同一中队(除非计划允许跨中队)。")
                % {"mentor": mentor.name, "mentee": pair.mentee.name}
            )
        pair.score = round(float(scores[i, j]), 2)
        pair.explanation = matching.explain(cands.mentee_pool, cands.mentor_pool, i, j, weights=weights)
    taken = (
        Pair.objects.filter(programme=programme, state=Pair.State.PROPOSED, mentor=mentor, locked=True)
        .exclude(pk=pair.pk)
        .count()
    )
    if taken >= int(cands.mentor_pool.capacity[j]):
        raise MentorshipError(
            _("师傅 %(name)s 名额已满(最多带 %(n)s 人)。")
            % {"name": mentor.name, "n": int(cands.mentor_pool.capacity[j])}
        )
    old = pair.mentor_id
    pair.mentor = mentor
    pair.locked = True
    pair.save(update_fields=["mentor", "locked", "score", "explanation"])
    audit_record(actor=actor, action="mentorship.pair_swap", target=pair, data={"from": old, "to": mentor.pk})
    match_run(programme=programme, actor=actor, today=today)
    return pair


def _goals_create(pair: Pair) -> None:
    for n, goal in enumerate(pair.programme.goal_template or []):
        Goal.objects.create(
            pair=pair, title=goal["title"], due_on=pair.started_on + dt.timedelta(days=int(goal["due_days"])), sort=n
        )


@transaction.atomic
def programme_publish(*, programme: Programme, actor: User, today: dt.date | None = None) -> int:
    """Every proposal becomes an active pair with its goals; both sides are notified. Returns the number of pairs."""
    _check_manage(actor, programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.state != Programme.State.DRAFT:
        raise MentorshipError(_("该计划已发布。"))
    today = today or timezone.localdate()
    start = max(today, programme.starts_on)
    proposals = list(
        Pair.objects.filter(programme=programme, state=Pair.State.PROPOSED).select_related(
            "mentee__user", "mentor__user", "programme"
        )
    )
    if not proposals:
        raise MentorshipError(_("没有拟结对,请先运行匹配。"))
    for pair in proposals:
        _pair_activate(pair=pair, start=start)
    programme.state = Programme.State.PUBLISHED
    programme.save(update_fields=["state"])
    audit_record(actor=actor, action="mentorship.programme_publish", target=programme, data={"pairs": len(proposals)})
    return len(proposals)


def _pair_activate(*, pair: Pair, start: dt.date) -> None:
    if Pair.objects.filter(mentee=pair.mentee, state=Pair.State.ACTIVE).exists():
        raise MentorshipError(_("%(name)s 已有一个进行中的师徒结对,不能再结对。") % {"name": pair.mentee.name})
    pair.state = Pair.State.ACTIVE
    pair.started_on = start
    pair.locked = False
    try:
        with transaction.atomic():
            pair.save(update_fields=["state", "started_on", "locked"])
    except IntegrityError as exc:  # a concurrent publish got there first
        raise MentorshipError(_("%(name)s 已有一个进行中的师徒结对,不能再结对。") % {"name": pair.mentee.name}) from exc
    _goals_create(pair)
    notice_push(
        user=pair.mentee.user,
        text=_("您已与师傅 %(mentor)s 结成师徒(%(prog)s)。")
        % {"mentor": pair.mentor.name, "prog": pair.programme.name},
        kind=NOTICE_KIND,
    )
    notice_push(
        user=pair.mentor.user,
        text=_("您已与徒弟 %(mentee)s 结成师徒(%(prog)s)。")
        % {"mentee": pair.mentee.name, "prog": pair.programme.name},
        kind=NOTICE_KIND,
    )


@transaction.atomic
def pair_add(
    *, programme: Programme, mentee: Officer, mentor: Officer, actor: User, today: dt.date | None = None
) -> Pair:
    """HR pairs two officers by hand in a published programme (e.g. a late hire). Same rules as matching."""
    _check_manage(actor, programme)
    programme = Programme.objects.select_for_update().select_related("unit").get(pk=programme.pk)
    if programme.state != Programme.State.PUBLISHED:
        raise MentorshipError(_("只能在进行中的计划里添加结对。"))
    today = today or timezone.localdate()
    cands = candidates(programme=programme, today=today)
    if mentor.pk not in {int(x) for x in cands.mentor_pool.ids}:
        refused = dict((o.pk, r) for o, r in cands.refused_mentors)
        raise MentorshipError(
            _("%(name)s 不能担任师傅:%(why)s")
            % {"name": mentor.name, "why": refused.get(mentor.pk, _("不在计划范围内"))}
        )
    j = [int(x) for x in cands.mentor_pool.ids].index(mentor.pk)
    if cands.mentor_pool.capacity[j] <= 0:
        cap = MentorCapacity.objects.filter(programme=programme, mentor=mentor).values_list("capacity", flat=True)
        raise MentorshipError(
            _("师傅 %(name)s 名额已满(最多带 %(n)s 人)。")
            % {"name": mentor.name, "n": cap.first() or programme.default_capacity}
        )
    if Pair.objects.filter(mentee=mentee, state=Pair.State.ACTIVE).exists():
        raise MentorshipError(_("%(name)s 已有一个进行中的师徒结对,不能再结对。") % {"name": mentee.name})
    mentee_ids = [int(x) for x in cands.mentee_pool.ids]
    if mentee.pk not in mentee_ids:
        raise MentorshipError(_("%(name)s 不在本计划需带教的人员中。") % {"name": mentee.name})
    i = mentee_ids.index(mentee.pk)
    weights = {**matching.DEFAULT_WEIGHTS, **(programme.weights or {})}
    scores, feasible = matching.score_matrix(
        cands.mentee_pool, cands.mentor_pool, weights=weights, allow_cross_squad=programme.allow_cross_squad
    )
    if not feasible[i, j]:
        raise MentorshipError(
            _("%(mentor)s 不能带 %(mentee)s:不得为其单位负责人,且须同一中队(除非计划允许跨中队)。")
            % {"mentor": mentor.name, "mentee": mentee.name}
        )
    pair = Pair(
        programme=programme,
        mentee=mentee,
        mentor=mentor,
        score=round(float(scores[i, j]), 2),
        explanation=matching.explain(cands.mentee_pool, cands.mentor_pool, i, j, weights=weights),
    )
    pair.save()
    _pair_activate(pair=pair, start=max(today, programme.starts_on))
    audit_record(
        actor=actor, action="mentorship.pair_add", target=pair, data={"mentee": mentee.pk, "mentor": mentor.pk}
    )
    return pair


# --- the pair's life -------------------------------------------------------------------------------------------


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def checkin_log(
    *,
    pair: Pair,
    actor: User,
    met_on: dt.date,
    minutes: int,
    topic: str,
    goal: Goal | None = None,
    notes: str = "",
    today: dt.date | None = None,
) -> CheckIn:
    """The mentee records a meeting; it waits for the mentor's confirmation."""
    today = today or timezone.localdate()
    if actor.pk != pair.mentee.user_id:
        raise MentorshipError(_("交流记录由徒弟登记。"))
    if pair.state != Pair.State.ACTIVE:
        raise MentorshipError(_("该结对不在带教中,不能登记交流。"))
    if met_on > today:
        raise MentorshipError(_("交流日期不能晚于今天。"))
    if pair.started_on and met_on < pair.started_on:
        raise MentorshipError(_("交流日期不能早于结对开始日期(%(d)s)。") % {"d": pair.started_on})
    if not 10 <= int(minutes) <= 480:
        raise MentorshipError(_("交流时长须在 10 至 480 分钟之间。"))
    topic = (topic or "").strip()
    if not topic or len(topic) > 100:
        raise MentorshipError(_("请填写交流主题(不超过 100 字)。"))
    if goal is not None and goal.pair_id != pair.pk:
        raise MentorshipError(_("关联目标不属于该结对。"))
    checkin = CheckIn.objects.create(
        pair=pair,
        met_on=met_on,
        minutes=int(minutes),
        topic=topic,
        goal=goal,
        notes=(notes or "")[:2000],
        logged_by=actor,
    )
    audit_record(actor=actor, action="mentorship.checkin_log", target=checkin, data={"pair": pair.pk})
    notice_push(
        user=pair.mentor.user,
        text=_("徒弟 %(name)s 登记了一次交流,请确认。") % {"name": pair.mentee.name},
        kind=NOTICE_KIND,
    )
    return checkin


def _month_used(*, field_name: str, filters: dict, met_on: dt.date) -> Decimal:
    return CheckIn.objects.filter(
        confirmed_at__isnull=False, met_on__year=met_on.year, met_on__month=met_on.month, **filters
    ).aggregate(s=Sum(field_name))["s"] or Decimal(0)


@transaction.atomic
def checkin_confirm(*, checkin: CheckIn, actor: User) -> CheckIn:
    """The mentor confirms a meeting: hours go to both through learning's ledger, exactly once (the row lock and
    the confirmed mark here, and the ledger's unique source key below), each side capped per calendar month by the
    programme (the mentee within the pair, the mentor across their pairs of the programme)."""
    pair = checkin.pair
    if actor.pk == checkin.logged_by_id:
        raise MentorshipError(_("不能确认自己登记的交流记录。"))
    if actor.pk != pair.mentor.user_id:
        raise MentorshipError(_("只有该结对的师傅可以确认交流记录。"))
    # The mentor's row serialises every confirmation that could share a monthly cap (all their pairs).
    Officer.objects.select_for_update().get(pk=pair.mentor_id)
    checkin = (
        CheckIn.objects.select_for_update()
        .select_related("pair__programme", "pair__mentee", "pair__mentor")
        .get(pk=checkin.pk)
    )
    if checkin.confirmed_at is not None:
        return checkin  # already confirmed: nothing credited twice
    pair = checkin.pair
    if pair.state != Pair.State.ACTIVE:
        raise MentorshipError(_("该结对不在带教中,不能确认交流。"))
    programme = pair.programme
    cap = programme.monthly_cap_hours
    hours = _hours(checkin.minutes)
    mentee_used = _month_used(field_name="mentee_hours", filters={"pair": pair}, met_on=checkin.met_on)
    mentor_used = _month_used(
        field_name="mentor_hours",
        filters={"pair__programme": programme, "pair__mentor": pair.mentor},
        met_on=checkin.met_on,
    )
    checkin.mentee_hours = max(Decimal(0), min(hours, cap - mentee_used))
    checkin.mentor_hours = max(Decimal(0), min(hours, cap - mentor_used))
    checkin.confirmed_by = actor
    checkin.confirmed_at = timezone.now()
    checkin.save(update_fields=["mentee_hours", "mentor_hours", "confirmed_by", "confirmed_at"])
    reason = _("师徒结对交流:%(topic)s") % {"topic": checkin.topic}
    for officer, category, credited in (
        (pair.mentee, programme.mentee_credit_category, checkin.mentee_hours),
        (pair.mentor, MENTOR_CATEGORY, checkin.mentor_hours),
    ):
        if credited > 0:
            learning_services.credit_grant(
                officer=officer,
                year=checkin.met_on.year,
                category=category,
                hours=credited,
                source_kind=SOURCE_KIND,
                source_id=f"checkin-{checkin.pk}",
                actor=actor,
                reason=reason,
            )
    audit_record(
        actor=actor,
        action="mentorship.checkin_confirm",
        target=checkin,
        data={"mentee_hours": str(checkin.mentee_hours), "mentor_hours": str(checkin.mentor_hours)},
    )
    notice_push(
        user=pair.mentee.user, text=_("师傅已确认交流记录“%(topic)s”。") % {"topic": checkin.topic}, kind=NOTICE_KIND
    )
    return checkin


@transaction.atomic
def goal_mark(*, goal: Goal, actor: User, done: bool, today: dt.date | None = None) -> Goal:
    pair = goal.pair
    if actor.pk not in (pair.mentee.user_id, pair.mentor.user_id):
        raise MentorshipError(_("只有该结对的师傅和徒弟可以更新目标。"))
    if pair.state != Pair.State.ACTIVE:
        raise MentorshipError(_("该结对不在带教中。"))
    goal.done_on = (today or timezone.localdate()) if done else None
    goal.save(update_fields=["done_on"])
    audit_record(actor=actor, action="mentorship.goal_mark", target=goal, data={"done": done})
    return goal


@transaction.atomic
def pair_end(*, pair: Pair, actor: User, completed: bool, reason: str = "", today: dt.date | None = None) -> Pair:
    """Complete a pair, or end it early with a reason. The history stays."""
    _check_manage(actor, pair.programme)
    pair = Pair.objects.select_for_update().select_related("programme", "mentee__user", "mentor__user").get(pk=pair.pk)
    if pair.state != Pair.State.ACTIVE:
        raise MentorshipError(_("只能结束带教中的结对。"))
    reason = (reason or "").strip()
    if not completed and not reason:
        raise MentorshipError(_("提前结束须填写原因。"))
    pair.state = Pair.State.COMPLETED if completed else Pair.State.ENDED_EARLY
    pair.ended_on = today or timezone.localdate()
    pair.end_reason = reason[:300]
    pair.save(update_fields=["state", "ended_on", "end_reason"])
    audit_record(actor=actor, action="mentorship.pair_end", target=pair, data={"state": pair.state, "reason": reason})
    text = _("师徒结对已结业,请互相评价。") if completed else _("师徒结对已提前结束:%(r)s") % {"r": reason}
    for user in (pair.mentee.user, pair.mentor.user):
        notice_push(user=user, text=text, kind=NOTICE_KIND)
    return pair


@transaction.atomic
def programme_close(*, programme: Programme, actor: User, today: dt.date | None = None) -> int:
    """The programme's end: every active pair is completed (both sides asked to evaluate) and the programme is
    closed. Pairs already ended keep their state. Returns the number of pairs completed."""
    _check_manage(actor, programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.state != Programme.State.PUBLISHED:
        raise MentorshipError(_("只能结束进行中的计划。"))
    active = list(Pair.objects.filter(programme=programme, state=Pair.State.ACTIVE))
    for pair in active:
        pair_end(pair=pair, actor=actor, completed=True, today=today)
    programme.state = Programme.State.CLOSED
    programme.save(update_fields=["state"])
    audit_record(actor=actor, action="mentorship.programme_close", target=programme, data={"completed": len(active)})
    return len(active)


@transaction.atomic
def evaluation_submit(*, pair: Pair, actor: User, rating: int, text: str = "") -> Evaluation:
    if pair.state not in (Pair.State.COMPLETED, Pair.State.ENDED_EARLY):
        raise MentorshipError(_("结对结束后才能评价。"))
    if actor.pk == pair.mentee.user_id:
        side, author = Evaluation.Side.MENTEE, pair.mentee
    elif actor.pk == pair.mentor.user_id:
        side, author = Evaluation.Side.MENTOR, pair.mentor
    else:
        raise MentorshipError(_("只有该结对的师傅和徒弟可以评价。"))
    if not 1 <= int(rating) <= 5:
        raise MentorshipError(_("评分须为 1 至 5 分。"))
    if Evaluation.objects.filter(pair=pair, side=side).exists():
        raise MentorshipError(_("您已评价过。"))
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                pair=pair, side=side, author=author, rating=int(rating), text=(text or "")[:1000]
            )
    except IntegrityError as exc:
        raise MentorshipError(_("您已评价过。")) from exc
    audit_record(actor=actor, action="mentorship.evaluate", target=evaluation, data={"rating": int(rating)})
    return evaluation
