"""Demo data of mentorship (老带新), built through mentorship.services as HR would:

- this year's programme for the whole demo bureau: the new recruits need a mentor; certified veterans of their
  squad (certification's MAY_ENFORCE, 3+ years) may mentor, two each; matched optimally and published;
- most pairs active with confirmed check-ins (hours credited to both through learning's ledger), one check-in
  waiting for the mentor's confirmation;
- two quiet pairs (no confirmed meeting for five weeks: they show on the board and get reminded);
- three completed pairs with both sides' evaluations.

Idempotent: a programme of this year with the demo name is left as it is."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from org.models import Unit, User

NAME = "%(year)s 年度“老带新”师徒结对"
TOPICS = ["执法文书制作", "简易程序案件办理", "占道经营劝导与处罚", "违法建设巡查", "执法记录仪使用", "案卷评查要点"]
EVALUATIONS = [
    (5, "师傅耐心细致,手把手教文书。", 5, "学得快,已能独立办理简易程序案件。"),
    (4, "带我巡查很多次,受益匪浅。", 4, "踏实肯干,文书还需练习。"),
    (5, "有问必答,经验丰富。", 5, "进步明显,已通过执法资格考试。"),
]


def seed_mentorship() -> dict:
    from mentorship import services
    from mentorship.models import Pair, Programme

    hr = User.objects.filter(username="hr01").first()
    bureau = Unit.objects.filter(depth=1).order_by("path").first()
    if hr is None or bureau is None:
        return {"pairs": 0}
    today = timezone.localdate()
    year = today.year
    name = NAME % {"year": year}
    existing = Programme.objects.filter(year=year, name=name).first()
    if existing is not None:
        return {"pairs": existing.pairs.exclude(state=Pair.State.PROPOSED).count()}
    start = max(dt.date(year, 1, 1), today - dt.timedelta(days=150))
    programme = services.programme_save(
        actor=hr,
        year=year,
        name=name,
        unit=bureau,
        starts_on=start,
        ends_on=dt.date(year, 12, 31),
        mentee_role_codes=["recruit"],
        mentee_hired_within_months=0,
        default_capacity=2,
    )
    services.match_run(programme=programme, actor=hr, today=start)
    services.programme_publish(programme=programme, actor=hr, today=start)
    pairs = list(
        Pair.objects.filter(programme=programme, state=Pair.State.ACTIVE)
        .select_related("mentee__user", "mentor__user", "programme")
        .order_by("pk")
    )
    quiet, completed = pairs[:2], pairs[2:5]
    for n, pair in enumerate(pairs):
        goals = list(pair.goals.all())
        if pair in quiet:  # last met five weeks ago: quiet on the board
            days = [start + dt.timedelta(days=7), today - dt.timedelta(days=35)]
        else:
            days = [
                start + dt.timedelta(days=7 + 21 * k) for k in range(6) if start + dt.timedelta(days=7 + 21 * k) < today
            ]
            days.append(today - dt.timedelta(days=2 + n % 5))
        days = sorted({d for d in days if start <= d <= today})
        for k, day in enumerate(days):
            checkin = services.checkin_log(
                pair=pair,
                actor=pair.mentee.user,
                met_on=day,
                minutes=60 + 30 * (k % 3),
                topic=TOPICS[(n + k) % len(TOPICS)],
                goal=goals[min(k // 2, len(goals) - 1)] if goals else None,
                notes="",
                today=today,
            )
            last_of_an_active_pair = k == len(days) - 1 and n == len(pairs) - 1
            if not last_of_an_active_pair:  # one waits for the mentor's confirmation
                services.checkin_confirm(checkin=checkin, actor=pair.mentor.user)
        if pair not in quiet and goals:
            services.goal_mark(goal=goals[0], actor=pair.mentor.user, done=True, today=today)
    for pair, (r1, t1, r2, t2) in zip(completed, EVALUATIONS, strict=False):
        services.pair_end(pair=pair, actor=hr, completed=True, today=today)
        pair.refresh_from_db()
        services.evaluation_submit(pair=pair, actor=pair.mentee.user, rating=r1, text=t1)
        services.evaluation_submit(pair=pair, actor=pair.mentor.user, rating=r2, text=t2)
    return {"pairs": len(pairs), "quiet": len(quiet), "completed": len(completed)}
