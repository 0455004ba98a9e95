"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth.hashers import make_password

from org.models import Officer, RoleCategory, RoleGrant, Unit, User
from org.services import unit_ensure_path

PASSWORD = "Pass-for-tests-1"
_PASSWORD_HASH = None


def _password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


def unit(path: str = "测试区城管局/执法一中队") -> Unit:
    """Units live in a tree; build them by path (creates missing ancestors)."""
    return unit_ensure_path(path=path)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n:04d}")
    password = factory.LazyFunction(_password_hash)


class RoleCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleCategory
        django_get_or_create = ("code",)

    code = "enforcer"
    name = "执法人员"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    employee_no = factory.Sequence(lambda n: f"T{n:05d}")
    user = factory.LazyAttribute(lambda o: UserFactory(username=o.employee_no))
    name = factory.Iterator(["张伟", "王芳", "李强", "刘洋", "陈静", "杨磊", "赵敏", "黄勇"])
    unit = factory.LazyFunction(unit)
    role_category = factory.LazyFunction(lambda: RoleCategory.objects.get(code="enforcer"))
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    enforcement_duty = True


def grant(user: User, role: str, unit: Unit | None = None) -> RoleGrant:
    from org.services import role_grant

    return role_grant(user=user, role=role, unit=unit)
