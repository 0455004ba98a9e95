from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from exams import selectors as exam_selectors
from learning import selectors as learning_selectors

from .models import Contest
from .services import DrawRule

MAX_PER_KIND = 50


class ContestForm(forms.Form):
    title = forms.CharField(label=_("竞赛名称"), max_length=200)
    question_ids = forms.CharField(
        label=_("指定试题编号"),
        required=False,
        max_length=2000,
        help_text=_("按出题顺序填写题库中的试题编号,用逗号或空格分隔;留空则按下面的规则随机抽题。"),
    )
    category = forms.TypedChoiceField(label=_("抽题分类"), required=False, coerce=int, empty_value=None)
    count_single = forms.IntegerField(label=_("单选题数量"), min_value=0, max_value=MAX_PER_KIND, initial=5)
    count_multiple = forms.IntegerField(label=_("多选题数量"), min_value=0, max_value=MAX_PER_KIND, initial=0)
    count_true_false = forms.IntegerField(label=_("判断题数量"), min_value=0, max_value=MAX_PER_KIND, initial=5)
    seconds_per_question = forms.IntegerField(label=_("每题作答时间(秒)"), min_value=5, max_value=300, initial=20)
    read_seconds = forms.IntegerField(label=_("读题时间(秒)"), min_value=0, max_value=60, initial=3)
    scoring_mode = forms.ChoiceField(
        label=_("计分方式"), choices=Contest.Scoring.choices, initial=Contest.Scoring.LINEAR
    )
    max_points = forms.IntegerField(label=_("每题满分"), min_value=1, max_value=10000, initial=100)
    floor_points = forms.IntegerField(label=_("答对保底分"), min_value=0, max_value=10000, initial=50)
    streak_bonus = forms.IntegerField(
        label=_("连对奖励(每连对一题加分,最多加五次)"), min_value=0, max_value=1000, initial=0
    )
    top_n = forms.IntegerField(label=_("排行榜显示人数"), min_value=1, max_value=20, initial=5)
    team_by = forms.ChoiceField(
        label=_("分队方式"),
        choices=Contest.TeamBy.choices,
        initial=Contest.TeamBy.SQUAD,
        required=False,
        help_text=_("团体成绩取队员平均分,队伍人数多少不影响名次。"),
    )
    credit_hours = forms.DecimalField(
        label=_("参赛学时"),
        required=False,
        min_value=0,
        max_value=8,
        decimal_places=1,
        initial=0,
        help_text=_("竞赛结束时,给每位至少作答一题的参赛人员记入学时(每人一次);0 表示不记学时。"),
    )
    credit_category = forms.ChoiceField(label=_("学时类别"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_category"].choices = [("", "—")] + list(learning_selectors.categories().items())
        self.fields["category"].choices = [("", _("全部分类"))] + [
            (c.pk, f"{c.full_path}({n})") for c, n in exam_selectors.category_tree()
        ]

    def clean_question_ids(self) -> list[int]:
        raw = self.cleaned_data["question_ids"]
        parts = [p for p in re.split(r"[\s,,、;;]+", raw) if p]
        if not all(p.isdigit() and len(p) <= 9 for p in parts):
            raise forms.ValidationError(_("试题编号只能是数字。"))
        return [int(p) for p in parts]

    def clean(self):
        data = super().clean()
        if data.get("floor_points") is not None and data.get("max_points") is not None:
            if data["floor_points"] > data["max_points"]:
                self.add_error("floor_points", _("保底分不能高于满分。"))
        return data

    def clean_team_by(self) -> str:
        return self.cleaned_data["team_by"] or Contest.TeamBy.SQUAD

    def clean_credit_hours(self):
        return self.cleaned_data["credit_hours"] or 0

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        rules = [
            DrawRule(category_id=data.get("category"), kind=kind, count=data[f"count_{kind}"])
            for kind in ("single", "multiple", "true_false")
            if data.get(f"count_{kind}")
        ]
        return {
            "title": data["title"],
            "question_ids": data["question_ids"] or None,
            "draw_rules": rules,
            **{
                k: data[k]
                for k in (
                    "seconds_per_question",
                    "read_seconds",
                    "scoring_mode",
                    "max_points",
                    "floor_points",
                    "streak_bonus",
                    "top_n",
                    "team_by",
                    "credit_hours",
                    "credit_category",
                )
            },
        }
