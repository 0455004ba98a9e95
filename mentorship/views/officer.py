"""The officer's pages under /me/mentorship/: 我的师傅 / 我的徒弟, one pair (goals, check-ins, confirm, evaluate)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.access import officer_required

from .. import selectors, services
from ..access import access_pair_member
from ..forms import CheckInForm, EvaluationForm
from ..models import CheckIn, Goal, Pair


@officer_required
def mine(request: HttpRequest, officer) -> HttpResponse:
    return render(request, "mentorship/mine.html", {"officer": officer, **selectors.pairs_of(officer=officer)})


def _pair_response(request, pair: Pair, *, checkin_form=None, evaluation_form=None, status: int = 200):
    context = selectors.pair_page(pair=pair)
    user = request.user
    context.update(
        is_mentee=user.pk == pair.mentee.user_id,
        is_mentor=user.pk == pair.mentor.user_id,
        checkin_form=checkin_form or CheckInForm(goals=context["goals"]),
        evaluation_form=evaluation_form or EvaluationForm(),
        my_side="mentee" if user.pk == pair.mentee.user_id else "mentor",
    )
    return render(request, "mentorship/pair.html", context, status=status)


@officer_required
def pair(request: HttpRequest, pk: int, officer) -> HttpResponse:
    return _pair_response(request, access_pair_member(request.user, pk))


@require_POST
@officer_required
def checkin_log(request: HttpRequest, pk: int, officer) -> HttpResponse:
    the_pair = access_pair_member(request.user, pk)
    goals = list(the_pair.goals.all())
    form = CheckInForm(request.POST, goals=goals)
    if not form.is_valid():
        return _pair_response(request, the_pair, checkin_form=form, status=400)
    goal = next((g for g in goals if g.pk == form.cleaned_data["goal"]), None)
    try:
        services.checkin_log(
            pair=the_pair,
            actor=request.user,
            met_on=form.cleaned_data["met_on"],
            minutes=form.cleaned_data["minutes"],
            topic=form.cleaned_data["topic"],
            goal=goal,
            notes=form.cleaned_data["notes"],
        )
    except services.MentorshipError as exc:
        form.add_error(None, str(exc))
        return _pair_response(request, the_pair, checkin_form=form, status=400)
    messages.success(request, _("交流记录已登记,等待师傅确认。"))
    return redirect("mentorship:pair", pk=the_pair.pk)


@require_POST
@officer_required
def checkin_confirm(request: HttpRequest, pk: int, officer) -> HttpResponse:
    checkin = get_object_or_404(CheckIn.objects.select_related("pair"), pk=pk)
    the_pair = access_pair_member(request.user, checkin.pair_id)
    try:
        done = services.checkin_confirm(checkin=checkin, actor=request.user)
    except services.MentorshipError as exc:
        messages.error(request, str(exc))
        return redirect("mentorship:pair", pk=the_pair.pk)
    messages.success(
        request,
        _("已确认。计入学时:徒弟 %(a)s,师傅 %(b)s。") % {"a": done.mentee_hours, "b": done.mentor_hours},
    )
    return redirect("mentorship:pair", pk=the_pair.pk)


@require_POST
@officer_required
def goal_mark(request: HttpRequest, pk: int, officer) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk)
    the_pair = access_pair_member(request.user, goal.pair_id)
    goal.pair = the_pair
    try:
        services.goal_mark(goal=goal, actor=request.user, done=request.POST.get("done") == "1")
    except services.MentorshipError as exc:
        messages.error(request, str(exc))
    return redirect("mentorship:pair", pk=the_pair.pk)


@require_POST
@officer_required
def evaluate(request: HttpRequest, pk: int, officer) -> HttpResponse:
    the_pair = access_pair_member(request.user, pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        return _pair_response(request, the_pair, evaluation_form=form, status=400)
    try:
        services.evaluation_submit(
            pair=the_pair, actor=request.user, rating=form.cleaned_data["rating"], text=form.cleaned_data["text"]
        )
    except services.MentorshipError as exc:
        form.add_error(None, str(exc))
        return _pair_response(request, the_pair, evaluation_form=form, status=400)
    messages.success(request, _("评价已提交。"))
    return redirect("mentorship:pair", pk=the_pair.pk)
