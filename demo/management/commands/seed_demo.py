from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from demo import (
    certification_seed,
    content_seed,
    contest_seed,
    exams_seed,
    learning_seed,
    mentorship_seed,
    org_seed,
    reports_seed,
)


class Command(BaseCommand):
    help = _("生成演示数据:一个区城管执法局、约 200 名执法人员、培训师、人事和中队长账号。可重复运行。")

    def handle(self, *args, **options):
        # Seeding submits pages to the workflow and amends an article: the notification emails those send
        # would go to made-up people, so they are dropped here.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            result = org_seed.seed_org()
            content_seed.seed_content()
            learning_seed.seed_learning()
            exams_result = exams_seed.seed_exams()
            cert_result = certification_seed.seed_certification()
            mentor_result = mentorship_seed.seed_mentorship()
            contest_result = contest_seed.seed_contest()
            reports_seed.seed_reports()
        first = result["officers"][0]
        self.stdout.write(self.style.SUCCESS(_("演示数据已就绪:%(n)s 名执法人员。") % {"n": len(result["officers"])}))
        self.stdout.write(
            _("题库:%(n)s 道试题(本次新增 %(c)s 道)。") % {"n": exams_result["total"], "c": exams_result["created"]}
        )
        self.stdout.write(
            _("执法证:%(n)s 张;待发证 %(q)s 人;今日提醒 %(r)s 条。")
            % {
                "n": cert_result.get("certificates", 0),
                "q": cert_result.get("qualified", 0),
                "r": cert_result.get("reminders", 0),
            }
        )
        self.stdout.write(_("师徒结对:%(n)s 对。") % {"n": mentor_result.get("pairs", 0)})
        self.stdout.write(
            _("知识竞赛:%(n)s 场(一场已结束可看成绩,一场待开始)。") % {"n": contest_result.get("contests", 0)}
        )
        self.stdout.write(_("演示账号(密码均为 %(pw)s):") % {"pw": org_seed.DEMO_PASSWORD})
        officer_label, phone_label = _("执法人员"), _("也可用手机号")
        self.stdout.write(f"  {first.employee_no:<10} {officer_label} {first.name} · {phone_label} {first.phone}")
        for username, role in result["staff"]:
            self.stdout.write(f"  {username:<10} {role}")
        approver = _("法制科审核(审批培训师提交的课程与案例)")
        self.stdout.write(f"  {'fzk01':<10} {approver}")
        self.stdout.write(
            _("hr01 与 admin 须两步验证:密钥 %(secret)s,或运行 .venv/bin/python manage.py demo_totp 取当前验证码。")
            % {"secret": org_seed.DEMO_TOTP_SECRET}
        )
