"""Fixtures of the certification tests (the factories are in tests/certification/factories.py)."""

import pytest

from tests.factories import OfficerFactory, grant, unit


@pytest.fixture
def world_hr(db, mfa_user):
    """An HR user (TOTP enrolled) of 政治处."""
    user = OfficerFactory(unit=unit("测试区城管局/政治处"), name="周敏").user
    grant(user, "hr")
    mfa_user(user)
    return user
