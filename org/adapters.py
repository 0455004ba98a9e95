from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _

from .auth_backends import officer_status_allows_login


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

    def pre_login(self, request, user, **kwargs):
        # The email login goes through allauth's own backend: hold departed officers back here too.
        if user.is_active and not officer_status_allows_login(user):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)
