from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from exams import formats, services
from exams.models import Question


class Command(BaseCommand):
    help = _("导入试题(Moodle XML / GIFT / Excel 模板)。先检查整个文件;有任何错误则逐题(逐行)列出并且不写入。")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=sorted(formats.FORMATS), help=_("不写时按扩展名判断:.xml / .gift 或 .txt / .xlsx")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("只检查和预览,不写入"))
        parser.add_argument("--category", default="", help=_("放入此分类之下,如 行政处罚法/2026年度"))
        parser.add_argument("--draft", action="store_true", help=_("导入为草稿(默认直接启用)"))

    def handle(self, *args, file: Path, format: str | None, dry_run: bool, category: str, draft: bool, **options):
        if not file.exists():
            raise CommandError(_("文件不存在:%(path)s") % {"path": file})
        fmt = format or formats.guess(file.name)
        if fmt is None:
            raise CommandError(_("无法从扩展名判断格式,请用 --format 指定。"))
        parsed = formats.get(fmt).parse(file.read_bytes())
        for warning in parsed.warnings:
            self.stderr.write(_("提示:%(w)s") % {"w": warning})
        if not parsed.ok:
            for error in parsed.errors:
                self.stderr.write(str(error))
            raise CommandError(_("发现 %(n)s 处错误,未写入任何数据。") % {"n": len(parsed.errors)})
        report = services.questions_import(
            parsed=parsed,
            actor=None,
            category_root=category,
            status=Question.Status.DRAFT if draft else Question.Status.ACTIVE,
            dry_run=dry_run,
            source=file.name,
        )
        prefix = _("[预览,未写入] ") if dry_run else ""
        kinds = "、".join(f"{Question.Kind(k).label} {n}" for k, n in report.counts_by_kind().items())
        self.stdout.write(
            prefix
            + _("新增 %(c)s 道试题(%(k)s),重复跳过 %(d)s 道,新建分类 %(n)s 个,提示 %(w)s 条。")
            % {
                "c": len(report.created),
                "k": kinds or "—",
                "d": len(report.duplicates),
                "n": len(report.new_categories),
                "w": len(parsed.warnings),
            }
        )
