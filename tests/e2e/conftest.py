"""Real-browser journeys: Playwright (sync API) driving Debian's chromium against pytest-django's live_server.

Fixtures for every e2e test (mark tests with @pytest.mark.e2e):

- ``browser``: a headless chromium (/usr/bin/chromium) for the test; e2e tests are skipped if it is missing.
  Started per test (about 1.5 s), after the database fixtures, on purpose: while Playwright's sync API is open
  it keeps an asyncio loop running in the test thread, and then (a) Django hands the test thread a different
  connection object (asgiref's thread-critical Local switches to a context variable), so serialized rollback
  would silently not restore the migration rows; (b) ``async_to_sync`` cannot run in that thread; (c) a test
  that starts its own ``sync_playwright()`` would fail. Closing it at the end of each test keeps all of that
  inside the e2e test that opened it.
- ``page``: a fresh context per test (zh-CN, Asia/Shanghai, phone-sized 390x844 viewport) with the live
  server's URL as base, so ``page.goto("/hr/officers/")`` works. For a PC call ``page.set_viewport_size(PC)``.
- ``login(page, live_server, username, password)``: log in through the real form (工号/手机号/邮箱).
- ``login_with_totp(page, live_server, username, password, secret)``: same, then the TOTP stage.
- ``totp_code(secret)``: the current 6-digit code for an enrolled secret.
- ``off_loop(fn, *args, **kwargs)``: run ``fn`` in a worker thread. While the browser is open,
  ``async_to_sync`` (channels group_send, e.g. org.services.notice_push
  on commit) cannot run there; wrap such calls in ``off_loop``. Plain ORM calls work directly: the ``browser``
  fixture sets DJANGO_ALLOW_ASYNC_UNSAFE=true while it is open (and removes it afterwards).

Every e2e test runs on ``transactional_db`` (the live server thread must see committed rows) with serialized
rollback: the database is emptied and the snapshot taken right after migrations is restored before each test,
so rows created by migrations (role categories, groups, Wagtail's root page) are there even after other
transactional tests flushed the database.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
PC = {"width": 1280, "height": 800}


@pytest.fixture
def browser(_e2e_db, monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"real-browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Only while the browser is open: the variable must not leak into other tests (or subprocesses they run,
    # such as `manage.py check --deploy`, which rejects it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            # Close the connections Django opened for this thread while the loop ran (see above), so that
            # PostgreSQL's test database can be flushed and dropped.
            connections.close_all()
            browser.close()


@pytest.fixture
def _e2e_empty_db(django_db_setup, django_db_blocker):
    """A transactional test without serialized rollback that ran before (websocket tests, say) flushed the
    database and let post_migrate re-create content types and permissions under new ids; restoring the snapshot
    on top of those would clash (UNIQUE constraint on django_content_type). Start the restore from empty."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)


@pytest.fixture
def transactional_db(_e2e_empty_db, transactional_db):
    """pytest-django's transactional_db, after emptying the database (see _e2e_empty_db)."""


@pytest.fixture(autouse=True)
def _e2e_db(transactional_db, django_db_serialized_rollback):
    """Committed data for the live server thread; migration-made rows restored for each test."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection

    # The restored content types have the ids of the snapshot, not those an earlier flush re-created and cached
    # (Wagtail resolves page classes through them).
    ContentType.objects.clear_cache()
    # On PostgreSQL the flush restarted every id sequence and the snapshot came back with explicit ids (Wagtail's
    # root page is id 1): move the sequences past the restored rows, or the next insert collides.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, live_server, username: str, password: str) -> None:
    """Log in through the allauth form and wait for the next page (home, or the TOTP stage)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def totp_code(secret: str) -> str:
    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def login_with_totp(page, live_server, username: str, password: str, secret: str) -> None:
    login(page, live_server, username, password)
    assert page.url.endswith("/accounts/2fa/authenticate/"), page.url
    page.fill("#id_code", totp_code(secret))
    with page.expect_navigation():
        page.press("#id_code", "Enter")


def off_loop(fn, *args, **kwargs):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


@pytest.fixture(name="login")
def _login_fixture():
    return login


@pytest.fixture(name="login_with_totp")
def _login_with_totp_fixture():
    return login_with_totp


@pytest.fixture(name="totp_code")
def _totp_code_fixture():
    return totp_code


@pytest.fixture(name="off_loop")
def _off_loop_fixture():
    return off_loop
