"""Every URL of the project is classified, and every non-public one refuses who it must.

The test walks get_resolver(): a URL name missing from the lists below fails, so a new view cannot land without
someone deciding who may open it. PUBLIC URLs are open to anonymous visitors; OFFICER URLs need a login (any
officer: object-level checks are each view's own access tests); everything in STAFF must refuse anonymous users
(login page or 403/404) and a plain officer (403/404).

Wagtail's admin (cms/) and Django's admin have their own permission systems; their roots are checked here, the
rest of their URLs are theirs."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {
    "healthz": "load balancer health check",
    "set_language": "language switch",
    "wagtaildocs_serve": "Wagtail documents: Wagtail's own privacy rules",
    "wagtaildocs_authenticate_with_password": "Wagtail documents",
    "wagtailcore_authenticate_with_password": "Wagtail page privacy",
    "wagtailcore_login": "Wagtail page privacy login",
    "favicon": "the site icon",
    "certification:verify": "the public verify page behind a certificate's QR (unguessable token, rate limited)",
    "public_media": "Wagtail images only (renditions and originals); private files have their own views",
}
PUBLIC_PREFIXES = {
    "account_": "allauth: login, logout, password reset",
    "mfa_": "allauth MFA: its own login and reauthentication rules",
}

OFFICER = {
    "home": "my learning",
    "wagtail_serve": "learning pages (login required by the before_serve_page hook)",
    "org:profile": "my profile",
    "exams:my_exams": "my exams",
    "exams:exam_entry": "an exam of mine (audience checked)",
    "exams:attempt_start": "start my attempt",
    "exams:attempt_page": "my attempt",
    "exams:attempt_state": "my attempt",
    "exams:attempt_save": "my attempt",
    "exams:attempt_submit": "my attempt",
    "exams:attempt_result": "my result (or the exam's staff)",
    "exams:practice_home": "practice",
    "exams:practice_start": "practice",
    "exams:practice_screen": "practice",
    "exams:practice_answer": "practice",
    "exams:practice_next": "practice",
    "exams:wrong_book": "my wrong-answer book",
    "learning:my": "my learning",
    "learning:course_enrol": "enrol myself",
    "learning:lesson_study": "study a lesson",
    "learning:study_start": "study clock",
    "learning:study_heartbeat": "study clock",
    "learning:study_check": "study clock",
    "learning:study_stop": "study clock",
    "learning:checkin": "sign in to an offline session (QR)",
    "learning:claim_new": "claim external training",
    "learning:claim_attachment": "my claim's attachment (or its decider)",
    "learning:officer_ledger": "my hours (or HR / my unit leader)",
    "certification:mine": "my certificate",
    "certification:mine_pdf": "my certificate record (PDF)",
    "mentorship:mine": "我的师傅 / 我的徒弟",
    "mentorship:pair": "a pair of mine (its mentee or mentor only: access_pair_member)",
    "mentorship:checkin_log": "the mentee logs a meeting (access_pair_member; the service checks the side)",
    "mentorship:evaluate": "evaluate my mentor or mentee (access_pair_member)",
    "mentorship:checkin_confirm": "the mentor confirms (access_pair_member; the service checks the side)",
    "mentorship:goal_mark": "mark a goal of my pair (access_pair_member)",
    "contest:join": "join a contest with its code (or the big screen's QR)",
    "contest:play": "my seat's phone page (only after joining)",
}

STAFF = {
    "org:officer_list": "hr_pages",
    "org:officer_export": "hr_pages",
    "org:officer_detail": "hr_pages",
    "org:officer_initial_password": "roster",
    "org:roster_import": "roster",
    "exams:bank_list": "training",
    "exams:question_create": "training",
    "exams:bank_import": "training",
    "exams:bank_template": "training",
    "exams:bank_export": "training",
    "exams:question_detail": "training",
    "exams:question_edit": "training",
    "exams:question_status": "training",
    "exams:question_reviewed": "training",
    "exams:question_exam_only": "training",
    "exams:paper_list": "training",
    "exams:paper_create": "training",
    "exams:paper_rule_count": "training",
    "exams:paper_detail": "training",
    "exams:paper_edit": "training",
    "exams:paper_copy": "training",
    "exams:paper_items_add": "training",
    "exams:paper_item_remove": "training",
    "exams:paper_item_move": "training",
    "exams:paper_rule_add": "training",
    "exams:paper_rule_edit": "training",
    "exams:paper_rule_remove": "training",
    "exams:exam_manage_list": "exam_pages",
    "exams:exam_create": "training",
    "exams:exam_manage_detail": "exam_pages",
    "exams:exam_edit": "training",
    "exams:exam_publish": "training",
    "exams:exam_cancel": "training",
    "exams:exam_monitor": "training",
    "exams:exam_monitor_data": "training",
    "exams:exam_extend_all": "training",
    "exams:exam_proctor_extend": "training",
    "exams:exam_proctor_force_submit": "training",
    "exams:grading_queue": "training",
    "exams:marking_task": "training",
    "exams:exam_marking": "training",
    "exams:exam_results": "exam_pages",
    "exams:exam_results_xlsx": "exam_pages",
    "exams:exam_regrade": "training",
    "learning:session_list": "training",
    "learning:session_new": "training",
    "learning:session_detail": "training",
    "learning:session_screen": "training",
    "learning:session_qr": "training",
    "learning:session_export": "training",
    "learning:claim_review": "hr_pages",
    "learning:claim_decide": "hr_pages",
    "learning:unit_hours": "hr_pages",
    "learning:unit_hours_export": "hr_pages",
    "learning:credit_reverse": "hr",
    "learning:rules": "hr",
    "certification:board": "hr_pages",
    "reports:index": "hr_pages (unit leaders: their subtree)",
    "reports:status": "hr_pages",
    "reports:export_xlsx": "hr_pages",
    "reports:export_docx": "hr_pages",
    "reports:chart": "hr_pages",
    "reports:close": "hr",
    "reports:snapshots": "hr",
    "certification:officer_list": "hr_pages",
    "certification:officer_detail": "hr_pages",
    "certification:officer_pdf": "hr_pages",
    "certification:awaiting": "hr_pages",
    "certification:export": "hr_pages",
    "certification:cycles": "hr_pages",
    "certification:issue": "hr",
    "certification:block_add": "hr",
    "certification:block_lift": "hr",
    "certification:suspend": "hr",
    "certification:reinstate": "hr",
    "certification:revoke": "hr",
    "certification:review_single": "hr",
    "certification:event_void": "hr",
    "certification:review_run": "hr",
    "certification:remind": "hr",
    "certification:import": "hr",
    "mentorship:programmes": "hr_pages",
    "mentorship:programme": "hr_pages",
    "mentorship:match": "hr_pages",
    "mentorship:publish": "hr_pages",
    "mentorship:close": "hr_pages",
    "mentorship:pair_detail": "hr_pages",
    "mentorship:pair_lock": "hr_pages",
    "mentorship:pair_swap": "hr_pages",
    "mentorship:pair_end": "hr_pages",
    "mentorship:board": "hr_pages",
    "mentorship:outcomes": "hr_pages",
    "mentorship:export": "hr_pages",
    "contest:list": "training",
    "contest:new": "training",
    "contest:host": "training (the contest's host only)",
    "contest:screen": "training (the contest's host only)",
    "contest:qr": "training (the contest's host only)",
    "contest:next": "training (the contest's host only)",
    "contest:close": "training (the contest's host only)",
    "contest:finish": "training (the contest's host only)",
    "contest:results": "training or hr (the contest's host, HR)",
    "contest:results_xlsx": "training or hr (the contest's host, HR)",
    "contest:log": "training or hr (the contest's host, HR)",
}

# Whole trees governed by another permission system; their root is checked below.
DELEGATED_PREFIXES = {"cms/": "Wagtail admin", "django-admin/": "Django admin"}
# Routes with no name, each with its reason (none today: name new routes).
UNNAMED: dict[str, str] = {}

SAMPLE_URLS = {"wagtail_serve": "/learn/"}  # regex routes
SAMPLE_VALUES = {"int": "999999", "str": "x", "slug": "x", "uuid": str(uuid.uuid4()), "path": "x"}


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), (namespace + pattern.name) if pattern.name else ""


def _routes():
    for route, name in _walk(get_resolver()):
        if any(route.startswith(p) for p in DELEGATED_PREFIXES):
            continue
        yield route, name


def _sample_url(route: str, name: str) -> str:
    """A concrete URL for a route: converters get sample values (objects that do not exist)."""
    if name in SAMPLE_URLS:
        return SAMPLE_URLS[name]
    kwargs = {m.group(2): SAMPLE_VALUES[m.group(1) or "str"] for m in re.finditer(r"<(?:(\w+):)?(\w+)>", route)}
    return reverse(name, kwargs=kwargs)


def _is_refusal(response, *, anonymous: bool) -> bool:
    if response.status_code in (403, 404) or (anonymous and response.status_code == 401):
        return True
    return anonymous and response.status_code == 302 and "/accounts/login/" in response["Location"]


def _request(client, url: str):
    response = client.get(url)
    if response.status_code == 405:  # POST-only views
        response = client.post(url)
    return response


def _classified(name: str) -> bool:
    return (
        name in PUBLIC or name in OFFICER or name in STAFF or any(name.startswith(p) for p in PUBLIC_PREFIXES)
    )


def test_every_url_is_classified():
    unclassified = sorted(
        f"{name or route}" for route, name in _routes() if not (_classified(name) if name else route in UNNAMED)
    )
    assert not unclassified, (
        "Classify these URLs in tests/org/test_url_access.py (PUBLIC, OFFICER or STAFF), "
        f"after checking that the view goes through org/access.py: {unclassified}"
    )


def test_classification_names_only_existing_urls():
    names = {name for _route, name in _routes()}
    stale = sorted((set(PUBLIC) | set(OFFICER) | set(STAFF)) - names)
    assert not stale, f"these classified URL names no longer exist: {stale}"


@pytest.mark.django_db
def test_non_public_urls_refuse_anonymous_users(client):
    accepted = []
    for route, name in _routes():
        if not name or name in PUBLIC or any(name.startswith(p) for p in PUBLIC_PREFIXES):
            continue
        url = _sample_url(route, name)
        response = _request(client, url)
        if not _is_refusal(response, anonymous=True):
            accepted.append((name, url, response.status_code))
    assert not accepted, f"anonymous users were not refused: {accepted}"


def test_staff_urls_refuse_a_plain_officer(client, world):
    client.force_login(world.a1.user)
    accepted = []
    for route, name in _routes():
        if name not in STAFF:
            continue
        url = _sample_url(route, name)
        response = _request(client, url)
        if not _is_refusal(response, anonymous=False):
            accepted.append((name, url, response.status_code))
    assert not accepted, f"a plain officer was not refused: {accepted}"


def test_admin_roots_refuse_anonymous_users_and_officers(client, world):
    for root in ("/cms/", "/django-admin/"):
        response = client.get(root)
        assert response.status_code in (302, 403) and response.status_code != 200, root
    client.force_login(world.a1.user)
    for root in ("/cms/", "/django-admin/"):
        assert client.get(root).status_code != 200, root
