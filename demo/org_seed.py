"""The demo bureau: units, ~200 officers across role categories, and staff logins.

Shaped on the seeds' reports: a district bureau (区城管执法局) with its departments (办公室, 政治处, 法制科,
督查科), enforcement squads with teams, leaders, 中层骨干, 执法队员, 新招录 and 协管员. Deterministic, so
running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import random

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password

from org import services as org_services
from org.models import Officer, RoleCategory, RoleGrant, Unit, User

BUREAU = "滨江区城市管理综合执法局"
DEPARTMENTS = ["局领导", "办公室", "政治处", "法制科", "督查科"]
SQUADS = ["执法一中队", "执法二中队", "执法三中队", "执法四中队", "市容秩序中队", "渣土运输执法中队"]
TEAMS = ["一分队", "二分队"]
DEMO_PASSWORD = "zfxt2026"
# Fixed so that a demo HR/admin can add it to an authenticator app (or run `manage.py demo_totp`).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国志强文斌海波鹏辉宇浩凯晨旭东阳峰林婷雪梅红玉兰春燕晓亮振宏俊毅"

# (code, count, where): where their units are drawn from.
POPULATION = [
    ("leader", 6, "leaders"),
    ("middle", 22, "squads"),
    ("enforcer", 100, "teams"),
    ("recruit", 20, "teams"),
    ("auxiliary", 40, "teams"),
    ("legal", 8, "legal"),
]

# English names of the role categories, shown when the interface is switched to English.
ROLE_NAMES_EN = {
    "leader": "Leading cadre",
    "middle": "Middle manager",
    "enforcer": "Enforcement officer",
    "recruit": "New recruit",
    "auxiliary": "Auxiliary officer",
    "legal": "Legal officer",
}

STAFF = [
    # username, name, unit suffix, category, grant, unit for grant
    ("hr01", "周敏", "政治处", "middle", RoleGrant.Role.HR, None),
    ("trainer01", "林志强", "法制科", "legal", RoleGrant.Role.TRAINER, None),
    ("leader01", "王建国", "执法一中队", "middle", RoleGrant.Role.UNIT_LEADER, "执法一中队"),
]


def _path(*parts: str) -> str:
    return "/".join((BUREAU, *parts))


def seed_units() -> dict[str, Unit]:
    units = {"bureau": org_services.unit_ensure_path(path=BUREAU, kinds=(Unit.Kind.BUREAU,))}
    for name in DEPARTMENTS:
        units[name] = org_services.unit_ensure_path(path=_path(name), kinds=(Unit.Kind.BUREAU, Unit.Kind.DEPARTMENT))
    for squad in SQUADS:
        units[squad] = org_services.unit_ensure_path(path=_path(squad), kinds=(Unit.Kind.BUREAU, Unit.Kind.SQUAD))
        for team in TEAMS:
            units[f"{squad}/{team}"] = org_services.unit_ensure_path(
                path=_path(squad, team), kinds=(Unit.Kind.BUREAU, Unit.Kind.SQUAD, Unit.Kind.TEAM)
            )
    return units


def _unit_pool(units: dict[str, Unit], where: str) -> list[Unit]:
    if where == "leaders":
        return [units["局领导"]]
    if where == "squads":
        return [units[s] for s in SQUADS] + [units[d] for d in DEPARTMENTS[1:]]
    if where == "legal":
        return [units["法制科"]]
    return [units[f"{s}/{t}"] for s in SQUADS for t in TEAMS]


def seed_officers(units: dict[str, Unit]) -> list[Officer]:
    rng = random.Random(20241)  # fixed: same people every run
    categories = {c.code: c for c in RoleCategory.objects.all()}
    officers: list[Officer] = []
    number = 0
    for code, count, where in POPULATION:
        pool = _unit_pool(units, where)
        for i in range(count):
            number += 1
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            years_ago = rng.randint(0, 1) if code == "recruit" else rng.randint(2, 28)
            hire = dt.date(2026 - years_ago, rng.randint(1, 12), rng.randint(1, 28))
            officers.append(
                org_services.officer_provision(
                    employee_no=f"BJ{number:04d}",
                    name=name,
                    unit=pool[i % len(pool)],
                    role_category=categories[code],
                    hire_date=hire,
                    phone=f"139{number:08d}",
                    enforcement_duty=code in {"leader", "middle", "enforcer", "legal"},
                )
            )
    return officers


def seed_staff(units: dict[str, Unit]) -> list[tuple[str, str]]:
    categories = {c.code: c for c in RoleCategory.objects.all()}
    logins = []
    for username, name, unit_key, category, role, grant_unit in STAFF:
        officer = org_services.officer_provision(
            employee_no=username,
            name=name,
            unit=units[unit_key],
            role_category=categories[category],
            enforcement_duty=True,
        )
        org_services.role_grant(user=officer.user, role=role, unit=units[grant_unit] if grant_unit else None)
        logins.append((username, str(RoleGrant.Role(role).label)))
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", "admin@example.com", DEMO_PASSWORD)
    org_services.role_grant(user=admin, role=RoleGrant.Role.ADMIN)
    logins.append(("admin", str(RoleGrant.Role.ADMIN.label)))
    for user in User.objects.filter(username__in=["hr01", "admin"]):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    return logins


def seed_passwords() -> None:
    # One hash for every demo login: hashing 200 passwords one by one takes a minute.
    User.objects.exclude(username="admin").filter(password__startswith="!").update(password=make_password(DEMO_PASSWORD))


def seed_role_names() -> None:
    for code, name_en in ROLE_NAMES_EN.items():
        RoleCategory.objects.filter(code=code).exclude(name_en=name_en).update(name_en=name_en)


def seed_org() -> dict:
    seed_role_names()
    units = seed_units()
    officers = seed_officers(units)
    staff = seed_staff(units)
    seed_passwords()
    return {"units": units, "officers": officers, "staff": staff}
