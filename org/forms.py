from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Officer, RoleCategory


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
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态")), *Officer.Status.choices], required=False)
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
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("文件超过 20MB。"))
        return upload
