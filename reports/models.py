"""Year-end snapshots: a year's figures computed once and frozen, with who was counted and with what."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.append_only import AppendOnlyError, AppendOnlyModel


class SnapshotImmutableError(AppendOnlyError):
    pass


class YearSnapshot(AppendOnlyModel):
    """HR closed the year: `figures` is the Report (reports.figures.Report.as_json) as it stood then. Reopening a year
    closes it again into a new snapshot that names this one (`supersedes`); the old one stays as it was."""

    append_only_error = SnapshotImmutableError
    append_only_message = "a year-end snapshot is never changed; close the year again for a new one"

    year = models.PositiveSmallIntegerField(_("年度"))
    reference_date = models.DateField(_("参考日期"))
    hours_per_day = models.PositiveSmallIntegerField(_("每天折算学时"))
    figures = models.JSONField(_("指标"))
    officer_count = models.PositiveIntegerField(_("统计人数"))
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by", verbose_name=_("取代")
    )
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("关账时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-closed_at", "-id"]
        verbose_name = _("年度统计快照")
        verbose_name_plural = _("年度统计快照")
        indexes = [models.Index(fields=["year", "-closed_at"])]

    def __str__(self) -> str:
        return f"{self.year} #{self.pk}"


class SnapshotOfficer(AppendOnlyModel):
    """One officer as counted in a snapshot: where they stood on the reference date and what they counted for."""

    append_only_error = SnapshotImmutableError
    append_only_message = "a year-end snapshot is never changed"

    snapshot = models.ForeignKey(YearSnapshot, on_delete=models.PROTECT, related_name="officers")
    officer_id = models.PositiveIntegerField(_("人员"))
    employee_no = models.CharField(_("工号"), max_length=32)
    name = models.CharField(_("姓名"), max_length=50)
    unit_path = models.CharField(max_length=255)
    data = models.JSONField(_("计入情况"))

    class Meta:
        ordering = ["snapshot", "unit_path", "employee_no"]
        verbose_name = _("快照人员")
        verbose_name_plural = _("快照人员")
        constraints = [models.UniqueConstraint(fields=["snapshot", "officer_id"], name="snapshot_officer_once")]
