"""HR's and unit leaders' pages under /hr/mentorship/: programmes (rules as data), the matching preview with its
explanations (run, lock, swap, publish), the pairs board (active, quiet, flagged, ended), a pair, outcomes by pair
and by unit, the .xlsx export and the year's count. Unit leaders see and run their own subtree only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org import tabular
from org.access import role_required
from org.models import Officer
from org.scopes import officers_visible_to, units_visible_to

from .. import selectors, services
from ..access import access_pair_staff, access_programme
from ..candidates import candidates
from ..forms import CapacityForm, EndForm, ProgrammeForm, SwapForm, clamp_year
from ..models import Pair, Programme


def _year(request: HttpRequest) -> int:
    return clamp_year(request.GET.get("year"))


def _new_programme_initial(year: int) -> dict:
    defaults = Programme(year=year)
    initial = ProgrammeForm.initial_for(defaults)
    initial.update(
        name=_("%(y)s 年度师徒结对(老带新)") % {"y": year},
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate().replace(month=12, day=31),
        unit=None,
    )
    return initial


@role_required("hr_pages")
def programmes(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    units = units_visible_to(request.user)
    if request.method == "POST":
        form = ProgrammeForm(request.POST, units=units)
        if form.is_valid():
            try:
                programme = services.programme_save(actor=request.user, **form.values())
            except services.MentorshipError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("计划已建立。下一步:运行匹配。"))
                return redirect("mentorship:match", pk=programme.pk)
        status = 400
    else:
        form = ProgrammeForm(initial=_new_programme_initial(year), units=units)
        status = 200
    scoped = None if _sees_everyone(request) else officers_visible_to(request.user)
    context = {
        "year": year,
        "programmes": selectors.programmes_for(viewer=request.user, year=year),
        "counts": selectors.year_counts(year=year, officers=scoped),
        "form": form,
    }
    return render(request, "mentorship/programmes.html", context, status=status)


def _sees_everyone(request: HttpRequest) -> bool:
    from org.scopes import roles_of

    return roles_of(request.user).sees_everyone


@role_required("hr_pages")
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    prog = access_programme(request.user, pk)
    units = units_visible_to(request.user)
    status = 200
    form = ProgrammeForm(initial=ProgrammeForm.initial_for(prog), units=units)
    capacity_form = CapacityForm()
    if request.method == "POST" and request.POST.get("action") == "capacity":
        capacity_form = CapacityForm(request.POST)
        if capacity_form.is_valid():
            mentor = Officer.objects.filter(pk=capacity_form.cleaned_data["mentor"]).first()
            try:
                if mentor is None:
                    raise services.MentorshipError(_("找不到该人员。"))
                services.capacity_set(
                    programme=prog, mentor=mentor, capacity=capacity_form.cleaned_data["capacity"], actor=request.user
                )
            except services.MentorshipError as exc:
                capacity_form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("已设置 %(name)s 的带徒人数。") % {"name": mentor.name})
                return redirect("mentorship:programme", pk=prog.pk)
        else:
            status = 400
    elif request.method == "POST":
        form = ProgrammeForm(request.POST, units=units)
        if form.is_valid():
            try:
                services.programme_save(actor=request.user, programme=prog, **form.values())
            except services.MentorshipError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("计划已保存。"))
                return redirect("mentorship:programme", pk=prog.pk)
        else:
            status = 400
    cands = candidates(programme=prog, today=timezone.localdate())
    overrides = {c.mentor_id: c.capacity for c in prog.capacities.all()}
    for mentor in cands.mentors:
        mentor.capacity_now = overrides.get(mentor.pk, prog.default_capacity)
    context = {"programme": prog, "form": form, "capacity_form": capacity_form, "cands": cands}
    return render(request, "mentorship/programme.html", context, status=status)


@role_required("hr_pages")
def match(request: HttpRequest, pk: int) -> HttpResponse:
    prog = access_programme(request.user, pk)
    if request.method == "POST":
        try:
            services.match_run(programme=prog, actor=request.user)
        except services.MentorshipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("匹配完成。"))
        return redirect("mentorship:match", pk=prog.pk)
    context = {"programme": prog, **selectors.preview(programme=prog)}
    if prog.state == Programme.State.DRAFT:
        context["mentors"] = candidates(programme=prog, today=timezone.localdate()).mentors
    return render(request, "mentorship/match.html", context)


@require_POST
@role_required("hr_pages")
def pair_lock(request: HttpRequest, pk: int) -> HttpResponse:
    pair = access_pair_staff(request.user, pk)
    try:
        services.pair_lock(pair=pair, locked=request.POST.get("locked") == "1", actor=request.user)
    except services.MentorshipError as exc:
        messages.error(request, str(exc))
    return redirect("mentorship:match", pk=pair.programme_id)


@require_POST
@role_required("hr_pages")
def pair_swap(request: HttpRequest, pk: int) -> HttpResponse:
    pair = access_pair_staff(request.user, pk)
    form = SwapForm(request.POST)
    mentor = Officer.objects.filter(pk=form.cleaned_data["mentor"]).first() if form.is_valid() else None
    try:
        if mentor is None:
            raise services.MentorshipError(_("请选择师傅。"))
        services.pair_swap(pair=pair, mentor=mentor, actor=request.user)
    except services.MentorshipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已调整并锁定,其余结对已重新优化。"))
    return redirect("mentorship:match", pk=pair.programme_id)


@require_POST
@role_required("hr_pages")
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    prog = access_programme(request.user, pk)
    try:
        n = services.programme_publish(programme=prog, actor=request.user)
    except services.MentorshipError as exc:
        messages.error(request, str(exc))
        return redirect("mentorship:match", pk=prog.pk)
    messages.success(request, _("已发布 %(n)s 对师徒,双方已收到通知。") % {"n": n})
    return redirect("mentorship:board")


@require_POST
@role_required("hr_pages")
def close(request: HttpRequest, pk: int) -> HttpResponse:
    prog = access_programme(request.user, pk)
    try:
        n = services.programme_close(programme=prog, actor=request.user)
    except services.MentorshipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("计划已结束,%(n)s 对师徒结业,请双方互评。") % {"n": n})
    return redirect("mentorship:match", pk=prog.pk)


@role_required("hr_pages")
def board(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return render(request, "mentorship/board.html", {"year": year, **selectors.board(viewer=request.user, year=year)})


@role_required("hr_pages")
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = access_pair_staff(request.user, pk)
    if pair.state == Pair.State.PROPOSED:
        return redirect("mentorship:match", pk=pair.programme_id)
    return render(request, "mentorship/pair_staff.html", {**selectors.pair_page(pair=pair), "end_form": EndForm()})


@require_POST
@role_required("hr_pages")
def pair_end(request: HttpRequest, pk: int) -> HttpResponse:
    pair = access_pair_staff(request.user, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.pair_end(
                pair=pair,
                actor=request.user,
                completed=form.cleaned_data["completed"],
                reason=form.cleaned_data["reason"],
            )
        except services.MentorshipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("结对已结束。"))
    else:
        messages.error(request, _("原因不超过 300 字。"))
    return redirect("mentorship:pair_detail", pk=pair.pk)


@role_required("hr_pages")
def outcomes(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return render(
        request, "mentorship/outcomes.html", {"year": year, **selectors.outcomes(viewer=request.user, year=year)}
    )


@role_required("hr_pages")
def export(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    data = tabular.write_workbook(selectors.export_sheets(viewer=request.user, year=year))
    return tabular.xlsx_response(data, _("师徒结对-%(y)s.xlsx") % {"y": year})
