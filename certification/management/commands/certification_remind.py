"""Send the 年审 reminders due today (window opening, 30/7/1 days before the deadline, leader digests, HR's weekly
summary), each exactly once. Also run by the housekeeping loop; running it again sends nothing twice."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from certification.reminders import reminders_run


class Command(BaseCommand):
    help = "Send today's certification (年审) reminders, exactly once each."

    def add_arguments(self, parser):
        parser.add_argument("--date", default=None, help="as if today were YYYY-MM-DD (Asia/Shanghai)")

    def handle(self, *args, date: str | None = None, **options):
        today = None
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError("--date 应为 YYYY-MM-DD") from None
        report = reminders_run(today=today)
        self.stdout.write(
            f"certification_remind: {report.sent} sent ({report.emailed} by email), "
            f"{report.skipped} already sent, {report.failed} failed"
        )
