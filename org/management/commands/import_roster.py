from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from org import services
from org.roster import RosterFileError, parse_roster


class Command(BaseCommand):
    help = _("导入花名册(.xlsx 或 .csv)。先检查整个文件;有任何错误则逐行列出并且不写入。")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help=_("只检查和预览,不写入"))

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(_("文件不存在:%(path)s") % {"path": file})
        try:
            parsed = parse_roster(file.name, file.read_bytes())
        except RosterFileError as exc:
            raise CommandError(str(exc)) from exc
        if not parsed.ok:
            for error in parsed.errors:
                self.stderr.write(str(error))
            raise CommandError(_("发现 %(n)s 处错误,未写入任何数据。") % {"n": len(parsed.errors)})
        report = services.roster_import(parsed=parsed, actor=None, dry_run=dry_run)
        prefix = _("[预览,未写入] ") if dry_run else ""
        self.stdout.write(
            prefix
            + _("新增 %(c)s 人,更新 %(u)s 人,未变 %(n)s 人。")
            % {"c": len(report.created), "u": len(report.updated), "n": len(report.unchanged)}
        )
