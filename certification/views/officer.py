"""The officer's own pages: 我的执法证 (certificate, status, what is missing, history, reviews with their evidence,
reminders) and its PDF."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from org.access import officer_required

from .. import selectors
from ..reminders import reminders_for
from .common import event_lines, pdf_response


@officer_required
def mine(request: HttpRequest, officer) -> HttpResponse:
    status = selectors.officer_status(officer=officer)
    return render(
        request,
        "certification/mine.html",
        {
            "officer": officer,
            "s": status,
            "lines": event_lines(status.events),
            "reminders": reminders_for(user=request.user),
        },
    )


@officer_required
def mine_pdf(request: HttpRequest, officer) -> HttpResponse:
    status = selectors.officer_status(officer=officer)
    if status.certificate is None:
        raise Http404
    return pdf_response(request, status)
