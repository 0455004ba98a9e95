from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _

from .auth_backends import officer_status_allows_login, user_for_login
from .text import normalize_code


class NoPublicSignupAccountAdapter(DefaultAccountAdapter):
    """HR provisions every account; nobody signs up on their own."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _("登录失败次数过多,已暂时锁定。请 5 分钟后再试,或联系本单位人事重置密码。"),
        "username_password_mismatch": _("工号/手机号或密码不正确。"),
        "email_password_mismatch": _("邮箱或密码不正确。"),
    }

    def is_open_for_signup(self, request) -> bool:
        return False

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth keys the failed-login limit by the text typed; we key it by the account it names, so 5 wrong
        passwords by 工号 also lock the login by phone, email or full-width digits (issue #11)."""
        from django.contrib.sites.shortcuts import get_current_site

        typed = credentials.get("email", credentials.get("username", "")) or ""
        user = user_for_login(typed)
        who = f"user-{user.pk}" if user is not None else normalize_code(typed).lower()
        return f"{get_current_site(request).domain}:{who}"

    def set_password(self, user, password) -> None:
        # Password change and reset both come here: the person chose this password, so an initial one is gone.
        user.set_password(password)
        user.must_change_password = False
        user.save()

    def pre_login(self, request, user, **kwargs):
        # The email login goes through allauth's own backend: hold departed officers back here too.
        if user.is_active and not officer_status_allows_login(user):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)
