"""Response headers: a Content-Security-Policy without inline scripts on the site (the Wagtail admin runs its own), no inline
script left in our templates, and production settings that never run with DEBUG on."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from org.models import RoleGrant
from tests.factories import OfficerFactory, grant

BASE = Path(settings.BASE_DIR)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/learning/", "/cms/"])
def test_every_page_has_a_strict_script_policy(client, path):
    """Our pages: scripts from our static files only. The Wagtail admin also runs its own inline scripts (its
    InlinePanel child forms and choosers need them: without, "增加 收录案例" does nothing), never eval."""
    officer = OfficerFactory()
    grant(officer.user, RoleGrant.Role.TRAINER)
    client.force_login(officer.user)
    response = client.get(path)
    assert response.status_code == 200
    directives = policy(response)
    expected = ["'self'", "'unsafe-inline'"] if path.startswith("/cms/") else ["'self'"]
    assert directives["script-src"] == expected  # never 'unsafe-eval', never a third party
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'self'"]
    assert directives["default-src"] == ["'self'"] and directives["base-uri"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_anonymous_login_page_has_the_policy(client):
    assert "script-src 'self'" in client.get(reverse("account_login"))["Content-Security-Policy"]


def test_no_inline_script_or_event_handler_in_our_templates():
    offenders = []
    for template in [*BASE.glob("templates/**/*.html"), *BASE.glob("*/templates/**/*.html")]:
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.relative_to(BASE)}: {tag}")
        for match in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{template.relative_to(BASE)}: {match.group(0).strip()}")
    assert offenders == []


def test_production_settings_force_debug_off_whatever_the_environment_says():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DEBUG": "true",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "example.org",
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "False"


def test_uvicorn_trusts_forwarded_headers_only_from_configured_proxies():
    """X-Forwarded-For from 127.0.0.1 (uvicorn's default) would let anyone on the machine pick their address and
    slip past the per-IP login limit: `make run` turns proxy headers off unless TRUSTED_PROXIES is given."""

    def dry_run(*args):
        result = subprocess.run(["make", "-n", "run", *args], cwd=BASE, capture_output=True, text=True)
        return next(line for line in result.stdout.splitlines() if "uvicorn" in line)

    assert "--no-proxy-headers" in dry_run()
    line = dry_run("TRUSTED_PROXIES=10.0.0.5")
    assert '--forwarded-allow-ips "10.0.0.5"' in line and "--no-proxy-headers" not in line


def test_allauth_takes_the_client_address_from_the_connection_not_from_x_forwarded_for(rf):
    from allauth.core.internal.httpkit import get_client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="198.51.100.7")
    assert get_client_ip(request) == "198.51.100.7"
