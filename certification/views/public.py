"""The public verify page behind the certificate's QR code: no login, only what a citizen or a colleague checking
a certificate on the street needs (masked name, unit, masked number, status in words, last review date).
Rate-limited per IP in the cache, `noindex`, each view counted in Verification."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..models import Verification
from ..selectors import certificate_for_verify, certificate_status
from ..status import MAY_ENFORCE, Status

DEFAULT_PER_MINUTE = 30


def mask_name(name: str) -> str:
    """王建国 → 王*国, 王芳 → 王*, 欧阳建国 → 欧**国."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_number(number: str) -> str:
    """Keep the first 2 and the last 3 characters (enough to match the card in hand), star the rest."""
    number = number or ""
    if len(number) <= 5:
        return number[:1] + "*" * (len(number) - 1)
    return number[:2] + "*" * (len(number) - 5) + number[-3:]


def _client_ip(request: HttpRequest) -> str:
    try:  # the same client-IP rule as the login rate limits (trusted proxies)
        from allauth.core.internal.httpkit import get_client_ip

        return get_client_ip(request) or "unknown"
    except Exception:
        return request.META.get("REMOTE_ADDR", "unknown")


def _rate_limited(request: HttpRequest) -> bool:
    per_minute = getattr(settings, "CERTIFICATION_VERIFY_PER_MINUTE", DEFAULT_PER_MINUTE)
    window = int(timezone.now().timestamp() // 60)
    key = f"cert-verify:{_client_ip(request)}:{window}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    return count > per_minute


def status_words(result) -> tuple[str, str]:
    """(words, badge colour) for the public: whether the holder may enforce, never why not."""
    status, year = result.status, result.valid_for_year
    if status in MAY_ENFORCE:
        if year:
            return _("有效(%(year)s 年度)") % {"year": year}, "ok"
        return _("有效"), "ok"
    if status == Status.AT_RISK:
        return _("年审未完成"), "warn"
    if status == Status.SUSPENDED:
        if result.suspended_until:
            return _("暂扣(至 %(date)s)") % {"date": result.suspended_until.isoformat()}, "bad"
        return _("暂扣"), "bad"
    if status == Status.UNCERTIFIED:
        return _("无效证件"), "bad"
    return str(Status(status).label), "bad"


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    if _rate_limited(request):
        response = render(request, "certification/verify_limited.html", status=429)
        response["Retry-After"] = "60"
        return _noindex(response)
    certificate = certificate_for_verify(token=token)
    if certificate is None:
        return _noindex(render(request, "certification/verify_unknown.html", status=404))
    Verification.objects.create(certificate=certificate)
    result = certificate_status(certificate=certificate)
    words, colour = status_words(result)
    last_review = result.last_review
    return _noindex(
        render(
            request,
            "certification/verify.html",
            {
                "name": mask_name(certificate.officer.name),
                "unit": certificate.officer.unit.full_path,
                "number": mask_number(certificate.number),
                "issuing_authority": certificate.issuing_authority,
                "words": words,
                "colour": colour,
                "last_review_on": last_review.effective_on if last_review else None,
                "checked_at": timezone.localtime(),
            },
        )
    )
