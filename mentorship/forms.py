"""Forms of the mentorship pages: they parse and range-check at the edge (a 400-free path: errors go back to the
form); the rules of the domain are the services'."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.selectors import categories as credit_categories
from org.models import Unit

from .matching import FACTORS, factor_labels


def clamp_year(raw) -> int:
    """A year from the query string, within 2000–2100; today's year otherwise."""
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def parse_goals(text: str) -> list[dict]:
    """One goal a line: "标题|天数" (days after the pair starts)."""
    goals = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        title, _sep, days = line.replace("|", "|").rpartition("|")
        try:
            due_days = int(days.strip())
        except ValueError:
            raise forms.ValidationError(_("第 %(n)s 行:请按“目标|天数”填写。") % {"n": n}) from None
        goals.append({"title": title.strip(), "due_days": due_days})
    return goals


def goals_text(goals: list[dict]) -> str:
    return "\n".join(f"{g['title']}|{g['due_days']}" for g in goals or [])


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=_("范围(单位及下级)"), queryset=Unit.objects.none())
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    mentee_hired_within_months = forms.IntegerField(label=_("入职不满(月)的人员需带教"), min_value=0, max_value=120)
    include_recruits = forms.BooleanField(label=_("新招录人员需带教"), required=False)
    mentor_min_years = forms.IntegerField(label=_("师傅最少执法年限"), min_value=0, max_value=40)
    default_capacity = forms.IntegerField(label=_("每位师傅带徒人数"), min_value=1, max_value=3)
    allow_cross_squad = forms.BooleanField(label=_("允许跨中队结对"), required=False)
    mentee_credit_category = forms.ChoiceField(label=_("徒弟学时类别"))
    monthly_cap_hours = forms.DecimalField(label=_("每月学时上限"), min_value=0, max_value=40, decimal_places=2)
    quiet_weeks = forms.IntegerField(label=_("无交流提醒(周)"), min_value=1, max_value=26)
    goal_template = forms.CharField(
        label=_("带教目标模板(每行“目标|天数”,3–5 项)"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["mentee_credit_category"].choices = list(credit_categories().items())
        labels = factor_labels()
        for name in FACTORS:
            self.fields[f"w_{name}"] = forms.IntegerField(
                label=_("权重:%(f)s") % {"f": labels[name]}, min_value=0, max_value=100
            )

    def clean_goal_template(self):
        return parse_goals(self.cleaned_data["goal_template"])

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("结束日期须晚于开始日期。"))
        return data

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "year": d["year"],
            "unit": d["unit"],
            "starts_on": d["starts_on"],
            "ends_on": d["ends_on"],
            "mentee_hired_within_months": d["mentee_hired_within_months"],
            "mentee_role_codes": ["recruit"] if d["include_recruits"] else [],
            "mentor_min_years": d["mentor_min_years"],
            "default_capacity": d["default_capacity"],
            "allow_cross_squad": d["allow_cross_squad"],
            "mentee_credit_category": d["mentee_credit_category"],
            "monthly_cap_hours": d["monthly_cap_hours"],
            "quiet_weeks": d["quiet_weeks"],
            "goal_template": d["goal_template"],
            "weights": {name: d[f"w_{name}"] for name in FACTORS},
        }

    @staticmethod
    def initial_for(programme) -> dict:
        initial = {
            "name": programme.name,
            "year": programme.year,
            "unit": programme.unit_id,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
            "mentee_hired_within_months": programme.mentee_hired_within_months,
            "include_recruits": "recruit" in (programme.mentee_role_codes or []),
            "mentor_min_years": programme.mentor_min_years,
            "default_capacity": programme.default_capacity,
            "allow_cross_squad": programme.allow_cross_squad,
            "mentee_credit_category": programme.mentee_credit_category,
            "monthly_cap_hours": programme.monthly_cap_hours,
            "quiet_weeks": programme.quiet_weeks,
            "goal_template": goals_text(programme.goal_template),
        }
        for name in FACTORS:
            initial[f"w_{name}"] = int((programme.weights or {}).get(name, 0))
        return initial


class CheckInForm(forms.Form):
    met_on = forms.DateField(label=_("交流日期"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(label=_("时长(分钟)"), min_value=10, max_value=480)
    topic = forms.CharField(label=_("主题"), max_length=100)
    goal = forms.TypedChoiceField(label=_("关联目标"), required=False, coerce=int, empty_value=None)
    notes = forms.CharField(label=_("记录"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", "—")] + [(g.pk, g.title) for g in goals]
        self.fields["met_on"].initial = timezone.localdate


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("评分"), coerce=int, choices=[(n, n) for n in range(5, 0, -1)])
    text = forms.CharField(label=_("评语"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EndForm(forms.Form):
    completed = forms.BooleanField(required=False)
    reason = forms.CharField(label=_("提前结束原因"), max_length=300, required=False)


class CapacityForm(forms.Form):
    mentor = forms.IntegerField(min_value=1, max_value=2_147_483_647)
    capacity = forms.IntegerField(label=_("带徒人数"), min_value=1, max_value=3)


class SwapForm(forms.Form):
    mentor = forms.IntegerField(min_value=1, max_value=2_147_483_647)
