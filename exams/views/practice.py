"""Officer pages: practice (刷题) and the wrong-answer book (错题本). Thin: parse input, call one service or
selector, render.

A practice round lives in the officer's own Django session (request.session["exams_practice"][sid]): the
question ids, the position and the answers given. Nothing of a round is reachable from another login, so an
officer cannot post into someone else's round (404). The key, the 解析 and the rubric of a question are
rendered only after its answer was posted.

Who may come here: officers (a user with an Officer record); any other user gets a page saying so (403)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from content import selectors as content_selectors
from org.access import current_officer
from org.models import Officer

from ..frozen import FrozenQuestion
from ..models import PracticeAnswer, Question
from ..selectors import practice as sel
from ..services import practice as svc

SESSION_KEY = "exams_practice"
KEEP_ROUNDS = 5


# --- helpers ---------------------------------------------------------------------------------------------


def _not_officer(request: HttpRequest) -> HttpResponse:
    return render(request, "exams/practice/not_officer.html", status=403)


def _rounds(request: HttpRequest) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _round(request: HttpRequest, officer: Officer, sid: str) -> dict:
    data = _rounds(request).get(sid)
    if not data or data.get("officer") != officer.pk:
        raise Http404(_("没有这组练习。"))
    return data


def _store(request: HttpRequest, sid: str, data: dict) -> None:
    rounds = _rounds(request)
    rounds[sid] = data
    if len(rounds) > KEEP_ROUNDS:
        for old in sorted(rounds, key=lambda k: rounds[k]["started"])[: len(rounds) - KEEP_ROUNDS]:
            rounds.pop(old)
    request.session[SESSION_KEY] = rounds
    request.session.modified = True


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


def _response_from_post(kind: str, post) -> object:
    if kind == Question.Kind.MULTIPLE:
        return sorted({k.strip() for k in post.getlist("answer") if k.strip()}) or None
    if kind == Question.Kind.TRUE_FALSE:
        return {"true": True, "false": False}.get(post.get("answer", ""))
    value = post.get("answer", "").strip()
    return value or None


def _public_question(question: Question) -> dict:
    """What the officer sees before answering: never the key, the explanation or the rubric."""
    return FrozenQuestion.of(svc.question_current_version(question).content).public()


def _feedback(answer: PracticeAnswer) -> dict:
    """Everything shown after the answer: verdict, chosen vs. correct options, the key, 解析, cited laws."""
    question = FrozenQuestion.of(answer.version.content)
    return {
        "correct": answer.correct,
        "options": question.options(chosen=question.chosen_keys(answer.response), with_key=True),
        "key": question.key_text() if question.kind != Question.Kind.CASE else "",
        "response": question.response_text(answer.response, unanswered=_("未作答")),
        "explanation": question.explanation,
        "law_refs": question.law_refs,
        "rubric": question.rubric,
    }


# --- pages -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def practice_home(request: HttpRequest) -> HttpResponse:
    officer = current_officer(request.user)
    if officer is None:
        return _not_officer(request)
    choices = sel.practice_choices(officer=officer)
    # Questions store the violation category's code; people read its name.
    names = content_selectors.violation_category_names()
    return render(
        request,
        "exams/practice/home.html",
        {
            "choices": choices,
            "violations": [(code, names.get(code, code), n) for code, n in choices.violations],
            "stats": sel.practice_stats(officer=officer, now=timezone.now()),
            "counts": sel.COUNTS,
        },
    )


@login_required
@require_POST
def practice_start(request: HttpRequest) -> HttpResponse:
    officer = current_officer(request.user)
    if officer is None:
        return _not_officer(request)
    scope, _sep, value = request.POST.get("scope", "all").partition(":")
    mode = sel.RANDOM if request.POST.get("mode") == sel.RANDOM else sel.SEQUENTIAL
    count = _int(request.POST.get("count"), 10)
    count = count if count in sel.COUNTS else 10
    wrong_only = request.POST.get("wrong") == "1"
    include_case = request.POST.get("case") == "1"
    ids = sel.practice_question_ids(
        officer=officer,
        scope=scope,
        value=value,
        wrong_only=wrong_only,
        mode=mode,
        count=count,
        include_case=include_case,
    )
    if ids is None:
        raise Http404(_("没有这个练习范围。"))
    if not ids:
        messages.warning(request, _("所选范围内暂无可练习的题目。"))
        return redirect("exams:wrong_book" if scope == "wrong" or wrong_only else "exams:practice_home")
    sid = secrets.token_urlsafe(9)
    _store(
        request,
        sid,
        {
            "officer": officer.pk,
            "ids": ids,
            "pos": 0,
            "results": {},
            "pending": {},
            "started": timezone.now().isoformat(),
            "params": {
                "scope": f"{scope}:{value}" if value else scope,
                "mode": mode,
                "count": count,
                "wrong": "1" if wrong_only else "",
                "case": "1" if include_case else "",
            },
        },
    )
    return redirect("exams:practice_screen", sid=sid)


@login_required
@require_GET
def practice_screen(request: HttpRequest, sid: str) -> HttpResponse:
    officer = current_officer(request.user)
    if officer is None:
        return _not_officer(request)
    data = _round(request, officer, sid)
    ids, pos = data["ids"], data["pos"]
    base = {"sid": sid, "total": len(ids), "number": min(pos + 1, len(ids)), "params": data["params"]}
    if pos >= len(ids):
        right = sum(1 for r in data["results"].values() if r["correct"])
        answered = len(data["results"])
        return render(
            request,
            "exams/practice/done.html",
            dict(
                base,
                right=right,
                wrong=answered - right,
                answered=answered,
                open_wrong=len(sel.open_wrong_question_ids(officer=officer)),
            ),
        )
    question = Question.objects.filter(pk=ids[pos]).first()
    result = data["results"].get(str(pos))
    context = dict(base, question=question, last=pos + 1 >= len(ids))
    answer = None
    if result is not None:
        answer = PracticeAnswer.objects.select_related("version").filter(pk=result["answer"], officer=officer).first()
    if answer is not None:
        context["feedback"] = _feedback(answer)
        context["public"] = FrozenQuestion.of(answer.version.content).public()
    elif question is None or question.status != Question.Status.ACTIVE:
        context["unavailable"] = True
    else:
        context["public"] = _public_question(question)
        pending = data["pending"].get(str(pos))
        if pending is not None:  # case analysis: the answer is written, now the rubric for the self-check
            current = FrozenQuestion.of(svc.question_current_version(question).content)
            context["self_check"] = {
                "response": pending,
                "rubric": current.rubric,
                "explanation": current.explanation,
                "law_refs": current.law_refs,
            }
    return render(request, "exams/practice/screen.html", context)


@login_required
@require_POST
def practice_answer(request: HttpRequest, sid: str) -> HttpResponse:
    officer = current_officer(request.user)
    if officer is None:
        return _not_officer(request)
    data = _round(request, officer, sid)
    pos = data["pos"]
    screen = redirect("exams:practice_screen", sid=sid)
    if (
        pos >= len(data["ids"])
        or str(pos) in data["results"]
        or _int(request.POST.get("question"), 0) != data["ids"][pos]
    ):
        messages.warning(request, _("这道题已经作答过了,或已不在本组练习的当前位置。"))
        return screen
    question = Question.objects.filter(pk=data["ids"][pos]).first()
    if question is None:
        raise Http404(_("该题已不存在。"))
    self_assessed = None
    if question.kind == Question.Kind.CASE:
        pending = data["pending"].get(str(pos))
        if pending is None:
            text = _response_from_post(question.kind, request.POST)
            if not text:
                messages.error(request, _("请先作答。"))
                return screen
            data["pending"][str(pos)] = text
            _store(request, sid, data)
            return screen
        response: object = pending
        self_assessed = {"1": True, "0": False}.get(request.POST.get("self", ""))
        if self_assessed is None:
            messages.error(request, _("请对照评分要点选择“我答对了”或“还没掌握”。"))
            return screen
    else:
        response = _response_from_post(question.kind, request.POST)
        if response is None:
            messages.error(request, _("请先作答。"))
            return screen
    # A double tap sends two posts that both read the session before either saved it: count only the first.
    once = f"exams:practice:{officer.pk}:{sid}:{pos}"
    if not cache.add(once, 1, timeout=600):
        return screen
    try:
        feedback = svc.practice_answer(
            officer=officer, question=question, response=response, now=timezone.now(), self_assessed=self_assessed
        )
    except svc.PracticeRefused as exc:
        cache.delete(once)
        messages.error(request, str(exc))
        return screen
    data["results"][str(pos)] = {"answer": feedback.answer.pk, "correct": feedback.correct}
    _store(request, sid, data)
    if feedback.cleared:
        messages.success(request, _("连续答对两次,这道题已移出错题本。"))
    return screen


@login_required
@require_POST
def practice_next(request: HttpRequest, sid: str) -> HttpResponse:
    officer = current_officer(request.user)
    if officer is None:
        return _not_officer(request)
    data = _round(request, officer, sid)
    if data["pos"] < len(data["ids"]):
        data["pos"] += 1
        _store(request, sid, data)
    return redirect("exams:practice_screen", sid=sid)


@login_required
@require_GET
def wrong_book(request: HttpRequest) -> HttpResponse:
    officer = current_officer(request.user)
    if officer is None:
        return _not_officer(request)
    group = "law" if request.GET.get("group") == "law" else "category"
    groups = sel.wrong_book_groups(officer=officer, group=group)
    return render(
        request,
        "exams/practice/wrong_book.html",
        {
            "group": group,
            "groups": groups,
            "open_count": len(sel.open_wrong_question_ids(officer=officer)),
            "history": sel.wrong_book_history(officer=officer),
            "start_url": reverse("exams:practice_start"),
        },
    )


urlpatterns: list = [
    path("practice/", practice_home, name="practice_home"),
    path("practice/start/", practice_start, name="practice_start"),
    path("practice/r/<str:sid>/", practice_screen, name="practice_screen"),
    path("practice/r/<str:sid>/answer/", practice_answer, name="practice_answer"),
    path("practice/r/<str:sid>/next/", practice_next, name="practice_next"),
    path("wrong-book/", wrong_book, name="wrong_book"),
]
