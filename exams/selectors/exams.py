"""Reads for exams as officers and trainers see them: an officer's exams (upcoming / open / finished), the
live monitor of one exam, and the trainers' lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from org.models import Officer, Unit, User
from org.scopes import officers_visible_to, roles_of
from org.units import subtree_q

from ..models import Attempt, Exam, Paper
from ..policy import exam_final_close, review_visible
from .attempts import exam_eligibility
from .audience import exam_audience_spec, exams_for_officer

ONLINE_SECONDS = 90
FINISHED_STATES = (Attempt.State.SUBMITTED, Attempt.State.GRADED, Attempt.State.RELEASED)


# --- the officer's exams ---------------------------------------------------------------------------------


@dataclass
class OfficerExam:
    exam: Exam
    eligibility: object | None  # exams.selectors.attempts.Eligibility (A's contract)
    attempts: list[Attempt]
    key: str = ""  # in_progress / can_start / not_open / passed / makeup_pending / failed / submitted / missed / closed
    status: str = ""  # a short Chinese label: 未开始 / 可参加 / 作答中 / 已交卷 / 已通过 / 未通过 / 已结束 / 补考
    tone: str = ""  # badge class: ok / warn / bad / ""
    opens_at: dt.datetime | None = None  # the window that matters for this officer (the 补考 one when relevant)
    closes_at: dt.datetime | None = None
    result: Attempt | None = None  # the attempt whose score may be shown (review policy), if any
    is_makeup: bool = False

    @property
    def open_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if a.state == Attempt.State.IN_PROGRESS), None)

    @property
    def can_start(self) -> bool:
        return bool(self.eligibility is not None and getattr(self.eligibility, "can_start", False))


def _eligibility(*, exam: Exam, officer: Officer, now: dt.datetime):
    """The one rule of who may start (selectors.attempts.exam_eligibility)."""
    return exam_eligibility(exam=exam, officer=officer, now=now)


def _makeup_window(exam: Exam) -> tuple[dt.datetime, dt.datetime] | None:
    if not exam.makeup_attempts:
        return None
    if exam.makeup_opens_at and exam.makeup_closes_at:
        return exam.makeup_opens_at, exam.makeup_closes_at
    return exam.opens_at, exam.closes_at


def _result(exam: Exam, attempts: list[Attempt], now: dt.datetime) -> Attempt | None:
    """The attempt to show the officer: a passed one, else the latest graded one, if its score is visible."""
    graded = [a for a in attempts if a.state in (Attempt.State.GRADED, Attempt.State.RELEASED)]
    if not graded:
        return None
    best = next((a for a in graded if a.passed), graded[-1])
    return best if review_visible(exam=exam, attempt=best, part="score", now=now) else None


def officer_exam(*, exam: Exam, officer: Officer, now: dt.datetime, attempts: list[Attempt] | None = None):
    """One exam as the officer sees it (status, window, eligibility, visible result)."""
    if attempts is None:
        attempts = list(Attempt.objects.filter(exam=exam, officer=officer).order_by("number"))
    eligibility = _eligibility(exam=exam, officer=officer, now=now)
    row = OfficerExam(exam=exam, eligibility=eligibility, attempts=attempts)
    row.result = _result(exam, attempts, now)
    passed = any(a.passed for a in attempts)
    finished = [a for a in attempts if a.state in FINISHED_STATES]
    row.opens_at, row.closes_at = exam.opens_at, exam.closes_at
    if eligibility is not None and getattr(eligibility, "is_makeup", False):
        row.is_makeup = True
        row.opens_at = eligibility.window_opens_at or row.opens_at
        row.closes_at = eligibility.window_closes_at or row.closes_at
    makeup = _makeup_window(exam)
    failed_all = bool(finished) and not passed and all(a.passed is False for a in finished)
    if row.open_attempt is not None:
        row.key, row.status, row.tone = "in_progress", _("作答中"), "warn"
    elif row.can_start:
        row.key, row.status, row.tone = "can_start", (_("可参加补考") if row.is_makeup else _("可参加")), "ok"
    elif now < exam.opens_at:
        row.key, row.status = "not_open", _("未开始")
    elif passed and row.result is not None:
        row.key, row.status, row.tone = "passed", _("已通过"), "ok"
    elif failed_all and makeup and now < makeup[0]:
        row.key, row.status, row.tone, row.is_makeup = "makeup_pending", _("待补考"), "warn", True
        row.opens_at, row.closes_at = makeup
    elif row.result is not None:
        row.key, row.status, row.tone = "failed", _("未通过"), "bad"
    elif finished:
        row.key, row.status = "submitted", _("已交卷")
    elif now >= exam_final_close(exam):
        row.key, row.status, row.tone = "missed", _("已结束(未参加)"), "bad"
    else:
        row.key, row.status = "closed", _("不可参加")
    return row


def officer_exams(*, officer: Officer, now: dt.datetime) -> dict[str, list[OfficerExam]]:
    """The officer's published exams: upcoming (not open yet, or a 补考 still to come), open (may start or
    continue now) and finished (everything else, newest first)."""
    published = Exam.objects.filter(status=Exam.Status.PUBLISHED).select_related("paper").order_by("opens_at", "pk")
    exams = exams_for_officer(officer=officer, exams=published)
    attempts: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(officer=officer, exam__in=[e.pk for e in exams]).order_by("number"):
        attempts.setdefault(attempt.exam_id, []).append(attempt)
    buckets: dict[str, list[OfficerExam]] = {"upcoming": [], "open": [], "finished": []}
    for exam in exams:
        row = officer_exam(exam=exam, officer=officer, now=now, attempts=attempts.get(exam.pk, []))
        if row.open_attempt is not None or row.can_start:
            buckets["open"].append(row)
        elif now < exam.opens_at or row.key == "makeup_pending":
            buckets["upcoming"].append(row)
        elif (
            row.eligibility is None
            and now < exam.closes_at
            and not any(a.state in FINISHED_STATES for a in row.attempts)
        ):
            # Without the attempts engine's eligibility, an exam inside its window counts as open.
            buckets["open"].append(row)
        else:
            buckets["finished"].append(row)
    buckets["finished"].sort(key=lambda r: r.exam.closes_at, reverse=True)
    return buckets


# --- the monitor -----------------------------------------------------------------------------------------

MONITOR_PAGE_SIZE = 50
MONITOR_MAX_PAGE_SIZE = 200
MONITOR_POLL_SECONDS = 15  # the page polls no faster than this: a city-wide exam has many watchers
MONITOR_STATES = ("not_started", "in_progress", "overdue", "submitted")
_COUNT_KEYS = ("audience", *MONITOR_STATES, "online")


@dataclass
class MonitorRow:
    officer: Officer
    attempt: Attempt | None
    answered: int = 0
    online: bool = False
    state: str = "not_started"  # one of MONITOR_STATES


@dataclass
class MonitorCounts:
    audience: int = 0
    not_started: int = 0
    in_progress: int = 0  # open and before its deadline
    overdue: int = 0  # open past its deadline (not closed by the sweep yet)
    submitted: int = 0
    online: int = 0

    @property
    def started(self) -> int:
        return self.in_progress + self.overdue + self.submitted

    def add(self, other: MonitorCounts) -> None:
        for key in _COUNT_KEYS:
            setattr(self, key, getattr(self, key) + getattr(other, key))


@dataclass
class MonitorUnit:
    """The counts of one unit of the breakdown (a child of the filtered unit, or the unit itself for the officers
    placed directly in it)."""

    unit: Unit | None
    counts: MonitorCounts
    is_self: bool = False


@dataclass
class Monitor(MonitorCounts):
    exam: Exam | None = None
    rows: list[MonitorRow] = field(default_factory=list)
    units: list[MonitorUnit] = field(default_factory=list)
    unit: Unit | None = None
    state: str = ""
    search: str = ""
    page: int = 1
    page_size: int = MONITOR_PAGE_SIZE
    matching: int = 0  # officers that match the filters (the list's length over all pages)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.matching // self.page_size))


def _attempts(exam: Exam, **filters) -> Exists:
    return Exists(Attempt.objects.filter(exam=exam, officer=OuterRef("pk"), **filters))


def _state_filters(exam: Exam, now: dt.datetime) -> dict[str, Q]:
    """Each officer's state on the monitor, as filters on Officer rows (an open attempt wins over a finished one:
    a retake in progress is "in progress")."""
    open_ = Q(_attempts(exam, state=Attempt.State.IN_PROGRESS))
    live = Q(_attempts(exam, state=Attempt.State.IN_PROGRESS, deadline__gte=now))
    finished = Q(_attempts(exam, state__in=FINISHED_STATES))
    return {
        "in_progress": live,
        "overdue": open_ & ~live,
        "submitted": finished & ~open_,
        "not_started": ~open_ & ~finished,
    }


def _scope_q(viewer: User) -> Q:
    roles = roles_of(viewer)
    if roles.sees_everyone or roles.is_trainer:
        return Q()
    return Q(pk__in=officers_visible_to(viewer).values("pk"))


def _breakdown_prefix_length(viewer: User, unit: Unit | None) -> int:
    """The breakdown is by the children of the filtered unit; unfiltered, by the children of the viewer's own
    subtree (a unit leader) or of the tree's roots."""
    step = Unit.steplen
    if unit is not None:
        return len(unit.path) + step
    paths = roles_of(viewer).leader_unit_paths
    if paths and not (roles_of(viewer).sees_everyone or roles_of(viewer).is_trainer):
        return min(len(p) for p in paths) + step
    return 2 * step


def exam_monitor(
    *,
    exam: Exam,
    viewer: User,
    now: dt.datetime,
    unit: Unit | None = None,
    state: str = "",
    search: str = "",
    page: int = 1,
    page_size: int = MONITOR_PAGE_SIZE,
) -> Monitor:
    """The live monitor of one exam: counts for every officer in view (the audience, and anyone who has an
    attempt) limited to what the viewer may see (a unit leader: their subtree) and to `unit`'s subtree, broken down
    by the unit's children; and one page of officers, filtered by state and by a search on name / 工号. Each row
    shows the officer's latest attempt; "online" means an open attempt seen within the last 90 seconds.

    The cost does not grow with the audience: one grouped aggregate for the counts, one query for the breakdown's
    unit names, one count and one page of officers, one query for that page's attempts (the caller checks that
    the viewer may see `unit`)."""
    page_size = max(1, min(page_size, MONITOR_MAX_PAGE_SIZE))
    audience_q = exam_audience_spec(exam).q() & Q(status=Officer.Status.ACTIVE)
    in_view = Officer.objects.filter(_scope_q(viewer)).filter(audience_q | Q(_attempts(exam)))
    if unit is not None:
        in_view = in_view.filter(subtree_q([unit]))
    states = _state_filters(exam, now)
    online_q = Q(
        _attempts(exam, state=Attempt.State.IN_PROGRESS, last_seen_at__gte=now - dt.timedelta(seconds=ONLINE_SECONDS))
    )

    prefix_length = _breakdown_prefix_length(viewer, unit)
    grouped = (
        in_view.annotate(group=Substr("unit__path", 1, prefix_length))
        .values("group")
        .annotate(
            audience=Count("pk", filter=audience_q),
            online=Count("pk", filter=online_q),
            **{key: Count("pk", filter=q) for key, q in states.items()},
        )
        .order_by("group")
    )
    monitor = Monitor(exam=exam, unit=unit, state=state, search=search, page_size=page_size)
    by_group = {row.pop("group"): MonitorCounts(**row) for row in grouped}
    names = Unit.objects.filter(path__in=list(by_group)).in_bulk(field_name="path") if by_group else {}
    for group, counts in by_group.items():
        monitor.add(counts)
        monitor.units.append(MonitorUnit(unit=names.get(group), counts=counts, is_self=len(group) < prefix_length))

    listed = in_view
    if state in states:
        listed = listed.filter(states[state])
    if search:
        listed = listed.filter(Q(name__icontains=search) | Q(employee_no__icontains=search))
    monitor.matching = listed.count()
    monitor.page = max(1, min(page, monitor.num_pages))  # past the end: the last page
    offset = (monitor.page - 1) * page_size
    officers = list(
        listed.select_related("unit").order_by("unit__path", "employee_no", "pk")[offset : offset + page_size]
    )
    latest: dict[int, Attempt] = {}
    attempts = (
        Attempt.objects.filter(exam=exam, officer_id__in=[o.pk for o in officers])
        .annotate(answered=Count("items", filter=Q(items__response__isnull=False)))
        .order_by("officer_id", "number")
    )
    for attempt in attempts if officers else ():
        latest[attempt.officer_id] = attempt
    online_since = now - dt.timedelta(seconds=ONLINE_SECONDS)
    for officer in officers:
        attempt = latest.get(officer.pk)
        row = MonitorRow(officer=officer, attempt=attempt)
        if attempt is not None:
            row.answered = attempt.answered
            if attempt.state == Attempt.State.IN_PROGRESS:
                row.state = "in_progress" if attempt.deadline >= now else "overdue"
                row.online = bool(attempt.last_seen_at and attempt.last_seen_at >= online_since)
            else:
                row.state = "submitted"
        monitor.rows.append(row)
    return monitor


def may_monitor(user: User, exam: Exam) -> bool:
    """Trainers and HR watch every exam; a unit leader watches published exams (their subtree's rows only)."""
    roles = roles_of(user)
    if roles.may_use_cms:
        return True
    return roles.is_unit_leader and exam.status == Exam.Status.PUBLISHED


def may_proctor(user: User, exam: Exam) -> bool:
    return roles_of(user).may_use_cms and exam.status == Exam.Status.PUBLISHED


# --- trainers' lists -------------------------------------------------------------------------------------


def exams_for_manager(*, user: User) -> QuerySet[Exam]:
    exams = Exam.objects.select_related("paper").annotate(n_attempts=Count("attempts")).order_by("-opens_at", "-pk")
    if roles_of(user).may_use_cms:
        return exams
    return exams.filter(status=Exam.Status.PUBLISHED)


def paper_list() -> QuerySet[Paper]:
    return Paper.objects.annotate(
        n_items=Count("items", distinct=True),
        n_rules=Count("rules", distinct=True),
        n_published=Count("exams", filter=Q(exams__status=Exam.Status.PUBLISHED), distinct=True),
    ).order_by("-created_at", "-pk")
