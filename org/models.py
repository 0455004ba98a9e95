"""Units, officers, role categories, role grants and the audit trail."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class User(AbstractUser):
    """The login identity. For officers the username is the employee number (工号)."""

    # Set when someone else chose the password (an initial password issued by HR or an admin): the person must pick
    # their own before using the site (org.middleware.RequirePasswordChangeMiddleware); cleared by the adapter.
    # db_default too: rows loaded in bulk outside the ORM (benchmarks, a migration from another system) are valid.
    must_change_password = models.BooleanField(_("须修改密码"), default=False, db_default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")


class Unit(MP_Node):
    """A node of the organisation tree: bureau (局) > department/squad (科室/中队) > team."""

    class Kind(models.TextChoices):
        CITY = "city", _("市级")
        BUREAU = "bureau", _("局")
        DEPARTMENT = "department", _("科室")
        SQUAD = "squad", _("中队")
        TEAM = "team", _("分队/小组")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.SQUAD)
    full_path = models.CharField(
        _("完整路径"), max_length=500, unique=True, help_text=_("以“/”分隔的上级单位名称,如 某区城管局/执法一中队")
    )

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.full_path


class RoleCategory(models.Model):
    """人员类别 (领导干部, 执法人员, 协管员 ...). Data, editable by HR; yearly hour rules key on it."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    # Shown instead of the name when the interface is in English (blank: the Chinese name).
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("人员类别")
        verbose_name_plural = _("人员类别")

    def __str__(self) -> str:
        from org.naming import display_name

        return display_name(self)


class Officer(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("在职")
        LEFT = "left", _("离职")
        RETIRED = "retired", _("退休")

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="officer")
    employee_no = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="officers", verbose_name=_("单位"))
    role_category = models.ForeignKey(
        RoleCategory, on_delete=models.PROTECT, related_name="officers", verbose_name=_("人员类别")
    )
    hire_date = models.DateField(_("入职日期"), null=True, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, null=True, blank=True)
    enforcement_duty = models.BooleanField(_("执法岗位"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path", "employee_no"]
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        constraints = [
            # Phone is a login identifier, so it must be unique where present.
            models.UniqueConstraint(fields=["phone"], condition=Q(phone__isnull=False), name="officer_phone_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.employee_no})"


class RoleGrant(models.Model):
    """A platform role beyond 'officer'. Unit leaders are scoped to a unit subtree."""

    class Role(models.TextChoices):
        TRAINER = "trainer", _("培训师")
        HR = "hr", _("人事/政治处")
        UNIT_LEADER = "unit_leader", _("单位负责人")
        ADMIN = "admin", _("系统管理员")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="leader_grants", verbose_name=_("负责单位")
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="rolegrant_unique"),
            models.CheckConstraint(
                condition=~Q(role="unit_leader") | Q(unit__isnull=False), name="rolegrant_leader_needs_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}" + (f" · {self.unit}" if self.unit_id else "")


class AuditEntry(models.Model):
    """Who did what to which record, and when. Written by services; never edited."""

    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(_("操作"), max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=60, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class OfficerPlacement(models.Model):
    """Where an officer stood (unit, role category, status, enforcement duty) from valid_from up to valid_to
    (exclusive; open while null). Written by org.services whenever an officer is created or one of these changes, so
    that a year's figures count people where they were on its reference date, whatever happens later.
    Rows are only ever closed (valid_to set) or, for a same-day correction, replaced."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="placements")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    role_category = models.ForeignKey(
        RoleCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员类别")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Officer.Status.choices)
    enforcement_duty = models.BooleanField(_("执法岗位"), default=False)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期(不含)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["officer_id", "valid_from", "id"]
        verbose_name = _("人员任职记录")
        verbose_name_plural = _("人员任职记录")
        indexes = [models.Index(fields=["officer", "valid_from"])]
        constraints = [
            models.UniqueConstraint(
                fields=["officer"], condition=Q(valid_to__isnull=True), name="placement_one_open_per_officer"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="placement_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.valid_from}–{self.valid_to or ''} {self.unit_id}"
