from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .scopes import roles_of

# Paths a privileged user may reach before enrolling TOTP: the enrolment itself, logout, assets.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/", "/jsi18n/", "/healthz")


class RequireMfaForPrivilegedRolesMiddleware:
    """HR and admin accounts hold everyone's records: they must enrol TOTP before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and roles_of(user).needs_mfa
            and not is_mfa_enabled(user)
        ):
            messages.warning(request, _("您的账号拥有人事或管理员权限,须先启用两步验证(TOTP)。"))
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
