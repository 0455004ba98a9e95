import re

from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Officer, RoleCategory
from .tabular import TableError, check_upload_size
from .text import normalize_text


class OfficerLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("工号 / 手机号 / 邮箱")
        self.fields["login"].widget.attrs.update(
            {"placeholder": _("请输入工号、手机号或邮箱"), "autocomplete": "username"}
        )


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名/工号/手机"), required=False)
    unit = forms.IntegerField(label=_("单位"), required=False, widget=forms.HiddenInput)
    role_category = forms.ModelChoiceField(
        label=_("人员类别"), queryset=RoleCategory.objects.all(), required=False, empty_label=_("全部类别")
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *Officer.Status.choices], required=False
    )
    enforcement_duty = forms.ChoiceField(
        label=_("执法岗位"), choices=[("", _("全部")), ("1", _("是")), ("0", _("否"))], required=False
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("花名册文件(.xlsx 或 .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise forms.ValidationError(_("只支持 .xlsx 或 .csv 文件。"))
        try:
            check_upload_size(upload.size)
        except TableError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class EmployeeNumbersField(forms.CharField):
    """A list of 工号 typed or pasted from Excel: separated by commas (half- or full-width), 、, semicolons, spaces
    or new lines; full-width digits normalised. Cleans to the Officers in the order typed (duplicates dropped);
    an unknown 工号 is an error that names each one."""

    widget = forms.Textarea(attrs={"rows": 2})
    max_numbers = 2000

    def clean(self, value):
        text = super().clean(value) or ""
        numbers = list(dict.fromkeys(n for n in re.split(r"[\s,、;]+", normalize_text(text)) if n))
        if len(numbers) > self.max_numbers:
            raise forms.ValidationError(_("一次最多填写 %(n)s 个工号。") % {"n": self.max_numbers})
        found = {o.employee_no: o for o in Officer.objects.filter(employee_no__in=numbers).select_related("unit")}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(_("找不到这些工号:%(nos)s") % {"nos": "、".join(missing)})
        return [found[n] for n in numbers]
