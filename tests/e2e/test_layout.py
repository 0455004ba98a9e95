"""No page scrolls sideways on a 390 px phone, for any demo role.

Each demo role logs in (HR with its TOTP), opens every page its main navigation links to, and from each of those
one page of every kind it links to (an officer, an exam, a course, a session ...). A page passes when the document
is no wider than the screen: wide tables scroll inside their own box, forms and menus fit."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from demo.org_seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e

ROLES = [("BJ0001", None), ("leader01", None), ("trainer01", None), ("hr01", DEMO_TOTP_SECRET)]
# Not pages to look at: downloads, sign-out, language switch, the Wagtail/Django admins, the projector screen.
NOT_PAGES = re.compile(
    r"(/accounts/logout|/i18n/|^/cms/|^/django-admin/|/documents/|/media/|\.xlsx|\.svg|\.pdf|format=pdf|export|/screen/|/attachment/)"
)
MAX_PAGES_PER_ROLE = 60


@pytest.fixture
def demo(_e2e_db):
    # Before the browser opens (see tests/e2e/conftest.py): seeding runs Wagtail's tasks and channels calls.
    call_command("seed_demo", stdout=io.StringIO())


def _kind(path: str) -> str:
    """/hr/officers/17/ and /hr/officers/18/ are one kind of page."""
    return re.sub(r"\d+", "N", path)


def _pages_of(page, base: str) -> list[tuple[str, int, int]]:
    """(path, status, scroll width) of the nav pages and one page of each kind they link to."""
    page.goto(f"{base}/")
    nav = list(dict.fromkeys(page.eval_on_selector_all("#main-nav a[href]", "els => els.map(e => e.href)")))
    assert nav, "no navigation"
    queue, seen, kinds, results = list(nav), set(), set(), []
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if url in seen or not url.startswith(base) or NOT_PAGES.search(parts.path + "?" + parts.query):
            continue
        seen.add(url)
        response = page.goto(url)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        results.append((path, response.status if response else 0, width))
        if url in nav:
            for link in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)"):
                kind = _kind(urlsplit(link).path)
                if link.startswith(base) and kind not in kinds:
                    kinds.add(kind)
                    queue.append(link)
    return results


def test_no_page_of_any_role_scrolls_sideways_on_a_phone(demo, browser, live_server, login, login_with_totp):
    problems, visited = [], {}
    for username, secret in ROLES:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
        context.set_default_timeout(15_000)
        page = context.new_page()
        if secret:
            login_with_totp(page, live_server, username, DEMO_PASSWORD, secret)
        else:
            login(page, live_server, username, DEMO_PASSWORD)
        results = _pages_of(page, live_server.url)
        visited[username] = len(results)
        for path, status, width in results:
            if status != 200 or width > PHONE["width"]:
                problems.append(f"{username} {path}: HTTP {status}, {width} px wide")
        context.close()
    # Each role saw its navigation and the detail pages behind it (the demo links plenty of them).
    assert all(count >= 10 for count in visited.values()), visited
    assert not problems, "\n".join(problems)
