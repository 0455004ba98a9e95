import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import OfficerFactory, unit


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in the default language: a request in English (the language cookie) leaves English active
    in the test thread, and messages built outside a request (import warnings, services) would follow it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and TOTP replay guards live in the cache: every test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite has no row locks or triggers")


@pytest.fixture
def officer(db):
    return OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"))


@pytest.fixture
def mfa_user(db):
    """Enrol TOTP for a user so the MFA-required middleware lets them through."""
    from allauth.mfa.totp.internal.auth import TOTP

    def enrol(user, secret="JBSWY3DPEHPK3PXP"):
        TOTP.activate(user, secret)
        return user

    return enrol
