import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import OfficerFactory, unit


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(items):
    """Every transactional test restores the database as migrations left it (serialized rollback). Besides giving
    each such test the data migrations' rows (role and credit categories, the page tree), it keeps the order of tests
    free: the flush after a non-serialized transactional test re-creates content types, and a serialized test after
    it would then fail to restore its own copies (duplicate key), e.g. under pytest-xdist's distribution."""
    for item in items:
        if _is_transactional(item) and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


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
