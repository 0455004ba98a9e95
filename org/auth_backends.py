from django.contrib.auth.backends import ModelBackend

from .models import Officer, User
from .text import normalize_code


class EmployeeNoOrPhoneBackend(ModelBackend):
    """Logs in with 工号 or the officer's phone number (full-width digits and spaces tolerated).

    allauth passes whatever was typed into the login box as `username` when it is not an email.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        login = normalize_code(username)
        officer = (
            Officer.objects.select_related("user").filter(employee_no=login).first()
            or Officer.objects.select_related("user").filter(phone=login).first()
        )
        user = officer.user if officer else User.objects.filter(username=login).first()
        if user is None:
            # Run the hasher anyway so timing does not reveal unknown logins.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
