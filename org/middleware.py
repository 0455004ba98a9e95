from allauth.mfa.utils import is_mfa_enabled
from csp import constants as csp
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _

from .scopes import roles_of

_CMS_PREFIX = "/cms/"
# Paths a privileged user may reach before enrolling TOTP: the enrolment itself, logout, assets.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/", "/jsi18n/", "/healthz")


class WagtailAdminScriptsMiddleware:
    """Wagtail's admin runs inline scripts (an InlinePanel's new child form and its chooser widgets come as inline
    <script>), so /cms/ (trainers, 法制科, HR: all signed in) allows them. Every other page keeps script-src 'self'.
    Listed right after CSPMiddleware, so it marks the response before the header is built."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(_CMS_PREFIX):
            response._csp_update = {"script-src": [csp.UNSAFE_INLINE]}
        return response


class RequestSizeLimitMiddleware:
    """Refuse an oversized request body by its Content-Length before Django reads it (uploads outside the admin are
    at most 10 MB; a 1 GB post should not even reach the disk)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = getattr(settings, "REQUEST_MAX_BYTES", None)
        exempt = getattr(settings, "REQUEST_MAX_BYTES_EXEMPT_PREFIXES", ())
        if limit and not request.path.startswith(exempt):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                message = _("上传的内容太大(上限 %(mb)s MB),请拆分后再上传。") % {"mb": limit // (1024 * 1024)}
                return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class _SignedInGate:
    """A gate for signed-in users: outside the paths it leaves open, `blocked(user)` decides whether the request is
    answered by `refuse(request)` instead of the page. Anonymous requests pass (login_required handles them)."""

    open_prefixes: tuple[str, ...] = ()

    def __init__(self, get_response):
        self.get_response = get_response

    def guards(self, path: str) -> bool:
        return not path.startswith(self.open_prefixes)

    def blocked(self, user) -> bool:
        raise NotImplementedError

    def refuse(self, request):
        raise NotImplementedError

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self.guards(request.path) and self.blocked(user):
            return self.refuse(request)
        return self.get_response(request)


class RequireMfaForPrivilegedRolesMiddleware(_SignedInGate):
    """HR and admin accounts hold everyone's records: they must enrol TOTP before anything else."""

    open_prefixes = _ALLOWED_PREFIXES

    def blocked(self, user) -> bool:
        return roles_of(user).needs_mfa and not is_mfa_enabled(user)

    def refuse(self, request):
        messages.warning(request, _("您的账号拥有人事或管理员权限,须先启用两步验证(TOTP)。"))
        return redirect(reverse("mfa_activate_totp"))


# Reachable while an initial password is still in use: the change itself, logout, MFA stages, assets.
_PASSWORD_CHANGE_ALLOWED = (
    "/accounts/password/change/",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/static/",
    "/i18n/",
    "/jsi18n/",
    "/healthz",
)


class RequirePasswordChangeMiddleware(_SignedInGate):
    """Someone else chose this password (an initial password): the person must choose their own first."""

    open_prefixes = _PASSWORD_CHANGE_ALLOWED

    def blocked(self, user) -> bool:
        return getattr(user, "must_change_password", False)

    def refuse(self, request):
        messages.warning(request, _("您正在使用人事发放的初始密码,请先设置自己的新密码。"))
        return redirect(reverse("account_change_password"))


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """zh-hans unless the person chose another language (cookie set by the switcher).

    Django's LocaleMiddleware also follows the browser's Accept-Language; officers' phones and office PCs are often
    set to English, and they should still get the Chinese platform unless they pick English themselves."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class CmsAccessMiddleware(_SignedInGate):
    """A signed-in person without Wagtail admin rights who opens /cms/ gets our 403 page.

    Wagtail sends them to WAGTAILADMIN_LOGIN_URL (allauth's login), which sends a signed-in person straight back to
    ``next``: the browser loops until ERR_TOO_MANY_REDIRECTS. Anonymous visitors still go to the login page."""

    def guards(self, path: str) -> bool:
        return path.startswith(_CMS_PREFIX)

    def blocked(self, user) -> bool:
        return not user.has_perm("wagtailadmin.access_admin")

    def refuse(self, request):
        raise PermissionDenied(_("您的账号没有内容管理权限。内容管理供培训师、法制科和管理员使用。"))
