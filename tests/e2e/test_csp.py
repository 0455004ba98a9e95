"""The Content-Security-Policy holds in a real browser: the home page, an exam page and the Wagtail admin load with
no CSP violation (no inline script or handler, no third-party asset is blocked)."""

from __future__ import annotations

import pytest

from org.models import RoleGrant
from tests.exams import factories as f
from tests.factories import PASSWORD, OfficerFactory, RoleCategoryFactory, grant, unit

pytestmark = pytest.mark.e2e

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _violations(page, console: list[str]) -> list[str]:
    return page.evaluate("window.__cspViolations") + [m for m in console if "Content Security Policy" in m]


def test_home_exam_and_cms_load_without_csp_violations(page, live_server, login):
    officer = OfficerFactory(unit=unit("测试区城管局/法制科"), role_category=RoleCategoryFactory())
    grant(officer.user, RoleGrant.Role.TRAINER)
    exam = f.exam(f.fixed_paper([f.question("single")]), officers=[officer])
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH)

    login(page, live_server, officer.employee_no, PASSWORD)
    for path in ("/", f"/exams/{exam.pk}/", "/cms/", "/cms/pages/", "/cms/documents/", "/cms/images/"):
        response = page.goto(path)
        assert response.status == 200, path
        assert "Content-Security-Policy" in {k.title() for k in response.headers} or "content-security-policy" in (
            response.headers
        )
        page.wait_for_load_state("networkidle")
        assert _violations(page, console) == [], (path, _violations(page, console))

    # The language switcher (formerly an inline onchange handler) still works under the policy.
    page.goto("/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert _violations(page, console) == []
    assert page.locator("html").get_attribute("lang") in ("en", "en-us")
