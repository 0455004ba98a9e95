from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from exams import formats, selectors
from exams.models import Question, QuestionCategory


class Command(BaseCommand):
    help = _("导出题库为 Moodle XML / GIFT / Excel 模板。")

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument("--format", choices=sorted(formats.FORMATS), help=_("不写时按扩展名判断"))
        parser.add_argument("--category", default="", help=_("只导出此分类(含下级)"))
        parser.add_argument("--status", choices=Question.Status.values, default="", help=_("只导出此状态"))

    def handle(self, *args, out: Path, format: str | None, category: str, status: str, **options):
        fmt = format or formats.guess(out.name)
        if fmt is None:
            raise CommandError(_("无法从扩展名判断格式,请用 --format 指定。"))
        node = None
        if category:
            node = QuestionCategory.objects.filter(full_path=category.strip("/")).first()
            if node is None:
                raise CommandError(_("分类不存在:%(c)s") % {"c": category})
        questions = selectors.questions_data(selectors.question_list(category=node, status=status))
        out.write_bytes(formats.get(fmt).export(questions))
        self.stdout.write(_("已导出 %(n)s 道试题到 %(p)s。") % {"n": len(questions), "p": out})
