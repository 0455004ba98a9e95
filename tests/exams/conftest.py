from decimal import Decimal

import pytest

from exams.formats.base import Option, QuestionData
from org.models import RoleGrant
from tests.factories import OfficerFactory, UserFactory, grant, unit


@pytest.fixture
def trainer(db):
    user = UserFactory(username="trainer-t")
    grant(user, RoleGrant.Role.TRAINER)
    return user


@pytest.fixture
def hr(db, mfa_user):
    user = UserFactory(username="hr-t")
    grant(user, RoleGrant.Role.HR)
    return mfa_user(user)


@pytest.fixture
def leader(db):
    """A unit leader is not a question-bank user."""
    squad = unit("测试区城管局/执法一中队")
    officer = OfficerFactory(unit=squad)
    grant(officer.user, RoleGrant.Role.UNIT_LEADER, squad)
    return officer.user


def single(**kw) -> QuestionData:
    data = dict(
        kind="single",
        stem="当场作出行政处罚决定的,执法人员应当在几日内报所属行政机关备案?",
        options=[Option("三日"), Option("五日"), Option("七日", True), Option("十日")],
        points=Decimal("1"),
        category="行政处罚法/简易程序",
        law_refs=["《中华人民共和国行政处罚法》第五十二条"],
        explanation="执法人员当场作出的行政处罚决定,应当报所属行政机关备案。",
        tags=["简易程序"],
    )
    data.update(kw)
    return QuestionData(**data)


@pytest.fixture
def make_single():
    return single
