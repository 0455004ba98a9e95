"""manage.py import_certificates FILE.xlsx [--dry-run]: the same whole-file validation as the upload page."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification.services import CertificationError, certificates_import
from org.models import User


class Command(BaseCommand):
    help = "导入执法证(.xlsx):先校验整个文件,有错误则不写入任何数据;重复导入不会重复登记。"

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验,不写入")
        parser.add_argument("--user", help="记为操作人的账号(工号);不填则记为系统导入")

    def handle(self, *args, file: str, dry_run: bool, user: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在:{file}")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"账号不存在:{user}")
        try:
            report = certificates_import(
                actor=actor, data=path.read_bytes(), filename=path.name, dry_run=dry_run, system=True
            )
        except CertificationError as exc:
            raise CommandError(str(exc)) from None
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"发现 {len(report.errors)} 处错误,未写入任何数据。")
        verb = "将新增" if dry_run else "新增"
        self.stdout.write(f"{verb} {len(report.created)} 张,已存在未变 {len(report.unchanged)} 张。")
