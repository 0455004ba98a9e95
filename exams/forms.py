from __future__ import annotations

import string

from django import forms
from django.utils.translation import gettext_lazy as _

from org.tabular import TableError, check_upload_size

from .formats.base import (
    ALL_OR_NOTHING,
    BLANK,
    CASE,
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    QuestionData,
)
from .formats.xlsx import question_from_values
from .models import Question

OPTION_LETTERS = "ABCDEF"
FORMAT_CHOICES = [("moodle-xml", "Moodle XML"), ("gift", "GIFT"), ("xlsx", _("Excel 模板"))]


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    kind = forms.ChoiceField(label=_("题型"), choices=[("", _("全部题型")), *Question.Kind.choices], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部状态")), *Question.Status.choices], required=False)
    difficulty = forms.TypedChoiceField(
        label=_("难度"),
        choices=[("", _("全部难度")), *Question.Difficulty.choices],
        required=False,
        coerce=int,
        empty_value=None,
    )
    category = forms.IntegerField(label=_("分类"), required=False, widget=forms.HiddenInput)
    tag = forms.CharField(label=_("标签"), required=False)
    review = forms.BooleanField(label=_("只看待复核"), required=False)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=Question.Kind.choices)
    category_path = forms.CharField(
        label=_("分类"),
        max_length=500,
        help_text=_("路径用 / 分隔,如 行政处罚法/简易程序;不存在的分类会自动建立"),
        widget=forms.TextInput(attrs={"list": "category-paths"}),
    )
    title = forms.CharField(label=_("标题(可选)"), max_length=200, required=False)
    stem = forms.CharField(label=_("题干"), widget=forms.Textarea(attrs={"rows": 4}))
    option_a = forms.CharField(label=_("选项A"), required=False)
    option_b = forms.CharField(label=_("选项B"), required=False)
    option_c = forms.CharField(label=_("选项C"), required=False)
    option_d = forms.CharField(label=_("选项D"), required=False)
    option_e = forms.CharField(label=_("选项E"), required=False)
    option_f = forms.CharField(label=_("选项F"), required=False)
    answer = forms.CharField(
        label=_("答案"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "单选填 A;多选填 ABD;判断填 正确 或 错误;填空填可接受的答案,多个用 | 分隔;案例分析填参考答案/评分要点"
        ),
    )
    scoring_mode = forms.ChoiceField(
        label=_("多选计分"),
        choices=Question.ScoringMode.choices,
        initial=ALL_OR_NOTHING,
        required=False,
        help_text=_("按选项给分:每选对一项得 分值÷正确项数,每选错一项扣同样分数,最低 0 分"),
    )
    points = forms.DecimalField(label=_("分值"), min_value=0, max_digits=6, decimal_places=2, initial=1)
    difficulty = forms.TypedChoiceField(label=_("难度"), choices=Question.Difficulty.choices, coerce=int, initial=3)
    explanation = forms.CharField(label=_("解析"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    violation_category = forms.CharField(label=_("违法类别"), max_length=100, required=False)
    law_refs = forms.CharField(
        label=_("法条依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一条,如 《中华人民共和国行政处罚法》第五十一条"),
    )
    tags = forms.CharField(label=_("标签"), required=False, help_text=_("用 、 或 , 分隔"))
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)

    question_data: QuestionData | None = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        values = {
            "kind": cleaned["kind"],
            "stem": cleaned["stem"],
            "answer": cleaned.get("answer", ""),
            "points": cleaned.get("points"),
            "difficulty": cleaned.get("difficulty"),
            "explanation": cleaned.get("explanation", ""),
            "violation_category": cleaned.get("violation_category", ""),
            "law_refs": cleaned.get("law_refs", ""),
            "category": cleaned.get("category_path", ""),
            "tags": cleaned.get("tags", ""),
            "scoring_mode": cleaned.get("scoring_mode") or ALL_OR_NOTHING,
            "title": cleaned.get("title", ""),
        }
        options = [(letter, cleaned.get(f"option_{letter.lower()}", "")) for letter in OPTION_LETTERS]
        data, errors = question_from_values(values, options, number=0, unit="form")
        for issue in errors:
            self.add_error(None, issue.message)
        self.question_data = data
        return cleaned


def initial_from_data(data: QuestionData) -> dict:
    initial = {
        "kind": data.kind,
        "category_path": data.category,
        "title": data.title,
        "stem": data.stem,
        "scoring_mode": data.scoring_mode or ALL_OR_NOTHING,
        "points": data.points,
        "difficulty": data.difficulty,
        "explanation": data.explanation,
        "violation_category": data.violation_category,
        "law_refs": "\n".join(data.law_refs),
        "tags": "、".join(data.tags),
    }
    for index, option in enumerate(data.options[: len(OPTION_LETTERS)]):
        initial[f"option_{OPTION_LETTERS[index].lower()}"] = option.text
    if data.kind in (SINGLE, MULTIPLE):
        initial["answer"] = "".join(string.ascii_uppercase[i] for i, o in enumerate(data.options) if o.correct)
    elif data.kind == TRUE_FALSE:
        initial["answer"] = "正确" if data.answer_bool else "错误"
    elif data.kind == BLANK:
        initial["answer"] = "|".join(data.accepted)
    elif data.kind == CASE:
        initial["answer"] = data.rubric
    return initial


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=Question.Status.choices)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("题库文件(.xml / .gift / .txt / .xlsx)"))
    format = forms.ChoiceField(label=_("格式"), choices=[("", _("按扩展名判断")), *FORMAT_CHOICES], required=False)
    category_root = forms.CharField(
        label=_("导入到分类(可选)"),
        max_length=300,
        required=False,
        help_text=_("文件中的分类放在此分类之下;文件未写分类的试题直接放入此分类"),
        widget=forms.TextInput(attrs={"list": "category-paths"}),
    )
    activate = forms.BooleanField(label=_("导入后直接启用"), required=False, initial=True)
    exam_only = forms.BooleanField(
        label=_("作为保密题导入(仅供考试)"),
        required=False,
        help_text=_("保密题不进入练习和错题本,适用于资格考试等不公开的题库"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload_size(upload.size)
        except TableError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload
