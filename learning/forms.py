from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Officer, Unit

from . import catalog
from .models import OfflineSession


def category_choices() -> list[tuple[str, str]]:
    """Content's credit categories (code, name), read when a form is shown, so a new one appears at once."""
    return catalog.credit_categories()


class OfflineSessionForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("形式"), choices=OfflineSession.Kind.choices)
    category = forms.ChoiceField(label=_("学时类别"), choices=category_choices)
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_value=40, decimal_places=1)
    place = forms.CharField(label=_("地点"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    invited_units = forms.ModelMultipleChoiceField(
        label=_("参训单位(含下级)"),
        queryset=Unit.objects.order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    invited_employee_nos = forms.CharField(
        label=_("参训人员工号(可选,逗号或换行分隔)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            raise forms.ValidationError(_("结束时间必须晚于开始时间。"))
        numbers = [
            n.strip()
            for n in (data.get("invited_employee_nos") or "").replace(",", ",").replace("\n", ",").split(",")
            if n.strip()
        ]
        officers = list(Officer.objects.filter(employee_no__in=numbers))
        missing = set(numbers) - {o.employee_no for o in officers}
        if missing:
            raise forms.ValidationError(_("找不到这些工号:%(nos)s") % {"nos": "、".join(sorted(missing))})
        data["invited_officers"] = officers
        return data


class ManualAttendanceForm(forms.Form):
    employee_no = forms.CharField(label=_("工号"), max_length=32)
    reason = forms.CharField(label=_("补录原因"), max_length=300)

    def clean_employee_no(self):
        officer = Officer.objects.filter(employee_no=self.cleaned_data["employee_no"].strip()).first()
        if officer is None:
            raise forms.ValidationError(_("找不到该工号。"))
        return officer


class ExternalClaimForm(forms.Form):
    title = forms.CharField(label=_("培训名称"), max_length=200)
    provider = forms.CharField(label=_("举办单位"), max_length=200)
    category = forms.ChoiceField(label=_("学时类别"), choices=category_choices)
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_value=200, decimal_places=1)
    start_date = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    attachment = forms.FileField(label=_("证明材料(PDF/图片/Word,≤10MB)"))


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("通过")), ("reject", _("退回"))])
    reason = forms.CharField(label=_("审核意见"), max_length=300, required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲销原因"), max_length=300)


class UnitHoursFilterForm(forms.Form):
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    only_short = forms.BooleanField(label=_("只看未达标"), required=False)
