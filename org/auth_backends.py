from django.contrib.auth.backends import ModelBackend

from .models import Officer, User
from .text import normalize_code


def officer_status_allows_login(user) -> bool:
    """Officers who left or retired keep their records but never log in again, even if their login was left
    active (e.g. the status was changed in the admin rather than by a roster import)."""
    return not Officer.objects.filter(user_id=user.pk).exclude(status=Officer.Status.ACTIVE).exists()


def user_for_login(login: str) -> User | None:
    """The account a login box entry names: 工号, phone, username or email (full-width digits, spaces tolerated)."""
    login = normalize_code(login)
    if not login:
        return None
    if "@" in login:
        return User.objects.filter(email__iexact=login).first()
    officer = (
        Officer.objects.select_related("user").filter(employee_no=login).first()
        or Officer.objects.select_related("user").filter(phone=login).first()
    )
    # allauth's own backend matches usernames case-insensitively, so the limit must too.
    return officer.user if officer else User.objects.filter(username__iexact=login).first()


class EmployeeNoOrPhoneBackend(ModelBackend):
    """Logs in with 工号 or the officer's phone number (full-width digits and spaces tolerated).

    allauth passes whatever was typed into the login box as `username` when it is not an email.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Run the hasher anyway so timing does not reveal unknown logins.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and officer_status_allows_login(user)
