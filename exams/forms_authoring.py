"""Forms of the authoring pages (papers, rules, exams). Plain forms: the services do the writing and the
checks; these only parse."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from org.forms import EmployeeNumbersField
from org.models import RoleCategory, Unit

from .models import Exam, Paper, PaperRule, Question, QuestionCategory
from .services.exams import EXAM_FIELDS

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PaperForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Paper,
                fields=["title", "mode", "description", "shuffle_questions", "shuffle_options"],
                widgets={"description": forms.Textarea(attrs={"rows": 3})},
            )
        )


class RuleForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(PaperRule, fields=["kind", "category", "tag", "difficulty", "count"]))
        self.fields["category"].queryset = QuestionCategory.objects.order_by("full_path")
        self.fields["category"].empty_label = _("全部分类")
        self.fields["points_each"] = forms.DecimalField(
            label=_("每题分值"), max_digits=6, decimal_places=2, min_value=0.01
        )
        self.fields["count"].min_value = 1
        self.fields["count"].widget.attrs["min"] = 1


class ItemsAddForm(forms.Form):
    questions = forms.ModelMultipleChoiceField(
        queryset=Question.objects.exclude(status=Question.Status.RETIRED), label=_("试题")
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=300)


# The exam's own fields as the form edits them: the paper, credit category and course are chosen separately.
EXAM_FORM_FIELDS = [name for name in EXAM_FIELDS if name not in ("paper", "credit_category", "course_id")]


DEFAULT_INSTRUCTIONS = _("开始后计时不暂停;答案会自动保存,断网后恢复即可继续。到截止时间系统自动交卷。")


class ExamForm(forms.Form):
    """Every field of an exam. The audience is units AND role categories, plus officers named by 工号."""

    def __init__(self, *args, credit_categories: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paper"] = forms.ModelChoiceField(queryset=Paper.objects.order_by("-created_at"), label=_("试卷"))
        self.fields.update(
            fields_for_model(
                Exam,
                fields=EXAM_FORM_FIELDS,
                widgets={
                    "opens_at": DATETIME_WIDGET,
                    "closes_at": DATETIME_WIDGET,
                    "makeup_opens_at": DATETIME_WIDGET,
                    "makeup_closes_at": DATETIME_WIDGET,
                    "instructions": forms.Textarea(attrs={"rows": 4}),
                },
            )
        )
        # A new exam starts from the site's rule; the entry page prints the instructions once (no second copy).
        self.fields["instructions"].initial = DEFAULT_INSTRUCTIONS
        self.fields["credit_category"] = forms.ChoiceField(
            label=_("通过后授予学时类别"), choices=[("", _("不授予学时")), *credit_categories.items()], required=False
        )
        self.fields["units"] = forms.ModelMultipleChoiceField(
            queryset=Unit.objects.order_by("path"),
            label=_("参考单位(含下级单位)"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["role_categories"] = forms.ModelMultipleChoiceField(
            queryset=RoleCategory.objects.all(),
            label=_("参考人员类别(不选则不限)"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["officer_numbers"] = EmployeeNumbersField(
            label=_("指定人员(工号,用逗号、空格或换行分隔)"), required=False
        )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        officers = data.pop("officer_numbers")
        kwargs = {
            "units": list(data.pop("units")),
            "role_categories": list(data.pop("role_categories")),
            "officers": officers,
        }
        data["credit_category"] = data.get("credit_category") or ""
        kwargs.update(data)
        return kwargs


def exam_initial(exam: Exam) -> dict:
    initial = {name: getattr(exam, name) for name in [*EXAM_FORM_FIELDS, "credit_category"]}
    initial.update(
        paper=exam.paper_id,
        units=list(exam.units.all()),
        role_categories=list(exam.role_categories.all()),
        officer_numbers="\n".join(exam.officers.values_list("employee_no", flat=True)),
    )
    return initial
