"""Demo data of the learning app: 2026 hour rules for every role category, a year of believable credits
(mixed completion, some shortfalls), offline sessions past and upcoming, external training claims.

Deterministic and idempotent: every row has a natural key (exactly-once ledger keys, session titles, claim
titles), inserts use ignore_conflicts, so a second run adds nothing. Runs in about a second."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from learning import services
from learning.models import Attendance, CreditEntry, ExternalClaim, OfflineSession
from org.models import Officer, RoleCategory, Unit, User

YEAR = 2026

# From the bureaus' reports: leaders 60 h rule-of-law study + 40 h for the provincial law exam.
HOUR_RULES = {
    "leader": {"rule_of_law": 60, "law_exam": 40},
    "middle": {"rule_of_law": 50, "law_exam": 40, "business": 24},
    "enforcer": {"rule_of_law": 40, "law_exam": 40, "business": 24},
    "recruit": {"rule_of_law": 40, "business": 60},
    "auxiliary": {"rule_of_law": 20, "business": 24},
    "legal": {"rule_of_law": 60, "law_exam": 40, "business": 24},
}
TRAINING_DAYS = {"leader": 5, "middle": 5, "enforcer": 5, "recruit": 30, "auxiliary": 3, "legal": 5}


def _at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(YEAR, month, day, hour, minute))


# title, kind, category, hours, place, start, end, invited unit names (None: everyone)
SESSIONS = [
    ("《中华人民共和国行政处罚法》专题讲座", "lecture", "rule_of_law", "3", "局三楼会议室", _at(3, 18, 9), _at(3, 18, 12), None),
    ("解放城管大讲堂:违法建设查处程序", "forum", "rule_of_law", "2.5", "区行政中心报告厅", _at(6, 12, 14, 30), _at(6, 12, 17), None),
    ("执法文书规范与案卷评查以会代训", "meeting", "business", "2", "执法一中队会议室", _at(9, 9, 15), _at(9, 9, 17), ["执法一中队", "执法二中队"]),
    ("新招录人员集中学习(执法礼仪与装备)", "central", "business", "8", "局培训教室", _at(10, 20, 9), _at(10, 20, 17), None),
    ("《浙江省城市管理条例》解读大讲堂", "forum", "rule_of_law", "3", "区行政中心报告厅", _at(11, 28, 9), _at(11, 28, 12), None),
    ("年底学法考试考前辅导", "central", "law_exam", "2", "局三楼会议室", _at(12, 5, 14), _at(12, 5, 16), None),
]

CLAIMS = [
    # employee index, title, provider, category, hours, start, end, status
    (3, "城管执法骨干能力提升培训班", "浙江大学继续教育学院", "business", "40", (5, 11), (5, 15), "approved"),
    (12, "全省综合行政执法法制审核人员培训", "省综合行政执法指导办", "rule_of_law", "24", (7, 6), (7, 8), "approved"),
    (30, "市容环境卫生管理专题研修", "市委党校", "business", "16", (9, 22), (9, 23), "pending"),
    (55, "行政复议与行政诉讼应诉实务", "市司法局", "rule_of_law", "8", (10, 14), (10, 14), "pending"),
]


def seed_rules(actor: User | None) -> None:
    roles = {r.code: r for r in RoleCategory.objects.all()}
    for code, cats in HOUR_RULES.items():
        if code not in roles:
            continue
        for category, hours in cats.items():
            services.hour_rule_set(year=YEAR, role_category=roles[code], category=category, hours=Decimal(hours), actor=actor)
        services.training_day_rule_set(year=YEAR, role_category=roles[code], min_days=Decimal(TRAINING_DAYS[code]), actor=actor)


def seed_sessions(trainer: User, officers: list[Officer]) -> list[OfflineSession]:
    units = {u.name: u for u in Unit.objects.filter(depth=2)}
    now = timezone.now()
    out = []
    credits: list[CreditEntry] = []
    attendance: list[tuple[OfflineSession, Officer, dt.datetime, dt.datetime]] = []
    rng = random.Random(2026_11)
    for title, kind, category, hours, place, start, end, invited in SESSIONS:
        session = OfflineSession.objects.filter(title=title, starts_at=start).first()
        if session is None:
            session = services.offline_session_create(
                title=title, kind=kind, category=category, hours=Decimal(hours), place=place, starts_at=start,
                ends_at=end, trainer=trainer, invited_units=[units[n] for n in invited or () if n in units],
            )
        out.append(session)
        if end > now:
            continue
        paths = [units[n].path for n in invited or () if n in units]
        for officer in officers:
            if paths and not any(officer.unit.path.startswith(p) for p in paths):
                continue
            if kind == "central" and "新招录" in title and officer.role_category.code != "recruit":
                continue
            if rng.random() < 0.18:  # absent
                continue
            signed_in = start - dt.timedelta(minutes=rng.randint(1, 20))
            signed_out = end + dt.timedelta(minutes=rng.randint(0, 10))
            attendance.append((session, officer, signed_in, signed_out))
            credits.append(
                CreditEntry(
                    officer=officer, year=YEAR, category_id=category, hours=Decimal(hours),
                    source_kind=CreditEntry.SourceKind.OFFLINE, source_id=str(session.pk), reason=title,
                )
            )
    CreditEntry.objects.bulk_create(credits, ignore_conflicts=True, batch_size=500)
    entry_ids = {
        (e["officer_id"], e["source_id"]): e["pk"]
        for e in CreditEntry.objects.filter(source_kind="offline", reverses__isnull=True).values("pk", "officer_id", "source_id")
    }
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=s, officer=o, signed_in_at=i, signed_out_at=x, credit_id=entry_ids.get((o.pk, str(s.pk)))
            )
            for s, o, i, x in attendance
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    return out


def seed_platform_credits(hr: User | None, officers: list[Officer]) -> None:
    """Hours studied on the provincial study platform (online), imported by HR: most officers are on track,
    some are behind — so the unit view shows shortfalls."""
    rng = random.Random(2026)
    rows = []
    for officer in officers:
        rules = HOUR_RULES.get(officer.role_category.code, {})
        diligence = rng.choice([1.2, 1.1, 1.05, 1.0, 1.0, 1.0, 0.95, 0.85, 0.7, 0.5])
        for category, required in rules.items():
            # Offline sessions add a few hours on top of what the platform reports.
            hours = (Decimal(required) * Decimal(str(diligence))).quantize(Decimal("0.5"))
            if hours <= 0:
                continue
            rows.append(
                CreditEntry(
                    officer=officer, year=YEAR, category_id=category, hours=hours, actor=hr,
                    source_kind=CreditEntry.SourceKind.MANUAL, source_id=f"demo-{YEAR}-platform-{category}",
                    reason="省学法用法平台学时导入",
                )
            )
        if officer.role_category.code == "recruit" and diligence >= 0.85:
            # 初任培训: the recruits' closed training at the provincial academy (counts as training days).
            rows.append(
                CreditEntry(
                    officer=officer, year=YEAR, category_id="business", hours=Decimal("200"), actor=hr,
                    source_kind=CreditEntry.SourceKind.MANUAL, source_id=f"demo-{YEAR}-induction",
                    reason="新招录人员初任培训(省执法学院集中培训 25 天)",
                )
            )
    CreditEntry.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def seed_claims(hr: User | None, officers: list[Officer]) -> None:
    for index, title, provider, category, hours, start, end, status in CLAIMS:
        if index >= len(officers):
            continue
        officer = officers[index]
        if ExternalClaim.objects.filter(officer=officer, title=title).exists():
            continue
        claim = services.external_claim_submit(
            officer=officer, title=title, provider=provider, category=category, hours=Decimal(hours),
            start_date=dt.date(YEAR, *start), end_date=dt.date(YEAR, *end),
            attachment=ContentFile(b"%PDF-1.4\n% demo certificate\n", name="结业证书.pdf"),
        )
        if status == "approved" and hr is not None:
            services.external_claim_decide(claim=claim, actor=hr, approve=True, reason="材料齐全,同意计入")


def seed_learning() -> dict:
    hr = User.objects.filter(username="hr01").first()
    trainer = User.objects.filter(username="trainer01").first() or hr
    officers = list(Officer.objects.select_related("unit", "role_category").filter(employee_no__startswith="BJ").order_by("employee_no"))
    seed_rules(hr)
    sessions = seed_sessions(trainer, officers) if trainer else []
    seed_platform_credits(hr, officers)
    seed_claims(hr, officers)
    return {"sessions": len(sessions), "credits": CreditEntry.objects.count()}
