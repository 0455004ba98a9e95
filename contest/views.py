"""Contest pages. Thin: parse, check access (contest/access.py on org.access), call one service or selector,
render; after a host action commits, its websocket messages are sent (contest/fanout.py).

- trainers ("training"): the list and the new-contest form;
- the contest's host only: the console, the big screen, its QR, and the actions next / close / finish (POST,
  JSON, CSRF-checked);
- the host and HR: results, .xlsx and the answer log;
- officers: join by code (or the QR), then their phone page (only with a seat)."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.access import officer_required, role_required
from org.models import Officer
from org.tabular import xlsx_response

from . import fanout, selectors, services
from .access import access_contest_record, access_hosted_contest
from .forms import ContestForm
from .models import Contest, ContestError


@role_required("training")
def contest_list(request: HttpRequest) -> HttpResponse:
    return render(request, "contest/list.html", {"contests": selectors.contests_for(request.user)[:100]})


@role_required("training")
def contest_new(request: HttpRequest) -> HttpResponse:
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contest = services.contest_create(actor=request.user, **form.service_kwargs())
        except ContestError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("竞赛已建立,加入码 %(code)s。") % {"code": contest.code})
            return redirect("contest:host", pk=contest.pk)
    return render(request, "contest/form.html", {"form": form})


def _join_url(request: HttpRequest, contest: Contest) -> str:
    return request.build_absolute_uri(reverse("contest:join") + f"?code={contest.code}")


@role_required("training")
def contest_host(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_hosted_contest(request.user, pk)
    return render(
        request,
        "contest/host.html",
        {"contest": contest, "join_url": _join_url(request, contest), "rounds": selectors.round_count(contest)},
    )


@role_required("training")
def contest_screen(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_hosted_contest(request.user, pk)
    return render(request, "contest/screen.html", {"contest": contest, "join_url": _join_url(request, contest)})


@role_required("training")
def contest_qr(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_hosted_contest(request.user, pk)
    buffer = io.BytesIO()  # a standalone SVG (with its namespace): the page loads it as an <img>
    segno.make(_join_url(request, contest), error="m").save(buffer, kind="svg", scale=8, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


def _refused(exc: ContestError) -> JsonResponse:
    return JsonResponse({"ok": False, "error": str(exc)}, status=409)


@require_POST
@role_required("training")
def contest_next(request: HttpRequest, pk: int) -> JsonResponse:
    contest = access_hosted_contest(request.user, pk)
    try:
        cq = services.question_next(contest=contest, actor=request.user)
    except ContestError as exc:
        return _refused(exc)
    payload = selectors.round_payload(cq, selectors.round_count(contest))
    fanout.push(fanout.send_round, contest.pk, payload)
    return JsonResponse({"ok": True, "position": cq.position})


@require_POST
@role_required("training")
def contest_close(request: HttpRequest, pk: int) -> JsonResponse:
    """Close the round on screen (the console's and the big screen's timers both call this; only the first
    counts)."""
    contest = access_hosted_contest(request.user, pk)
    try:
        result = services.question_close(contest=contest, actor=request.user)
    except ContestError as exc:
        return _refused(exc)
    if result is not None:
        screen, phones = selectors.result_payloads(result, selectors.round_count(contest))
        fanout.push(fanout.send_result, contest.pk, screen, phones)
    return JsonResponse({"ok": True, "closed": result is not None})


@require_POST
@role_required("training")
def contest_finish(request: HttpRequest, pk: int) -> JsonResponse:
    contest = access_hosted_contest(request.user, pk)
    try:
        services.contest_finish(contest=contest, actor=request.user)
    except ContestError as exc:
        return _refused(exc)
    fanout.push(fanout.send_everyone, contest.pk, {"kind": "finished"})
    return JsonResponse({"ok": True, "results": reverse("contest:results", args=[contest.pk])})


@role_required("training", "hr")
def contest_results(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest_record(request.user, pk)
    return render(
        request,
        "contest/results.html",
        {
            "contest": contest,
            "seats": selectors.officer_results(contest),
            "teams": selectors.team_results(contest),
            "questions": selectors.question_results(contest),
        },
    )


@role_required("training", "hr")
def contest_results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest_record(request.user, pk)
    return xlsx_response(selectors.results_xlsx(contest), f"竞赛成绩-{contest.title}.xlsx")


@role_required("training", "hr")
def contest_log(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest_record(request.user, pk)
    return render(request, "contest/log.html", {"contest": contest, "entries": selectors.log_entries(contest)[:5000]})


@officer_required
def join(request: HttpRequest, officer: Officer) -> HttpResponse:
    """The phone's way in: type the code from the big screen, or open the QR's link (code filled in)."""
    code = (request.POST.get("code") or request.GET.get("code") or "").strip().upper()[:8]
    error = ""
    if request.method == "POST":
        contest = selectors.contest_by_code(code)
        if contest is None:
            error = _("加入码不正确,请核对大屏幕上的加入码。")
        else:
            try:
                seat, _created = services.contest_join(contest=contest, officer=officer)
            except ContestError as exc:
                error = str(exc)
            else:
                if _created:
                    fanout.push(fanout.send_screen, contest.pk, selectors.lobby_payload(contest))
                return redirect("contest:play", pk=contest.pk)
    return render(request, "contest/join.html", {"code": code, "error": error}, status=400 if error else 200)


@officer_required
def play(request: HttpRequest, pk: int, officer: Officer) -> HttpResponse:
    try:
        contest = Contest.objects.get(pk=int(pk))
    except (Contest.DoesNotExist, OverflowError):
        raise PermissionDenied(_("请先输入加入码加入竞赛。")) from None
    seat = selectors.seat_of(contest, officer)
    if seat is None:
        return redirect(reverse("contest:join") + f"?code={contest.code}")
    return render(request, "contest/play.html", {"contest": contest, "seat": seat})
