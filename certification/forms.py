"""Forms of the certification pages: they check shape and range at the edge (a bad value is a 400 with a Chinese
message, never a 500); the rules (dates against events, 协管员, duplicate 证号 …) are the services' to refuse."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.tabular import TableError, check_upload_size

from .models import ReviewBlock
from .status import Status

YEAR_MIN, YEAR_MAX = 2000, 2100


def _this_year() -> int:
    return timezone.localdate().year


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("年度"))
        super().__init__(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


class BoardFilterForm(forms.Form):
    """The board's and the officer list's filters; every field optional, bad values ignored by the view."""

    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *Status.choices])
    year = YearField(required=False)
    q = forms.CharField(label=_("姓名或工号"), required=False, max_length=50)


class ReviewRunForm(forms.Form):
    unit = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    year = YearField()


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500)
    effective_on = forms.DateField(label=_("暂扣自"), widget=DateInput())
    ends_on = forms.DateField(label=_("暂扣至(可空)"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class ReasonDateForm(forms.Form):
    """Reinstate and revoke: a reason and the day it takes effect."""

    reason = forms.CharField(label=_("原因"), max_length=500)
    effective_on = forms.DateField(label=_("生效日期"), widget=DateInput(), initial=timezone.localdate)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("更正原因"), max_length=500)


class SingleReviewForm(forms.Form):
    year = YearField(initial=_this_year)


class BlockForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ReviewBlock.Kind.choices)
    reason = forms.CharField(label=_("原因"), max_length=500)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期(可空)"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class LiftBlockForm(forms.Form):
    reason = forms.CharField(label=_("解除原因"), max_length=500)
    lifted_on = forms.DateField(label=_("解除日期"), widget=DateInput(), initial=timezone.localdate)


class IssueForm(forms.Form):
    number = forms.CharField(label=_("证号"), max_length=64)
    issuing_authority = forms.CharField(label=_("发证机关"), max_length=200)
    issued_on = forms.DateField(label=_("发证日期"), widget=DateInput())
    valid_until = forms.DateField(label=_("有效期至(可空)"), required=False, widget=DateInput())
    enforcement_category = forms.CharField(label=_("执法类别"), max_length=100, required=False)
    enforcement_area = forms.CharField(label=_("执法区域"), max_length=100, required=False)

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split())

    def clean(self):
        data = super().clean()
        start, end = data.get("issued_on"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("有效期至不能早于发证日期。"))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("执法证文件(.xlsx 或 .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只支持 .xlsx 或 .csv 文件。"))
        try:
            check_upload_size(upload.size)
        except TableError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class CycleForm(forms.Form):
    year = YearField()
    window_opens = forms.DateField(label=_("年审开始日期"), widget=DateInput())
    deadline = forms.DateField(label=_("年审截止日期"), widget=DateInput())
    grace_days = forms.IntegerField(label=_("宽限天数"), min_value=0, max_value=365, initial=30)
    requires_hours = forms.BooleanField(label=_("须完成本年度学时"), required=False, initial=True)
    requires_annual_exam = forms.BooleanField(label=_("须通过年度学法考试"), required=False, initial=True)
    requires_training_days = forms.BooleanField(label=_("须达到最少培训天数"), required=False, initial=True)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("window_opens"), data.get("deadline")
        if start and end and end < start:
            self.add_error("deadline", _("截止日期不能早于开始日期。"))
        return data


def clamp_year(value: str | None, default: int | None = None) -> int:
    """A year from a query string, clamped to a sane range (bad input falls back to this year)."""
    try:
        year = int(value) if value else (default or _this_year())
    except (TypeError, ValueError):
        year = default or _this_year()
    return min(max(year, YEAR_MIN), YEAR_MAX)


def today() -> dt.date:
    return timezone.localdate()
