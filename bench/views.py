"""The baseline of the exam load benchmark: the cheapest honest Django write endpoint.

Login required, CSRF checked (the middleware; not exempt), POST only, a small JSON body parsed, one row written
(an org AuditEntry through org.services.audit_record), a small JSON answer. A save should cost a few times
this; the ratio save p50 / baseline p50 in the same run is the benchmark's figure. Only routed by bench.urls.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from org.jsonbody import JsonBodyError, json_body
from org.services import audit_record


@login_required
@require_POST
def baseline_write(request: HttpRequest) -> JsonResponse:
    try:
        payload = json_body(request, empty={})
    except JsonBodyError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    entry = audit_record(actor=request.user, action="bench.baseline", data={"n": payload.get("n")})
    return JsonResponse({"ok": True, "id": entry.pk})
