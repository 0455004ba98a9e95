"""A small bureau for the org tests: two squads, each with teams, and one person of every kind of role."""

from dataclasses import dataclass

import pytest

from org.models import Officer, Unit, User
from tests.factories import OfficerFactory, grant, unit

BUREAU = "测试区城管局"


@dataclass
class World:
    bureau: Unit
    squad1: Unit
    squad1_team1: Unit
    squad1_team2: Unit
    squad2: Unit
    squad2_team1: Unit
    a1: Officer  # 执法一中队/一分队
    a2: Officer  # 执法一中队/二分队
    a3: Officer  # 执法一中队 (the squad itself)
    b1: Officer  # 执法二中队/一分队
    leader: User  # unit leader of 执法一中队 (an officer of 执法一中队 too)
    leader_officer: Officer
    hr: User  # HR, TOTP enrolled
    trainer: User  # trainer of 法制科, an officer too


@pytest.fixture
def world(db, mfa_user) -> World:
    bureau = unit(BUREAU)
    squad1 = unit(f"{BUREAU}/执法一中队")
    squad1_team1 = unit(f"{BUREAU}/执法一中队/一分队")
    squad1_team2 = unit(f"{BUREAU}/执法一中队/二分队")
    squad2 = unit(f"{BUREAU}/执法二中队")
    squad2_team1 = unit(f"{BUREAU}/执法二中队/一分队")
    legal = unit(f"{BUREAU}/法制科")
    leader_officer = OfficerFactory(unit=squad1, name="王建国")
    grant(leader_officer.user, "unit_leader", squad1)
    hr = OfficerFactory(unit=unit(f"{BUREAU}/政治处"), name="周敏").user
    grant(hr, "hr")
    mfa_user(hr)
    trainer = OfficerFactory(unit=legal, name="林志强").user
    grant(trainer, "trainer")
    return World(
        bureau=bureau,
        squad1=squad1,
        squad1_team1=squad1_team1,
        squad1_team2=squad1_team2,
        squad2=squad2,
        squad2_team1=squad2_team1,
        a1=OfficerFactory(unit=squad1_team1, name="张伟"),
        a2=OfficerFactory(unit=squad1_team2, name="王芳"),
        a3=OfficerFactory(unit=squad1, name="李强"),
        b1=OfficerFactory(unit=squad2_team1, name="刘洋"),
        leader=leader_officer.user,
        leader_officer=leader_officer,
        hr=hr,
        trainer=trainer,
    )
