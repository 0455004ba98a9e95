"""Exams pages: attempts. The officer's exam page and its JSON API (state, autosave, submit). The proctor's
extend / force-submit buttons live on the monitor (authoring views) and call services.attempts. Thin: parse
input, call one service or selector, answer.

Access: an officer reaches only their own attempts (anyone else gets 404, a trainer included: nobody answers
for an officer). The JSON endpoints answer 401 JSON instead of a login redirect, so the page can tell the officer
that the session expired while the answers stay in the browser.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from org.access import require_officer
from org.jsonbody import JsonBodyError, json_body, json_int

from ..access import access_own_attempt
from ..models import Attempt, Exam
from ..policy import review_visible
from ..selectors import attempts as selectors
from ..services import attempts as services
from ..services.attempts import AnswerIn, AnswersRefused, AttemptRefused

MAX_ANSWERS_PER_SAVE = 500
# A full submit may carry several 20,000-character case answers (3 bytes a character in UTF-8).
MAX_ANSWERS_BYTES = 2 * 1024 * 1024
MAX_ID = 2**53 - 1
MAX_SEQ = 2**31 - 1  # AttemptItem.seq is an integer column


def result_url(attempt: Attempt) -> str:
    return reverse("exams:attempt_result", args=[attempt.pk])


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _api(view):
    """JSON endpoints: 401 JSON when the session is gone (no redirect), never cached."""

    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return _json_error(_("登录已过期,请重新登录,答案已暂存在本机。"), 401)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return never_cache(wrapped)


def _answers(request: HttpRequest) -> list[AnswerIn]:
    """The JSON body {"answers": [{"item": id, "seq": n, "response": ..., "flagged": bool}]} (may be empty).
    The body's structure is checked here (JsonBodyError → 400); each response is checked by the service, which
    refuses an invalid one on its own."""
    if request.content_type != "application/json":
        return []
    body = json_body(request, max_bytes=MAX_ANSWERS_BYTES, empty={})
    raw = body.get("answers") or []
    if not isinstance(raw, list) or len(raw) > MAX_ANSWERS_PER_SAVE:
        raise JsonBodyError(_("请求格式不正确。"))
    answers = []
    for a in raw:
        if not isinstance(a, dict) or "item" not in a or "seq" not in a:
            raise JsonBodyError(_("请求格式不正确。"))
        answers.append(
            AnswerIn(
                item_id=json_int(a["item"], high=MAX_ID),
                seq=json_int(a["seq"], high=MAX_SEQ),
                response=a.get("response"),
                flagged=bool(a.get("flagged")),
            )
        )
    return answers


# --- the officer ------------------------------------------------------------------------------------------


@login_required
@require_POST
def attempt_start(request: HttpRequest, exam_id: int) -> HttpResponse:
    exam = get_object_or_404(Exam, pk=exam_id, status=Exam.Status.PUBLISHED)
    officer = require_officer(request.user)
    try:
        attempt = services.attempt_start(exam=exam, officer=officer)
    except AttemptRefused as exc:
        messages.error(request, str(exc))
        target = reverse("exams:exam_entry", args=[exam.pk])
    else:
        target = reverse("exams:attempt_page", args=[attempt.pk])
    if request.headers.get("Accept", "").startswith("application/json"):
        # the entry page's fetch (static/exams/entry.js): it goes there itself, and retries a 503 at the door
        return JsonResponse({"location": target})
    return redirect(target)


@login_required
@require_GET
@never_cache
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = services.attempt_touch(attempt=access_own_attempt(request.user, attempt_id))
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect(result_url(attempt))
    now = timezone.now()
    exam = attempt.exam
    payload = selectors.attempt_payload(attempt=attempt, now=now)
    return render(
        request,
        "exams/attempt/page.html",
        {
            "attempt": attempt,
            "exam": exam,
            "payload": payload,
            "count": len(payload["items"]),
            "config": {
                "id": attempt.pk,
                "one_per_page": exam.one_question_per_page,
                "state_url": reverse("exams:attempt_state", args=[attempt.pk]),
                "save_url": reverse("exams:attempt_save", args=[attempt.pk]),
                "submit_url": reverse("exams:attempt_submit", args=[attempt.pk]),
                "result_url": result_url(attempt),
                "login_url": reverse("account_login") + "?next=" + request.path,
                "ws_path": f"/ws/exams/attempts/{attempt.pk}/",
                "autosave_ms": 1000,
                "heartbeat_ms": 5000,  # how often the page checks; it pings only after idle_ping_ms of silence
                "idle_ping_ms": 30000,
            },
        },
    )


@_api
@require_GET
def attempt_state(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """The clock and the state; with ?full=1 also the questions and the stored answers (never a key the review
    policy does not allow yet)."""
    attempt = services.attempt_touch(attempt=access_own_attempt(request.user, attempt_id))
    now = timezone.now()
    if request.GET.get("full"):
        data = selectors.attempt_payload(attempt=attempt, now=now)
    else:
        data = selectors.attempt_clock(attempt=attempt, now=now)
    if attempt.state != Attempt.State.IN_PROGRESS:
        data["result_url"] = result_url(attempt)
    return _json(data)


@_api
@require_POST
def attempt_save(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """The autosave. Its answer carries what the state ping does (clock, deadline, state), so the page pings
    only when it has not heard from the server for a while."""
    try:
        answers = _answers(request)
    except JsonBodyError as exc:
        access_own_attempt(request.user, attempt_id)  # someone else's attempt is a 404 whatever the body
        return _json_error(str(exc), 400)
    now = timezone.now()
    # The plain case in one statement; anything else (and SQLite) through attempt_save, which says why.
    result = services.attempt_save_owned(user=request.user, attempt_id=attempt_id, answers=answers, now=now)
    if result is None:
        attempt = access_own_attempt(request.user, attempt_id)
        try:
            result = services.attempt_save(attempt=attempt, answers=answers, now=now)
        except AttemptRefused as exc:
            attempt.refresh_from_db()
            body = selectors.attempt_clock(attempt=attempt, now=now)
            body["error"] = str(exc)
            if attempt.state != Attempt.State.IN_PROGRESS:
                body["result_url"] = result_url(attempt)
            return _json(body, status=409)
    exam = result.attempt.exam
    body = selectors.attempt_clock(attempt=result.attempt, now=now)
    body["acked"] = result.acked
    body["refused"] = result.refused
    if review_visible(exam=exam, attempt=result.attempt, part="answers", now=now) or (
        review_visible(exam=exam, attempt=result.attempt, part="explanations", now=now)
    ):
        # DURING review (practice exams): the saved items come back with what the policy reveals.
        ids = {a["item"] for a in result.acked}
        body["items"] = [
            i for i in selectors.attempt_payload(attempt=result.attempt, now=now)["items"] if i["id"] in ids
        ]
    if result.refused:
        # The valid answers are stored (acked); each refused one carries its reason for the page to show.
        body["error"] = _("有 %(n)s 道题的答案未能保存,请按题目旁的提示修改。") % {"n": len(result.refused)}
        return _json(body, status=422)
    return _json(body)


@_api
@require_POST
def attempt_submit(request: HttpRequest, attempt_id: int) -> JsonResponse:
    attempt = access_own_attempt(request.user, attempt_id)
    try:
        answers = _answers(request)
    except JsonBodyError as exc:
        return _json_error(str(exc), 400)
    now = timezone.now()
    try:
        attempt = services.attempt_submit(attempt=attempt, answers=answers, now=now)
    except AnswersRefused as exc:
        # Not handed in: the valid answers are stored, the refused ones are listed with their reasons.
        body = selectors.attempt_clock(attempt=exc.result.attempt, now=now)
        body.update(error=str(exc), acked=exc.result.acked, refused=exc.result.refused)
        return _json(body, status=422)
    return _json(
        {"state": attempt.state, "result_url": result_url(attempt), "submitted_at": attempt.submitted_at.isoformat()}
    )


urlpatterns = [
    path("<int:exam_id>/start/", attempt_start, name="attempt_start"),
    path("attempts/<int:attempt_id>/", attempt_page, name="attempt_page"),
    path("attempts/<int:attempt_id>/state/", attempt_state, name="attempt_state"),
    path("attempts/<int:attempt_id>/answers/", attempt_save, name="attempt_save"),
    path("attempts/<int:attempt_id>/submit/", attempt_submit, name="attempt_submit"),
]
